package cli

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPanicExitsInternal: a panic anywhere in a command (here in the
// environment a command reads) is recovered by Main: exit code 3, the
// internal-error message, and a hint naming the file holding the stack.
func TestPanicExitsInternal(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	var out, errb bytes.Buffer
	env := Env{IO: IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb},
		Getenv: func(string) string { panic("boom from a test") },
		Getwd:  func() (string, error) { return t.TempDir(), nil },
		Now:    func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }}
	code := Main([]string{"validate"}, env)
	if code != ExitInternal || ExitInternal != 3 {
		t.Fatalf("exit %d, want 3; stderr:\n%s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
	if len(lines) != 2 || lines[0] != "okr: error: internal error, please report it" {
		t.Fatalf("stderr:\n%s", errb.String())
	}
	m := regexp.MustCompile(`^okr: hint: the stack is in (\S+); attach it to an issue at `).FindStringSubmatch(lines[1])
	if m == nil {
		t.Fatalf("no stack file named:\n%s", errb.String())
	}
	if !strings.HasPrefix(m[1], os.TempDir()) {
		t.Errorf("stack file %s is not in %s", m[1], os.TempDir())
	}
	data, err := os.ReadFile(m[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"panic: boom from a test", "goroutine ", "panic_test.go", `args: ["validate"]`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("stack file lacks %q:\n%s", want, data)
		}
	}
	if out.Len() != 0 {
		t.Errorf("stdout: %q", out.String())
	}
}
