package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/okrkit/okr/internal/golden"
	"github.com/okrkit/okr/internal/inert"
)

// hostileText is what the files of the hostile workspace hold in every
// text field: screen clearing, a window title, an OSC 8 link with a
// hidden target, bold, DEL, a C1 CSI, NEL, bidirectional overrides and
// isolates.
const hostileText = `\e[2J\e]0;pwned\a\e]8;;http://evil.example\alink\e]8;;\a \e[1mbold\e[0m \x7f\x9b31m\x85 \u202eevil\u202c \u2066iso\u2069`

// hostileWorkspace writes a workspace whose every text field holds
// hostileText (as YAML escapes), in a git repository with two commits
// when git is installed.
func hostileWorkspace(t *testing.T) (dir string, git bool) {
	t.Helper()
	dir = t.TempDir()
	h := hostileText
	writeFiles(t, dir, map[string]string{
		"okr.yaml": "version: 1\nname: \"Acme " + h + "\"\nunits:\n  - {id: usd, name: \"dollars " + h + "\", symbol: \"$\", decimals: 0}\n" +
			"checkin_questions:\n  - {id: progress, text: \"What moved? " + h + "\"}\n",
		"org.yaml":    "teams:\n  - {id: eng, name: \"Engineering " + h + "\"}\npeople:\n  - {id: ann, name: \"Ann " + h + "\", team: eng, email: ann@acme.test}\n",
		"cycles.yaml": "cycles:\n  - {id: 2026-q4, name: \"Q4 " + h + "\", start: 2026-10-01, end: 2026-12-31}\n",
		"objectives/x.yaml": "id: x\ntitle: \"Title " + h + "\"\ndescription: \"Desc " + h + "\"\ncycle: 2026-q4\nowner: ann\n" +
			"key_results:\n  - id: k\n    title: \"KR " + h + "\"\n    type: increase\n    start: 0\n    target: 10\n    unit: usd\n    checkins:\n" +
			"      - {date: 2026-11-01, value: 3, note: \"note " + h + "\", author: ann, answers: {progress: \"ans " + h + "\"}}\n" +
			"initiatives:\n  - {id: i1, title: \"Init " + h + "\", status: in_progress, key_result: k, owner: ann}\n",
	})
	if _, err := exec.LookPath("git"); err != nil {
		return dir, false
	}
	gitRun := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
			"GIT_AUTHOR_NAME=Eve \x1b[2J\u202e", "GIT_AUTHOR_EMAIL=eve@example.com",
			"GIT_COMMITTER_NAME=Eve", "GIT_COMMITTER_EMAIL=eve@example.com",
			"GIT_AUTHOR_DATE=2026-11-02T10:00:00Z", "GIT_COMMITTER_DATE=2026-11-02T10:00:00Z")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRun("init", "-q", "-b", "main")
	gitRun("add", "-A")
	gitRun("commit", "-q", "-m", "first \x1b[2J\u202e")
	p := filepath.Join(dir, "objectives/x.yaml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), "value: 3, note: \"note ", "value: 5, note: \"note2 ", 1))
	b = []byte(strings.Replace(string(b), "title: \"KR ", "title: \"KR2 ", 1))
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun("commit", "-q", "-am", "second")
	return dir, true
}

// unsafeIn returns the first character in out that must not reach a
// terminal or a document raw, "" when there is none.
func unsafeIn(out string) string {
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRuneInString(out[i:])
		if r == utf8.RuneError && n == 1 {
			return out[i : i+1]
		}
		if inert.Unsafe(r) && r != '\t' && r != '\n' && !(r == '\r' && i+1 < len(out) && out[i+1] == '\n') {
			return string(r)
		}
		i += n
	}
	return ""
}

// TestOutputsInert runs text full of control characters and bidirectional
// overrides through every command and output format that prints text
// from files or commits, and checks no raw control byte, DEL, C1 control
// or bidi override reaches standard output or standard error.
func TestOutputsInert(t *testing.T) {
	dir, git := hostileWorkspace(t)
	day := "2026-11-23"
	runs := [][]string{{"validate"}, {"lint"}, {"due"}, {"export", "csv"}, {"codeowners"}}
	for _, f := range []string{"text", "json", "github", "sarif", "junit", "codeclimate"} {
		runs = append(runs, []string{"validate", "--format", f})
	}
	for _, f := range []string{"table", "markdown", "json", "csv", "html"} {
		runs = append(runs, []string{"report", "--format", f})
	}
	for _, f := range []string{"tree", "table"} {
		runs = append(runs, []string{"status", "--format", f})
	}
	for _, f := range []string{"text", "mermaid", "dot"} {
		runs = append(runs, []string{"tree", "--format", f})
	}
	for _, f := range []string{"table", "markdown", "json", "csv"} {
		runs = append(runs, []string{"stats", "--format", f})
	}
	if git {
		runs = append(runs, []string{"log", "k"}, []string{"log", "x"}, []string{"snapshot", "--ref", "HEAD"})
		for _, f := range []string{"text", "json", "markdown"} {
			runs = append(runs, []string{"diff", "HEAD~1", "HEAD", "--format", f})
		}
		for _, f := range []string{"text", "csv", "json"} {
			runs = append(runs, []string{"trend", "k", "--format", f}, []string{"trend", "--format", f})
		}
	} else {
		t.Log("git is not installed: log, diff, snapshot and trend are not run")
	}
	// Flags holding control characters are refused, and the refusal
	// itself is inert.
	runs = append(runs, []string{"checkin", "k", "--value", "6", "--note", "x\x1b[2J\u202e"},
		[]string{"new", "objective", "--title", "T\x1b]0;x\a", "--cycle", "2026-q4"})
	ran := 0
	for _, args := range runs {
		code, out, errOut := runAt(dir, day, args...)
		if code == ExitError && !strings.Contains(errOut, "not") {
			t.Errorf("okr %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
		}
		if c := unsafeIn(out); c != "" {
			t.Errorf("okr %s: %q on standard output:\n%s", strings.Join(args, " "), c, out)
		}
		if c := unsafeIn(errOut); c != "" {
			t.Errorf("okr %s: %q on standard error:\n%s", strings.Join(args, " "), c, errOut)
		}
		if len(out)+len(errOut) > 0 {
			ran++
		} else {
			t.Logf("okr %s printed nothing", strings.Join(args, " "))
		}
		if (args[0] == "checkin" || args[0] == "new") && (code != ExitFindings || !strings.Contains(errOut, "control character")) {
			t.Errorf("okr %s: exit %d, want 1 and a refusal naming the control character:\n%s", strings.Join(args, " "), code, errOut)
		}
	}
	if ran < len(runs) {
		t.Errorf("only %d of %d runs printed anything: the test checks too little", ran, len(runs))
	}
	// What the text looks like: the escapes, in the status view.
	_, out, _ := runAt(dir, day, "status")
	golden.Check(t, "testdata/inert-status.golden", []byte(out))
}
