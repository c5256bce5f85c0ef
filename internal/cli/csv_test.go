package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCSVFlags checks that export csv and import csv hand their flags to
// the action.
func TestCSVFlags(t *testing.T) {
	env := Env{IO: IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}}
	var ex *ExportCSVOptions
	cmd := NewCmdExportCSV(env, &globalOptions{Dir: "ws"}, func(o *ExportCSVOptions) error { ex = o; return nil })
	cmd.SetArgs([]string{"--cycle", "2026-q4", "-o", "k.csv", "--checkins", "c.csv", "--initiatives", "i.csv"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if ex.Dir != "ws" || ex.Cycle != "2026-q4" || ex.Output != "k.csv" || ex.Checkins != "c.csv" || ex.Initiatives != "i.csv" {
		t.Errorf("export options = %+v", ex)
	}
	var im *ImportCSVOptions
	cmd = NewCmdImportCSV(env, &globalOptions{}, func(o *ImportCSVOptions) error { im = o; return nil })
	cmd.SetArgs([]string{"k.csv", "--checkins", "c.csv", "--initiatives", "i.csv", "--update", "--dry-run"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if im.File != "k.csv" || im.Checkins != "c.csv" || im.Initiatives != "i.csv" || !im.Update || !im.DryRun {
		t.Errorf("import options = %+v", im)
	}
}

// TestCSVExitCodes checks the exit codes: 0 for an import, 1 for a sheet
// that is refused (nothing written), 2 for a usage error.
func TestCSVExitCodes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"okr.yaml":    "version: 1\n",
		"cycles.yaml": "cycles:\n  - {id: 2026-q4, start: 2026-10-01, end: 2026-12-31}\n",
		"good.csv":    "objective,objective_title,cycle\nship,Ship,2026-q4\n",
		"bad.csv":     "objective,objective_title,cycle\nship,Ship,2031-q1\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		env := Env{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
			Getenv: func(k string) string {
				if k == "OKR_TODAY" {
					return "2026-11-23"
				}
				return ""
			},
			Getwd: func() (string, error) { return dir, nil },
			Now:   func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }}
		return Main(args, env), out.String() + errOut.String()
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "csv", "bad.csv"}, ExitFindings, "bad.csv:2:3: error: objective \"ship\" is in cycle \"2031-q1\", which cycles.yaml does not define [unknown-cycle]"},
		{[]string{"import", "csv"}, ExitError, "okr: error: okr import csv takes one FILE, the key-result sheet"},
		{[]string{"import", "csv", "missing.csv"}, ExitError, "okr: error: read missing.csv: no such file or directory"},
		{[]string{"export", "csv", "--cycle", "2031"}, ExitError, `okr: error: --cycle "2031" is not a cycle in cycles.yaml`},
		{[]string{"import", "csv", "good.csv"}, ExitOK, "created objectives/2026-q4/ship.yaml (objective ship, 0 key results)"},
		{[]string{"import", "csv", "good.csv"}, ExitFindings, `good.csv:2:1: error: objective "ship" is already in the workspace`},
		{[]string{"export", "csv"}, ExitOK, "ship,Ship,2026-q4,"},
	} {
		code, out := run(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("okr %s: exit %d, output:\n%s\nwant exit %d and %q", strings.Join(tc.args, " "), code, out, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "objectives/2031-q1")); err == nil {
		t.Errorf("the refused import wrote a folder")
	}
}
