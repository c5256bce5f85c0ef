package trend_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/dashboard"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/trend"
	"github.com/okrkit/okr/internal/validate"
)

// TestOneAverage: okr trend, okr stats, okr report and the dashboard give
// the same average score for the same day (docs/scoring.md: one weighted
// average), on the example workspace, for a quarter and for the year
// (whose view also holds the quarters' objectives aligned to it, which the
// average leaves out), on several days of the quarter.
func TestOneAverage(t *testing.T) {
	today := model.Date{Year: 2026, Month: 12, Day: 1}
	res, err := validate.Run("../../examples", validate.Options{Today: today, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 0 {
		t.Fatalf("example workspace has findings: %v", res.Diagnostics)
	}
	ws := res.Workspace
	// Every example objective weighs 1; give some more weight, so that a
	// weighted average and a plain mean differ and the test tells them
	// apart.
	for i, o := range ws.Objectives {
		if i%3 == 0 {
			o.Weight = 4
		}
	}
	checked, differ := 0, 0
	for _, c := range ws.Cycles {
		if c.ID != "2026-q4" && c.ID != "2026" {
			continue
		}
		for _, day := range []model.Date{{Year: 2026, Month: 10, Day: 14}, {Year: 2026, Month: 11, Day: 4}, {Year: 2026, Month: 11, Day: 25}} {
			name := fmt.Sprintf("%s@%s", c.ID, day)
			wk := trend.NewWeekly(c.ID, false)
			wk.Add(ws, c, day, "")
			fromTrend := wk.Weeks[0].AverageScore
			fromStats := report.BuildStats(ws, c, day).All.AverageScore
			fromReport := report.Build(ws, c, day).AverageScore
			if fromTrend == nil || fromStats == nil || fromReport == nil {
				t.Fatalf("%s: an average is missing: trend %v, stats %v, report %v", name, fromTrend, fromStats, fromReport)
			}
			if *fromTrend != *fromStats || *fromReport != *fromStats {
				t.Errorf("%s: trend %v, stats %v, report %v; want one figure", name, *fromTrend, *fromStats, *fromReport)
			}
			page := dashboard.Build(dashboard.Input{Workspace: ws, Cycle: c, AsOf: day})
			shown := ""
			for _, r := range page.Rates {
				if r.Name == "Average score" {
					shown = r.Value
				}
			}
			got, ok := parseShown(shown)
			if !ok || math.Abs(got-*fromStats) > 0.005 {
				t.Errorf("%s: the dashboard shows average %q, stats %v", name, shown, *fromStats)
			}
			if plain := plainMean(report.Build(ws, c, day), c.ID); math.Abs(plain-*fromStats) > 1e-9 {
				differ++
			}
			checked++
		}
	}
	if checked != 6 {
		t.Fatalf("checked %d cycle-days, want 6 (the example workspace's 2026 and 2026-q4)", checked)
	}
	if differ == 0 {
		t.Error("the weighted average equals the plain mean on every day: the test cannot tell the two apart")
	}
}

// parseShown reads a score as the dashboard shows it: 0.72 or 72%.
func parseShown(s string) (float64, bool) {
	if p, ok := strings.CutSuffix(s, "%"); ok {
		v, err := strconv.ParseFloat(p, 64)
		return v / 100, err == nil
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// plainMean is the unweighted mean of the scores of the report's objectives
// of cycle: the figure okr trend used to show.
func plainMean(r *report.Report, cycle string) float64 {
	var sum float64
	n := 0
	for _, o := range r.Objectives {
		if o.Score != nil && o.Cycle == "" {
			sum += *o.Score
			n++
		}
	}
	return sum / float64(n)
}
