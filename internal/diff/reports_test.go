package diff

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/validate"
)

func TestCompareReports(t *testing.T) {
	base := &report.Report{AsOf: "2026-10-01", Cycle: report.Cycle{ID: "q4"}, Objectives: []report.Objective{
		{ID: "grow", Title: "Grow", Level: "company", Owner: "ada", Rollup: "krs", Score: f(0.1), File: "objectives/company/grow.yaml",
			KeyResults: []report.KeyResult{
				{ID: "arr", Title: "ARR", Type: "increase", Owner: "sam", Weight: 1, Current: f(20), Score: 0.2, Status: "off_track", Confidence: f(0.6)},
				{ID: "uptime", Title: "Uptime", Type: "at_least", Owner: "ada", Weight: 1, Score: 0, Status: "off_track"},
			}},
		{ID: "legacy", Title: "Legacy", Level: "team", Rollup: "krs", File: "objectives/legacy.yaml",
			KeyResults: []report.KeyResult{{ID: "old", Title: "Old", Type: "milestone", Weight: 1, Status: "off_track"}}},
		{ID: "steady", Title: "Steady", Level: "team", Rollup: "krs", Score: f(0.5), File: "objectives/steady.yaml",
			KeyResults: []report.KeyResult{{ID: "s", Title: "S", Type: "milestone", Weight: 1, Score: 0.5, Status: "on_track"}}},
	}}
	head := &report.Report{AsOf: "2026-11-15", Cycle: report.Cycle{ID: "q4"}, Objectives: []report.Objective{
		{ID: "grow", Title: "Grow faster", Level: "company", Owner: "ada", Rollup: "krs", Score: f(0.2), File: "objectives/sales/grow.yaml",
			Parents: []string{"mission"},
			KeyResults: []report.KeyResult{
				{ID: "arr", Title: "ARR", Type: "increase", Owner: "sam", Weight: 1, Current: f(40), Score: 0.4, Status: "at_risk", Confidence: f(0.7)},
				{ID: "uptime", Title: "Uptime", Type: "at_least", Owner: "ada", Weight: 1, Score: 0, Status: "off_track"},
				{ID: "nps", Title: "NPS", Type: "increase", Owner: "ada", Weight: 2, Score: 0, Status: "off_track"},
			}},
		{ID: "steady", Title: "Steady", Level: "team", Rollup: "krs", Score: f(0.5), File: "objectives/steady.yaml",
			KeyResults: []report.KeyResult{{ID: "s", Title: "S", Type: "milestone", Weight: 1, Score: 0.5, Status: "on_track"}}},
	}}
	d := CompareReports(base, head, Ref{Label: "snapshot 2026-10-01"}, Ref{Label: "today"})
	if d.Base.Date != "2026-10-01" || d.Head.Date != "2026-11-15" || len(d.Goalposts) != 0 {
		t.Errorf("base %+v head %+v goalposts %+v", d.Base, d.Head, d.Goalposts)
	}
	if len(d.Objectives) != 2 || d.Objectives[0].ID != "grow" || d.Objectives[1].ID != "legacy" || d.Objectives[1].Change != Removed {
		t.Fatalf("objectives %+v, want grow changed and legacy removed (steady unchanged)", d.Objectives)
	}
	grow := d.Objectives[0]
	if !grow.Moved() || grow.Cycle != "q4" || !near(grow.OldScore, 0.1) || !near(grow.NewScore, 0.2) ||
		!reflect.DeepEqual(grow.Fields, []FieldChange{{"title", "Grow", "Grow faster"}, {"aligns_to", "", "[mission]"}}) {
		t.Errorf("grow %+v", grow)
	}
	if len(grow.KeyResults) != 2 {
		t.Fatalf("grow key results %+v, want arr and nps", grow.KeyResults)
	}
	arr, nps := grow.KeyResults[0], grow.KeyResults[1]
	if arr.ID != "arr" || arr.Change != Changed || !near(arr.OldScore, 0.2) || !near(arr.NewScore, 0.4) || arr.OldStatus != "off_track" ||
		arr.NewStatus != "at_risk" || !near(arr.OldValue, 20) || !near(arr.NewValue, 40) || len(arr.NewCheckins) != 0 ||
		!reflect.DeepEqual(arr.Fields, []FieldChange{{"confidence", "0.6", "0.7"}}) {
		t.Errorf("arr %+v", arr)
	}
	if nps.ID != "nps" || nps.Change != Added || nps.OldScore != nil ||
		!reflect.DeepEqual(nps.Fields, []FieldChange{{"title", "", "NPS"}, {"type", "", "increase"}, {"weight", "", "2"}, {"owner", "", "ada"}}) {
		t.Errorf("nps %+v", nps)
	}
	want := Summary{ObjectivesRemoved: 1, ObjectivesChanged: 1, ObjectivesMoved: 1, KeyResultsAdded: 1, KeyResultsRemoved: 1, KeyResultsChanged: 1, StatusChanges: 1}
	if d.Summary != want {
		t.Errorf("summary %+v\nwant    %+v", d.Summary, want)
	}
	if d := CompareReports(nil, nil, Ref{}, Ref{}); !d.Empty() {
		t.Errorf("nil reports: %+v", d)
	}
}

