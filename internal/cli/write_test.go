package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
)

// concurrentWorkspace writes a workspace with one objective file holding
// key results a and b, and returns its folder.
func concurrentWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"okr.yaml":    "version: 1\n",
		"org.yaml":    "people:\n  - {id: ann, name: Ann, email: ann@example.com}\n",
		"cycles.yaml": "cycles:\n  - {id: y26, start: 2026-01-01, end: 2026-12-31}\n",
		"objectives/o.yaml": `# comments survive
id: o
title: Both key results get check-ins at once
cycle: y26
owner: ann
key_results:
  - id: a
    title: A
    type: increase
    start: 0
    target: 1000
  - id: b
    title: B
    type: increase
    start: 0
    target: 1000
`,
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestConcurrentCheckins runs 50 pairs of okr checkin at once, in
// goroutines of this process, on two key results of one file: each pair
// starts together (a barrier, no sleeps), both must be recorded, and at
// the end the file holds all 100 check-ins. Without the workspace lock
// about half the pairs lost one (issue 16).
func TestConcurrentCheckins(t *testing.T) {
	dir := concurrentWorkspace(t)
	run := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		env := Env{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
			Getenv: func(k string) string {
				return map[string]string{"OKR_TODAY": "2026-11-23", "OKR_GIT_EMAIL": "ann@example.com"}[k]
			},
			Getwd: func() (string, error) { return dir, nil },
			Now:   func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }}
		return Main(args, env), out.String() + errOut.String()
	}
	const pairs = 50
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= pairs; i++ {
		date := start.AddDate(0, 0, i).Format("2006-01-02")
		var wg sync.WaitGroup
		gate := make(chan struct{})
		codes, outs := [2]int{}, [2]string{}
		for k, kr := range []string{"a", "b"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				codes[k], outs[k] = run("checkin", kr, "--value", fmt.Sprint(i), "--date", date)
			}()
		}
		close(gate)
		wg.Wait()
		for k, kr := range []string{"a", "b"} {
			if codes[k] != 0 || !strings.Contains(outs[k], "recorded "+kr+" = ") {
				t.Fatalf("pair %d: okr checkin %s exited %d:\n%s", i, kr, codes[k], outs[k])
			}
		}
	}
	res, err := validate.Run(dir, validate.Options{Today: mustDate(t, "2026-11-23")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) > 0 {
		t.Errorf("workspace after the check-ins: %v", res.Diagnostics)
	}
	for _, kr := range res.Workspace.Objectives[0].KeyResults {
		if len(kr.Checkins) != pairs {
			t.Errorf("key result %s has %d check-ins, want %d: a concurrent check-in was lost", kr.ID, len(kr.Checkins), pairs)
		}
		for i, c := range kr.Checkins {
			if got, want := c.Date.String(), start.AddDate(0, 0, i+1).Format("2006-01-02"); got != want {
				t.Errorf("key result %s check-in %d is dated %s, want %s", kr.ID, i, got, want)
			}
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "objectives/o.yaml"))
	if !bytes.HasPrefix(data, []byte("# comments survive\n")) {
		t.Errorf("the comment was lost:\n%s", data)
	}
}

func mustDate(t *testing.T, s string) model.Date {
	t.Helper()
	d, err := model.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
