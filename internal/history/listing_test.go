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
	r, err := history.Open(filepath.Join(repo, generate.DefaultHistoryDir))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	states := 0
	err = r.Walk(head, history.WalkOptions{}, func(*history.State) error { states++; return nil })
	if err == nil {
		t.Fatalf("the walk ended without an error after %d states", states)
	}
	if !strings.Contains(err.Error(), "git log") {
		t.Errorf("error %q does not say git log failed", err)
	}
}