// TestCompareReportsAgreesWithDiff: okr snapshot compare (CompareReports on
// two saved reports) shows the definition changes and goalposts okr diff
// (Compare on the two workspaces) shows: a target lowered mid-cycle, a
// weight, steps, a threshold, an alignment, a tag and an initiative. Both
// come from the same field code; the reports' check-ins are not compared.
func TestCompareReportsAgreesWithDiff(t *testing.T) {
	day := model.Date{Year: 2026, Month: 11, Day: 23}
	load := func() *model.Workspace {
		res, err := validate.Run("../../examples", validate.Options{Today: day, Workers: 2})
		if err != nil || len(res.Diagnostics) != 0 {
			t.Fatalf("examples: %v %v", err, res.Diagnostics)
		}
		return res.Workspace
	}
	base, head := load(), load()
	var q4 *model.Cycle
	for _, c := range head.Cycles {
		if c.ID == "2026-q4" {
			q4 = c
		}
	}
	changed := map[string]bool{}
	for _, o := range head.Objectives {
		if o.Cycle != q4.ID {
			continue
		}
		for _, kr := range o.KeyResults {
			switch {
			case kr.Target != nil && kr.Type == model.Increase && !changed["target"]:
				v := *kr.Target * 0.8 // easier: a goalpost
				kr.Target, changed["target"] = &v, true
			case kr.Threshold != nil && !changed["threshold"]:
				v := *kr.Threshold + 1
				kr.Threshold, changed["threshold"] = &v, true
			case len(kr.Steps) > 1 && !changed["steps"]:
				kr.Steps, changed["steps"] = kr.Steps[1:], true // a step removed: a goalpost
			case !changed["weight"]:
				kr.Weight, changed["weight"] = kr.Weight+1, true
			}
		}
		if !changed["tags"] {
			o.Tags, changed["tags"] = append(o.Tags, "reviewed"), true
		} else if len(o.Initiatives) > 0 && !changed["initiative"] {
			o.Initiatives[0].Status, changed["initiative"] = "done", true
		} else if len(o.AlignsTo) == 1 && o.AlignsTo[0].Weight == 1 && o.AlignsTo[0].Objective != "grow-arr" && !changed["aligns_to"] {
			// A report carries parents without link weights: a link of
			// weight 1 compares the same either way.
			o.AlignsTo, changed["aligns_to"] = []*model.Alignment{{Objective: "grow-arr", Weight: 1}}, true
		}
	}
	if len(changed) != 7 {
		t.Fatalf("changed %v, want 7 kinds of change in the example workspace", changed)
	}
	fromDiff := Compare(base, head, Options{BaseAsOf: day, HeadAsOf: day})
	fromReports := CompareReports(report.Build(base, q4, day), report.Build(head, q4, day), Ref{}, Ref{})
	fields := func(d *Diff) []string {
		var out []string
		for _, o := range d.Objectives {
			for _, f := range o.Fields {
				out = append(out, o.ID+" "+f.Field+": "+f.Old+" -> "+f.New)
			}
			for _, k := range o.KeyResults {
				for _, f := range k.Fields {
					if f.Field != "checkins" && f.Field != "confidence" {
						out = append(out, o.ID+"/"+k.ID+" "+f.Field+": "+f.Old+" -> "+f.New)
					}
				}
			}
		}
		slices.Sort(out)
		return out
	}
	want, got := fields(fromDiff), fields(fromReports)
	if len(want) < 7 || !slices.Equal(got, want) {
		t.Errorf("snapshot compare fields:\n%s\nokr diff fields:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	goalposts := func(d *Diff) []string {
		var out []string
		for _, g := range d.Goalposts {
			out = append(out, g.Objective+"/"+g.KeyResult+" "+g.Reason)
		}
		return out
	}
	if gw, gg := goalposts(fromDiff), goalposts(fromReports); len(gw) != 2 || !slices.Equal(gg, gw) {
		t.Errorf("snapshot compare goalposts %q, okr diff goalposts %q; want the same two", gg, gw)
	}
}
