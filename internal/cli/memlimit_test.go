package cli

import (
	"bytes"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/model"
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
		{100 << 20, 170 << 20},
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
	// The limit stays above the live heap: 7/5 of it and the slack.
	live := make([]byte, 80<<20)
	runtime.GC()
	sized, restore := limitMemory(env)
	sized(1 << 20)
	if got := debug.SetMemoryLimit(-1); got < int64(len(live))*7/5+memLimitSlack {
		t.Errorf("limit %d with %d bytes live, want at least %d", got, len(live), int64(len(live))*7/5+memLimitSlack)
	}
	restore()
	runtime.KeepAlive(live)
	// A lower limit already set stands.
	debug.SetMemoryLimit(50 << 20)
	sized, restore = limitMemory(env)
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

// TestAfterGC checks that afterGC's function runs after collections until
// it returns false.
func TestAfterGC(t *testing.T) {
	calls := make(chan int, 10)
	n := 0
	afterGC(func() bool {
		n++
		calls <- n
		return n < 2
	})
	for want := 1; want <= 2; want++ {
		got := 0
		for deadline := time.Now().Add(5 * time.Second); got == 0 && time.Now().Before(deadline); {
			runtime.GC()
			select {
			case got = <-calls:
			case <-time.After(10 * time.Millisecond):
			}
		}
		if got != want {
			t.Fatalf("call %d after a collection: got %d", want, got)
		}
	}
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case got := <-calls:
		t.Errorf("called again (%d) after returning false", got)
	default:
	}
}

// TestReportLimitScoped checks that a command loading the workspace for
// a report keeps okr validate's memory limit to its end, and that Main
// puts the limit before back when it returns.
func TestReportLimitScoped(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	debug.SetMemoryLimit(math.MaxInt64)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	env := pinnedEnv(&out, &errOut, "2026-11-23", wd, time.Now())
	// Within the command: loadWorkspace with a scope, as Main runs it.
	scoped := env
	scoped.mem = &memScope{}
	if _, err := loadWorkspace(scoped, "../../examples", model.Date{Year: 2026, Month: 11, Day: 23}, "", true); err != nil {
		t.Fatal(err)
	}
	// The floor, or above it when the test process's live heap is large.
	if got := debug.SetMemoryLimit(-1); got == math.MaxInt64 || got < memLimitFloor {
		t.Errorf("limit %d after the load, want at least %d until the command ends", got, memLimitFloor)
	}
	scoped.mem.close()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit %d after the command, want none", got)
	}
	// Through Main.
	if code := Main([]string{"-C", "../../examples", "report", "--format", "json"}, env); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit %d after Main, want none", got)
	}
}

// TestLoadWorkspaceNotes checks that the outputs printing no check-in
// notes load none (the model is validate's size), and that the dashboard,
// whose charts show them, keeps them.
func TestLoadWorkspaceNotes(t *testing.T) {
	var out, errOut bytes.Buffer
	env := pinnedEnv(&out, &errOut, "2026-11-23", ".", time.Now())
	day := model.Date{Year: 2026, Month: 11, Day: 23}
	notes := func(ws *model.Workspace) (n int, kelvin bool) {
		for _, o := range ws.Objectives {
			for _, kr := range o.KeyResults {
				for i := range kr.Checkins {
					if note := kr.Checkins[i].Note(); note != "" {
						n++
						kelvin = kelvin || note == "Kelvin HR signed."
					}
				}
			}
		}
		return n, kelvin
	}
	without, err := loadWorkspace(env, "../../examples", day, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := notes(without); n != 0 {
		t.Errorf("loaded without notes: %d check-ins have a note", n)
	}
	with, err := loadWorkspace(env, "../../examples", day, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if n, kelvin := notes(with); n == 0 || !kelvin {
		t.Errorf("loaded with notes: %d notes, Kelvin HR's found: %v", n, kelvin)
	}
}
