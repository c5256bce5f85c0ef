package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/history"
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
		env := pinnedEnv(&out, &errOut, "2026-11-23", dir, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
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

// editWorkspace writes a small workspace for the authoring commands and
// returns a runner of okr in it, with the exit code and all output.
func editWorkspace(t *testing.T, extra map[string]string) (string, func(args ...string) (int, string)) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"okr.yaml":    "version: 1\nconfidence_scale: {min: 1, max: 10}\n",
		"org.yaml":    "people:\n  - {id: ann, name: Ann, email: ann@example.com}\n",
		"cycles.yaml": "cycles:\n  - {id: 2026-q4, start: 2026-10-01, end: 2026-12-31}\n",
		"objectives/grow.yaml": "id: grow\ntitle: Grow\ncycle: 2026-q4\nkey_results:\n" +
			"  - id: signups\n    title: Sign-ups\n    type: increase\n    start: 0\n    target: 100\n" +
			"  - {id: beta, title: Beta, type: milestone, checkins: [{date: 2026-10-05, value: false}] # why\n    }\n",
	}
	for name, text := range extra {
		files[name] = text
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		env := Env{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
			Getenv: func(k string) string {
				return map[string]string{"OKR_TODAY": "2026-11-23", "OKR_GIT_EMAIL": "ann@example.com"}[k]
			},
			Getwd: func() (string, error) { return dir, nil },
			Now:   func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }}
		return Main(args, env), out.String() + errOut.String()
	}
}

// TestCheckinExitCodes checks the split of docs/authoring.md: input okr
// read and judged (a value of the wrong type, an unknown key result, a
// date outside the cycle, a layout it cannot edit) is refused with exit 1
// and the file untouched; a command line of the wrong shape is a usage
// error, exit 2.
func TestCheckinExitCodes(t *testing.T) {
	dir, run := editWorkspace(t, nil)
	file := filepath.Join(dir, "objectives/grow.yaml")
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"checkin", "signups", "--value", "lots"}, ExitFindings, `value "lots" is not a number, and key result signups (increase) takes one`},
		{[]string{"checkin", "signups", "--value", "0x1p4"}, ExitFindings, `value "0x1p4" is not a number`},
		{[]string{"checkin", "signups", "--value", "NaN"}, ExitFindings, `value "NaN" is not a number`},
		{[]string{"checkin", "signups", "--value", "Inf"}, ExitFindings, `value "Inf" is not a number`},
		{[]string{"checkin", "signups", "--value", "1", "--confidence", "0x8"}, ExitFindings, `confidence "0x8" is not a number`},
		{[]string{"checkin", "beta", "--value", "7"}, ExitFindings, `value "7" is not true or false, and key result beta is a milestone`},
		{[]string{"checkin", "signup", "--value", "1"}, ExitFindings, `no key result "signup" in the workspace (did you mean signups?)`},
		{[]string{"checkin", "signups", "--value", "1", "--date", "2027-01-04"}, ExitFindings, "[checkin-outside-cycle]"},
		{[]string{"checkin", "signups", "--value", "1", "--date", "2026-11-31"}, ExitFindings, `date "2026-11-31" is not a date`},
		{[]string{"checkin", "signups", "--value", "1", "--confidence", "11"}, ExitFindings, "[confidence-scale]"},
		{[]string{"checkin", "beta", "--value", "true"}, ExitFindings, "a flow collection with a comment inside; nothing was written"},
		{[]string{"checkin", "signups", "--value", "1", "--answer", "progress"}, ExitError, `--answer "progress" is not QUESTION=ANSWER`},
		{[]string{"checkin", "signups"}, ExitError, "--value is required"},
		{[]string{"checkin", "--from", "missing.csv"}, ExitError, "read missing.csv"},
	} {
		code, out := run(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("okr %s: exit %d, output:\n%s\nwant exit %d and %q", strings.Join(tc.args, " "), code, out, tc.code, tc.want)
		}
		if after, _ := os.ReadFile(file); !bytes.Equal(after, before) {
			t.Fatalf("okr %s changed the file:\n%s", strings.Join(tc.args, " "), after)
		}
	}
	// The value echoed is the one written.
	code, out := run("checkin", "signups", "--value", "1.5e1", "--date", "2026-11-20")
	if code != ExitOK || !strings.Contains(out, "recorded signups = 15 in objectives/grow.yaml") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	if after, _ := os.ReadFile(file); !strings.Contains(string(after), "\n        value: 15\n") {
		t.Errorf("the file does not hold value 15:\n%s", after)
	}
}

