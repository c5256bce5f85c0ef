package history

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// runIn runs git in dir with a fixed identity and no user configuration,
// and returns its output.
func runIn(t *testing.T, dir string, stdin []byte, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Stdin = dir, bytes.NewReader(stdin)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

// diffTreeHistory builds a generated history whose first-parent chain
// ends with a merge that brings a workspace change from a side branch,
// and returns its directory, the git backend's repository and the chain,
// oldest first.
func diffTreeHistory(t *testing.T) (string, *Repo, *gitBackend, []*Commit) {
	t.Helper()
	dir, _ := cancelHistory(t, 30)
	runIn(t, dir, nil, "checkout", "-q", "-b", "side", "HEAD~4")
	runIn(t, dir, nil, "rm", "-q", "okrs/cycles.yaml")
	runIn(t, dir, nil, "commit", "-q", "-m", "side: drop the cycles")
	runIn(t, dir, nil, "checkout", "-q", "-")
	runIn(t, dir, nil, "merge", "-q", "--no-ff", "-m", "merge side", "side")
	r, gb, chain := gitChain(t, dir)
	slices.Reverse(chain)
	return dir, r, gb, chain
}

// gitChain opens the workspace okrs/ of the repository dir with the git
// backend (closed when the test ends) and lists its first-parent chain
// from head, newest first.
func gitChain(t *testing.T, dir string) (*Repo, *gitBackend, []*Commit) {
	t.Helper()
	t.Setenv("OKR_GIT", "git")
	r, err := Open(filepath.Join(dir, "okrs"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	gb, ok := r.b.(*gitBackend)
	if !ok {
		t.Skip("the git backend is not in use")
	}
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	chain, err := r.firstParentList(gb, head, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r, gb, chain
}

// queueOf returns a closed queue of commits.
func queueOf(commits []*Commit) *commitQueue {
	q := newCommitQueue()
	for _, c := range commits {
		q.push(c)
	}
	q.close()
	return q
}

// TestDiffTreePairs: diffTree, which gives git each commit as the pair of
// its first parent's tree and its own, finds the same changes, for the
// same commits, as `git diff-tree` given each commit and its first parent
// (the root commit alone, with --root), merge included.
func TestDiffTreePairs(t *testing.T) {
	dir, _, gb, chain := diffTreeHistory(t)
	if n := len(chain[len(chain)-1].Parents); n != 2 {
		t.Fatalf("the last commit has %d parents, want a merge", n)
	}
	got := map[string][]string{}
	err := gb.diffTree(context.Background(), queueOf(chain), "okrs", func(c *Commit, raw []rawLine) error {
		for _, l := range raw {
			got[c.Hash.String()] = append(got[c.Hash.String()], strings.Join(l.fields, " ")+" "+l.path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var in strings.Builder
	for _, c := range chain {
		in.WriteString(c.Hash.String())
		if len(c.Parents) > 0 {
			in.WriteString(" " + c.Parents[0].String())
		}
		in.WriteString("\n")
	}
	want := map[string][]string{}
	cur := ""
	out := runIn(t, dir, []byte(in.String()), "diff-tree", "--stdin", "-r", "--raw", "--no-renames", "--root", "--no-abbrev", "--", "okrs")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if meta, path, ok := strings.Cut(line, "\t"); ok && strings.HasPrefix(meta, ":") {
			want[cur] = append(want[cur], strings.TrimPrefix(meta, ":")+" "+path)
		} else {
			cur = strings.Fields(line)[0]
		}
	}
	if len(want) < 15 {
		t.Fatalf("git diff-tree found changes in %d commits, want most of the 32", len(want))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diffTree found\n%v\ngit diff-tree given the commits\n%v", got, want)
	}
}

// TestDiffTreeNeedsTheChain: a commit listed without its first parent just
// before it cannot be given as a pair of trees: diffTree says so, where it
// would otherwise compare it with the wrong tree.
func TestDiffTreeNeedsTheChain(t *testing.T) {
	_, _, gb, chain := diffTreeHistory(t)
	gap := append(append([]*Commit{}, chain[:10]...), chain[11:]...)
	err := gb.diffTree(context.Background(), queueOf(gap), "okrs", func(*Commit, []rawLine) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "without its first parent") {
		t.Errorf("diffTree over a chain with a gap: %v, want the commit listed without its first parent", err)
	}
}

// TestDiffTreeAnswerMissing: git answers every pair it is given, so an
// answer missing at the end of its output is output cut short, an error,
// not a shorter history. A git wrapper drops the last line of diff-tree's
// output, the answer about a last pair of equal trees.
func TestDiffTreeAnswerMissing(t *testing.T) {
	_, _, gb, chain := diffTreeHistory(t)
	real, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	// The wrapper drops the last line with head -n -1 (GNU): elsewhere
	// the test would test nothing.
	if out, err := exec.Command("sh", "-c", "printf 'a\\nb\\n' | head -n -1").Output(); err != nil || string(out) != "a\n" {
		t.Skipf("head -n -1 does not drop the last line here (%q, %v)", out, err)
	}
	bin := t.TempDir()
	wrapper := "#!/bin/sh\ncase \" $* \" in *\" diff-tree \"*) \"" + real + "\" \"$@\" | head -n -1; exit 0;; esac\nexec \"" + real + "\" \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	last := chain[len(chain)-1]
	same := &Commit{Hash: Hash{b: [32]byte{1}, n: last.Hash.n}, Parents: []Hash{last.Hash}, Tree: last.Tree}
	commits := append(append([]*Commit{}, chain...), same)
	// Unwrapped, git answers each pair.
	if err := gb.diffTree(context.Background(), queueOf(commits), "okrs", func(*Commit, []rawLine) error { return nil }); err != nil {
		t.Fatalf("diffTree: %v", err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	err = gb.diffTree(context.Background(), queueOf(commits), "okrs", func(*Commit, []rawLine) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("diffTree with its last answer missing: %v, want truncated output", err)
	}
}

// TestDiffTreeSaysWhatGitSays: given a pair whose tree it cannot read,
// git diff-tree says so on its standard error, skips the pair (and the
// next, which starts with the same tree) and goes on; the answers after
// it then do not match their commits. The walk's error is git's message,
// naming the tree, not okr's reading of the answers that follow.
func TestDiffTreeSaysWhatGitSays(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	runIn(t, dir, nil, "init", "-q")
	for i := 0; i < 6; i++ {
		if err := os.MkdirAll(filepath.Join(dir, "okrs", "objectives"), 0o755); err != nil {
			t.Fatal(err)
		}
		files := map[string]string{
			"okrs/okr.yaml":                 "version: 1\n",
			"okrs/objectives/obj-0001.yaml": "id: obj-0001\ntitle: Version " + string(rune('a'+i)) + "\n",
		}
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		runIn(t, dir, nil, "add", "-A")
		runIn(t, dir, nil, "commit", "-q", "-m", "version")
	}
	tree := strings.TrimSpace(runIn(t, dir, nil, "rev-parse", "HEAD~3^{tree}"))
	if err := os.Remove(filepath.Join(dir, ".git", "objects", tree[:2], tree[2:])); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OKR_GIT", "git")
	r, err := Open(filepath.Join(dir, "okrs"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	err = r.Walk(head, WalkOptions{}, func(*State) error { return nil })
	if err == nil || !strings.Contains(err.Error(), tree) || strings.Contains(err.Error(), "unexpected output") {
		t.Errorf("walk with tree %s missing: %v, want git's message naming the tree", tree, err)
	}
}
