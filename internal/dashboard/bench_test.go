package dashboard

import (
	"io"
	"testing"

	"github.com/okrkit/okr/internal/generate"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
)

// BenchmarkBuildWrite builds and writes the page of the largest cycle of a
// generated workspace of 1,000 objectives (4 key results, 12 check-ins
// each).
func BenchmarkBuildWrite(b *testing.B) {
	dir := b.TempDir()
	if err := generate.Write(dir, generate.Spec{Objectives: 1000}); err != nil {
		b.Fatal(err)
	}
	res, err := validate.Run(dir, validate.Options{Today: generate.Today})
	if err != nil {
		b.Fatal(err)
	}
	ws := res.Workspace
	per := map[string]int{}
	for _, o := range ws.Objectives {
		per[o.Cycle]++
	}
	var cycle *model.Cycle
	for _, c := range ws.Cycles {
		if cycle == nil || per[c.ID] > per[cycle.ID] {
			cycle = c
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, Build(Input{Workspace: ws, Cycle: cycle, AsOf: generate.Today})); err != nil {
			b.Fatal(err)
		}
	}
}
