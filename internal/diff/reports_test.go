package diff

import (
	"reflect"
	"testing"

	"github.com/okrkit/okr/internal/report"
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
		!reflect.DeepEqual(nps.Fields, []FieldChange{{"title", "", "NPS"}, {"type", "", "increase"}, {"owner", "", "ada"}, {"weight", "", "2"}}) {
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
