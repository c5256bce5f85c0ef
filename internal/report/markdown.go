package report

import (
	"bufio"
	"fmt"
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

func md(s string) string { return mdEscaper.Replace(s) }

func (markdownWriter) Write(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	name := r.Cycle.Name
	if name == "" {
		name = r.Cycle.ID
	}
	fmt.Fprintf(bw, "## %s, as of %s\n\n", md(name), r.AsOf)
	fmt.Fprintf(bw, "%s of the cycle elapsed. Key results: %d on track, %d at risk, %d off track, %d done.\n\n",
		percent(r.Expected), r.Counts["on_track"], r.Counts["at_risk"], r.Counts["off_track"], r.Counts["done"])
	bw.WriteString("| Objective | Key result | Progress | Score | Status | Confidence | Last check-in | Owner |\n")
	bw.WriteString("|---|---|---:|---:|---|---:|---|---|\n")
	for _, o := range r.Objectives {
		score := "–"
		if o.Score != nil {
			score = number(round2(*o.Score))
		}
		fmt.Fprintf(bw, "| **%s** (%s) | | | %s | | | | %s |\n", md(o.Title), md(o.ID), score, md(o.Owner))
		for _, k := range o.KeyResults {
			status := strings.ReplaceAll(k.Status, "_", " ")
			if k.StatusStated {
				status += " (stated)"
			}
			kscore := number(round2(k.Score))
			if k.Manual {
				kscore += " (manual)"
			}
			conf, last := "", k.LastCheckin
			if k.Confidence != nil {
				conf = number(*k.Confidence)
			}
			fmt.Fprintf(bw, "| | %s (%s) | %s | %s | %s | %s | %s | %s |\n",
				md(k.Title), md(k.ID), percent(k.Progress), kscore, status, conf, last, md(k.Owner))
		}
	}
	return bw.Flush()
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }
