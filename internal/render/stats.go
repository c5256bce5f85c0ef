package render

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/okrkit/okr/internal/format"
	"github.com/okrkit/okr/internal/numfmt"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/score"
)

// StatsFormats are the formats of `okr stats`.
var StatsFormats = statsWriters.Names()

// WriteStats prints s in format (markdown, json or csv).
func WriteStats(w io.Writer, s *report.Stats, format string) error {
	write, err := statsWriters.Get(format)
	if err != nil {
		return err
	}
	return write(w, s)
}

// statsWriters are okr stats' formats.
var statsWriters = format.New(map[string]func(io.Writer, *report.Stats) error{
	"json": writeStatsJSON, "csv": writeStatsCSV, "table": writeStatsTable, "markdown": writeStatsMarkdown,
})

func writeStatsJSON(w io.Writer, s *report.Stats) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

func writeStatsCSV(w io.Writer, s *report.Stats) error {
	cw := csv.NewWriter(w)
	header := []string{"scope", "name", "parent", "objectives", "key_results", "on_track", "at_risk", "off_track", "done",
		"completion_rate", "alignment_rate", "checkin_rate", "average_score"}
	if err := cw.Write(header); err != nil {
		return err
	}
	row := func(scope, name, parent string, f report.Figures) error {
		return cw.Write([]string{safe(scope), safe(name), safe(parent), fmt.Sprint(f.Objectives), fmt.Sprint(f.KeyResults),
			fmt.Sprint(f.Counts[score.OnTrack]), fmt.Sprint(f.Counts[score.AtRisk]), fmt.Sprint(f.Counts[score.OffTrack]),
			fmt.Sprint(f.Counts[score.Done]), opt(f.CompletionRate), opt(f.AlignmentRate), opt(f.CheckinRate), opt(f.AverageScore)})
	}
	if err := row("all", "", "", s.All); err != nil {
		return err
	}
	for _, t := range s.Teams {
		if err := row(t.ID, t.Name, t.Parent, t.Figures); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeStatsTable(w io.Writer, s *report.Stats) error {
	name := s.Cycle.Name
	if name == "" {
		name = s.Cycle.ID
	}
	if _, err := fmt.Fprintf(w, "%s: dashboard as of %s\n", plain.Replace(name), s.AsOf); err != nil {
		return err
	}
	t := newTable(w)
	names := []string{score.OnTrack, score.AtRisk, score.OffTrack, score.Done}
	header := []any{"Team", "Objectives", "Key results"}
	for _, n := range names {
		label := s.StatusNames[n]
		if label == "" {
			label = strings.ReplaceAll(n, "_", " ")
		}
		header = append(header, plain.Replace(label))
	}
	t.Header(append(header, "Completion", "Alignment", "Check-ins", "Avg score")...)
	row := func(label string, f report.Figures) error {
		return t.Append(label, fmt.Sprint(f.Objectives), fmt.Sprint(f.KeyResults),
			fmt.Sprint(f.Counts[score.OnTrack]), fmt.Sprint(f.Counts[score.AtRisk]), fmt.Sprint(f.Counts[score.OffTrack]),
			fmt.Sprint(f.Counts[score.Done]), pct(f.CompletionRate), pct(f.AlignmentRate), pct(f.CheckinRate), avg(f.AverageScore, s.Display))
	}
	if err := row("All", s.All); err != nil {
		return err
	}
	for _, tf := range s.Teams {
		label := tf.Name
		if label == "" {
			label = tf.ID
		}
		if err := row(strings.Repeat("  ", tf.Depth)+plain.Replace(label), tf.Figures); err != nil {
			return err
		}
	}
	return t.Render()
}

func writeStatsMarkdown(w io.Writer, s *report.Stats) error {
	bw := bufio.NewWriter(w)
	name := s.Cycle.Name
	if name == "" {
		name = s.Cycle.ID
	}
	fmt.Fprintf(bw, "## %s: dashboard as of %s\n\n", md(name), s.AsOf)
	names := []string{score.OnTrack, score.AtRisk, score.OffTrack, score.Done}
	fmt.Fprintf(bw, "| Team | Objectives | Key results | %s | Completion | Alignment | Check-ins | Average score |\n",
		strings.Join(mapNames(names, s.StatusNames), " | "))
	bw.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	line := func(label string, f report.Figures) {
		fmt.Fprintf(bw, "| %s | %d | %d | %d | %d | %d | %d | %s | %s | %s | %s |\n", label, f.Objectives, f.KeyResults,
			f.Counts[score.OnTrack], f.Counts[score.AtRisk], f.Counts[score.OffTrack], f.Counts[score.Done],
			pct(f.CompletionRate), pct(f.AlignmentRate), pct(f.CheckinRate), avg(f.AverageScore, s.Display))
	}
	line("**All**", s.All)
	for _, t := range s.Teams {
		label := md(t.Name)
		if label == "" {
			label = md(t.ID)
		}
		line(strings.Repeat("&nbsp;&nbsp;", t.Depth)+label, t.Figures)
	}
	return bw.Flush()
}

func mapNames(ids []string, names map[string]string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = md(names[id])
		if out[i] == "" {
			out[i] = strings.ReplaceAll(id, "_", " ")
		}
	}
	return out
}

func pct(v *float64) string {
	if v == nil {
		return "-"
	}
	return percent(*v)
}

func avg(v *float64, display string) string {
	if v == nil {
		return "-"
	}
	return numfmt.Score(*v, display)
}
