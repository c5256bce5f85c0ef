package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	goldenfile "github.com/okrkit/okr/internal/golden"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/validate"
)

var day = model.Date{Year: 2026, Month: 11, Day: 23}

func examples(t *testing.T) *model.Workspace {
	t.Helper()
	res, err := validate.Run("../../examples", validate.Options{Today: day, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 0 {
		t.Fatalf("example workspace has findings: %v", res.Diagnostics)
	}
	return res.Workspace
}

func render(t *testing.T, format string, r *report.Report) []byte {
	t.Helper()
	w, err := NewWriter(format)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

// TestGoldenExamples renders the example workspace's Q4 as of 2026-11-23
// and its closed Q3 in every format.
func TestGoldenExamples(t *testing.T) {
	ws := examples(t)
	q4 := report.ActiveCycle(ws, day)
	if q4 == nil || q4.ID != "2026-q4" {
		t.Fatalf("active cycle = %v, want 2026-q4", q4)
	}
	var q3 *model.Cycle
	for _, c := range ws.Cycles {
		if c.ID == "2026-q3" {
			q3 = c
		}
	}
	for _, f := range Formats() {
		ext := map[string]string{"json": "json", "csv": "csv", "markdown": "md", "table": "txt"}[f]
		golden(t, "q4."+ext, render(t, f, report.Build(ws, q4, day)))
		golden(t, "q3."+ext, render(t, f, report.Build(ws, q3, day)))
	}
}

// TestDeterministic checks that no view's output depends on GOMAXPROCS or
// on the run.
func TestDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	all := func() []byte {
		ws := examples(t)
		c := report.ActiveCycle(ws, day)
		r := report.Build(ws, c, day)
		var buf bytes.Buffer
		for _, f := range Formats() {
			buf.Write(render(t, f, r))
		}
		for _, f := range StatsFormats {
			if err := WriteStats(&buf, report.BuildStats(ws, c, day), f); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range TreeFormats {
			if err := WriteTree(&buf, report.BuildTree(ws, c, day), f); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range StatusFormats {
			if err := WriteStatus(&buf, r, f, Style{}); err != nil {
				t.Fatal(err)
			}
		}
		return buf.Bytes()
	}
	var first []byte
	for _, procs := range []int{1, 2, 4, 1} {
		runtime.GOMAXPROCS(procs)
		out := all()
		if first == nil {
			first = out
		} else if !bytes.Equal(first, out) {
			t.Fatalf("GOMAXPROCS=%d changes the output", procs)
		}
	}
}

func TestJSONShape(t *testing.T) {
	ws := examples(t)
	var r report.Report
	if err := json.Unmarshal(render(t, "json", report.Build(ws, report.ActiveCycle(ws, day), day)), &r); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range r.Counts {
		total += n
	}
	krs := 0
	for _, o := range r.Objectives {
		krs += len(o.KeyResults)
	}
	if r.Version != report.Version || r.Cycle.ID != "2026-q4" || r.AsOf != "2026-11-23" || total != krs || krs == 0 {
		t.Fatalf("version %d cycle %s as_of %s counts %d for %d key results", r.Version, r.Cycle.ID, r.AsOf, total, krs)
	}
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	r := &report.Report{Cycle: report.Cycle{ID: "q"}, AsOf: "2026-11-23", Objectives: []report.Objective{{
		ID: "o", Title: "=HYPERLINK(\"http://evil\")", Owner: "@ann",
		KeyResults: []report.KeyResult{{ID: "k", Title: "+1 more", Owner: "-x", Progress: 0.5, Score: 0.5, Status: "on_track"}},
	}}}
	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", r))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want header and one key result", len(rows))
	}
	for _, cell := range rows[1] {
		if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
			t.Errorf("cell %q would run as a formula", cell)
		}
	}
	if rows[1][3] != "'=HYPERLINK(\"http://evil\")" {
		t.Errorf("title cell = %q", rows[1][3])
	}
}

func TestMarkdownEscapes(t *testing.T) {
	r := &report.Report{Cycle: report.Cycle{ID: "q"}, AsOf: "2026-11-23", Counts: map[string]int{}, Objectives: []report.Objective{{
		ID: "o", Title: "a | b <script>alert(1)</script>\nnext",
	}}}
	out := string(render(t, "markdown", r))
	if strings.Contains(out, "<script>") || strings.Contains(out, "a | b") || strings.Contains(out, "\nnext") {
		t.Fatalf("markdown does not escape workspace text:\n%s", out)
	}
}

// TestMarkdownObjectiveText checks that an objective's description, tags
// and initiatives reach the markdown, escaped: a description cannot start
// a block or inject HTML, and only http(s) links become links.
func TestMarkdownObjectiveText(t *testing.T) {
	r := &report.Report{Cycle: report.Cycle{ID: "q"}, AsOf: "2026-11-23", Counts: map[string]int{}, Objectives: []report.Objective{{
		ID: "o", Title: "T", Level: "team", Description: "# not a heading\n<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))",
		Tags: []string{"growth", "q4_"},
		Initiatives: []report.Initiative{
			{ID: "good", Title: "Good *one*", Status: "in_progress", Owner: "ann", Due: "2026-12-01", KeyResult: "k", Link: "https://wiki.example/a_b?c=1"},
			{ID: "bad", Title: "Bad", Link: "javascript:alert(1)"},
			{ID: "odd", Title: "Odd", Link: "https://x.example/a b)<script>"},
		},
	}}}
	out := string(render(t, "markdown", r))
	for _, want := range []string{
		"\n\\# not a heading &lt;img src=x onerror=alert(1)&gt; \\*\\*bold\\*\\* \\[x\\](javascript:alert(1))\n",
		"tags: growth, q4\\_",
		"- Good \\*one\\* (good): in progress · owner ann · due 2026-12-01 · serves k · <https://wiki.example/a_b?c=1>\n",
		"- Bad (bad): javascript:alert(1)\n",
		"- Odd (odd): https://x.example/a b)&lt;script&gt;\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<img") || strings.Contains(out, "<script") {
		t.Errorf("markdown lets workspace text through unescaped:\n%s", out)
	}
}

// TestStatedFootnote checks that the table explains the star only when
// some status is starred.
func TestStatedFootnote(t *testing.T) {
	const note = "* status stated in the latest check-in"
	r := &report.Report{Cycle: report.Cycle{ID: "q"}, AsOf: "2026-11-23", Counts: map[string]int{}, Objectives: []report.Objective{{
		ID: "o", Title: "T", KeyResults: []report.KeyResult{{ID: "k", Title: "K", Type: "at_least", Status: "on_track"}},
	}}}
	if out := string(render(t, "table", r)); strings.Contains(out, note) {
		t.Errorf("table explains a star it does not show:\n%s", out)
	}
	r.Objectives[0].KeyResults[0].StatusStated = true
	if out := string(render(t, "table", r)); !strings.Contains(out, "on track*") || !strings.Contains(out, note) {
		t.Errorf("table does not star and explain a stated status:\n%s", out)
	}
}

// TestGoalFields checks that every key result of the example workspace
// carries the numbers its type needs, and the objectives their text.
func TestGoalFields(t *testing.T) {
	ws := examples(t)
	var r report.Report
	if err := json.Unmarshal(render(t, "json", report.Build(ws, report.ActiveCycle(ws, day), day)), &r); err != nil {
		t.Fatal(err)
	}
	tags, inits, descs := 0, 0, 0
	for _, o := range r.Objectives {
		tags += len(o.Tags)
		inits += len(o.Initiatives)
		if o.Description != "" {
			descs++
		}
		for _, k := range o.KeyResults {
			var ok bool
			switch k.Type {
			case "increase", "decrease":
				ok = k.Start != nil && k.Target != nil && k.Threshold == nil
			case "at_least", "at_most":
				ok = k.Threshold != nil && k.Start == nil
			case "range":
				ok = k.Low != nil && k.High != nil
			case "milestone":
				ok = k.Start == nil && k.Target == nil
			}
			if !ok || k.Goal == "" || k.Unit != "" && r.Units[k.Unit] == (report.Unit{}) {
				t.Errorf("%s (%s): goal fields %+v", k.ID, k.Type, k)
			}
		}
	}
	if tags == 0 || inits == 0 || descs == 0 {
		t.Errorf("example report has %d tags, %d initiatives, %d descriptions", tags, inits, descs)
	}
}

// TestDisplayPercent checks that table and markdown show scores as
// percentages when okr.yaml's display asks, and JSON keeps numbers.
func TestDisplayPercent(t *testing.T) {
	r := &report.Report{Cycle: report.Cycle{ID: "q"}, AsOf: "2026-11-23", Counts: map[string]int{}, Display: "percent", Objectives: []report.Objective{{
		ID: "o", Title: "T", Level: "team", Score: ptr(0.73),
		KeyResults: []report.KeyResult{{ID: "k", Title: "K", Type: "at_least", Score: 0.6, Progress: 0.6, Status: "on_track"}},
	}}}
	table, markdown := string(render(t, "table", r)), string(render(t, "markdown", r))
	if !strings.Contains(table, "│ 73%") || !strings.Contains(table, "│ 60%") {
		t.Errorf("table does not show percentages:\n%s", table)
	}
	if !strings.Contains(markdown, "Score **73%**") || !strings.Contains(markdown, "| 60% | 60% | on track |") {
		t.Errorf("markdown does not show percentages:\n%s", markdown)
	}
	if js := string(render(t, "json", r)); !strings.Contains(js, `"score": 0.73`) {
		t.Errorf("json does not keep the number:\n%s", js)
	}
	r.Display = ""
	if table := string(render(t, "table", r)); !strings.Contains(table, "│ 0.73") || !strings.Contains(table, "│ 0.60 ") {
		t.Errorf("table does not show decimals by default:\n%s", table)
	}
}

func TestMarkdownParagraphStarts(t *testing.T) {
	for in, want := range map[string]string{
		"# heading":     `\# heading`,
		"- item":        `\- item`,
		"+ item":        `\+ item`,
		"===":           `\===`,
		"12. item":      `12\. item`,
		"3) item":       `3\) item`,
		"  1. indented": `1\. indented`,
		"2026 was good": "2026 was good",
		"> quote":       "&gt; quote",
		"plain":         "plain",
	} {
		if got := mdPara(in); got != want {
			t.Errorf("mdPara(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestJSONStreamsAsWhole checks that the JSON writer, which encodes a
// report objective by objective, writes the bytes encoding/json writes
// for the whole report: on the examples' cycles, on a report with text
// JSON escapes (HTML characters, control characters, U+2028), and on
// reports with one objective and none.
func TestJSONStreamsAsWhole(t *testing.T) {
	ws := examples(t)
	var reps []*report.Report
	for _, c := range ws.Cycles {
		reps = append(reps, report.Build(ws, c, day))
	}
	odd := report.Build(ws, report.ActiveCycle(ws, day), day)
	if len(odd.Objectives) == 0 {
		t.Fatal("the active cycle has no objectives")
	}
	odd.Objectives[0].Title = "<b>a & b</b> \x01\u2028 \"q\" \\"
	odd.Workspace = "odd <&>"
	one := *odd
	one.Objectives = odd.Objectives[:1]
	none := *odd
	none.Objectives = nil
	empty := *odd
	empty.Objectives = []report.Objective{}
	reps = append(reps, odd, &one, &none, &empty)
	streamed := 0
	for i, r := range reps {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		got := render(t, "json", r)
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("report %d: the streamed JSON differs from encoding/json's:\n%s\nwant:\n%s", i, got, want.Bytes())
		}
		if len(r.Objectives) > 0 {
			streamed++
		}
	}
	if streamed < 3 {
		t.Errorf("only %d reports with objectives", streamed)
	}
}
