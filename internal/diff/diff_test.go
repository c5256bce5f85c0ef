package diff

import (
	"math"
	"reflect"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

func near(a *float64, b float64) bool { return a != nil && math.Abs(*a-b) < 1e-9 }

func compareSample(t *testing.T) *Diff {
	t.Helper()
	return Compare(workspace(t, baseFiles), workspace(t, headFiles), Options{
		Base: Ref{Label: "main", Commit: "0123456789abcdef0123456789abcdef01234567"}, Head: Ref{Label: "working tree"},
		BaseAsOf: day, HeadAsOf: day,
	})
}

func find(t *testing.T, d *Diff, id string) *ObjectiveChange {
	t.Helper()
	for i := range d.Objectives {
		if d.Objectives[i].ID == id {
			return &d.Objectives[i]
		}
	}
	t.Fatalf("objective %s not in the diff", id)
	return nil
}

func findKR(t *testing.T, o *ObjectiveChange, id string) *KeyResultChange {
	t.Helper()
	for i := range o.KeyResults {
		if o.KeyResults[i].ID == id {
			return &o.KeyResults[i]
		}
	}
	t.Fatalf("key result %s not in objective %s", id, o.ID)
	return nil
}

func TestCompare(t *testing.T) {
	d := compareSample(t)
	var ids []string
	for _, o := range d.Objectives {
		ids = append(ids, o.ID+":"+o.Change)
	}
	if want := []string{"grow:changed", "legacy:removed", "platform:changed", "ship:added"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("objectives %v, want %v (sorted by id)", ids, want)
	}
	if d.Version != Version || d.Base.Date != "2026-11-15" || d.Head.Date != "2026-11-15" || d.Base.Label != "main" {
		t.Errorf("version %d base %+v head %+v", d.Version, d.Base, d.Head)
	}

	// grow moved between files (same id), was retitled and got a check-in.
	grow := find(t, d, "grow")
	if !grow.Moved() || grow.OldFile != "objectives/company/grow.yaml" || grow.NewFile != "objectives/sales/grow.yaml" {
		t.Errorf("grow files %q -> %q, want a move", grow.OldFile, grow.NewFile)
	}
	if want := []FieldChange{{"title", "Grow revenue", "Grow revenue faster"}}; !reflect.DeepEqual(grow.Fields, want) {
		t.Errorf("grow fields %q, want %q", grow.Fields, want)
	}
	// Objective: (0.2 + 0) / 2 = 0.1 before, (0.4 + 0) / 2 = 0.2 after.
	if !near(grow.OldScore, 0.1) || !near(grow.NewScore, 0.2) {
		t.Errorf("grow score %v -> %v, want 0.1 -> 0.2", *grow.OldScore, *grow.NewScore)
	}
	if len(grow.KeyResults) != 1 {
		t.Fatalf("grow key results %+v, want only arr (uptime did not change)", grow.KeyResults)
	}
	arr := findKR(t, grow, "arr")
	// Increase 0 -> 100: value 20 is 0.2, 40 is 0.4. As of 11-15, e = 45/91
	// = 0.4945: on track from 0.445, at risk from 0.297.
	if arr.Change != Changed || len(arr.Fields) != 0 || !near(arr.OldScore, 0.2) || !near(arr.NewScore, 0.4) ||
		arr.OldStatus != "off_track" || arr.NewStatus != "at_risk" || !near(arr.OldValue, 20) || !near(arr.NewValue, 40) {
		t.Errorf("arr %+v", arr)
	}
	wantCheckin := []Checkin{{Date: "2026-11-15", Value: 40, Confidence: f(0.7), Author: "sam", Note: "Two deals closed."}}
	if !reflect.DeepEqual(arr.NewCheckins, wantCheckin) || len(arr.RemovedCheckins) != 0 {
		t.Errorf("arr check-ins new %+v removed %+v", arr.NewCheckins, arr.RemovedCheckins)
	}

	// platform: latency's target moved (a goalpost), oncall removed, errors added.
	platform := find(t, d, "platform")
	if platform.Moved() || len(platform.Fields) != 0 {
		t.Errorf("platform %+v", platform)
	}
	// (0.25 + 0) / 2 = 0.125 before; (1/3 + 0) / 2 = 1/6 after (errors has no check-in).
	if !near(platform.OldScore, 0.125) || !near(platform.NewScore, 1.0/6) {
		t.Errorf("platform score %v -> %v", *platform.OldScore, *platform.NewScore)
	}
	var krs []string
	for _, k := range platform.KeyResults {
		krs = append(krs, k.ID+":"+k.Change)
	}
	if want := []string{"latency:changed", "errors:added", "oncall:removed"}; !reflect.DeepEqual(krs, want) {
		t.Errorf("platform key results %v, want %v (head's order, then removed)", krs, want)
	}
	latency := findKR(t, platform, "latency")
	// Decrease 500 -> 300 at 450: -50 / -200 = 0.25, below 0.297: off_track;
	// to 350: -50 / -150 = 1/3, at least 0.297: at_risk.
	if !reflect.DeepEqual(latency.Fields, []FieldChange{{"target", "300", "350"}}) || !near(latency.OldScore, 0.25) || !near(latency.NewScore, 1.0/3) ||
		latency.OldStatus != "off_track" || latency.NewStatus != "at_risk" || len(latency.NewCheckins) != 0 {
		t.Errorf("latency %+v", latency)
	}
	errors := findKR(t, platform, "errors")
	if errors.OldScore != nil || !near(errors.NewScore, 0) || errors.OldStatus != "" || errors.NewStatus != "off_track" || errors.NewValue != nil ||
		!reflect.DeepEqual(errors.Fields, []FieldChange{{"title", "", "Error rate"}, {"type", "", "at_most"}, {"threshold", "", "0.5"}, {"weight", "", "1"}}) {
		t.Errorf("errors %+v", errors)
	}
	oncall := findKR(t, platform, "oncall")
	if oncall.NewScore != nil || !near(oncall.OldScore, 0) || oncall.OldStatus != "off_track" || len(oncall.Fields) != 0 {
		t.Errorf("oncall %+v", oncall)
	}

	legacy := find(t, d, "legacy")
	if legacy.NewFile != "" || legacy.OldFile != "objectives/legacy.yaml" || len(legacy.Fields) != 0 || legacy.NewScore != nil || !near(legacy.OldScore, 0) ||
		len(legacy.KeyResults) != 1 || legacy.KeyResults[0].Change != Removed {
		t.Errorf("legacy %+v", legacy)
	}
	ship := find(t, d, "ship")
	// A milestone done (true) is 1, so the objective is 1 and the key result done.
	if ship.OldFile != "" || ship.NewFile != "objectives/eng/ship.yaml" || !near(ship.NewScore, 1) || len(ship.KeyResults) != 1 ||
		ship.KeyResults[0].NewStatus != "done" || len(ship.KeyResults[0].NewCheckins) != 1 || !ship.KeyResults[0].NewCheckins[0].IsBool {
		t.Errorf("ship %+v", ship)
	}

	if len(d.Goalposts) != 1 || d.Goalposts[0].KeyResult != "latency" {
		t.Errorf("goalposts %+v", d.Goalposts)
	}
	want := Summary{ObjectivesAdded: 1, ObjectivesRemoved: 1, ObjectivesChanged: 2, ObjectivesMoved: 1,
		KeyResultsAdded: 2, KeyResultsRemoved: 2, KeyResultsChanged: 2, NewCheckins: 2, StatusChanges: 2, Goalposts: 1}
	if d.Summary != want {
		t.Errorf("summary %+v\nwant    %+v", d.Summary, want)
	}
}

// TestCompareAsOf compares a workspace with itself at two dates: nothing
// in the files changed, but scores and statuses did, so the key result is
// reported with only those deltas.
func TestCompareAsOf(t *testing.T) {
	ws := workspace(t, map[string]string{"objectives/o.yaml": `id: o
title: O
cycle: q4
key_results:
  - id: k
    title: K
    type: increase
    start: 0
    target: 100
    checkins:
      - {date: 2026-10-15, value: 15}
      - {date: 2026-11-15, value: 40}
`})
	diff := Compare(ws, ws, Options{BaseAsOf: d("2026-10-15"), HeadAsOf: d("2026-11-15")})
	if len(diff.Objectives) != 1 || len(diff.Objectives[0].KeyResults) != 1 {
		t.Fatalf("objectives %+v", diff.Objectives)
	}
	k := diff.Objectives[0].KeyResults[0]
	// 10-15: e = 14/91 = 0.154, p 0.15 >= 0.138: on_track. 11-15: at_risk (see TestCompare).
	if k.Change != Changed || len(k.Fields) != 0 || len(k.NewCheckins) != 0 || !near(k.OldScore, 0.15) || !near(k.NewScore, 0.4) ||
		k.OldStatus != "on_track" || k.NewStatus != "at_risk" || !near(k.OldValue, 15) || !near(k.NewValue, 40) {
		t.Errorf("k %+v", k)
	}
	if s := diff.Summary; s.StatusChanges != 1 || s.KeyResultsChanged != 1 || s.ObjectivesChanged != 1 || s.NewCheckins != 0 {
		t.Errorf("summary %+v", s)
	}

	same := Compare(ws, ws, Options{BaseAsOf: d("2026-11-15"), HeadAsOf: d("2026-11-15")})
	if !same.Empty() || same.Summary != (Summary{}) {
		t.Errorf("a workspace compared with itself: %+v", same)
	}
}

func TestCompareNil(t *testing.T) {
	head := workspace(t, headFiles)
	d := Compare(nil, head, Options{HeadAsOf: day})
	if d.Summary.ObjectivesAdded != 3 || d.Summary.KeyResultsAdded != 5 || d.Summary.NewCheckins != 4 || len(d.Goalposts) != 0 {
		t.Errorf("nil base: %+v", d.Summary)
	}
	d = Compare(head, nil, Options{BaseAsOf: day})
	if d.Summary.ObjectivesRemoved != 3 || d.Summary.KeyResultsRemoved != 5 || d.Summary.NewCheckins != 0 {
		t.Errorf("nil head: %+v", d.Summary)
	}
	if d := Compare(nil, nil, Options{}); !d.Empty() {
		t.Errorf("nil, nil: %+v", d)
	}
}

// TestCompareKeyResultMovedBetweenObjectives: a key result that moves to
// another objective is removed from one and added to the other.
func TestCompareKeyResultMovedBetweenObjectives(t *testing.T) {
	kr := "  - {id: k, title: K, type: increase, start: 0, target: 10}\n"
	base := workspace(t, map[string]string{
		"objectives/a.yaml": "id: a\ntitle: A\ncycle: q4\nkey_results:\n" + kr + "  - {id: ka, title: KA, type: milestone}\n",
		"objectives/b.yaml": "id: b\ntitle: B\ncycle: q4\nkey_results:\n  - {id: kb, title: KB, type: milestone}\n",
	})
	head := workspace(t, map[string]string{
		"objectives/a.yaml": "id: a\ntitle: A\ncycle: q4\nkey_results:\n  - {id: ka, title: KA, type: milestone}\n",
		"objectives/b.yaml": "id: b\ntitle: B\ncycle: q4\nkey_results:\n  - {id: kb, title: KB, type: milestone}\n" + kr,
	})
	d := Compare(base, head, Options{BaseAsOf: day, HeadAsOf: day})
	var got []string
	for _, o := range d.Objectives {
		for _, k := range o.KeyResults {
			got = append(got, o.ID+"/"+k.ID+":"+k.Change)
		}
	}
	if want := []string{"a/k:removed", "b/k:added"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCompareUnknownCycleHasNoStatus(t *testing.T) {
	obj := func(target string) *model.Workspace {
		return &model.Workspace{Objectives: []*model.Objective{{ID: "o", Cycle: "gone", KeyResults: []*model.KeyResult{
			{ID: "k", Type: model.Increase, Start: f(0), Target: f(map[string]float64{"10": 10, "20": 20}[target]), Weight: 1}}}}}
	}
	d := Compare(obj("10"), obj("20"), Options{BaseAsOf: day, HeadAsOf: day})
	if len(d.Objectives) != 1 || d.Objectives[0].KeyResults[0].OldStatus != "" || d.Objectives[0].KeyResults[0].NewStatus != "" {
		t.Errorf("%+v", d.Objectives)
	}
}
