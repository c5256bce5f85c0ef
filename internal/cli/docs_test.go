package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/golden"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

var _ = golden.Check // the -update flag comes from the golden package

// docsDir is where the generated reference lives: Markdown pages in
// docs/cli, man pages in docs/cli/man.
const docsDir = "../../docs/cli"

// manDate is the date in the man pages' headers, fixed so regenerating
// changes nothing unless the commands change.
var manDate = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

// generateDocs writes the Markdown reference and the man pages of the
// whole command tree (hidden commands left out) into dir and dir/man.
func generateDocs(t *testing.T, dir string) {
	t.Helper()
	env, _ := testEnv(t.TempDir())
	root := NewRootCmd(env)
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		c.DisableAutoGenTag = true
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	const banner = "<!-- Generated from the command tree by `go test ./internal/cli -run TestDocs -update`; do not edit. -->\n\n"
	if err := doc.GenMarkdownTreeCustom(root, dir, func(string) string { return banner }, func(s string) string { return s }); err != nil {
		t.Fatal(err)
	}
	man := filepath.Join(dir, "man")
	if err := os.MkdirAll(man, 0o755); err != nil {
		t.Fatal(err)
	}
	hdr := &doc.GenManHeader{Title: "OKR", Section: "1", Date: &manDate, Source: "okr", Manual: "okr manual"}
	if err := doc.GenManTree(root, hdr, man); err != nil {
		t.Fatal(err)
	}
}

// docFiles lists the generated files under dir: *.md and man/*.1.
func docFiles(t *testing.T, dir string) []string {
	t.Helper()
	md, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	man, _ := filepath.Glob(filepath.Join(dir, "man", "*.1"))
	var out []string
	for _, p := range append(md, man...) {
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
	}
	slices.Sort(out)
	return out
}

// TestDocs fails when docs/cli (the Markdown CLI reference and the man
// pages) is not what the command tree generates; -update regenerates it.
func TestDocs(t *testing.T) {
	tmp := t.TempDir()
	generateDocs(t, tmp)
	want := docFiles(t, tmp)
	if len(want) < 10 || !slices.Contains(want, "okr_validate.md") || !slices.Contains(want, "man/okr-validate.1") || !slices.Contains(want, "okr_completion_bash.md") {
		t.Fatalf("generated %v: the reference lacks pages it must have", want)
	}
	update := flag.Lookup("update").Value.(flag.Getter).Get().(bool)
	if update {
		if err := os.MkdirAll(filepath.Join(docsDir, "man"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, old := range docFiles(t, docsDir) {
			if !slices.Contains(want, old) {
				os.Remove(filepath.Join(docsDir, old))
			}
		}
	}
	var stale []string
	for _, rel := range want {
		got, _ := os.ReadFile(filepath.Join(tmp, rel))
		path := filepath.Join(docsDir, filepath.FromSlash(rel))
		if update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(have, got) {
			stale = append(stale, rel)
		}
	}
	if !update {
		for _, old := range docFiles(t, docsDir) {
			if !slices.Contains(want, old) {
				stale = append(stale, old+" (no such command)")
			}
		}
	}
	if len(stale) > 0 {
		t.Errorf("docs/cli is stale: %s\nregenerate it with: go test ./internal/cli -run TestDocs -update", strings.Join(stale, ", "))
	}
}
