package cli

import (
	"bytes"
	"io"
	"testing"

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
