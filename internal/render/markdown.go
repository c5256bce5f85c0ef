package render

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"

	"github.com/okrkit/okr/internal/inert"
	"github.com/okrkit/okr/internal/numfmt"
	"github.com/okrkit/okr/internal/report"
)

// markdownWriter prints GitHub-flavoured Markdown that renders in a pull
// request comment: a summary line, then for each objective a heading, a
// line of facts (score, level, owner, category, tags, what it aligns to),
// its description, a table of its key results with their goals, and the
// initiatives behind them. Workspace text is escaped so it cannot break
// the table, start a block or inject HTML.
type markdownWriter struct{}

var mdEscaper = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "\r\n", " ", "\n", " ", "\r", " ", "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "~", `\~`)

// md escapes inline text: on one line, Markdown's active characters
// escaped, then made inert.
func md(s string) string { return inert.String(mdEscaper.Replace(s)) }

// blockStart matches what would start a heading, list or thematic break
// at the start of a paragraph: a marker character, or the number of an
// ordered list item (group 1) before its . or ).
var blockStart = regexp.MustCompile(`^(?:[#+=-]|(\d+)[.)])`)

// mdPara escapes a paragraph of text (an objective's description): md,
// the lines joined, and a leading marker that would start a block
// escaped (\# text, 1\. text; a digit cannot be escaped, the dot can).
func mdPara(s string) string {
	s = md(strings.TrimSpace(s))
	if m := blockStart.FindStringSubmatchIndex(s); m != nil {
		if m[2] >= 0 {
			return s[:m[3]] + `\` + s[m[3]:]
		}
		return `\` + s
	}
	return s
}

// mdLink is a link as a Markdown autolink when it is a plain http(s) URL,
// else as escaped text (a javascript: link stays text).
func mdLink(s string) string {
	u, err := url.Parse(s)
	if err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && !inert.Has(s) &&
		!strings.ContainsAny(s, " <>\"'`\\") {
		return "<" + s + ">"
	}
	return md(s)
}

func (markdownWriter) Write(w io.Writer, r *report.Report) error {
	bw := bufio.NewWriter(w)
	name := r.Cycle.Name
	if name == "" {
		name = r.Cycle.ID
	}
	fmt.Fprintf(bw, "## %s, as of %s\n\n", md(name), r.AsOf)
	fmt.Fprintf(bw, "%s of the cycle elapsed. Key results: %d on track, %d at risk, %d off track, %d done.\n",
		percent(r.Expected), r.Counts["on_track"], r.Counts["at_risk"], r.Counts["off_track"], r.Counts["done"])
	for _, o := range r.Objectives {
		fmt.Fprintf(bw, "\n### %s (%s)%s\n\n", md(o.Title), md(o.ID), md(cycleMark(o.Cycle)))
		bw.WriteString(objectiveFacts(o, r.Display) + "\n")
		if d := strings.TrimSpace(o.Description); d != "" {
			fmt.Fprintf(bw, "\n%s\n", mdPara(d))
		}
		if len(o.KeyResults) > 0 {
			bw.WriteString("\n| Key result | Goal, now | Progress | Score | Status | Confidence | Last check-in | Owner |\n")
			bw.WriteString("|---|---|---:|---:|---|---:|---|---|\n")
		}
		for _, k := range o.KeyResults {
			status, kscore, conf := krCells(k, " (stated)", r.Display)
			fmt.Fprintf(bw, "| %s (%s) | %s | %s | %s | %s | %s | %s | %s |\n",
				md(k.Title), md(k.ID), md(goalCell(k, r.Units)), percent(k.Progress), kscore, status, conf, k.LastCheckin, md(k.Owner))
		}
		if len(o.Initiatives) > 0 {
			bw.WriteString("\nInitiatives:\n\n")
			for _, in := range o.Initiatives {
				bw.WriteString(initiativeItem(in) + "\n")
			}
		}
	}
	return bw.Flush()
}

// objectiveFacts is the line under an objective's heading: score (and
// band), level, owner, category, tags and the objectives it aligns to.
func objectiveFacts(o report.Objective, display string) string {
	score := "no score"
	if o.Score != nil {
		score = "score **" + scoreText(*o.Score, display) + "**"
		if o.Band != "" {
			score += " (" + md(o.Band) + ")"
		}
	}
	facts := []string{score, md(o.Level)}
	if o.Owner != "" {
		facts = append(facts, "owner "+md(o.Owner))
	}
	if o.Category != "" {
		facts = append(facts, "category "+md(o.Category))
	}
	if len(o.Tags) > 0 {
		facts = append(facts, "tags: "+mdList(o.Tags))
	}
	if len(o.Parents) > 0 {
		facts = append(facts, "aligns to "+mdList(o.Parents))
	}
	s := strings.Join(facts, " · ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func mdList(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = md(s)
	}
	return strings.Join(out, ", ")
}

// initiativeItem is an initiative's list item: title and id, then its
// status, owner, due date, the key result it serves and its link.
func initiativeItem(in report.Initiative) string {
	var facts []string
	if in.Status != "" {
		facts = append(facts, md(strings.ReplaceAll(in.Status, "_", " ")))
	}
	if in.Owner != "" {
		facts = append(facts, "owner "+md(in.Owner))
	}
	if in.Due != "" {
		facts = append(facts, "due "+md(in.Due))
	}
	if in.KeyResult != "" {
		facts = append(facts, "serves "+md(in.KeyResult))
	}
	if in.Link != "" {
		facts = append(facts, mdLink(in.Link))
	}
	s := "- " + md(in.Title)
	if in.ID != "" {
		s += " (" + md(in.ID) + ")"
	}
	if len(facts) > 0 {
		s += ": " + strings.Join(facts, " · ")
	}
	return s
}

// scoreText is a score as the markdown and table writers show it, as
// okr.yaml's display asks (numfmt.Score): 0.72 or 72%.
func scoreText(v float64, display string) string { return numfmt.Score(v, display) }

// krCells formats a key result's status (with stated appended when the status
// was stated in a check-in), score (marked when manual) and confidence, as
// the markdown and table writers show them, the score as display asks
// (scoreText).
func krCells(k report.KeyResult, stated, display string) (status, score, conf string) {
	status = strings.ReplaceAll(k.Status, "_", " ")
	if k.StatusStated {
		status += stated
	}
	score = scoreText(k.Score, display)
	if k.Manual {
		score += " (manual)"
	}
	if k.Confidence != nil {
		conf = number(*k.Confidence)
	}
	return status, score, conf
}
