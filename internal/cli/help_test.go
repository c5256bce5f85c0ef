package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandHasExample walks the whole command tree (hidden
// commands and the completion commands included) and fails for a command
// whose help has no example, or whose examples never run it.
func TestEveryCommandHasExample(t *testing.T) {
	env, _ := testEnv(t.TempDir())
	root := NewRootCmd(env)
	n := 0
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		n++
		path := c.CommandPath()
		switch {
		case strings.TrimSpace(c.Example) == "":
			t.Errorf("%s: the help has no example (set Example)", path)
		case !strings.Contains(c.Example, path):
			t.Errorf("%s: no example runs %q:\n%s", path, path, c.Example)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if n < 30 {
		t.Fatalf("walked %d commands; the tree is smaller than it must be", n)
	}
}

// TestExamplesParse checks that every example line that runs okr names a
// command that exists and only flags that command has.
func TestExamplesParse(t *testing.T) {
	env, _ := testEnv(t.TempDir())
	var walk func(*cobra.Command)
	checked := 0
	walk = func(c *cobra.Command) {
		for _, line := range strings.Split(c.Example, "\n") {
			args, ok := exampleArgs(line)
			if !ok {
				continue
			}
			root := NewRootCmd(env) // fresh flags for every line
			root.InitDefaultHelpCmd()
			cmd, rest, err := root.Find(args)
			if err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), strings.TrimSpace(line), err)
				continue
			}
			if err := cmd.ParseFlags(rest); err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), strings.TrimSpace(line), err)
			}
			checked++
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRootCmd(env))
	if checked < 50 {
		t.Fatalf("checked %d example lines; expected more", checked)
	}
}

// exampleArgs splits an example line into okr's arguments: the words after
// "okr" up to a pipe, a redirection or a comment, quotes removed. ok is
// false for a line that does not run okr first (a variable assignment
// before okr is skipped).
func exampleArgs(line string) ([]string, bool) {
	var words []string
	var cur strings.Builder
	in, quote := false, rune(0)
	for _, r := range strings.TrimSpace(line) {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	for len(words) > 0 && strings.Contains(words[0], "=") {
		words = words[1:] // GITHUB_TOKEN=... okr ...
	}
	if len(words) == 0 || words[0] != "okr" {
		return nil, false
	}
	for i, w := range words {
		if w == "|" || w == ">" || w == ">>" || w == "#" || strings.HasPrefix(w, ">") || w == "<" {
			return words[1:i], true
		}
	}
	return words[1:], true
}