// TestNewExitCodes checks the same split for okr new, and the note on a
// derived id that is taken.
func TestNewExitCodes(t *testing.T) {
	dir, run := editWorkspace(t, nil)
	file := filepath.Join(dir, "objectives/grow.yaml")
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"new", "kr", "--objective", "grow", "--title", "T", "--type", "increase", "--start", "0x10", "--target", "1"}, ExitFindings, `--start "0x10" is not a number; nothing was written`},
		{[]string{"new", "kr", "--objective", "grow", "--title", "T", "--type", "increase", "--start", "0", "--target", "Infinity"}, ExitFindings, `--target "Infinity" is not a number`},
		{[]string{"new", "kr", "--objective", "nope", "--title", "T", "--type", "milestone"}, ExitFindings, `no objective "nope" in the workspace`},
		{[]string{"new", "kr", "--objective", "grow", "--id", "grow", "--title", "T", "--type", "milestone"}, ExitFindings, `an objective with id "grow" already exists`},
		{[]string{"new", "cycle", "--id", "x", "--start", "2026-02-30", "--end", "2026-03-31"}, ExitFindings, `--start "2026-02-30" is not a date`},
		{[]string{"new", "kr", "--title", "T"}, ExitError, "--objective is required"},
	} {
		code, out := run(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("okr %s: exit %d, output:\n%s\nwant exit %d and %q", strings.Join(tc.args, " "), code, out, tc.code, tc.want)
		}
		if after, _ := os.ReadFile(file); !bytes.Equal(after, before) {
			t.Fatalf("okr %s changed the file:\n%s", strings.Join(tc.args, " "), after)
		}
	}
	code, out := run("new", "objective", "--title", "Signups", "--cycle", "2026-q4")
	want := `okr: note: id "signups" is taken by a key result, so the new objective gets id "signups-2" (give --id to choose another)`
	if code != ExitOK || !strings.Contains(out, want) || !strings.Contains(out, "created objective signups-2 in objectives/signups-2.yaml") {
		t.Errorf("exit %d, output:\n%s\nwant %q", code, out, want)
	}
}

// TestCheckinGlobalIdentity checks that --commit and init read the
// global git configuration as git does: GIT_CONFIG_GLOBAL alone when set,
// else the XDG file and then ~/.gitconfig, whose settings win.
func TestCheckinGlobalIdentity(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, name, email string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		text := "[user]\n"
		if name != "" {
			text += "\tname = " + name + "\n"
		}
		if email != "" {
			text += "\temail = " + email + "\n"
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("home/.gitconfig", "Home", "")
	write("home/.config/git/config", "Default XDG", "default-xdg@example.com")
	write("xdg/git/config", "XDG", "xdg@example.com")
	write("global", "Global", "global@example.com")
	write("homeonly/.gitconfig", "Only", "only@example.com")
	for _, tc := range []struct {
		name, global, xdg, home string
		wantName, wantEmail     string
	}{
		{"GIT_CONFIG_GLOBAL alone", "global", "xdg", "home", "Global", "global@example.com"},
		{"GIT_CONFIG_GLOBAL missing: nothing", "nowhere", "xdg", "home", "", ""},
		{"~/.gitconfig over $XDG_CONFIG_HOME", "", "xdg", "home", "Home", "xdg@example.com"},
		{"~/.gitconfig over ~/.config/git", "", "", "home", "Home", "default-xdg@example.com"},
		{"~/.gitconfig only", "", "", "homeonly", "Only", "only@example.com"},
		{"XDG only", "", "xdg", "nohome", "XDG", "xdg@example.com"},
		{"none", "", "", "nohome", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			abs := func(rel string) string {
				if rel == "" {
					return ""
				}
				return filepath.Join(dir, rel)
			}
			t.Setenv("GIT_CONFIG_GLOBAL", abs(tc.global))
			t.Setenv("XDG_CONFIG_HOME", abs(tc.xdg))
			t.Setenv("HOME", abs(tc.home))
			name, email := history.GlobalIdentity()
			if name != tc.wantName || email != tc.wantEmail {
				t.Errorf("GlobalIdentity() = %q, %q; want %q, %q", name, email, tc.wantName, tc.wantEmail)
			}
		})
	}
}
