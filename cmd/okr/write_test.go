package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// okrCmd is the real okr binary (testscript.Main puts it on PATH) run in
// dir, killed when ctx ends.
func okrCmd(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "okr", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OKR_TODAY=2026-11-23", "OKR_GIT_EMAIL=ann@example.com", "NO_COLOR=1", "GITHUB_ACTIONS=")
	return cmd
}

// TestConcurrentCheckinProcesses runs pairs of okr checkin processes at
// once on two key results of one file; every check-in must be in the file
// afterwards. (TestConcurrentCheckins in internal/cli runs 50 pairs in
// goroutines; this checks the lock between processes.)
func TestConcurrentCheckinProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 100 processes")
	}
	dir := t.TempDir()
	files := map[string]string{
		"okr.yaml":    "version: 1\n",
		"org.yaml":    "people:\n  - {id: ann, name: Ann, email: ann@example.com}\n",
		"cycles.yaml": "cycles:\n  - {id: y26, start: 2026-01-01, end: 2026-12-31}\n",
		"objectives/o.yaml": "id: o\ntitle: Two key results\ncycle: y26\nowner: ann\nkey_results:\n" +
			"  - {id: a, title: A, type: increase, start: 0, target: 1000}\n" +
			"  - {id: b, title: B, type: increase, start: 0, target: 1000}\n",
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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	const pairs = 50
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= pairs; i++ {
		date := start.AddDate(0, 0, i).Format("2006-01-02")
		var cmds [2]*exec.Cmd
		var outs [2]bytes.Buffer
		for k, kr := range []string{"a", "b"} {
			cmds[k] = okrCmd(ctx, dir, "checkin", kr, "--value", fmt.Sprint(i), "--date", date)
			cmds[k].Stdout, cmds[k].Stderr = &outs[k], &outs[k]
			if err := cmds[k].Start(); err != nil {
				t.Fatal(err)
			}
		}
		for k, kr := range []string{"a", "b"} {
			if err := cmds[k].Wait(); err != nil || !strings.Contains(outs[k].String(), "recorded "+kr) {
				t.Fatalf("pair %d: okr checkin %s: %v\n%s", i, kr, err, outs[k].String())
			}
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "objectives/o.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= pairs; i++ {
		date := start.AddDate(0, 0, i).Format("2006-01-02")
		if n := strings.Count(string(data), "date: "+date); n != 2 {
			t.Errorf("%d check-ins dated %s in the file, want 2 (one per key result):\n%s", n, date, data)
		}
	}
	var out bytes.Buffer
	v := okrCmd(ctx, dir, "validate")
	v.Stdout, v.Stderr = &out, &out
	if err := v.Run(); err != nil {
		t.Errorf("okr validate after the check-ins: %v\n%s", err, out.String())
	}
}

// TestOutputFolderExit checks the exit codes of the write rules: -o onto a
// folder is an operational error (2); a check-in into a read-only file is
// refused (1), the file unchanged.
func TestOutputFolderExit(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cmd := okrCmd(ctx, examples, "report", "-o", t.TempDir())
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(out.String(), "is a folder") {
		t.Errorf("okr report -o FOLDER: %v, want exit status 2 and \"is a folder\":\n%s", err, out.String())
	}

	dir := t.TempDir()
	for name, data := range map[string]string{
		"okr.yaml":          "version: 1\n",
		"cycles.yaml":       "cycles:\n  - {id: q4, start: 2026-10-01, end: 2026-12-31}\n",
		"objectives/o.yaml": "id: o\ntitle: O\ncycle: q4\nkey_results:\n  - {id: a, title: A, type: increase, start: 0, target: 10}\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	obj := filepath.Join(dir, "objectives", "o.yaml")
	if err := os.Chmod(obj, 0o444); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(obj, 0o644)
	before, _ := os.ReadFile(obj)
	out.Reset()
	cmd = okrCmd(ctx, dir, "checkin", "a", "--value", "3", "--date", "2026-11-20")
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(out.String(), "objectives/o.yaml is read-only") {
		t.Errorf("okr checkin into a read-only file: %v, want exit status 1 naming the file:\n%s", err, out.String())
	}
	if after, _ := os.ReadFile(obj); !bytes.Equal(before, after) {
		t.Errorf("the read-only file changed:\n%s", after)
	}
}
