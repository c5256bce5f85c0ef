package history_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/generate"
	"github.com/okrkit/okr/internal/history"
)

// TestWalkListingCutShort: when git cannot list the whole history (a
// corrupt commit halfway back), a walk fails; it does not end early as if
// the history were shorter, though git diff-tree answered every commit the
// listing gave it.
func TestWalkListingCutShort(t *testing.T) {
	needGit(t)
	t.Setenv("OKR_GIT", "git")
	b := buildBase(t, 2)
	repo := clone(t, b.dir, "--no-local")
	unpackAll(t, repo)
	mid := git(t, repo, "rev-parse", "HEAD~30")
	obj := filepath.Join(repo, ".git", "objects", mid[:2], mid[2:])
	if err := os.Chmod(obj, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(obj, []byte("not a zlib stream"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, head := openRepoHead(t, repo)
	states := 0
	err := r.Walk(head, history.WalkOptions{}, func(*history.State) error { states++; return nil })
	if err == nil {
		t.Fatalf("the walk ended without an error after %d states", states)
	}
	if !strings.Contains(err.Error(), "git log") {
		t.Errorf("error %q does not say git log failed", err)
	}
}

// TestReplacedBlob: git gives a blob replaced with `git replace` as its
// replacement, and so does okr's git backend: the content it reads is
// checked against the replacement's name (read from the replace refs only
// then), not refused as corrupt. With GIT_NO_REPLACE_OBJECTS, git (to
// which okr passes the variable) gives the original.
func TestReplacedBlob(t *testing.T) {
	needGit(t)
	t.Setenv("OKR_GIT", "git")
	b := buildBase(t, 3)
	rel := strings.TrimPrefix(b.path, generate.DefaultHistoryDir+"/")
	old := git(t, b.dir, "rev-parse", "HEAD:"+b.path)
	orig := git(t, b.dir, "cat-file", "blob", old)
	changed := strings.Replace(orig, "title: ", "title: Replaced ", 1)
	if changed == orig {
		t.Fatalf("no title in %s:\n%s", b.path, orig)
	}
	repl := gitIn(t, b.dir, []byte(changed+"\n"), "hash-object", "-w", "--stdin")
	git(t, b.dir, "replace", old, strings.TrimSpace(repl))
	title := func() string {
		t.Helper()
		r, head := openRepoHead(t, b.dir)
		f, err := r.File(head, rel)
		if err != nil {
			t.Fatal(err)
		}
		if f == nil || len(f.Part.Objectives) != 1 {
			t.Fatalf("no objective in %s", rel)
		}
		return f.Part.Objectives[0].Title
	}
	if got := title(); !strings.HasPrefix(got, "Replaced ") {
		t.Errorf("title %q: the replacement was not read", got)
	}
	t.Setenv("GIT_NO_REPLACE_OBJECTS", "1")
	if got := title(); strings.HasPrefix(got, "Replaced ") {
		t.Errorf("title %q with GIT_NO_REPLACE_OBJECTS", got)
	}
}

// openRepoHead opens the workspace of the generated repository repo, closed
// when the test ends, with its head.
func openRepoHead(t *testing.T, repo string) (*history.Repo, *history.Commit) {
	t.Helper()
	r, err := history.Open(filepath.Join(repo, generate.DefaultHistoryDir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	return r, head
}
