package validate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/generate"
	"github.com/okrkit/okr/internal/load"
	"go.yaml.in/yaml/v3"
)

// The benchmarks share one generated workspace: OKR_BENCH_OBJECTIVES
// objectives (default 1,000; .ci/bench.sh uses 10,000) of 4 key results with
// 12 check-ins each, written once into a temporary folder. OKR_BENCH_DIR
// names an existing workspace to use instead, such as one written by
// generate's TestGenerateForBench.
var (
	benchOnce  sync.Once
	benchDir   string
	benchTemp  string // removed by TestMain
	benchFiles []string
	benchBytes int64
	benchErr   error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchTemp != "" {
		os.RemoveAll(benchTemp)
	}
	os.Exit(code)
}

// benchWorkers is the parallelism of both benchmarks: what validate.Run uses
// by default.
func benchWorkers() int { return runtime.GOMAXPROCS(0) }

func benchWorkspace(b *testing.B) (dir string, files []string, size int64) {
	b.Helper()
	benchOnce.Do(func() {
		benchDir = os.Getenv("OKR_BENCH_DIR")
		if benchDir == "" {
			n := 1000
			if v := os.Getenv("OKR_BENCH_OBJECTIVES"); v != "" {
				if n, benchErr = strconv.Atoi(v); benchErr != nil || n < 1 {
					benchErr = fmt.Errorf("OKR_BENCH_OBJECTIVES=%q is not a positive number", v)
					return
				}
			}
			if benchTemp, benchErr = os.MkdirTemp("", "okr-bench-"); benchErr != nil {
				return
			}
			benchDir = benchTemp
			if benchErr = generate.Write(benchDir, generate.Spec{Objectives: n, KRsPerObjective: 4, CheckinsPerKR: 12}); benchErr != nil {
				return
			}
		}
		// The same files the loader reads: the three top-level files and
		// every YAML file under objectives/.
		for _, f := range []string{load.MarkerFile, load.OrgFile, load.CyclesFile} {
			benchFiles = append(benchFiles, filepath.Join(benchDir, f))
		}
		benchErr = filepath.WalkDir(filepath.Join(benchDir, load.ObjectivesDir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(p) != ".yaml" {
				return err
			}
			benchFiles = append(benchFiles, p)
			return nil
		})
		sort.Strings(benchFiles[3:])
		for _, f := range benchFiles {
			fi, err := os.Stat(f)
			if err != nil {
				benchErr = err
				return
			}
			benchBytes += fi.Size()
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir, benchFiles, benchBytes
}

// parseAll reads and parses every file into a yaml.Node tree with workers
// goroutines pulling file indices from a channel, as load.Load does. With
// keep, the trees are held until every file is parsed; without, each is
// dropped at once. Which is faster depends on the garbage collector: a
// large live heap means fewer collections, so under the default GOGC
// keeping them is usually faster.
func parseAll(files []string, workers int, keep bool) error {
	errs := make([]error, len(files))
	roots := make([]*yaml.Node, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				data, err := os.ReadFile(files[i])
				if err == nil {
					// The parser okr uses: the block-YAML fast path, and
					// yaml.v3 for anything outside it.
					doc, ds := load.Parse(files[i], load.KindObjective, data)
					if len(ds) > 0 {
						err = fmt.Errorf("%s", ds[0])
					}
					if keep {
						roots[i] = doc.Root
					}
				}
				errs[i] = err
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// benchmark runs op b.N times on the benchmark workspace, reporting its
// size as bytes processed.
func benchmark(b *testing.B, op func(dir string, files []string) error) {
	dir, files, size := benchWorkspace(b)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := op(dir, files); err != nil {
			b.Fatal(err)
		}
	}
}

func clean(ds []diag.Diagnostic) error {
	if len(ds) != 0 {
		return fmt.Errorf("%d diagnostics, first %s", len(ds), ds[0])
	}
	return nil
}

// BenchmarkParseFloor reads every file of the workspace and parses it into
// a yaml.Node tree with load.Parse (okr's parser: the block-YAML fast path,
// yaml.v3 outside it), nothing else: the floor under any validator that
// reports YAML positions. The trees are kept until the end.
func BenchmarkParseFloor(b *testing.B) {
	benchmark(b, func(_ string, files []string) error { return parseAll(files, benchWorkers(), true) })
}

// BenchmarkParseFloorDiscard is BenchmarkParseFloor dropping each tree as
// soon as it is parsed. .ci/bench.sh compares validate with the faster of
// the two floors.
func BenchmarkParseFloorDiscard(b *testing.B) {
	benchmark(b, func(_ string, files []string) error { return parseAll(files, benchWorkers(), false) })
}

// BenchmarkLoad runs the loader alone: discovery, size cap, UTF-8 check,
// parsing, the duplicate-key and alias scan and decoding the model; no
// schema and no semantic rules.
func BenchmarkLoad(b *testing.B) {
	benchmark(b, func(dir string, _ []string) error {
		res, err := load.Load(dir, load.Options{Workers: benchWorkers()})
		if err != nil {
			return err
		}
		return clean(res.Diagnostics)
	})
}

// BenchmarkValidate runs the whole of validate.Run, as `okr validate` does.
func BenchmarkValidate(b *testing.B) {
	benchmark(b, func(dir string, _ []string) error {
		res, err := Run(dir, Options{Today: generate.Today, Workers: benchWorkers()})
		if err != nil {
			return err
		}
		return clean(res.Diagnostics)
	})
}

// BenchmarkSemantic runs the rules that need the whole workspace on the
// benchmark workspace, loaded once: what okr snapshot, diff and trend run
// on each version they load from history (its files are parsed, not
// schema-checked).
func BenchmarkSemantic(b *testing.B) {
	dir, _, _ := benchWorkspace(b)
	res, err := load.Load(dir, load.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := clean(Semantic(res.Workspace, generate.Today)); err != nil {
			b.Fatal(err)
		}
	}
}
