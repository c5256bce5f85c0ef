package due

import (
	"bytes"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
)

func day(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func fp(v float64) *float64 { return &v }

func TestOverdue(t *testing.T) {
	weekly := &model.Cycle{ID: "q4", Cadence: "weekly", Start: day("2026-10-01"), End: day("2026-12-31")}
	monthly := &model.Cycle{ID: "y", Cadence: "monthly", Start: day("2026-01-01"), End: day("2026-12-31")}
	biweekly := &model.Cycle{ID: "b", Cadence: "biweekly", Start: day("2026-10-01"), End: day("2026-12-31")}
	checked := func(dates ...string) []model.Checkin {
		var out []model.Checkin
		for _, d := range dates {
			out = append(out, model.Checkin{Date: day(d), Value: 1})
		}
		return out
	}
	inc := func(cs ...model.Checkin) *model.KeyResult {
		return &model.KeyResult{Type: model.Increase, Start: fp(0), Target: fp(10), Checkins: cs}
	}
	tests := []struct {
		name  string
		c     *model.Cycle
		kr    *model.KeyResult
		on    string
		due   bool
		since string
	}{
		{"no check-in, six days in", weekly, inc(), "2026-10-07", false, "2026-10-08"},
		{"no check-in, a week in", weekly, inc(), "2026-10-08", true, "2026-10-08"},
		{"checked in six days ago", weekly, inc(checked("2026-11-17")...), "2026-11-23", false, "2026-11-24"},
		{"checked in a week ago", weekly, inc(checked("2026-11-16")...), "2026-11-23", true, "2026-11-23"},
		{"a later check-in does not count yet", weekly, inc(checked("2026-10-02", "2026-11-20")...), "2026-11-01", true, "2026-10-09"},
		{"biweekly", biweekly, inc(checked("2026-11-10")...), "2026-11-23", false, "2026-11-24"},
		{"monthly: 31 days", monthly, inc(checked("2026-11-01")...), "2026-12-02", true, "2026-12-02"},
		{"done by status", weekly, inc(*(&model.Checkin{Date: day("2026-10-02"), Value: 3}).WithText(model.CheckinText{Status: score.Done})), "2026-11-23", false, ""},
		{"reached its target", weekly, inc(model.Checkin{Date: day("2026-10-02"), Value: 10}), "2026-11-23", false, ""},
		{"a threshold met still needs check-ins", weekly, &model.KeyResult{Type: model.AtLeast, Threshold: fp(1), Checkins: checked("2026-10-02")}, "2026-11-23", true, "2026-10-09"},
		{"graded", weekly, &model.KeyResult{Type: model.Milestone, Score: fp(0.5)}, "2026-11-23", false, ""},
		{"milestone done", weekly, &model.KeyResult{Type: model.Milestone, Checkins: []model.Checkin{*(&model.Checkin{Date: day("2026-10-02"), Value: 1}).WithBool(true)}}, "2026-11-23", false, ""},
	}
	opts := score.Options{Cap: 1}
	for _, tt := range tests {
		since, _, due := Overdue(opts, tt.c, tt.kr, day(tt.on))
		if due != tt.due || (tt.since != "" && since.String() != tt.since) {
			t.Errorf("%s: Overdue = %v since %s, want %v since %s", tt.name, due, since, tt.due, tt.since)
		}
	}
}

func TestBuildAndWrite(t *testing.T) {
	ws := &model.Workspace{
		People: []*model.Person{{ID: "ada", Name: "Ada Okafor", Handle: "@ada"}},
		Teams:  []*model.Team{{ID: "sales", Name: "Sales"}},
		Cycles: []*model.Cycle{
			{ID: "q4", Cadence: "weekly", Start: day("2026-10-01"), End: day("2026-12-31")},
			{ID: "q3", Cadence: "weekly", Start: day("2026-07-01"), End: day("2026-09-30")},
			{ID: "old", Cadence: "weekly", Start: day("2026-10-01"), End: day("2026-12-31"), State: "closed"},
		},
		Objectives: []*model.Objective{
			{ID: "o1", Cycle: "q4", Owner: "sales", KeyResults: []*model.KeyResult{
				{ID: "b", Title: "B *bold*", Type: model.AtMost, Threshold: fp(1)},
				{ID: "a", Title: "A", Type: model.AtMost, Threshold: fp(1), Owner: "ada"},
			}},
			{ID: "o2", Cycle: "q4", KeyResults: []*model.KeyResult{{ID: "c", Title: "C", Type: model.AtMost, Threshold: fp(1)}}},
			{ID: "o3", Cycle: "q3", Owner: "ada", KeyResults: []*model.KeyResult{{ID: "past", Type: model.AtMost, Threshold: fp(1)}}},
			{ID: "o4", Cycle: "old", Owner: "ada", KeyResults: []*model.KeyResult{{ID: "closed", Type: model.AtMost, Threshold: fp(1)}}},
		},
	}
	r := Build(ws, day("2026-10-10"))
	var order []string
	for _, o := range r.Owners {
		for _, it := range o.Items {
			order = append(order, o.ID+"/"+it.ID)
		}
	}
	if r.Total != 3 || strings.Join(order, " ") != "ada/a sales/b /c" {
		t.Fatalf("Build: total %d, order %v", r.Total, order)
	}
	var text, md, js bytes.Buffer
	for f, b := range map[string]*bytes.Buffer{"text": &text, "markdown": &md, "json": &js} {
		if err := Write(b, r, f); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"Check-ins due as of 2026-10-10: 3 key results\n", "\nAda Okafor (ada): 1 key result\n", "\nNo owner: 1 key result\n",
		`b "B *bold*" in o1: no check-in yet, weekly, due since 2026-10-08 (2 days overdue)`} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	for _, want := range []string{"## Check-ins due as of 2026-10-10\n", "### Ada Okafor (@ada)\n", "- [ ] **b** B \\*bold\\* (objective `o1`"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if !strings.Contains(js.String(), `"days_overdue": 2,`) {
		t.Errorf("json:\n%s", js.String())
	}
	if err := Write(&text, r, "csv"); err == nil {
		t.Error("Write csv: no error")
	}
	var empty bytes.Buffer
	if err := Write(&empty, Build(ws, day("2026-10-03")), "text"); err != nil || empty.String() != "No check-ins due as of 2026-10-03.\n" {
		t.Errorf("nothing due: %q, %v", empty.String(), err)
	}
}
