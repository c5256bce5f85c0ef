package diff

import (
	"reflect"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

func TestGoalposts(t *testing.T) {
	ws := func(kr *model.KeyResult) *model.Workspace {
		return &model.Workspace{
			Cycles:     []*model.Cycle{{ID: "q4", Start: d("2026-10-01"), End: d("2026-12-31")}},
			Objectives: []*model.Objective{{ID: "o", Cycle: "q4", KeyResults: []*model.KeyResult{kr}}},
		}
	}
	inc := func(start, target float64) *model.KeyResult {
		return &model.KeyResult{ID: "k", Title: "K", Type: model.Increase, Start: f(start), Target: f(target)}
	}
	dec := func(start, target float64) *model.KeyResult {
		return &model.KeyResult{ID: "k", Type: model.Decrease, Start: f(start), Target: f(target)}
	}
	thr := func(typ string, v float64) *model.KeyResult {
		return &model.KeyResult{ID: "k", Type: typ, Threshold: f(v)}
	}
	rng := func(low, high float64) *model.KeyResult {
		return &model.KeyResult{ID: "k", Type: model.Range, Low: f(low), High: f(high)}
	}
	ms := func(steps ...string) *model.KeyResult {
		return &model.KeyResult{ID: "k", Type: model.Milestone, Steps: steps}
	}
	mid := d("2026-11-15")
	cases := []struct {
		name     string
		old, new *model.KeyResult
		day      model.Date
		want     []string // field: reason
	}{
		{"increase target lowered", inc(1200000, 2000000), inc(1200000, 1500000), mid,
			[]string{"target: target lowered from 2000000 to 1500000 (easier)"}},
		{"increase target raised (harder)", inc(0, 100), inc(0, 120), mid, nil},
		{"decrease target raised", dec(520, 300), dec(520, 350), mid, []string{"target: target raised from 300 to 350 (easier)"}},
		{"decrease target lowered (harder)", dec(520, 300), dec(520, 250), mid, nil},
		{"at_least threshold lowered", thr(model.AtLeast, 99.9), thr(model.AtLeast, 99.5), mid,
			[]string{"threshold: threshold lowered from 99.9 to 99.5 (easier)"}},
		{"at_least threshold raised (harder)", thr(model.AtLeast, 99.9), thr(model.AtLeast, 99.99), mid, nil},
		{"at_most threshold raised", thr(model.AtMost, 0.5), thr(model.AtMost, 1), mid,
			[]string{"threshold: threshold raised from 0.5 to 1 (easier)"}},
		{"at_most threshold lowered (harder)", thr(model.AtMost, 0.5), thr(model.AtMost, 0.4), mid, nil},
		{"range low lowered", rng(6, 8), rng(5, 8), mid, []string{"low: low lowered from 6 to 5 (range widened)"}},
		{"range high raised", rng(6, 8), rng(6, 9), mid, []string{"high: high raised from 8 to 9 (range widened)"}},
		{"range widened both ways, sorted by field", rng(6, 8), rng(5, 9), mid,
			[]string{"high: high raised from 8 to 9 (range widened)", "low: low lowered from 6 to 5 (range widened)"}},
		{"range narrowed", rng(6, 8), rng(7, 8), mid, nil},
		{"range shifted up: high raised only", rng(6, 8), rng(7, 9), mid, []string{"high: high raised from 8 to 9 (range widened)"}},
		{"milestone step removed", ms("a", "b", "c"), ms("a", "c"), mid, []string{"steps: steps removed: b"}},
		{"milestone step added", ms("a", "b"), ms("a", "b", "c"), mid, nil},
		{"milestone steps dropped", ms("a", "b"), ms(), mid, []string{"steps: steps removed: a, b"}},
		{"type changed", inc(0, 100), thr(model.AtLeast, 50), mid, []string{"type: type changed from increase to at_least"}},
		{"start changed", inc(0, 100), inc(20, 100), mid, []string{"start: start changed from 0 to 20"}},
		{"start changed and target lowered", inc(0, 100), inc(10, 90), mid,
			[]string{"start: start changed from 0 to 10", "target: target lowered from 100 to 90 (easier)"}},
		{"title changed", inc(0, 100), func() *model.KeyResult { k := inc(0, 100); k.Title = "New"; return k }(), mid, nil},
		{"on the cycle's last day", inc(0, 100), inc(0, 80), d("2026-12-31"), []string{"target: target lowered from 100 to 80 (easier)"}},
		{"on the cycle's first day", inc(0, 100), inc(0, 80), d("2026-10-01"), []string{"target: target lowered from 100 to 80 (easier)"}},
		{"before the cycle (planning)", inc(0, 100), inc(0, 80), d("2026-09-30"), nil},
		{"after the cycle (grading)", inc(0, 100), inc(0, 80), d("2027-01-01"), nil},
		{"key result renamed is not compared", inc(0, 100), func() *model.KeyResult { k := inc(0, 80); k.ID = "k2"; return k }(), mid, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, g := range Goalposts(ws(c.old), ws(c.new), c.day) {
				if g.Objective != "o" || g.KeyResult != c.new.ID || g.Commit != "" || g.Author != "" {
					t.Errorf("goalpost %+v", g)
				}
				got = append(got, g.Field+": "+g.Reason)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestGoalpostsUnknownCycleAndNil(t *testing.T) {
	old := &model.Workspace{Objectives: []*model.Objective{{ID: "o", Cycle: "nope",
		KeyResults: []*model.KeyResult{{ID: "k", Type: model.Increase, Start: f(0), Target: f(100)}}}}}
	new := &model.Workspace{Objectives: []*model.Objective{{ID: "o", Cycle: "nope",
		KeyResults: []*model.KeyResult{{ID: "k", Type: model.Increase, Start: f(0), Target: f(50)}}}}}
	if got := Goalposts(old, new, d("2026-11-15")); len(got) != 0 {
		t.Errorf("unknown cycle: %+v", got)
	}
	if got := Goalposts(nil, new, d("2026-11-15")); len(got) != 0 {
		t.Errorf("nil old: %+v", got)
	}
}

// TestGoalpostPosition checks that a goalpost points at the changed value
// in the head file, and at the key result when the field is gone.
func TestGoalpostPosition(t *testing.T) {
	base := workspace(t, baseFiles)
	head := workspace(t, headFiles)
	got := Goalposts(base, head, day)
	want := []Goalpost{{Objective: "platform", KeyResult: "latency", Field: "target", Old: "300", New: "350",
		Reason: "target raised from 300 to 350 (easier)", File: "objectives/eng/platform.yaml", Line: 10, Column: 13}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}

	steps := func(list string) map[string]string {
		return map[string]string{"objectives/m.yaml": "id: m\ntitle: M\ncycle: q4\nkey_results:\n  - id: k\n    title: K\n    type: milestone\n" + list}
	}
	got = Goalposts(workspace(t, steps("    steps: [a, b]\n")), workspace(t, steps("")), day)
	if len(got) != 1 || got[0].Field != "steps" || got[0].File != "objectives/m.yaml" || got[0].Line != 5 || got[0].Column != 5 {
		t.Errorf("steps removed: got %+v, want objectives/m.yaml:5:5 (the key result)", got)
	}
}

// TestGoalpostSteps checks the attribution of goalposts to the steps of a
// history: the last step that moved a field is credited, a move made while
// the cycle was not running is not a goalpost, and Credit keeps only the
// comparison's goalposts some step moved, counted in the summary.
func TestGoalpostSteps(t *testing.T) {
	ws := func(target, threshold float64) *model.Workspace {
		return &model.Workspace{
			Cycles: []*model.Cycle{{ID: "q4", Start: d("2026-10-01"), End: d("2026-12-31")}},
			Objectives: []*model.Objective{{ID: "o", Cycle: "q4", KeyResults: []*model.KeyResult{
				{ID: "k", Type: model.Increase, Start: f(0), Target: f(target)},
				{ID: "t", Type: model.AtLeast, Threshold: f(threshold)},
			}}},
		}
	}
	v0, v1, v2, v3 := ws(100, 99), ws(90, 99), ws(80, 99), ws(80, 98)
	var s GoalpostSteps
	s.Step(v0, v1, d("2026-10-05"), "c1", "Ann", "ann@example.com")
	s.Step(v1, v2, d("2026-11-05"), "c2", "Bo", "bo@example.com")
	s.Step(v2, v3, d("2026-09-20"), "c3", "Cy", "cy@example.com") // planning: before the cycle
	d := &Diff{Goalposts: []Goalpost{
		{Objective: "o", KeyResult: "k", Field: "target"},
		{Objective: "o", KeyResult: "t", Field: "threshold"},
		{Objective: "o", KeyResult: "x", Field: "target"},
	}}
	s.Credit(d, func(name, email string) (string, string) { return "person " + name, "id-" + name })
	want := []Goalpost{{Objective: "o", KeyResult: "k", Field: "target", Commit: "c2", Author: "person Bo", AuthorID: "id-Bo", AuthorEmail: "bo@example.com"}}
	if !reflect.DeepEqual(d.Goalposts, want) || d.Summary.Goalposts != 1 {
		t.Errorf("credited %+v (summary %d), want %+v (1)", d.Goalposts, d.Summary.Goalposts, want)
	}
	// No steps: no goalposts.
	d = &Diff{Goalposts: []Goalpost{{Objective: "o", KeyResult: "k", Field: "target"}}}
	(&GoalpostSteps{}).Credit(d, nil)
	if len(d.Goalposts) != 0 || d.Summary.Goalposts != 0 {
		t.Errorf("without steps: %+v", d.Goalposts)
	}
}
