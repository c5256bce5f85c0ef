package trend

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/okrkit/okr/internal/numfmt"
)

// textWriter draws sparklines for the terminal: one line per series, eight
// levels from 0% to 100%, a space where there is no value.
type textWriter struct{}

var bars = []rune("▁▂▃▄▅▆▇█")

// Spark draws one character per value in 0..1 (clamped); nil is a space.
func Spark(vs []*float64) string {
	var b strings.Builder
	for _, v := range vs {
		if v == nil {
			b.WriteByte(' ')
			continue
		}
		i := int(*v*float64(len(bars)-1) + 0.5)
		b.WriteRune(bars[max(0, min(len(bars)-1, i))])
	}
	return b.String()
}

func pct(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }

func (textWriter) KeyResult(out io.Writer, s *KRSeries) error {
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "%s: %s (%s, cycle %s)\n", s.KeyResult, s.Title, s.Type, s.Cycle)
	if len(s.Points) == 0 {
		fmt.Fprintln(w, "no check-ins yet")
		return w.Flush()
	}
	progress, expected := make([]*float64, len(s.Points)), make([]*float64, len(s.Points))
	for i := range s.Points {
		progress[i], expected[i] = &s.Points[i].Progress, &s.Points[i].Expected
	}
	first, last := s.Points[0], s.Points[len(s.Points)-1]
	fmt.Fprintf(w, "progress  %s  %s -> %s (%s to %s)\n", Spark(progress), pct(first.Progress), pct(last.Progress), first.Date, last.Date)
	fmt.Fprintf(w, "expected  %s  %s -> %s\n", Spark(expected), pct(first.Expected), pct(last.Expected))
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-10s  %12s  %8s  %8s  %10s  %s\n", "date", "value", "progress", "expected", "confidence", "goal")
	for _, p := range s.Points {
		conf := "-"
		if p.Confidence != nil {
			conf = f(*p.Confidence)
		}
		goal := p.Goal
		if p.Commit != "" && s.Definitions > 1 {
			goal += " @" + p.Commit
			if p.GoalBy != "" {
				goal += " by " + p.GoalBy
			}
		}
		fmt.Fprintf(w, "%-10s  %12s  %8s  %8s  %10s  %s\n", p.Date, numfmt.Plain(p.Value), pct(p.Progress), pct(p.Expected), conf, goal)
	}
	return w.Flush()
}

func (textWriter) Weekly(out io.Writer, s *Weekly) error {
	w := bufio.NewWriter(out)
	src := "history"
	if !s.FromHistory {
		src = "check-ins only"
	}
	weeks := "weeks"
	if len(s.Weeks) == 1 {
		weeks = "week"
	}
	fmt.Fprintf(w, "cycle %s, %d %s (from %s)\n", s.Cycle, len(s.Weeks), weeks, src)
	if len(s.Weeks) == 0 {
		return w.Flush()
	}
	fmt.Fprintf(w, "%s to %s\n\n", s.Weeks[0].Date, s.Weeks[len(s.Weeks)-1].Date)
	width := len("average score")
	for _, o := range s.Objectives {
		width = max(width, len(o.ID))
	}
	series := func(get func(Week) *float64) []*float64 {
		vs := make([]*float64, len(s.Weeks))
		for i, wk := range s.Weeks {
			vs[i] = get(wk)
		}
		return vs
	}
	lastOf := func(vs []*float64) string {
		for i := len(vs) - 1; i >= 0; i-- {
			if vs[i] != nil {
				return numfmt.Score(*vs[i], s.Display)
			}
		}
		return "-"
	}
	mean := series(func(wk Week) *float64 { return wk.AverageScore })
	fmt.Fprintf(w, "%-*s  %s  %s\n", width, "average score", Spark(mean), lastOf(mean))
	for _, o := range s.Objectives {
		vs := series(func(wk Week) *float64 { return wk.Scores[o.ID] })
		fmt.Fprintf(w, "%-*s  %s  %s\n", width, o.ID, Spark(vs), lastOf(vs))
	}
	fmt.Fprintf(w, "\n%-10s  %8s  %7s  %9s  %4s  %7s\n", "week", "on_track", "at_risk", "off_track", "done", "average")
	for _, wk := range s.Weeks {
		m := "-"
		if wk.AverageScore != nil {
			m = numfmt.Score(*wk.AverageScore, s.Display)
		}
		fmt.Fprintf(w, "%-10s  %8d  %7d  %9d  %4d  %7s\n", wk.Date, wk.Counts["on_track"], wk.Counts["at_risk"], wk.Counts["off_track"], wk.Counts["done"], m)
	}
	return w.Flush()
}
