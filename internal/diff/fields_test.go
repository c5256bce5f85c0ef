package diff

import (
	"reflect"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

func checkin(date string, value float64) model.Checkin {
	return model.Checkin{Date: d(date), Value: value}
}

func TestKeyResultFields(t *testing.T) {
	arr := func(edit func(*model.KeyResult)) *model.KeyResult {
		kr := &model.KeyResult{ID: "arr", Title: "ARR", Type: model.Increase, Start: f(1200000), Target: f(2000000), Weight: 1,
			Checkins: []model.Checkin{checkin("2026-10-05", 1250000)}}
		if edit != nil {
			edit(kr)
		}
		return kr
	}
	cases := []struct {
		name     string
		old, new *model.KeyResult
		want     []FieldChange
	}{
		{"unchanged", arr(nil), arr(nil), nil},
		{"nil old: everything added", nil, arr(nil), []FieldChange{
			{"title", "", "ARR"}, {"type", "", "increase"}, {"start", "", "1200000"}, {"target", "", "2000000"},
			{"weight", "", "1"}, {"checkins", "", "2026-10-05 1250000"}}},
		{"nil new: everything removed", arr(nil), nil, []FieldChange{
			{"title", "ARR", ""}, {"type", "increase", ""}, {"start", "1200000", ""}, {"target", "2000000", ""},
			{"weight", "1", ""}, {"checkins", "2026-10-05 1250000", ""}}},
		{"target changed", arr(nil), arr(func(k *model.KeyResult) { k.Target = f(1500000) }),
			[]FieldChange{{"target", "2000000", "1500000"}}},
		{"numbers without trailing zeros", arr(func(k *model.KeyResult) { k.Weight = 0.50 }), arr(func(k *model.KeyResult) { k.Weight = 2 }),
			[]FieldChange{{"weight", "0.5", "2"}}},
		{"field added and removed", arr(func(k *model.KeyResult) { k.Unit = "usd" }), arr(func(k *model.KeyResult) { k.Due = d("2026-12-15") }),
			[]FieldChange{{"unit", "usd", ""}, {"due", "", "2026-12-15"}}},
		{"manual score set", arr(nil), arr(func(k *model.KeyResult) { k.Score = f(0.7) }), []FieldChange{{"score", "", "0.7"}}},
		{"type and threshold", arr(nil), arr(func(k *model.KeyResult) { k.Type, k.Start, k.Target, k.Threshold = model.AtLeast, nil, nil, f(99.9) }),
			[]FieldChange{{"type", "increase", "at_least"}, {"start", "1200000", ""}, {"target", "2000000", ""}, {"threshold", "", "99.9"}}},
		{"steps", &model.KeyResult{Type: model.Milestone, Steps: []string{"a", "b"}}, &model.KeyResult{Type: model.Milestone, Steps: []string{"a"}},
			[]FieldChange{{"steps", "[a, b]", "[a]"}}},
		{"check-in appended", arr(nil), arr(func(k *model.KeyResult) {
			k.Checkins = append(k.Checkins, *(&model.Checkin{Date: d("2026-11-02"), Value: 1580000}).WithConfidence(f(0.7)).WithText(model.CheckinText{Status: "on_track",
				Author: "sam", Note: "Deals closed.", Answers: []model.Answer{{Question: "progress", Text: "Northwind"}}}))
		}), []FieldChange{{"checkins", "", `2026-11-02 1580000 (confidence 0.7, status on_track, by sam, note "Deals closed.", progress "Northwind")`}}},
		{"check-in removed", arr(nil), arr(func(k *model.KeyResult) { k.Checkins = nil }),
			[]FieldChange{{"checkins", "2026-10-05 1250000", ""}}},
		{"check-in value edited is removed and added", arr(nil), arr(func(k *model.KeyResult) { k.Checkins = []model.Checkin{checkin("2026-10-05", 1260000)} }),
			[]FieldChange{{"checkins", "2026-10-05 1250000", ""}, {"checkins", "", "2026-10-05 1260000"}}},
		{"check-in confidence edited in place", arr(nil), arr(func(k *model.KeyResult) { k.Checkins[0].SetConfidence(f(0.4)) }),
			[]FieldChange{{"checkins", "2026-10-05 1250000", "2026-10-05 1250000 (confidence 0.4)"}}},
		{"check-ins reordered are unchanged", arr(func(k *model.KeyResult) { k.Checkins = append(k.Checkins, checkin("2026-10-12", 1)) }),
			arr(func(k *model.KeyResult) {
				k.Checkins = []model.Checkin{checkin("2026-10-12", 1), checkin("2026-10-05", 1250000)}
			}), nil},
		{"milestone boolean check-in", &model.KeyResult{Type: model.Milestone}, &model.KeyResult{Type: model.Milestone,
			Checkins: []model.Checkin{*(&model.Checkin{Date: d("2026-11-13"), Value: 1}).WithBool(true)}}, []FieldChange{{"checkins", "", "2026-11-13 true"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := KeyResultFields(c.old, c.new); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestObjectiveFields(t *testing.T) {
	obj := func(edit func(*model.Objective)) *model.Objective {
		o := &model.Objective{ID: "platform", Title: "Reliable", Cycle: "q4", Level: "team", Weight: 1,
			Tags: []string{"sre"}, Contributors: []string{"lin", "ada"},
			AlignsTo: []*model.Alignment{{Objective: "grow", Weight: 1}, {Objective: "demos", Weight: 0.5}},
			KeyResults: []*model.KeyResult{
				{ID: "p95", Title: "p95", Type: model.Decrease, Start: f(520), Target: f(300), Weight: 1},
				{ID: "errors", Title: "Errors", Type: model.AtMost, Threshold: f(0.5), Weight: 1},
			},
			Initiatives: []*model.Initiative{{ID: "pooling", Title: "Pooling", Status: "in_progress"}, {Title: "Chaos day"}},
		}
		if edit != nil {
			edit(o)
		}
		return o
	}
	cases := []struct {
		name     string
		old, new *model.Objective
		want     []FieldChange
	}{
		{"unchanged", obj(nil), obj(nil), nil},
		{"both nil", nil, nil, nil},
		{"nil old: everything added, key results after", nil, obj(nil), []FieldChange{
			{"title", "", "Reliable"}, {"cycle", "", "q4"}, {"level", "", "team"}, {"contributors", "", "[lin, ada]"},
			{"tags", "", "[sre]"}, {"weight", "", "1"}, {"aligns_to", "", "[grow, demos (weight 0.5)]"},
			{"initiatives", "", "Pooling (id pooling, status in_progress)"}, {"initiatives", "", "Chaos day"},
			{"key_results.p95.title", "", "p95"}, {"key_results.p95.type", "", "decrease"}, {"key_results.p95.start", "", "520"},
			{"key_results.p95.target", "", "300"}, {"key_results.p95.weight", "", "1"},
			{"key_results.errors.title", "", "Errors"}, {"key_results.errors.type", "", "at_most"},
			{"key_results.errors.threshold", "", "0.5"}, {"key_results.errors.weight", "", "1"}}},
		{"title and owner", obj(nil), obj(func(o *model.Objective) { o.Title, o.Owner = "Boringly reliable", "platform" }),
			[]FieldChange{{"title", "Reliable", "Boringly reliable"}, {"owner", "", "platform"}}},
		{"aligns_to weight changed", obj(nil), obj(func(o *model.Objective) { o.AlignsTo[1] = &model.Alignment{Objective: "demos", Weight: 0.25} }),
			[]FieldChange{{"aligns_to", "[grow, demos (weight 0.5)]", "[grow, demos (weight 0.25)]"}}},
		{"lists", obj(nil), obj(func(o *model.Objective) { o.Tags, o.Contributors = []string{"sre", "api"}, nil }),
			[]FieldChange{{"contributors", "[lin, ada]", ""}, {"tags", "[sre]", "[sre, api]"}}},
		{"initiative edited, added and removed", obj(nil), obj(func(o *model.Objective) {
			o.Initiatives = []*model.Initiative{{ID: "pooling", Title: "Pooling", Status: "done"}, {Title: "Game day", Due: d("2026-12-01")}}
		}), []FieldChange{{"initiatives", "Chaos day", ""},
			{"initiatives", "Pooling (id pooling, status in_progress)", "Pooling (id pooling, status done)"},
			{"initiatives", "", "Game day (due 2026-12-01)"}}},
		{"key result changed, added, removed; check-in added", obj(nil), obj(func(o *model.Objective) {
			o.KeyResults = []*model.KeyResult{
				{ID: "p95", Title: "p95", Type: model.Decrease, Start: f(520), Target: f(350), Weight: 1,
					Checkins: []model.Checkin{checkin("2026-10-09", 480)}},
				{ID: "runbook", Title: "Runbook", Type: model.Milestone, Weight: 0},
			}
		}), []FieldChange{
			{"key_results.p95.target", "300", "350"}, {"key_results.p95.checkins", "", "2026-10-09 480"},
			{"key_results.runbook.title", "", "Runbook"}, {"key_results.runbook.type", "", "milestone"}, {"key_results.runbook.weight", "", "0"},
			{"key_results.errors.title", "Errors", ""}, {"key_results.errors.type", "at_most", ""},
			{"key_results.errors.threshold", "0.5", ""}, {"key_results.errors.weight", "1", ""}}},
		{"nil new: everything removed", obj(func(o *model.Objective) { o.KeyResults, o.Initiatives, o.AlignsTo = nil, nil, nil }), nil,
			[]FieldChange{{"title", "Reliable", ""}, {"cycle", "q4", ""}, {"level", "team", ""}, {"contributors", "[lin, ada]", ""},
				{"tags", "[sre]", ""}, {"weight", "1", ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ObjectiveFields(c.old, c.new); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}
