package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/okrkit/okr/internal/numfmt"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/score"
)

// Style is how the terminal status view is drawn.
type Style struct {
	// Color adds ANSI colours to statuses; set it only for a terminal
	// without NO_COLOR.
	Color bool
	// Width cuts lines to this many characters; 0 leaves them whole.
	Width int
	// StatusNames are the display names of the statuses (a setting).
	StatusNames map[string]string
}

// StatusFormats are the layouts of `okr status`: tree (objectives under
// the objectives they align to) or table (one flat table).
var StatusFormats = []string{"tree", "table"}

const barWidth = 10

// Bar draws a progress bar of barWidth cells; progress above 1 fills it.
func Bar(p float64) string {
	n := int(p*barWidth + 0.5)
	n = max(0, min(n, barWidth))
	return strings.Repeat("█", n) + strings.Repeat("░", barWidth-n)
}

var ansi = map[string]string{score.OnTrack: "\x1b[32m", score.Done: "\x1b[32m", score.AtRisk: "\x1b[33m", score.OffTrack: "\x1b[31m"}

func (s Style) status(st string, stated bool) string {
	name := s.StatusNames[st]
	if name == "" {
		name = strings.ReplaceAll(st, "_", " ")
	}
	name = plain.Replace(name)
	if stated {
		name += "*"
	}
	pad := strings.Repeat(" ", max(0, 16-utf8.RuneCountInString(name)))
	if s.Color && ansi[st] != "" {
		return ansi[st] + name + "\x1b[0m" + pad
	}
	return name + pad
}

// cut shortens line to the style's width, counting characters but not
// colour codes.
func (s Style) cut(line string) string {
	if s.Width <= 0 {
		return line
	}
	var b strings.Builder
	n, esc := 0, false
	for _, r := range line {
		switch {
		case esc:
			b.WriteRune(r)
			esc = r != 'm'
			continue
		case r == '\x1b':
			b.WriteRune(r)
			esc = true
			continue
		}
		if n == s.Width-1 && utf8.RuneCountInString(line) > s.Width {
			b.WriteString("…")
			if s.Color {
				b.WriteString("\x1b[0m")
			}
			return b.String()
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// WriteStatus draws r for the terminal, as a tree or a flat table.
func WriteStatus(w io.Writer, r *report.Report, layout string, s Style) error {
	switch layout {
	case "table":
		return writeStatusTable(w, r, s)
	case "tree":
	default:
		return fmt.Errorf("unknown format %q (want one of %s)", layout, strings.Join(StatusFormats, ", "))
	}
	bw := bufio.NewWriter(w)
	name := r.Cycle.Name
	if name == "" {
		name = r.Cycle.ID
	}
	avg := ""
	if r.AverageScore != nil {
		avg = " · average score " + numfmt.Score(*r.AverageScore, r.Display)
	}
	n := len(flatKRs(r))
	krs := "key results"
	if n == 1 {
		krs = "key result"
	}
	fmt.Fprintln(bw, s.cut(fmt.Sprintf("%s · as of %s · %s of the cycle elapsed%s · %d %s: %d %s, %d %s, %d %s, %d %s",
		plain.Replace(name), r.AsOf, percent(r.Expected), avg, n, krs,
		r.Counts[score.OnTrack], s.plainName(score.OnTrack), r.Counts[score.AtRisk], s.plainName(score.AtRisk),
		r.Counts[score.OffTrack], s.plainName(score.OffTrack), r.Counts[score.Done], s.plainName(score.Done))))
	in := map[string]bool{}
	for _, o := range r.Objectives {
		in[o.ID] = true
	}
	kids := map[string][]report.Objective{}
	var roots []report.Objective
	for _, o := range r.Objectives {
		hasParent := false
		for _, p := range o.Parents {
			if in[p] && p != o.ID {
				kids[p] = append(kids[p], o)
				hasParent = true
			}
		}
		if !hasParent {
			roots = append(roots, o)
		}
	}
	drawn := map[string]bool{}
	var draw func(o report.Objective, indent string, path map[string]bool)
	draw = func(o report.Objective, indent string, path map[string]bool) {
		sc := "  -  "
		if o.Score != nil {
			sc = numfmt.Score(*o.Score, r.Display)
		}
		if drawn[o.ID] {
			fmt.Fprintln(bw, s.cut(fmt.Sprintf("%s● %s  %s (%s, shown above)", indent, sc, plain.Replace(o.Title), o.ID)))
			return
		}
		drawn[o.ID] = true
		fmt.Fprintln(bw, s.cut(fmt.Sprintf("%s● %s  %s (%s)%s · %s", indent, sc, plain.Replace(o.Title), o.ID, cycleMark(o.Cycle), plain.Replace(o.Owner))))
		for _, k := range o.KeyResults {
			fmt.Fprintln(bw, s.cut(indent+"    "+s.krLine(k, r.Display)))
		}
		path[o.ID] = true
		for _, c := range kids[o.ID] {
			if !path[c.ID] {
				draw(c, indent+"    ", path)
			}
		}
		delete(path, o.ID)
	}
	for _, o := range roots {
		draw(o, "", map[string]bool{})
	}
	if anyStated(r) {
		fmt.Fprintln(bw, "* status stated in the latest check-in")
	}
	return bw.Flush()
}

func (s Style) plainName(st string) string {
	if n := s.StatusNames[st]; n != "" {
		return plain.Replace(n)
	}
	return strings.ReplaceAll(st, "_", " ")
}

func (s Style) krLine(k report.KeyResult, display string) string {
	conf := "      "
	if k.Confidence != nil {
		conf = fmt.Sprintf("c %-4s", number(*k.Confidence))
	}
	last := k.LastCheckin
	if last == "" {
		last = "no check-in"
	}
	manual := ""
	if k.Manual {
		manual = fmt.Sprintf(" (manual score %s)", numfmt.Score(k.Score, display))
	}
	return fmt.Sprintf("%s %4s  %s %s  %-11s  %s (%s) · %s%s", Bar(k.Progress), percent(k.Progress),
		s.status(k.Status, k.StatusStated), conf, last, plain.Replace(k.Title), k.ID, plain.Replace(k.Owner), manual)
}

func flatKRs(r *report.Report) []report.KeyResult {
	var out []report.KeyResult
	for _, o := range r.Objectives {
		out = append(out, o.KeyResults...)
	}
	return out
}

func writeStatusTable(w io.Writer, r *report.Report, s Style) error {
	t := newTable(w)
	t.Header("Objective", "Key result", "Progress", "", "Score", "Status", "Conf.", "Last check-in", "Owner")
	for _, o := range r.Objectives {
		for _, k := range o.KeyResults {
			status := s.plainName(k.Status)
			if k.StatusStated {
				status += "*"
			}
			conf := ""
			if k.Confidence != nil {
				conf = number(*k.Confidence)
			}
			title := plain.Replace(k.Title)
			if s.Width > 0 {
				title = Style{Width: max(20, s.Width/3)}.cut(title)
			}
			if err := t.Append(o.ID, title, Bar(k.Progress), percent(k.Progress), numfmt.Score(k.Score, r.Display), status, conf, k.LastCheckin, plain.Replace(k.Owner)); err != nil {
				return err
			}
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if !anyStated(r) {
		return nil
	}
	_, err := io.WriteString(w, "* status stated in the latest check-in\n")
	return err
}

// anyStated reports whether a key result of r has a status stated in its
// latest check-in: the views print the footnote for the star only then.
func anyStated(r *report.Report) bool {
	for _, k := range flatKRs(r) {
		if k.StatusStated {
			return true
		}
	}
	return false
}
