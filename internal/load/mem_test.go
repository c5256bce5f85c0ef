package load

import (
	"os"
	"runtime"
	"testing"

	"github.com/okrkit/okr/internal/generate"
	"github.com/okrkit/okr/internal/inert"
)

// BenchmarkLoadLiveHeap loads a generated workspace and reports what the
// loaded model keeps alive once the garbage collector has run: live-MB (the
// heap in use) and live-objects. It
// loads it twice: with every check-in text (all, as okr report does) and
// as okr validate does (validate: no check-in text but what its rules
// report, validate.Options.NoCheckinText).
// OKR_BENCH_DIR names a workspace to load (such as one .ci/mem-bench.sh
// generates); without it, a workspace of 1,000 objectives is generated.
// docs/performance.md ("Memory") records the numbers.
func BenchmarkLoadLiveHeap(b *testing.B) {
	dir := os.Getenv("OKR_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
		if err := generate.Write(dir, generate.Spec{Objectives: 1000, KRsPerObjective: 4, CheckinsPerKR: 12}); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		opts Options
	}{
		{"all", Options{}},
		{"validate", Options{CheckinText: func(s string) bool { return inert.First(s) != "" }}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var before, after runtime.MemStats
			var res *Result
			for b.Loop() {
				res = nil
				runtime.GC()
				runtime.ReadMemStats(&before)
				var err error
				if res, err = Load(dir, c.opts); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
			}
			if len(res.Workspace.Objectives) == 0 {
				b.Fatal("no objectives loaded")
			}
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "live-MB")
			b.ReportMetric(float64(after.HeapObjects-before.HeapObjects), "live-objects")
			runtime.KeepAlive(res)
		})
	}
}
