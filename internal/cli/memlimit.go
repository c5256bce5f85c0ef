package cli

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// okr validate's soft memory limit (docs/performance.md, "Memory"): the
// workspace's bytes times memLimitFactor, at least memLimitFloor, and
// never below what the last garbage collection found live times 7/5 plus
// memLimitSlack. The collector otherwise lets the heap grow to twice what
// it found live (GOGC=100), and the model of a large workspace is about
// 1.2 times its YAML's bytes; under the limit it collects more often
// instead, near the end of the load, for a few percent more CPU. The
// live floor keeps a workspace whose model outgrows its bytes (terse
// flow-style check-ins) from collecting without end: the limit then
// follows the live heap. A small workspace stays under memLimitFloor,
// where the limit changes nothing.
const (
	memLimitFactor = 1.7
	memLimitFloor  = 64 << 20
	memLimitSlack  = 8 << 20
)

// limitMemory returns a validate.Options.Sized hook that sets the Go
// runtime's soft memory limit from the workspace's bytes and keeps it
// above the live heap after every collection, and a function that stops
// that and puts the limit before back (a command run inside a test
// process leaves no limit behind). With GOMEMLIMIT set (GOMEMLIMIT=off
// for none), that limit stands and the hook is nil.
func limitMemory(env Env) (sized func(bytes int64), restore func()) {
	if env.Getenv("GOMEMLIMIT") != "" {
		return nil, func() {}
	}
	prev := debug.SetMemoryLimit(-1)
	var (
		mu   sync.Mutex
		base int64
		done bool
	)
	set := func() { // mu held
		debug.SetMemoryLimit(min(prev, max(memLimitFloor, base, liveHeap()*7/5+memLimitSlack)))
	}
	sized = func(n int64) {
		mu.Lock()
		defer mu.Unlock()
		base = int64(float64(n) * memLimitFactor)
		set()
		afterGC(func() bool {
			mu.Lock()
			defer mu.Unlock()
			if !done {
				set()
			}
			return !done
		})
	}
	restore = func() {
		mu.Lock()
		defer mu.Unlock()
		done = true
		debug.SetMemoryLimit(prev)
	}
	return sized, restore
}

// liveHeap returns the bytes of heap the last garbage collection found
// live.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// afterGC calls f after each garbage collection (on the finalizer
// goroutine) while f returns true: a finalizer on an object nothing
// refers to runs once a collection has found it unreachable, and sets
// itself again.
func afterGC(f func() bool) {
	type sentinel struct {
		_ *int // a pointer: never a tiny allocation, whose finalizer may not run
		_ [8]byte
	}
	var again func(*sentinel)
	again = func(s *sentinel) {
		if f() {
			runtime.SetFinalizer(s, again)
		}
	}
	runtime.SetFinalizer(&sentinel{}, again)
}

// memScope undoes, when Main returns, the memory limits a command set
// for the whole of its run (scoped).
type memScope struct {
	mu   sync.Mutex
	undo []func()
}

// scoped runs restore when the command ends: at once when env has no
// scope (a command run without Main, as tests do).
func (env Env) scoped(restore func()) {
	if env.mem == nil {
		restore()
		return
	}
	env.mem.mu.Lock()
	defer env.mem.mu.Unlock()
	env.mem.undo = append(env.mem.undo, restore)
}

// close runs the restores, the latest first.
func (m *memScope) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.undo) - 1; i >= 0; i-- {
		m.undo[i]()
	}
	m.undo = nil
}
