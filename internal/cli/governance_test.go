package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/spf13/cobra"
)

// TestGovernanceFlags checks that lint, due, codeowners and the cycle
// views' --audience parse into their options (runF replaces the action).
func TestGovernanceFlags(t *testing.T) {
	env := Env{IO: IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Getenv: func(string) string { return "" }}
	g := &globalOptions{Dir: "ws"}

	var lint *LintOptions
	cmd := NewCmdLint(env, g, func(o *LintOptions) error { lint = o; return nil })
	cmd.SetArgs([]string{"--strict", "--format", "json", "objectives/"})
	if err := cmd.Execute(); err != nil || !lint.Strict || lint.Report.Format != "json" || len(lint.Paths) != 1 || lint.Dir != "ws" {
		t.Errorf("lint: %+v, %v", lint, err)
	}

	var due *DueOptions
	cmd = NewCmdDue(env, g, func(o *DueOptions) error { due = o; return nil })
	cmd.SetArgs([]string{"--as-of", "2026-12-01", "-f", "markdown", "-o", "due.md"})
	if err := cmd.Execute(); err != nil || due.AsOf != "2026-12-01" || due.Report.Format != "markdown" || due.Report.Output != "due.md" {
		t.Errorf("due: %+v, %v", due, err)
	}

	var co *CodeownersOptions
	cmd = NewCmdCodeowners(env, g, func(o *CodeownersOptions) error { co = o; return nil })
	cmd.SetArgs([]string{"--check"})
	if err := cmd.Execute(); err != nil || !co.Check || co.Write {
		t.Errorf("codeowners: %+v, %v", co, err)
	}
	cmd = NewCmdCodeowners(env, g, func(o *CodeownersOptions) error { t.Error("ran with --check --write"); return nil })
	cmd.SetArgs([]string{"--check", "--write"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err == nil {
		t.Error("--check --write: no error")
	} else if _, ok := err.(usageError); !ok {
		t.Errorf("--check --write: %v is not a usage error", err)
	}

	for _, build := range []func(Env, *globalOptions, func(*CycleViewOptions) error) *cobra.Command{NewCmdReport, NewCmdStats, NewCmdStatus, NewCmdTree} {
		var cv *CycleViewOptions
		cmd := build(env, g, func(o *CycleViewOptions) error { cv = o; return nil })
		cmd.SetArgs([]string{"--audience", "team:sales"})
		if err := cmd.Execute(); err != nil || cv.Audience != "team:sales" {
			t.Errorf("--audience: %+v, %v", cv, err)
		}
	}
}

func TestJoinOr(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a or b"}, {[]string{"a", "b", "c"}, "a, b or c"}} {
		if got := joinOr(tt.in); got != tt.want {
			t.Errorf("joinOr(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// writeFiles writes files (slash paths relative to dir, "" for no
// content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runIn runs okr with args through Main in dir (OKR_TODAY=2026-11-23) and
// returns the exit code, standard output and standard error.
func runIn(dir string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	env := Env{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Getenv: func(k string) string { return map[string]string{"OKR_TODAY": "2026-11-23"}[k] },
		Getwd:  func() (string, error) { return dir, nil },
		Now:    func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }}
	code = Main(args, env)
	return code, out.String(), errOut.String()
}

const (
	govOrg    = "teams:\n  - {id: platform, name: Platform, handle: \"@acme/platform\"}\npeople:\n  - {id: ada, name: Ada Okafor, handle: \"@ada-o\"}\n"
	govCycles = "cycles:\n  - {id: 2026-q4, start: 2026-10-01, end: 2026-12-31, cadence: weekly}\n"
)

// TestGovernanceExitCodes checks the exit codes the testscripts can only
// tell apart from 0: okr due and okr codeowners --check exit 1 when they
// find something, 0 when they do not, and 2 on a usage error.
func TestGovernanceExitCodes(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"okr.yaml":    "version: 1\n",
		"org.yaml":    govOrg,
		"cycles.yaml": govCycles,
		"objectives/latency.yaml": "id: fast-api\ntitle: A fast API\ncycle: 2026-q4\nowner: platform\nkey_results:\n" +
			"  - {id: p95, title: p95 under 300 ms, type: at_most, threshold: 300}\n",
	})
	// A .git folder makes dir a repository for okr codeowners.
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		do   func() // a change to the workspace before the run
		args []string
		code int
		want string // in standard output or error
	}{
		{nil, []string{"due"}, ExitFindings, "Check-ins due as of 2026-11-23: 1 key result"},
		{nil, []string{"due", "--format", "json"}, ExitFindings, `"total": 1,`},
		{nil, []string{"due", "--as-of", "2026-10-05"}, ExitOK, "No check-ins due as of 2026-10-05."},
		{nil, []string{"due", "--as-of", "2026-13-01"}, ExitError, `okr: error: --as-of "2026-13-01" is not a date (want YYYY-MM-DD)`},
		{nil, []string{"due", "--format", "csv"}, ExitError, `unknown format "csv"`},
		{nil, []string{"codeowners", "--check"}, ExitFindings, "okr: error: no CODEOWNERS file"},
		{nil, []string{"codeowners", "--write"}, ExitOK, "okr: wrote .github/CODEOWNERS"},
		{nil, []string{"codeowners", "--check"}, ExitOK, "okr: .github/CODEOWNERS is up to date"},
		{func() {
			writeFiles(t, dir, map[string]string{"objectives/latency.yaml": "id: fast-api\ntitle: A fast API\ncycle: 2026-q4\nowner: ada\n"})
		}, []string{"codeowners", "--check"}, ExitFindings, "okr: error: .github/CODEOWNERS is stale"},
		{nil, []string{"codeowners", "--check", "--write"}, ExitError, "--check and --write exclude each other"},
		{nil, []string{"codeowners", "--write"}, ExitOK, "okr: wrote .github/CODEOWNERS"},
		{nil, []string{"codeowners", "--check"}, ExitOK, "is up to date"},
	} {
		if tt.do != nil {
			tt.do()
		}
		code, out, errOut := runIn(dir, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("okr %s: exit %d, output:\n%s%s\nwant exit %d and %q", strings.Join(tt.args, " "), code, out, errOut, tt.code, tt.want)
		}
	}
}

// TestGovernanceHistoryMentionNames checks that okr trend, log and diff show the
// mentions in check-in notes as names, as reports do; an unknown mention
// stays as written.
func TestGovernanceHistoryMentionNames(t *testing.T) {
	const note = "asked @ada-o and @acme/platform; @bob is unknown"
	const named = "asked Ada Okafor and Platform; @bob is unknown"
	objective := func(checkins string) string {
		return "id: fast-api\ntitle: A fast API\ncycle: 2026-q4\nowner: ada\nkey_results:\n" +
			"  - id: p95\n    title: p95 under 300 ms\n    type: at_most\n    threshold: 300\n" + checkins
	}
	files := map[string]string{
		"okr.yaml":                "version: 1\n",
		"org.yaml":                govOrg,
		"cycles.yaml":             govCycles,
		"objectives/latency.yaml": objective(""),
	}
	check := func(what, out string) {
		t.Helper()
		if !strings.Contains(out, named) || strings.Contains(out, "@ada-o") {
			t.Errorf("%s does not show the mentions as names:\n%s", what, out)
		}
	}

	// Without git, okr trend reads today's files.
	plain := t.TempDir()
	writeFiles(t, plain, files)
	writeFiles(t, plain, map[string]string{"objectives/latency.yaml": objective("    checkins:\n      - {date: 2026-11-20, value: 280, note: \"" + note + "\"}\n")})
	code, out, errOut := runIn(plain, "trend", "p95", "--format", "json")
	if code != ExitOK {
		t.Fatalf("okr trend: exit %d: %s", code, errOut)
	}
	check("okr trend --format json", out)
	_, out, _ = runIn(plain, "trend", "p95", "--format", "csv")
	check("okr trend --format csv", out)

	// In a repository: a commit without the check-in, one with it.
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	commit := func(date string, files map[string]string) string {
		t.Helper()
		writeFiles(t, dir, files)
		for name := range files {
			if _, err := wt.Add(name); err != nil {
				t.Fatal(err)
			}
		}
		when, _ := time.Parse(time.DateOnly, date)
		sig := &object.Signature{Name: "Ada", Email: "ada@example.com", When: when.Add(12 * time.Hour)}
		h, err := wt.Commit("update "+date, &git.CommitOptions{Author: sig, Committer: sig})
		if err != nil {
			t.Fatal(err)
		}
		return h.String()
	}
	base := commit("2026-10-01", files)
	head := commit("2026-11-20", map[string]string{"objectives/latency.yaml": objective("    checkins:\n      - {date: 2026-11-20, value: 280, note: \"" + note + "\"}\n")})

	for _, args := range [][]string{
		{"trend", "p95", "--format", "json"},
		{"log", "p95"},
		{"log", "p95", "--format", "json"},
		{"diff", base, head},
		{"diff", base, head, "--format", "markdown"},
		{"diff", base, head, "--format", "json"},
	} {
		code, out, errOut := runIn(dir, args...)
		if code != ExitOK {
			t.Errorf("okr %s: exit %d: %s", strings.Join(args, " "), code, errOut)
			continue
		}
		check("okr "+strings.Join(args, " "), out)
	}
}
