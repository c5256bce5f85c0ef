package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	goldenfile "github.com/okrkit/okr/internal/golden"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/model"
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

func render(t *testing.T, format string, r *Report) []byte {
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
	q4 := ActiveCycle(ws, day)
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
		golden(t, "q4."+ext, render(t, f, Build(ws, q4, day)))
		golden(t, "q3."+ext, render(t, f, Build(ws, q3, day)))
	}
}

// TestDeterministic checks that no view's output depends on GOMAXPROCS or
// on the run.
func TestDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	all := func() []byte {
		ws := examples(t)
		c := ActiveCycle(ws, day)
		r := Build(ws, c, day)
		var buf bytes.Buffer
		for _, f := range Formats() {
			buf.Write(render(t, f, r))
		}
		for _, f := range StatsFormats {
			if err := WriteStats(&buf, BuildStats(ws, c, day), f); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range TreeFormats {
			if err := WriteTree(&buf, BuildTree(ws, c, day), f); err != nil {
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
	var r Report
	if err := json.Unmarshal(render(t, "json", Build(ws, ActiveCycle(ws, day), day)), &r); err != nil {
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
	if r.Version != Version || r.Cycle.ID != "2026-q4" || r.AsOf != "2026-11-23" || total != krs || krs == 0 {
		t.Fatalf("version %d cycle %s as_of %s counts %d for %d key results", r.Version, r.Cycle.ID, r.AsOf, total, krs)
	}
}

// TestAsOf checks that check-ins after the report date do not count.
func TestAsOf(t *testing.T) {
	ws := examples(t)
	q4 := ActiveCycle(ws, day)
	early := Build(ws, q4, model.Date{Year: 2026, Month: 10, Day: 1})
	for _, o := range early.Objectives {
		for _, k := range o.KeyResults {
			if k.Current != nil || k.Progress != 0 || k.LastCheckin != "" {
				t.Fatalf("%s has data on 2026-10-01, before any check-in: %+v", k.ID, k)
			}
		}
	}
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	r := &Report{Cycle: Cycle{ID: "q"}, AsOf: "2026-11-23", Objectives: []Objective{{
		ID: "o", Title: "=HYPERLINK(\"http://evil\")", Owner: "@ann",
		KeyResults: []KeyResult{{ID: "k", Title: "+1 more", Owner: "-x", Progress: 0.5, Score: 0.5, Status: "on_track"}},
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
	r := &Report{Cycle: Cycle{ID: "q"}, AsOf: "2026-11-23", Counts: map[string]int{}, Objectives: []Objective{{
		ID: "o", Title: "a | b <script>alert(1)</script>\nnext",
	}}}
	out := string(render(t, "markdown", r))
	if strings.Contains(out, "<script>") || strings.Contains(out, "a | b") || strings.Contains(out, "\nnext") {
		t.Fatalf("markdown does not escape workspace text:\n%s", out)
	}
}
