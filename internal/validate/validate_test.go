package validate

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/model"
)

var today = model.Date{Year: 2026, Month: 2, Day: 15}

// base is a small valid workspace; each case overrides some of its files.
var base = map[string]string{
	"okr.yaml": `version: 1
units: [{id: eur}]
categories: [{id: growth}]
checkin_questions:
  - {id: blockers, text: "What blocks you?"}
`,
	"org.yaml": `people:
  - {id: ann, name: Ann, team: eng}
teams:
  - {id: eng, name: Engineering, lead: ann}
  - {id: web, name: Web, parent: eng}
`,
	"cycles.yaml": `cycles:
  - {id: y2026, start: 2026-01-01, end: 2026-12-31}
  - {id: q1, start: 2026-01-01, end: 2026-03-31, parent: y2026}
`,
	"objectives/top.yaml": `id: top
title: Top
cycle: q1
owner: eng
category: growth
key_results:
  - id: top-kr
    title: Revenue
    type: increase
    start: 0
    target: 10
    unit: eur
    checkins:
      - {date: 2026-01-10, value: 2, author: ann, answers: {blockers: none}}
`,
	"objectives/sub/child.yaml": `id: child
title: Child
cycle: q1
owner: web
aligns_to: [top]
key_results:
  - {id: ms, title: Ship, type: milestone, steps: [a, b]}
  - {id: lat, title: Latency, type: at_most, threshold: 200}
`,
}

