package render

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/okrkit/okr/internal/inert"
	"github.com/okrkit/okr/internal/report"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/okrkit/okr/internal/score"
)

// tableWriter prints a plain-text table for the terminal: a heading line,
// then one row per objective (its tags as #tag in the goal column) followed by
// its key results with their goal and current value (goalCell). Progress
// is not shown: the score is the progress unless marked manual.
type tableWriter struct{}

// newTable returns a table that prints headers and cells as given: no
// upper-casing of headers, and leading spaces (indentation) kept.
func newTable(w io.Writer) *tablewriter.Table {
	noWidthCache.Do(func() { twwidth.SetCacheCapacity(0) })
	return tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off), tablewriter.WithTrimSpace(tw.Off))
}

// noWidthCache turns off tablewriter's cache of text widths, once: a
// report's cells are mostly distinct, so the cache (a locked LRU list)
// costs more than it saves (BenchmarkTable: 0.83x). Widths are the same
// without it: the table goldens were written with the cache on.
var noWidthCache sync.Once

// plain keeps workspace text on one line.
var plain = inertReplacer{strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " "), false}

// inertReplacer applies its replacements, then makes what is left inert
// (package inert): the status view writes colours past the output filter,
// so its strings from files must be safe on their own.
// With first set, the text is made inert first and the replacements come
// after (DOT, whose replacements escape the backslashes of \uXXXX).
type inertReplacer struct {
	r     *strings.Replacer
	first bool
}

func (i inertReplacer) Replace(s string) string {
	if i.first {
		return i.r.Replace(inert.String(s))
	}
	return inert.String(i.r.Replace(s))
}

func (tableWriter) Write(w io.Writer, r *report.Report) error {
	name := r.Cycle.Name
	if name == "" {
		name = r.Cycle.ID
	}
	if _, err := fmt.Fprintf(w, "%s, as of %s: %s of the cycle elapsed; %d on track, %d at risk, %d off track, %d done\n",
		plain.Replace(name), r.AsOf, percent(r.Expected), r.Counts[score.OnTrack], r.Counts[score.AtRisk],
		r.Counts[score.OffTrack], r.Counts[score.Done]); err != nil {
		return err
	}
	t := newTable(w)
	t.Header("Objective / key result", "Goal, now", "Score", "Status", "Conf.", "Last check-in", "Owner")
	starred := false
	for _, o := range r.Objectives {
		sc := "-"
		if o.Score != nil {
			sc = scoreText(*o.Score, r.Display)
		}
		if err := t.Append(plain.Replace(o.Title)+" ("+o.ID+")"+cycleMark(o.Cycle), tagMark(o.Tags), sc, "", "", "", plain.Replace(o.Owner)); err != nil {
			return err
		}
		for _, k := range o.KeyResults {
			status, ks, conf := krCells(k, "*", r.Display)
			starred = starred || k.StatusStated
			if err := t.Append("  "+plain.Replace(k.Title)+" ("+k.ID+")", plain.Replace(goalCell(k, r.Units)), ks, status, conf, k.LastCheckin, plain.Replace(k.Owner)); err != nil {
				return err
			}
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if !starred {
		return nil
	}
	_, err := io.WriteString(w, "* status stated in the latest check-in\n")
	return err
}

// tagMark is "#tag #tag" for an objective's tags, "" when it has none;
// the table shows it in the objective's row of the goal column, which is
// otherwise empty (the brackets of cycleMark say the cycle).
func tagMark(tags []string) string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = "#" + plain.Replace(t)
	}
	return strings.Join(out, " ")
}
