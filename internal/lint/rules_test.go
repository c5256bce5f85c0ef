package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

func fp(v float64) *float64 { return &v }

// lintOne runs the rules over one objective in cycle q4 (weekly, running
// on today) and returns the codes found, in order.
func lintOne(t *testing.T, settings model.Settings, o *model.Objective) []string {
	t.Helper()
	ws := &model.Workspace{
		Settings: settings,
		People:   []*model.Person{{ID: "ada", Name: "Ada", Handle: "@ada-o"}},
		Teams:    []*model.Team{{ID: "eng", Name: "Engineering"}},
		Cycles:   []*model.Cycle{{ID: "q4", Cadence: "weekly", Start: model.Date{Year: 2026, Month: 10, Day: 1}, End: model.Date{Year: 2026, Month: 12, Day: 31}}},
	}
	if o.Cycle == "" {
		o.Cycle = "q4"
	}
	ws.Objectives = []*model.Objective{o}
	var codes []string
	for _, d := range Run(ws, Options{Today: today}) {
		codes = append(codes, d.Code)
	}
	return codes
}

func checkin(date string) *model.Checkin {
	d, _ := model.ParseDate(date)
	return &model.Checkin{Date: d, Value: 1}
}

// good returns a key result that trips nothing.
func good(id string) *model.KeyResult {
	return &model.KeyResult{ID: id, Title: "Keep churn at most 2%", Type: model.AtMost, Threshold: fp(2), Checkins: []*model.Checkin{checkin("2026-11-20")}}
}

func owned(kr *model.KeyResult) *model.KeyResult {
	kr.Owner = "eng"
	return kr
}

