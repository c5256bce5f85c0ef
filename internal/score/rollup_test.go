package score

import (
	"math"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

// kr is an increase key result from 0 to 10 checked in at 10*p, so its
// progress is p.
func kr(p, weight float64) *model.KeyResult {
	return &model.KeyResult{Type: model.Increase, Start: f(0), Target: f(10), Weight: weight,
		Checkins: checkins("2026-11-01", 10*p)}
}

func link(id string, w float64) *model.Alignment { return &model.Alignment{Objective: id, Weight: w} }

// rollupWorkspace is the worked example of docs/scoring.md:
//
//	grow (children)        <- sales (link 1), platform (link 0.5)
//	delight (both, KR 0.8) <- platform (link 1)
//	platform (krs): KRs 0.5 (weight 2) and 1.0 (weight 1)
//	sales (krs): KR 0.3
func rollupWorkspace() *model.Workspace {
	return &model.Workspace{
		Teams: []*model.Team{{ID: "eng"}, {ID: "plat", Parent: "eng"}, {ID: "sales-team"}},
		People: []*model.Person{
			{ID: "ceo"}, {ID: "sam", Team: "sales-team"},
		},
		Objectives: []*model.Objective{
			{ID: "grow", Rollup: ModeChildren, Owner: "ceo", Weight: 1},
			{ID: "delight", Rollup: ModeBoth, Owner: "eng", Weight: 2, KeyResults: []*model.KeyResult{kr(0.8, 1)}},
			{ID: "platform", Owner: "plat", Weight: 1, AlignsTo: []*model.Alignment{link("grow", 0.5), link("delight", 1)},
				KeyResults: []*model.KeyResult{kr(0.5, 2), kr(1.0, 1)}},
			{ID: "sales", Owner: "sam", Weight: 1, AlignsTo: []*model.Alignment{link("grow", 1)},
				KeyResults: []*model.KeyResult{kr(0.3, 1)}},
		},
	}
}

func TestRollupModes(t *testing.T) {
	r := capped.NewRollup(rollupWorkspace(), asOf)
	platform := (2*0.5 + 1*1.0) / 3.0
	cases := []struct {
		id   string
		want float64
	}{
		{"platform", platform}, // krs: 0.6667
		{"sales", 0.3},         // krs
		{"grow", (1*0.3 + 0.5*platform) / (1 + 0.5)}, // children, multi-parent child: 0.4222
		{"delight", (1*0.8 + 1*platform) / (1 + 1)},  // both: 0.7333
	}
	for _, c := range cases {
		got, ok := r.Objective(c.id)
		if !ok || !near(got, c.want) {
			t.Errorf("%s = %g (ok %v), want %g", c.id, got, ok, c.want)
		}
	}
	if _, ok := r.Objective("nope"); ok {
		t.Error("unknown objective has a score")
	}
}

func TestRollupDefaultModeAndOverride(t *testing.T) {
	ws := rollupWorkspace()
	ws.Objectives[0].Rollup = "" // grow follows the workspace mode
	opts := capped
	opts.Rollup = ModeKRs
	if _, ok := opts.NewRollup(ws, asOf).Objective("grow"); ok {
		t.Error("grow has no key results: under krs it has no score")
	}
	// Under a workspace mode of children, leaves must say krs themselves.
	opts.Rollup = ModeChildren
	if _, ok := opts.NewRollup(ws, asOf).Objective("platform"); ok {
		t.Error("platform has no children: under children it has no score")
	}
	ws.Objectives[2].Rollup, ws.Objectives[3].Rollup = ModeKRs, ModeKRs
	if got, ok := opts.NewRollup(ws, asOf).Objective("grow"); !ok || !near(got, (0.3+0.5*(2.0/3))/1.5) {
		t.Errorf("grow under workspace mode children = %g (ok %v)", got, ok)
	}
}

func TestRollupLoopDoesNotHang(t *testing.T) {
	ws := &model.Workspace{Objectives: []*model.Objective{
		{ID: "a", Rollup: ModeBoth, KeyResults: []*model.KeyResult{kr(1, 1)}, AlignsTo: []*model.Alignment{link("b", 1)}},
		{ID: "b", Rollup: ModeBoth, KeyResults: []*model.KeyResult{kr(0, 1)}, AlignsTo: []*model.Alignment{link("a", 1)}},
	}}
	r := capped.NewRollup(ws, asOf)
	if _, ok := r.Objective("a"); !ok {
		t.Error("a still has its own key result")
	}
}

func TestTeamRollup(t *testing.T) {
	r := capped.NewRollup(rollupWorkspace(), asOf)
	platform := (2*0.5 + 1*1.0) / 3.0
	delight := (0.8 + platform) / 2
	// eng holds delight (weight 2) and, through its sub-team plat, platform (weight 1).
	if got, ok := r.Team("eng", nil); !ok || !near(got, (2*delight+1*platform)/3) {
		t.Errorf("eng = %g (ok %v), want %g", got, ok, (2*delight+platform)/3)
	}
	if got, ok := r.Team("plat", nil); !ok || !near(got, platform) {
		t.Errorf("plat = %g, want %g", got, platform)
	}
	// sales is owned by sam, whose home team is sales-team.
	if got, ok := r.Team("sales-team", nil); !ok || !near(got, 0.3) {
		t.Errorf("sales-team = %g, want 0.3", got)
	}
	if _, ok := r.Team("eng", func(o *model.Objective) bool { return o.ID == "sales" }); ok {
		t.Error("a filter that leaves nothing gives no score")
	}
}

// TestRollupAcrossCycles: a child counts in a parent's rollup only when its
// cycle lies within the parent's (docs/scoring.md, "Alignment across
// cycles"): a quarter under its year counts, next quarter under this
// quarter does not.
func TestRollupAcrossCycles(t *testing.T) {
	d := func(s string) model.Date {
		v, err := model.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ws := &model.Workspace{
		Cycles: []*model.Cycle{
			{ID: "2026", Start: d("2026-01-01"), End: d("2026-12-31")},
			{ID: "2026-q4", Start: d("2026-10-01"), End: d("2026-12-31")},
			{ID: "2027-q1", Start: d("2027-01-01"), End: d("2027-03-31")},
		},
		Objectives: []*model.Objective{
			{ID: "year", Cycle: "2026", Rollup: ModeChildren, Weight: 1},
			{ID: "q4", Cycle: "2026-q4", Rollup: ModeChildren, Weight: 1},
			{ID: "done", Cycle: "2026-q4", Weight: 1, AlignsTo: []*model.Alignment{link("q4", 1), link("year", 1)},
				KeyResults: []*model.KeyResult{kr(0.8, 1)}},
			{ID: "next", Cycle: "2027-q1", Weight: 1, AlignsTo: []*model.Alignment{link("q4", 1), link("year", 1)},
				KeyResults: []*model.KeyResult{kr(0, 1)}},
		},
	}
	r := capped.NewRollup(ws, asOf)
	for _, id := range []string{"q4", "year"} {
		if got, ok := r.Objective(id); !ok || !near(got, 0.8) {
			t.Errorf("%s = %g (ok %v), want 0.8: the 2027-q1 child must not count", id, got, ok)
		}
	}
	// The same child in the quarter's own cycle counts.
	ws.Objectives[3].Cycle = "2026-q4"
	r = capped.NewRollup(ws, asOf)
	if got, ok := r.Objective("q4"); !ok || !near(got, 0.4) {
		t.Errorf("q4 = %g (ok %v), want 0.4 with both children", got, ok)
	}
}

// TestRollupNeverNaN: weights and values past float64's range (which
// validation refuses, rule number-range) give no score, never NaN or Inf,
// so no report writer meets one.
func TestRollupNeverNaN(t *testing.T) {
	big := &model.KeyResult{Type: model.Increase, Start: f(-1e308), Target: f(1e308), Weight: 1, Checkins: checkins("2026-11-01", 5)}
	ws := &model.Workspace{Objectives: []*model.Objective{
		{ID: "p", Rollup: ModeChildren, Weight: 1e308},
		{ID: "a", Weight: 1e308, AlignsTo: []*model.Alignment{link("p", 1e308)}, KeyResults: []*model.KeyResult{kr(1, 1e308), kr(1, 1e308)}}, // Inf / Inf
		{ID: "b", Weight: 1e308, AlignsTo: []*model.Alignment{link("p", 1e308)}, KeyResults: []*model.KeyResult{big}},
	}}
	r := capped.NewRollup(ws, asOf)
	for _, id := range []string{"p", "a", "b"} {
		if s, ok := r.Objective(id); ok && (math.IsNaN(s) || math.IsInf(s, 0)) {
			t.Errorf("%s = %g", id, s)
		}
	}
	if s, ok := r.Team("", nil); ok && (math.IsNaN(s) || math.IsInf(s, 0)) {
		t.Errorf("team = %g", s)
	}
	if st := capped.KeyResult(big, asOf); math.IsNaN(st.Score) || math.IsInf(st.Score, 0) || math.IsNaN(st.Progress) {
		t.Errorf("key result state %+v", st)
	}
}
