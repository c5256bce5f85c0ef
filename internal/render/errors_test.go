package render

import (
	"testing"

	goldenfile "github.com/okrkit/okr/internal/golden"
	"github.com/okrkit/okr/internal/report"
)

// TestWritersReturnWriteErrors: every writer of a report, okr status, okr
// stats and okr tree returns an error when its writes fail.
func TestWritersReturnWriteErrors(t *testing.T) {
	ws := examples(t)
	q4 := report.ActiveCycle(ws, day)
	r := report.Build(ws, q4, day)
	for _, name := range Formats() {
		w, err := NewWriter(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(goldenfile.FailingWriter{}, r); err == nil {
			t.Errorf("report %s: no error", name)
		}
	}
	for _, layout := range StatusFormats {
		if err := WriteStatus(goldenfile.FailingWriter{}, r, layout, Style{}); err == nil {
			t.Errorf("status %s: no error", layout)
		}
	}
	stats := report.BuildStats(ws, q4, day)
	for _, name := range StatsFormats {
		if err := WriteStats(goldenfile.FailingWriter{}, stats, name); err == nil {
			t.Errorf("stats %s: no error", name)
		}
	}
	tree := report.BuildTree(ws, q4, day)
	for _, name := range TreeFormats {
		if err := WriteTree(goldenfile.FailingWriter{}, tree, name); err == nil {
			t.Errorf("tree %s: no error", name)
		}
	}
}
