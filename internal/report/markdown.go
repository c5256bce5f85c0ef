package report

import (
	"bufio"
	"fmt"
	"github.com/okrkit/okr/internal/inert"
	"io"
	"strings"
)

func init() { writers["markdown"] = markdownWriter{} }

// markdownWriter prints GitHub-flavoured Markdown that renders in a pull
// request comment: a summary line, then one table row per key result under
// its objective. Workspace text is escaped so it cannot break the table or
// inject HTML.
type markdownWriter struct{}

var mdEscaper = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "\r\n", " ", "\n", " ", "\r", " ", "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)

func md(s string) string { return inert.String(mdEscaper.Replace(s)) }

func (markdownWriter) Write(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	name := r.Cycle.Name
	if name == "" {
		name = r.Cycle.ID
	}
	fmt.Fprintf(bw, "## %s, as of %s\n\n", md(name), r.AsOf)
	fmt.Fprintf(bw, "%s of the cycle elapsed. Key results: %d on track, %d at risk, %d off track, %d done.\n\n",
		percent(r.Expected), r.Counts["on_track"], r.Counts["at_risk"], r.Counts["off_track"], r.Counts["done"])
	bw.WriteString("| Objective | Key result | Goal, now | Progress | Score | Status | Confidence | Last check-in | Owner |\n")
	bw.WriteString("|---|---|---|---:|---:|---|---:|---|---|\n")
	for _, o := range r.Objectives {
		score := "–"
		if o.Score != nil {
			score = number(round2(*o.Score))
		}
		fmt.Fprintf(bw, "| **%s** (%s)%s | | | | %s | | | | %s |\n", md(o.Title), md(o.ID), md(cycleMark(o.Cycle)), score, md(o.Owner))
		for _, k := range o.KeyResults {
			status, kscore, conf := k.cells(" (stated)")
			fmt.Fprintf(bw, "| | %s (%s) | %s | %s | %s | %s | %s | %s | %s |\n",
				md(k.Title), md(k.ID), md(k.goalCell(r.Units)), percent(k.Progress), kscore, status, conf, k.LastCheckin, md(k.Owner))
		}
	}
	return bw.Flush()
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

// cells formats a key result's status (with stated appended when the status
// was stated in a check-in), score (marked when manual) and confidence, as
// the markdown and table writers show them.
func (k KeyResult) cells(stated string) (status, score, conf string) {
	status = strings.ReplaceAll(k.Status, "_", " ")
	if k.StatusStated {
		status += stated
	}
	score = number(round2(k.Score))
	if k.Manual {
		score += " (manual)"
	}
	if k.Confidence != nil {
		conf = number(*k.Confidence)
	}
	return status, score, conf
}
