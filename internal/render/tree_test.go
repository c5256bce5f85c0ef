package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
)

func TestGoldenTree(t *testing.T) {
	ws := examples(t)
	tree := report.BuildTree(ws, report.ActiveCycle(ws, day), day)
	for _, f := range TreeFormats {
		var buf bytes.Buffer
		if err := WriteTree(&buf, tree, f); err != nil {
			t.Fatal(err)
		}
		golden(t, "tree-q4."+f, buf.Bytes())
	}
	if err := WriteTree(&bytes.Buffer{}, tree, "svg"); err == nil {
		t.Fatal("unknown tree format accepted")
	}
}

func TestTreeShapes(t *testing.T) {
	q := &model.Cycle{ID: "q", Start: model.Date{Year: 2026, Month: 10, Day: 1}, End: model.Date{Year: 2026, Month: 12, Day: 31}}
	ws := &model.Workspace{Cycles: []*model.Cycle{q}, Objectives: []*model.Objective{
		{ID: "top", Title: `Say "hi" <b>&</b>`, Level: "company", Cycle: "q", Weight: 1},
		{ID: "mid", Title: "Mid", Cycle: "q", Weight: 1, AlignsTo: []*model.Alignment{{Objective: "top", Weight: 0.5}}},
		{ID: "two", Title: "Two parents", Cycle: "q", Weight: 1, AlignsTo: []*model.Alignment{{Objective: "top", Weight: 1}, {Objective: "mid", Weight: 1}}},
		{ID: "other", Title: "Other cycle", Cycle: "x", Weight: 1},
	}}
	tree := report.BuildTree(ws, q, day)
	if len(tree.Nodes) != 3 || len(tree.Links) != 3 {
		t.Fatalf("%d nodes, %d links; want 3 and 3 (other cycle left out)", len(tree.Nodes), len(tree.Links))
	}
	out := func(f string) string {
		var buf bytes.Buffer
		if err := WriteTree(&buf, tree, f); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	text := out("text")
	if strings.Count(text, "two  Two parents") != 2 || !strings.Contains(text, "(shown above)") || !strings.Contains(text, "[link 0.5]") {
		t.Errorf("text tree:\n%s", text)
	}
	if m := out("mermaid"); strings.Contains(m, `"hi"`) || strings.Contains(m, "<b>") || !strings.Contains(m, "-->|0.5|") {
		t.Errorf("mermaid does not escape or label:\n%s", m)
	}
	if d := out("dot"); !strings.Contains(d, `Say \"hi\"`) || !strings.Contains(d, `[label="0.5"]`) {
		t.Errorf("dot does not escape or label:\n%s", d)
	}
}
