package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestLimitMemory checks okr validate's memory limit: set from the
// workspace's bytes (the floor for a small one), put back afterwards, and
// never set when GOMEMLIMIT is.
func TestLimitMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	debug.SetMemoryLimit(math.MaxInt64)
	env := Env{Getenv: func(string) string { return "" }}
	for _, c := range []struct {
		bytes, want int64
	}{
		{1 << 20, memLimitFloor},
		{100 << 20, 175 << 20},
	} {
		sized, restore := limitMemory(env)
		sized(c.bytes)
		if got := debug.SetMemoryLimit(-1); got != c.want {
			t.Errorf("%d bytes: limit %d, want %d", c.bytes, got, c.want)
		}
		restore()
		if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
			t.Errorf("%d bytes: limit %d after restore, want none", c.bytes, got)
		}
	}
	// A lower limit already set stands.
	debug.SetMemoryLimit(50 << 20)
	sized, restore := limitMemory(env)
	sized(100 << 20)
	if got := debug.SetMemoryLimit(-1); got != 50<<20 {
		t.Errorf("limit %d over a lower one, want it kept (%d)", got, 50<<20)
	}
	restore()
	env.Getenv = func(k string) string {
		if k == "GOMEMLIMIT" {
			return "off"
		}
		return ""
	}
	if sized, _ := limitMemory(env); sized != nil {
		t.Error("GOMEMLIMIT set, yet okr sets a limit")
	}
}
