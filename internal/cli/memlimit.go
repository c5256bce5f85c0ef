package cli

import "runtime/debug"

// okr validate's soft memory limit (docs/performance.md, "Memory"): the
// workspace's bytes times memLimitFactor, at least memLimitFloor. The
// garbage collector otherwise lets the heap grow to twice what it found
// live (GOGC=100), and the model of a large workspace is about 1.2 times
// its YAML's bytes; under the limit it collects more often instead, near
// the end of the load, for a few percent more CPU. A small workspace
// stays under the floor, where the limit changes nothing.
const (
	memLimitFactor = 1.75
	memLimitFloor  = 64 << 20
)

// limitMemory returns a validate.Options.Sized hook that sets the Go
// runtime's soft memory limit from the workspace's bytes, and a function
// that puts the limit before back (a command run inside a test process
// leaves no limit behind). With GOMEMLIMIT set (GOMEMLIMIT=off for none),
// that limit stands and the hook is nil.
func limitMemory(env Env) (sized func(bytes int64), restore func()) {
	if env.Getenv("GOMEMLIMIT") != "" {
		return nil, func() {}
	}
	prev := debug.SetMemoryLimit(-1)
	return func(n int64) {
			debug.SetMemoryLimit(min(prev, max(memLimitFloor, int64(float64(n)*memLimitFactor))))
		}, func() {
			debug.SetMemoryLimit(prev)
		}
}
