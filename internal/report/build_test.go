package report

import (
	"testing"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
)

// The builders' tests; the writers' (goldens of every format) are in
// internal/render.

var day = model.Date{Year: 2026, Month: 11, Day: 23}

func examples(t *testing.T) *model.Workspace {
	t.Helper()
	res, err := validate.Run("../../examples", validate.Options{Today: day, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 0 {
		t.Fatalf("example workspace has findings: %v", res.Diagnostics)
	}
	return res.Workspace
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// TestStatsFigures computes a small workspace's figures by hand.
func TestStatsFigures(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	q := &model.Cycle{ID: "q", Cadence: "weekly", Start: model.Date{Year: 2026, Month: 10, Day: 1}, End: model.Date{Year: 2026, Month: 12, Day: 31}}
	ci := func(date string, v float64) []model.Checkin {
		d, _ := model.ParseDate(date)
		return []model.Checkin{{Date: d, Value: v}}
	}
	ws := &model.Workspace{
		Settings: model.Settings{OnTrack: 0.9, AtRisk: 0.6, ProgressCap: 1, Rollup: "krs"},
		Teams:    []*model.Team{{ID: "eng", Name: "Engineering"}, {ID: "web", Name: "Web", Parent: "eng"}, {ID: "ops", Name: "Ops"}},
		Cycles:   []*model.Cycle{q},
		Objectives: []*model.Objective{
			// Company objective: not counted in the alignment rate.
			{ID: "top", Level: "company", Cycle: "q", Owner: "eng", Weight: 1, KeyResults: []*model.KeyResult{
				{ID: "a", Type: model.Increase, Start: f(0), Target: f(10), Weight: 1, Checkins: ci("2026-11-20", 10)}, // done, checked in this week
			}},
			{ID: "aligned", Level: "team", Cycle: "q", Owner: "web", Weight: 1, AlignsTo: []*model.Alignment{{Objective: "top", Weight: 1}},
				KeyResults: []*model.KeyResult{
					{ID: "b", Type: model.Increase, Start: f(0), Target: f(10), Weight: 1, Checkins: ci("2026-11-01", 2)}, // 0.2, stale
				}},
			{ID: "loose", Level: "team", Cycle: "q", Owner: "ops", Weight: 1, KeyResults: []*model.KeyResult{
				{ID: "c", Type: model.Increase, Start: f(0), Target: f(10), Weight: 1}, // no check-in
			}},
		},
	}
	s := BuildStats(ws, q, day)
	all := s.All
	if all.Objectives != 3 || all.KeyResults != 3 || all.Counts["done"] != 1 {
		t.Fatalf("all = %+v", all)
	}
	checks := []struct {
		name string
		got  *float64
		want float64
	}{
		{"completion", all.CompletionRate, 1.0 / 3},
		{"alignment", all.AlignmentRate, 1.0 / 2}, // aligned of {aligned, loose}
		{"check-in", all.CheckinRate, 1.0 / 3},    // only a, within 7 days of 11-23
		{"average", all.AverageScore, (1 + 0.2 + 0) / 3},
	}
	for _, c := range checks {
		if c.got == nil || !near(*c.got, c.want) {
			t.Errorf("%s = %v, want %g", c.name, c.got, c.want)
		}
	}
	if len(s.Teams) != 3 || s.Teams[0].ID != "eng" || s.Teams[1].ID != "web" || s.Teams[1].Depth != 1 || s.Teams[2].ID != "ops" {
		t.Fatalf("teams not in tree order: %+v", s.Teams)
	}
	eng := s.Teams[0]
	if eng.Objectives != 2 || eng.AverageScore == nil || !near(*eng.AverageScore, 0.6) {
		t.Errorf("eng (with web) = %+v", eng.Figures)
	}
	if ops := s.Teams[2]; ops.AlignmentRate == nil || *ops.AlignmentRate != 0 {
		t.Errorf("ops alignment = %v, want 0", ops.AlignmentRate)
	}
}

// TestAsOf checks that check-ins after the report date do not count.
func TestAsOf(t *testing.T) {
	ws := examples(t)
	q4 := ActiveCycle(ws, day)
	early := Build(ws, q4, model.Date{Year: 2026, Month: 10, Day: 1})
	for _, o := range early.Objectives {
		for _, k := range o.KeyResults {
			if k.Current != nil || k.Progress != 0 || k.LastCheckin != "" {
				t.Fatalf("%s has data on 2026-10-01, before any check-in: %+v", k.ID, k)
			}
		}
	}
}
