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

func checkin(date string) model.Checkin {
	d, _ := model.ParseDate(date)
	return model.Checkin{Date: d, Value: 1}
}

// good returns a key result that trips nothing.
func good(id string) *model.KeyResult {
	return &model.KeyResult{ID: id, Title: "Keep churn at most 2%", Type: model.AtMost, Threshold: fp(2), Checkins: []model.Checkin{checkin("2026-11-20")}}
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
		{"checked in 14 days ago: not stale", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Keep churn at most 2%", Type: model.AtMost, Threshold: fp(2), Checkins: []model.Checkin{checkin("2026-11-09")}}), ""},
		{"checked in 15 days ago: stale", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Keep churn at most 2%", Type: model.AtMost, Threshold: fp(2), Checkins: []model.Checkin{checkin("2026-11-08")}}), CodeStaleCheckin},
		{"never checked in: stale", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Keep churn at most 2%", Type: model.AtMost, Threshold: fp(2)}), CodeStaleCheckin},
		{"graded: not stale", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Keep churn at most 2%", Type: model.AtMost, Threshold: fp(2), Score: fp(0.5)}), ""},
		{"0-100% of work", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Roll-out completed", Type: model.Increase, Start: fp(0), Target: fp(100), Checkins: []model.Checkin{checkin("2026-11-20")}}), CodeInitiativeKR},
		{"0-100 of an outcome", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Raise satisfaction from 0 to 100", Type: model.Increase, Start: fp(0), Target: fp(100), Checkins: []model.Checkin{checkin("2026-11-20")}}), ""},
		{"0-100 customers is not a percentage", model.Settings{Units: []*model.Unit{{ID: "count"}}}, withKR(&model.KeyResult{ID: "k", Title: "Deploy to 100 customers", Type: model.Increase, Start: fp(0), Target: fp(100), Unit: "count", Checkins: []model.Checkin{checkin("2026-11-20")}}), ""},
		{"template in a title", model.Settings{}, obj("Objective title here"), CodeTemplateText},
		{"placeholder in a description", model.Settings{}, &model.Objective{ID: "o", Title: "Customers love us", Owner: "ada", Description: "Why: <reason>", KeyResults: []*model.KeyResult{good("a"), good("b")}}, CodeTemplateText},
		{"todo in lower case is prose", model.Settings{}, &model.Objective{ID: "o", Title: "Customers love us", Owner: "ada", Description: "a todo list app", KeyResults: []*model.KeyResult{good("a"), good("b")}}, ""},
		{"mentions by id, handle and team", model.Settings{}, &model.Objective{ID: "o", Title: "Customers love us", Owner: "ada", Description: "@ada, @Ada-O and @eng", KeyResults: []*model.KeyResult{good("a"), good("b")}}, ""},
		{"unknown mention", model.Settings{}, &model.Objective{ID: "o", Title: "Customers love us", Owner: "ada", Description: "ask @bob", KeyResults: []*model.KeyResult{good("a"), good("b")}}, CodeUnknownMention},
		{"B2B is a name, not a number", model.Settings{}, obj("Win B2B customers"), ""},
		{"a quarter name is not a number", model.Settings{}, obj("Make Q4 our best quarter yet"), ""},
		{"10x is a number", model.Settings{}, obj("Grow 10x faster"), CodeNumberInObjective},
		{"a range of one value", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Keep churn at 2%", Type: model.Range, Low: fp(2), High: fp(2), Checkins: []model.Checkin{checkin("2026-11-20")}}), CodeUncheckableKR},
		{"a range with width", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Keep churn between 1% and 2%", Type: model.Range, Low: fp(1), High: fp(2), Checkins: []model.Checkin{checkin("2026-11-20")}}), ""},
		{"a milestone with neither steps nor due date", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Portal live", Type: model.Milestone, Checkins: []model.Checkin{checkin("2026-11-20")}}), CodeUncheckableKR},
		{"a milestone with a due date", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Portal live", Type: model.Milestone, Due: model.Date{Year: 2026, Month: 12, Day: 1}, Checkins: []model.Checkin{checkin("2026-11-20")}}), ""},
		{"a milestone with steps", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Portal live", Type: model.Milestone, Steps: []string{"Beta", "GA"}, Checkins: []model.Checkin{checkin("2026-11-20")}}), ""},
		{"a graded milestone", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Portal live", Type: model.Milestone, Score: fp(0.7)}), ""},
		{"no goal (a workspace that fails validate)", model.Settings{}, withKR(&model.KeyResult{ID: "k", Title: "Raise NPS", Type: model.Increase, Start: fp(30), Checkins: []model.Checkin{checkin("2026-11-20")}}), CodeUncheckableKR},
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

func TestHasNumber(t *testing.T) {
	for _, tt := range []struct {
		title string
		want  bool
	}{
		{"Customers love us", false},
		{"Win 3 new markets", true},
		{"Be top 10 in reviews", true},
		{"Be in the top-10", true},
		{"Grow 10x faster", true},
		{"Be the 3rd name buyers know", true},
		{"Reach 50k users", true},
		{"Cut costs by 1.5 million", true},
		{"Own 25% of the market", true},
		{"(2) Delight customers", true},
		{"Make 2026 our year", true},
		{"Win B2B customers", false},
		{"Make Q4 our best quarter", false},
		{"Close H1 strong", false},
		{"Hit the FY2026 plan", false},
		{"Run everything on K8s", false},
		{"Make Web3 boring", false},
		{"Ship design system v2.1 everyone uses", false},
		{"Win B2B customers in 3 markets", true},
		{"Q4: 3 launches", true},
		{"Make the app fast", false},
		{"", false},
		{"٣ new markets", true},
	} {
		if got := hasNumber(tt.title); got != tt.want {
			t.Errorf("hasNumber(%q) = %v, want %v", tt.title, got, tt.want)
		}
	}
}

// writeWorkspace writes files (slash paths) under a new folder and
// returns it.
func writeWorkspace(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestKRBounds checks lint.key_results: an explicit min of 0 is honoured
// (absent, the default of 2 holds), and bounds that exclude each other are
// reported once, at the setting in okr.yaml, as an error.
func TestKRBounds(t *testing.T) {
	objective := `id: o
title: Customers love us
cycle: q4
owner: ada
rollup: krs
`
	for _, tt := range []struct {
		name, settings string
		want           []string
	}{
		{"default min 2", "", []string{`objectives/o.yaml:1:5: warning: objective "o" has 0 key results; aim for 2 to 5 that together show it is achieved [kr-count]`}},
		{"explicit min 0", "lint:\n  key_results: {min: 0}\n", nil},
		{"explicit min 0 with max", "lint:\n  key_results:\n    min: 0\n    max: 3\n", nil},
		{"min above max", "lint:\n  key_results:\n    min: 6\n    max: 3\n",
			[]string{`okr.yaml:4:10: error: lint.key_results: min 6 is above max 3, so no objective can have the right number of key results; make min at most max [kr-count]`}},
		{"min above the default max", "lint:\n  key_results: {min: 6}\n",
			[]string{`okr.yaml:3:22: error: lint.key_results: min 6 is above max 5 (the default), so no objective can have the right number of key results; make min at most max [kr-count]`}},
		{"max below the default min", "lint:\n  key_results: {max: 1}\n",
			[]string{`okr.yaml:3:22: error: lint.key_results: min 2 (the default) is above max 1, so no objective can have the right number of key results; make min at most max [kr-count]`}},
		{"min above max, kr-count off", "lint:\n  rules: {kr-count: off}\n  key_results: {min: 6, max: 3}\n", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeWorkspace(t, map[string]string{
				"okr.yaml":          "version: 1\n" + tt.settings,
				"org.yaml":          "people:\n  - {id: ada, name: Ada}\n",
				"cycles.yaml":       "cycles:\n  - {id: q4, start: 2026-10-01, end: 2026-12-31, cadence: weekly}\n",
				"objectives/o.yaml": objective,
			})
			var got []string
			for _, d := range run(t, dir) {
				got = append(got, d.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestLocateSizeCap checks that the file re-read to place a mention is
// read under the loader's size cap: over it, the finding falls back to
// the value's position.
func TestLocateSizeCap(t *testing.T) {
	body := "id: o\ntitle: Customers love us\ndescription: ask @bob\n"
	dir := writeWorkspace(t, map[string]string{"o.yaml": body})
	for _, tt := range []struct {
		cap  int64
		want string
	}{
		{int64(len(body)), "o.yaml:3:18"},
		{int64(len(body)) - 1, "o.yaml:1:1"},
	} {
		ws := &model.Workspace{Root: dir, Settings: model.Settings{MaxFileBytes: tt.cap},
			Objectives: []*model.Objective{{Source: model.NewSource("o.yaml"), ID: "o", Title: "Customers love us", Owner: "ada", Description: "ask @bob",
				KeyResults: []*model.KeyResult{good("a"), good("b")}}}}
		var got []string
		for _, d := range Run(ws, Options{Today: today}) {
			if d.Code == CodeUnknownMention {
				got = append(got, d.String())
			}
		}
		if len(got) != 1 || !strings.HasPrefix(got[0], tt.want+": ") {
			t.Errorf("cap %d: got %q, want one unknown-mention at %s", tt.cap, got, tt.want)
		}
	}
}