func run(t *testing.T, override map[string]string) []diag.Diagnostic {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{}
	for k, v := range base {
		files[k] = v
	}
	for k, v := range override {
		files[k] = v
	}
	writeWorkspace(t, dir, files)
	res, err := Run(dir, Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	// okr validate keeps no check-in text but what the rules report:
	// the findings must be the same.
	lean, err := Run(dir, Options{Today: today, NoCheckinText: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(lean.Diagnostics, res.Diagnostics) {
		t.Errorf("with NoCheckinText:\n%v\nwithout:\n%v", lean.Diagnostics, res.Diagnostics)
	}
	return res.Diagnostics
}

// writeWorkspace writes files (path -> body) under dir; empty bodies are skipped.
func writeWorkspace(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if body == "" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBaseIsValid(t *testing.T) {
	if ds := run(t, nil); len(ds) != 0 {
		t.Fatalf("base workspace has findings: %v", ds)
	}
}

func TestRules(t *testing.T) {
	cases := []struct {
		name     string
		override map[string]string
		// want is "file:line:col code"; message must contain msg.
		want, msg string
	}{
		{"schema missing field", map[string]string{"objectives/x.yaml": "id: x\ncycle: q1\n"}, "objectives/x.yaml:1:1 schema", `missing required field "title"`},
		{"schema unknown field", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\ncolour: red\n"}, "objectives/x.yaml:4:1 schema", `unknown field "colour"`},
		{"schema enum", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nlevel: galaxy\n"}, "objectives/x.yaml:4:8 schema", "level: must be one of"},
		{"schema date format", map[string]string{"cycles.yaml": "cycles:\n  - {id: q1, start: 2026-02-30, end: 2026-03-31}\n"}, "cycles.yaml:2:21 schema", "is not valid date"},
		{"schema bad alignment", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\naligns_to: [{weight: 2}]\n"}, "objectives/x.yaml:4:13 schema", "aligns_to[0]"},
		{"unsupported version", map[string]string{"okr.yaml": "version: 9\n"}, "okr.yaml:1:10 unsupported-version", "newer than this okr reads"},
		{"duplicate objective id", map[string]string{"objectives/x.yaml": "id: top\ntitle: X\ncycle: q1\n"}, "objectives/x.yaml:1:5 duplicate-id", "objectives/top.yaml:1:5"},
		{"kr id clashes with objective", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - {id: child, title: K, type: at_least, threshold: 1}\n"}, "objectives/x.yaml:5:10 duplicate-id", "objective"},
		{"duplicate person/team id", map[string]string{"org.yaml": "people:\n  - {id: eng, name: E}\nteams:\n  - {id: eng, name: Engineering}\n  - {id: web, name: Web}\n"}, "org.yaml:4:10 duplicate-id", "person"},
		{"unknown cycle", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q9\n"}, "objectives/x.yaml:3:8 unknown-cycle", `"q9"`},
		{"unknown owner", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nowner: zed\n"}, "objectives/x.yaml:4:8 unknown-owner", `"zed"`},
		{"unknown contributor", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\ncontributors: [ann, zed]\n"}, "objectives/x.yaml:4:21 unknown-owner", `"zed"`},
		{"unknown lead", map[string]string{"org.yaml": "teams:\n  - {id: eng, name: E, lead: zed}\n  - {id: web, name: W}\npeople: [{id: ann, name: Ann}]\n"}, "org.yaml:2:30 unknown-person", `"zed"`},
		{"unknown team", map[string]string{"org.yaml": "teams:\n  - {id: eng, name: E, parent: nope}\n  - {id: web, name: W}\npeople: [{id: ann, name: Ann}]\n"}, "org.yaml:2:32 unknown-team", `"nope"`},
		{"unknown parent", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\naligns_to:\n  - ghost\n"}, "objectives/x.yaml:5:5 unknown-parent", `"ghost"`},
		{"control character in a check-in note", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2026-01-05, value: 1, note: \"a\\u202eb\"}\n"}, "objectives/x.yaml:10:44 control-character", `note of a check-in on k holds the control character or bidirectional override \u202e`},
		{"number range: a check-in value past 1e15", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2026-01-05, value: -2e15}\n"}, "objectives/x.yaml:10:35 number-range", "the check-in value -2e+15 is beyond"},
		{"alignment cycle: a year objective under a quarter", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: y2026\naligns_to:\n  - top\n"}, "objectives/x.yaml:5:5 alignment-cycle", `aligns to "top" of cycle q1 (2026-01-01 to 2026-03-31), which does not contain this objective's cycle y2026`},
		{"unknown unit", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - {id: k, title: K, type: at_least, threshold: 1, unit: usd}\n"}, "objectives/x.yaml:5:59 unknown-unit", `"usd"`},
		{"unknown category", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\ncategory: fun\n"}, "objectives/x.yaml:4:11 unknown-category", `"fun"`},
		{"control character in an answer", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2026-01-05, value: 1, answers: {blockers: \"a\\u0007b\"}}\n"}, "objectives/x.yaml:10:48 control-character", `the answer to blockers of a check-in on k holds the control character or bidirectional override \u0007`},
		{"unknown question", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2026-01-05, value: 1, answers: {mood: ok}}\n"}, "objectives/x.yaml:10:48 unknown-question", `"mood"`},
		{"carried_to names no objective", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\ncarried_to: x-next\n"}, "objectives/x.yaml:4:13 unknown-carry", `"x-next", which is not an objective`},
		{"carried_from names an objective, not a key result", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - {id: k, title: K, type: milestone, carried_from: x}\n"}, "objectives/x.yaml:5:54 unknown-carry", `"x", which is not a key result`},
		{"unknown kr in initiative", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\ninitiatives:\n  - {title: Do, key_result: top-kr}\n"}, "objectives/x.yaml:5:29 unknown-kr", `"top-kr"`},
		{"alignment loop", map[string]string{"objectives/top.yaml": "id: top\ntitle: Top\ncycle: q1\naligns_to: [child]\n"}, "objectives/top.yaml:4:13 alignment-loop", "alignment loop: top -> child -> top"},
		{"self alignment", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\naligns_to: [x]\n"}, "objectives/x.yaml:4:13 alignment-loop", "x -> x"},
		{"team loop", map[string]string{"org.yaml": "people: [{id: ann, name: Ann}]\nteams:\n  - {id: eng, name: E, parent: web}\n  - {id: web, name: W, parent: eng}\n"}, "org.yaml:3:32 team-loop", "team loop: eng -> web -> eng"},
		{"cycle loop", map[string]string{"cycles.yaml": "cycles:\n  - {id: q1, start: 2026-01-01, end: 2026-03-31, parent: y2026}\n  - {id: y2026, start: 2026-01-01, end: 2026-12-31, parent: q1}\n"}, "cycles.yaml:2:58 cycle-loop", "q1 -> y2026 -> q1"},
		{"negative kr weight", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - {id: k, title: K, type: at_least, threshold: 1, weight: -1}\n"}, "objectives/x.yaml:5:61 negative-weight", "-1"},
		{"negative link weight", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\naligns_to: [{objective: top, weight: -2}]\n"}, "objectives/x.yaml:4:38 negative-weight", "link weight"},
		{"zero weights", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - {id: k, title: K, type: at_least, threshold: 1, weight: 0}\n"}, "objectives/x.yaml:5:3 zero-weights", "weight 0"},
		{"start equals target", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - {id: k, title: K, type: increase, start: 3, target: 3}\n"}, "objectives/x.yaml:5:57 start-equals-target", "both 3"},
		{"kr fields extra", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - {id: k, title: K, type: at_least, threshold: 1, target: 5}\n"}, "objectives/x.yaml:5:61 kr-fields", "target does not apply"},
		{"kr fields missing", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - {id: k, title: K, type: range, low: 1}\n"}, "objectives/x.yaml:5:29 kr-fields", "need high"},
		{"kr direction", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - {id: k, title: K, type: increase, start: 9, target: 3}\n"}, "objectives/x.yaml:5:57 kr-direction", "type decrease"},
		{"checkin value bool", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2026-01-05, value: true}\n"}, "objectives/x.yaml:10:35 checkin-value", "take a number"},
		{"checkin value steps", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: milestone\n    steps: [a]\n    checkins:\n      - {date: 2026-01-05, value: 2}\n"}, "objectives/x.yaml:10:35 checkin-value", "0 to 1"},
		{"confidence scale", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2026-01-05, value: 1, confidence: 7}\n"}, "objectives/x.yaml:10:50 confidence-scale", "0 to 1"},
		{"cycle dates", map[string]string{"cycles.yaml": "cycles:\n  - {id: y2026, start: 2026-01-01, end: 2026-12-31}\n  - {id: q1, start: 2026-03-31, end: 2026-01-01}\n"}, "cycles.yaml:3:38 cycle-dates", "before it starts"},
		{"child cycle outside parent", map[string]string{"cycles.yaml": "cycles:\n  - {id: y2026, start: 2026-01-01, end: 2026-12-31}\n  - {id: q1, start: 2025-12-01, end: 2026-03-31, parent: y2026}\n"}, "cycles.yaml:3:21 date-outside-cycle", "outside its parent"},
		{"kr due outside cycle", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - {id: k, title: K, type: at_least, threshold: 1, due: 2026-05-01}\n"}, "objectives/x.yaml:5:58 date-outside-cycle", "2026-05-01"},
		{"checkin outside cycle", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2025-12-31, value: 1}\n"}, "objectives/x.yaml:10:16 checkin-outside-cycle", "2025-12-31"},
		{"checkin in future", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2026-03-01, value: 1}\n"}, "objectives/x.yaml:10:16 checkin-in-future", "today is 2026-02-15"},
		{"checkin order", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2026-01-09, value: 1}\n      - {date: 2026-01-02, value: 1}\n"}, "objectives/x.yaml:11:16 checkin-order", "oldest first"},
		{"unknown author", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2026-01-05, value: 1, author: eng}\n"}, "objectives/x.yaml:10:46 unknown-person", `"eng"`},
		{"missing answer", map[string]string{"okr.yaml": "version: 1\nunits: [{id: eur}]\ncategories: [{id: growth}]\ncheckin_questions:\n  - {id: blockers, text: B, required: true}\n",
			"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    checkins:\n      - {date: 2026-01-05, value: 1}\n"}, "objectives/x.yaml:10:16 missing-answer", `"blockers"`},
		{"command source without sync.allow_commands", map[string]string{"objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: at_least\n    threshold: 1\n    source: {kind: command, argv: [echo, '3']}\n"}, "objectives/x.yaml:9:20 command-source", "sync.allow_commands"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := run(t, c.override)
			var got []string
			for _, d := range ds {
				s := d.File + ":" + itoa(d.Line) + ":" + itoa(d.Col) + " " + d.Code
				got = append(got, d.String())
				if s == c.want && strings.Contains(d.Message, c.msg) {
					if r, ok := diag.Lookup(d.Code); !ok || r.Severity != d.Severity {
						t.Errorf("%s: severity %s does not match the rule registry", d.Code, d.Severity)
					}
					return
				}
			}
			t.Errorf("want %s (message containing %q); got:\n%s", c.want, c.msg, strings.Join(got, "\n"))
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestAlignmentWithinCycle: a quarter objective aligned to its year's
// objective is no alignment-cycle finding (the rule's other side).
func TestAlignmentWithinCycle(t *testing.T) {
	ds := run(t, map[string]string{"objectives/y.yaml": "id: y\ntitle: Y\ncycle: y2026\n", "objectives/x.yaml": "id: x\ntitle: X\ncycle: q1\naligns_to: [y]\n"})
	if len(ds) != 0 {
		t.Errorf("want no findings, got %v", ds)
	}
}

func TestEveryRuleIsTested(t *testing.T) {
	// Loader codes are covered in package load; the rest must appear in TestRules' table.
	src, err := os.ReadFile("validate_test.go")
	if err != nil {
		t.Fatal(err)
	}
	loader := map[string]bool{"file-too-large": true, "not-utf8": true, "yaml-syntax": true, "not-mapping": true, "duplicate-key": true, "alias-bomb": true, "symlink-escape": true, "special-file": true, "broken-link": true, "too-many-nodes": true}
	for _, r := range diag.Rules() {
		if !loader[r.Code] && !strings.Contains(string(src), " "+r.Code+`"`) {
			t.Errorf("rule %s has no case in TestRules", r.Code)
		}
	}
}

func TestFilter(t *testing.T) {
	ds := []diag.Diagnostic{{File: "okr.yaml"}, {File: "objectives/a/x.yaml"}, {File: "objectives/ab.yaml"}}
	got := Filter(ds, []string{"objectives/a"})
	if len(got) != 1 || got[0].File != "objectives/a/x.yaml" {
		t.Errorf("Filter = %v", got)
	}
	if len(Filter(ds, nil)) != 3 || len(Filter(ds, []string{"."})) != 3 {
		t.Error("no scope or root scope must keep everything")
	}
}

// TestExactFindings pins the complete list of findings for inputs that
// once produced too many or too few (found in review).
func TestExactFindings(t *testing.T) {
	cases := []struct {
		name string
		file string
		want []string
	}{
		{"aliased contributor still checked",
			"id: x\ntitle: X\ncycle: q1\nowner: &o ann\ncontributors: [*o, zed]\n",
			[]string{`objectives/x.yaml:5:20: error: contributor "zed" is not a person or team in org.yaml [unknown-owner]`}},
		{"repeated type field reported once",
			"id: x\ntitle: X\ncycle: q1\nkey_results:\n  - id: k\n    title: K\n    type: range\n    low: 0\n    high: 1\n    start: 1\n    start: 2\n",
			[]string{
				`objectives/x.yaml:10:12: error: start does not apply to key results of type range (they take low and high) [kr-fields]`,
				`objectives/x.yaml:11:5: error: key "start" is already defined at line 10 [duplicate-key]`,
			}},
		{"non-finite numbers are schema errors",
			"id: x\ntitle: X\ncycle: q1\nweight: !!int NaN\n",
			[]string{`objectives/x.yaml:4:9: error: weight: got string, want number [schema]`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, d := range run(t, map[string]string{"objectives/x.yaml": c.file}) {
				got = append(got, d.String())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
