package render

import (
	"io"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/okrkit/okr/internal/generate"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/validate"
)

var (
	benchOnce sync.Once
	benchWS   *model.Workspace
	benchErr  error
)

// benchWorkspace loads a generated workspace: OKR_BENCH_DIR when set (as
// .ci/bench.sh does), else OKR_BENCH_OBJECTIVES (default 1,000) objectives
// generated into a temporary folder.
func benchWorkspace(b *testing.B) *model.Workspace {
	benchOnce.Do(func() {
		dir := os.Getenv("OKR_BENCH_DIR")
		if dir == "" {
			n, _ := strconv.Atoi(os.Getenv("OKR_BENCH_OBJECTIVES"))
			if n <= 0 {
				n = 1000
			}
			tmp, err := os.MkdirTemp("", "okr-report-bench-")
			if err != nil {
				benchErr = err
				return
			}
			defer os.RemoveAll(tmp)
			if benchErr = generate.Write(tmp, generate.Spec{Objectives: n, KRsPerObjective: 4, CheckinsPerKR: 12}); benchErr != nil {
				return
			}
			dir = tmp
		}
		res, err := validate.Run(dir, validate.Options{Today: generate.Today})
		if err != nil {
			benchErr = err
			return
		}
		benchWS = res.Workspace
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchWS
}

// BenchmarkReport builds and writes the report of every cycle of the
// generated workspace (scores, rollups, statuses, forecasts), as
// `okr report --format json` does after loading.
func BenchmarkReport(b *testing.B) {
	ws := benchWorkspace(b)
	w, err := NewWriter("json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, c := range ws.Cycles {
			if err := w.Write(io.Discard, report.Build(ws, c, generate.Today)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkTable writes the table (okr report's and okr snapshot's default
// format) of one cycle's report of the generated workspace, built once.
func BenchmarkTable(b *testing.B) {
	ws := benchWorkspace(b)
	w, err := NewWriter("table")
	if err != nil {
		b.Fatal(err)
	}
	r := report.Build(ws, ws.Cycles[0], generate.Today)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.Write(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
