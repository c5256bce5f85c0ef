package trend

import (
	"errors"
	"testing"

	"github.com/okrkit/okr/internal/golden"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
)

// TestFromHistory feeds states as a walk does: a week is scored from the
// files in force at its end, weeks before the first state from nothing,
// and the weeks after the last state by Finish.
func TestFromHistory(t *testing.T) {
	day := func(d int) model.Date { return model.NewDate(2026, 10, d) }
	cycle := &model.Cycle{ID: "q4", Start: day(1), End: model.NewDate(2026, 12, 31)}
	obj := &load.File{Path: "objectives/o.yaml", Kind: load.KindObjective, Part: model.Workspace{Objectives: []*model.Objective{
		{ID: "o", Cycle: "q4", KeyResults: []*model.KeyResult{{ID: "k", Type: model.Increase, Start: new(0.0), Target: new(10.0)}}},
	}}}
	h := NewFromHistory(cycle, []model.Date{day(4), day(11), day(18)})
	h.Apply(day(6), "c1", []FileChange{{Path: obj.Path, New: obj}})
	h.Apply(day(15), "c2", []FileChange{{Path: obj.Path}}) // removed
	s := h.Finish(day(20))
	type week struct {
		date, commit string
		hasO         bool
	}
	want := []week{{"2026-10-04", "", false}, {"2026-10-11", "c1", true}, {"2026-10-18", "c2", false}}
	if len(s.Weeks) != len(want) {
		t.Fatalf("%d weeks, want %d", len(s.Weeks), len(want))
	}
	for i, w := range s.Weeks {
		_, hasO := w.Scores["o"]
		if got := (week{w.Date, w.Commit, hasO}); got != want[i] {
			t.Errorf("week %d = %+v, want %+v", i, got, want[i])
		}
	}
	if !s.FromHistory {
		t.Error("FromHistory not set")
	}
}

// TestWritersReturnWriteErrors: every trend writer returns the error of a
// write that fails.
func TestWritersReturnWriteErrors(t *testing.T) {
	weekly := &Weekly{Cycle: "q4", Weeks: []Week{{Date: "2026-10-04"}}}
	kr := &KRSeries{KeyResult: "k", Points: []Point{{Date: "2026-10-04"}}}
	for _, name := range Formats() {
		w, err := NewWriter(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Weekly(golden.FailingWriter{}, weekly); !errors.Is(err, golden.ErrWrite) {
			t.Errorf("%s Weekly: error %v, want %v", name, err, golden.ErrWrite)
		}
		if err := w.KeyResult(golden.FailingWriter{}, kr); !errors.Is(err, golden.ErrWrite) {
			t.Errorf("%s KeyResult: error %v, want %v", name, err, golden.ErrWrite)
		}
	}
}