func TestRuleCases(t *testing.T) {
	obj := func(title string, krs ...*model.KeyResult) *model.Objective {
		if krs == nil {
			krs = []*model.KeyResult{good("a"), good("b")}
		}
		return &model.Objective{ID: "o", Title: title, Owner: "ada", KeyResults: krs}
	}
	withKR := func(kr *model.KeyResult) *model.Objective { return obj("Customers love us", good("a"), kr) }
	tests := []struct {
		name     string
		settings model.Settings
		o        *model.Objective
		want     string
	}{
		{"clean", model.Settings{}, obj("Customers love us"), ""},
		{"task verb in any case", model.Settings{}, obj("FIX the login page"), CodeTaskObjective},
		{"a verb later in the title is fine", model.Settings{}, obj("Customers never need to update anything"), ""},
		{"task_verbs replaces the list", model.Settings{Lint: model.LintSettings{TaskVerbs: []string{"ship"}}}, obj("Ship the new app"), CodeTaskObjective},
		{"task_verbs replaces the list (fix no longer)", model.Settings{Lint: model.LintSettings{TaskVerbs: []string{"ship"}}}, obj("Fix the login page"), ""},
		{"number", model.Settings{}, obj("Be top 10 in reviews"), CodeNumberInObjective},
		{"two key results at the lower bound", model.Settings{}, obj("Customers love us", good("a"), good("b")), ""},
		{"six key results", model.Settings{}, obj("Customers love us", good("a"), good("b"), good("c"), good("d"), good("e"), good("f")), CodeKRCount},
		{"bounds from settings", model.Settings{Lint: model.LintSettings{MinKeyResults: 1}}, obj("Customers love us", good("a")), ""},
		{"no key results, scored from children", model.Settings{Rollup: "children"}, &model.Objective{ID: "o", Title: "Customers love us", Owner: "ada"}, ""},
		{"no key results, scored from its own", model.Settings{Rollup: "krs"}, &model.Objective{ID: "o", Title: "Customers love us", Owner: "ada"}, CodeKRCount},
		{"a key result's own owner is enough", model.Settings{}, &model.Objective{ID: "o", Title: "Customers love us", KeyResults: []*model.KeyResult{owned(good("a")), owned(good("b"))}}, CodeNoOwner},
		{"nobody owns anything", model.Settings{}, &model.Objective{ID: "o", Title: "Customers love us", KeyResults: []*model.KeyResult{owned(good("a")), good("b")}}, CodeNoOwner + " " + CodeNoOwner},
		{"checked in 14 days ago: not stale", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Keep churn at most 2%", Type: model.AtMost, Threshold: fp(2), Checkins: []*model.Checkin{checkin("2026-11-09")}}), ""},
		{"checked in 15 days ago: stale", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Keep churn at most 2%", Type: model.AtMost, Threshold: fp(2), Checkins: []*model.Checkin{checkin("2026-11-08")}}), CodeStaleCheckin},
		{"never checked in: stale", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Keep churn at most 2%", Type: model.AtMost, Threshold: fp(2)}), CodeStaleCheckin},
		{"graded: not stale", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Keep churn at most 2%", Type: model.AtMost, Threshold: fp(2), Score: fp(0.5)}), ""},
		{"0-100% of work", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Roll-out completed", Type: model.Increase, Start: fp(0), Target: fp(100), Checkins: []*model.Checkin{checkin("2026-11-20")}}), CodeInitiativeKR},
		{"0-100 of an outcome", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Raise satisfaction from 0 to 100", Type: model.Increase, Start: fp(0), Target: fp(100), Checkins: []*model.Checkin{checkin("2026-11-20")}}), ""},
		{"0-100 customers is not a percentage", model.Settings{Units: []*model.Unit{{ID: "count"}}}, withKR(&model.KeyResult{ID: "k", Title: "Deploy to 100 customers", Type: model.Increase, Start: fp(0), Target: fp(100), Unit: "count", Checkins: []*model.Checkin{checkin("2026-11-20")}}), ""},
		{"template in a title", model.Settings{}, obj("Objective title here"), CodeTemplateText},
		{"placeholder in a description", model.Settings{}, &model.Objective{ID: "o", Title: "Customers love us", Owner: "ada", Description: "Why: <reason>", KeyResults: []*model.KeyResult{good("a"), good("b")}}, CodeTemplateText},
		{"todo in lower case is prose", model.Settings{}, &model.Objective{ID: "o", Title: "Customers love us", Owner: "ada", Description: "a todo list app", KeyResults: []*model.KeyResult{good("a"), good("b")}}, ""},
		{"mentions by id, handle and team", model.Settings{}, &model.Objective{ID: "o", Title: "Customers love us", Owner: "ada", Description: "@ada, @Ada-O and @eng", KeyResults: []*model.KeyResult{good("a"), good("b")}}, ""},
		{"unknown mention", model.Settings{}, &model.Objective{ID: "o", Title: "Customers love us", Owner: "ada", Description: "ask @bob", KeyResults: []*model.KeyResult{good("a"), good("b")}}, CodeUnknownMention},
		{"ignored by objective id", model.Settings{Lint: model.LintSettings{Ignore: map[string][]string{CodeNumberInObjective: {"o"}}}}, obj("Be top 10 in reviews"), ""},
		{"ignore of another rule does not silence", model.Settings{Lint: model.LintSettings{Ignore: map[string][]string{CodeKRCount: {"o"}}}}, obj("Be top 10 in reviews"), CodeNumberInObjective},
	}
	for _, tt := range tests {
		got := strings.Join(lintOne(t, tt.settings, tt.o), " ")
		if got != tt.want {
			t.Errorf("%s: codes %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestMentionPositions checks that each unknown mention is reported at its
// "@", in plain, quoted and block scalars, with repeats told apart.
func TestMentionPositions(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"okr.yaml":    "version: 1\n",
		"org.yaml":    "people:\n  - {id: ada, name: Ada}\n",
		"cycles.yaml": "cycles:\n  - {id: q4, start: 2026-10-01, end: 2026-12-31, cadence: weekly}\n",
		"objectives/o.yaml": `id: o
title: Customers love us
cycle: q4
owner: ada
description: |
  Ask @ada, then @bob;
  then @bob again.
key_results:
  - id: a
    title: Keep churn at most 2%
    type: at_most
    threshold: 2
    checkins:
      - {date: 2026-11-20, value: 1, note: "é @zoë? no: @zed"}
  - id: b
    title: Keep churn at most 3%
    type: at_most
    threshold: 3
    checkins:
      - date: 2026-11-20
        value: 1
        answers: {progress: "@ada and @bob"}
`,
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, d := range run(t, dir) {
		if d.Code == CodeUnknownMention {
			got = append(got, d.String())
		}
	}
	want := []string{
		`objectives/o.yaml:6:18: warning: @bob is not a person or team in org.yaml (by id or handle) [unknown-mention]`,
		`objectives/o.yaml:7:8: warning: @bob is not a person or team in org.yaml (by id or handle) [unknown-mention]`,
		`objectives/o.yaml:14:47: warning: @zoë is not a person or team in org.yaml (by id or handle) [unknown-mention]`,
		`objectives/o.yaml:14:57: warning: @zed is not a person or team in org.yaml (by id or handle) [unknown-mention]`,
		`objectives/o.yaml:22:39: warning: @bob is not a person or team in org.yaml (by id or handle) [unknown-mention]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
