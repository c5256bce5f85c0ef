package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/generate"
)

// runAt runs okr with args through Main in dir, with today pinned to day.
func runAt(dir, day string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	env := Env{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Getenv: func(k string) string { return map[string]string{"OKR_TODAY": day}[k] },
		Getwd:  func() (string, error) { return dir, nil },
		Now:    func() time.Time { t, _ := time.Parse("2006-01-02", day); return t.Add(9 * time.Hour) }}
	code = Main(args, env)
	return code, out.String(), errOut.String()
}

// copyWorkspace copies the workspace at from (without examples/invalid)
// into a new temporary folder.
func copyWorkspace(t *testing.T, from string) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			if rel == "invalid" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCarryKeepsSourceReport: after okr carry, the source cycle's report
// is byte-identical to the one before, in every report format, and the new
// cycle validates with no findings; on the example workspace and on a
// generated one. (Issue: carried copies aligned to the old quarter's
// parents pulled their scores down.)
func TestCarryKeepsSourceReport(t *testing.T) {
	cases := []struct {
		name, from, to, day, cycle string
		setup                      func(t *testing.T) string
	}{
		{"examples", "2026-q4", "2027-q1", "2026-12-20",
			"  - {id: 2027-q1, name: Q1 2027, start: 2027-01-01, end: 2027-03-31, cadence: weekly}\n",
			func(t *testing.T) string { return copyWorkspace(t, "../../examples") }},
		{"generated", "2026-q3", "2026-q4", "2026-11-23", "",
			func(t *testing.T) string {
				dir := t.TempDir()
				if err := generate.Write(dir, generate.Spec{Objectives: 120, Seed: 7}); err != nil {
					t.Fatal(err)
				}
				return dir
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := c.setup(t)
			if c.cycle != "" {
				appendFile(t, filepath.Join(dir, "cycles.yaml"), c.cycle)
			}
			if code, _, errOut := runAt(dir, c.day, "validate"); code != 0 {
				t.Fatalf("workspace does not validate before the carry:\n%s", errOut)
			}
			formats := []string{"json", "markdown", "csv", "table"}
			before := map[string]string{}
			for _, f := range formats {
				code, out, errOut := runAt(dir, c.day, "report", "--cycle", c.from, "--format", f)
				if code != 0 {
					t.Fatalf("report %s: exit %d\n%s", f, code, errOut)
				}
				before[f] = out
			}
			code, out, errOut := runAt(dir, c.day, "carry", "--from", c.from, "--to", c.to)
			if code != 0 || !strings.Contains(out, "carried ") {
				t.Fatalf("carry: exit %d\n%s\n%s", code, out, errOut)
			}
			for _, f := range formats {
				_, after, _ := runAt(dir, c.day, "report", "--cycle", c.from, "--format", f)
				if after != before[f] {
					t.Errorf("%s report of %s changed by the carry:\nbefore:\n%s\nafter:\n%s", f, c.from, before[f], after)
				}
			}
			if code, out, errOut := runAt(dir, c.day, "validate"); code != 0 {
				t.Errorf("the new cycle has findings after the carry:\n%s%s", out, errOut)
			}
		})
	}
}
