package history

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/okrkit/okr/internal/generate"
)

// TestFrozenIndexAgrees checks that the lock-free index answers every
// lookup as go-git's MemoryIndex does, for each object of the packs of a
// generated history and for names and offsets that are not there.
func TestFrozenIndexAgrees(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	if _, err := generate.BuildHistory(dir, generate.HistorySpec{Workspace: generate.Spec{Objectives: 12, Seed: 3}, Commits: 80, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "-C", dir, "gc", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git gc: %v\n%s", err, out)
	}
	idxs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if len(idxs) == 0 {
		t.Fatal("no pack index after git gc")
	}
	decode := func(name string) *idxfile.MemoryIndex {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		idx := idxfile.NewMemoryIndex()
		if err := idxfile.NewDecoder(f).Decode(idx); err != nil {
			t.Fatal(err)
		}
		return idx
	}
	for _, name := range idxs {
		ref := decode(name)
		fz, err := freeze(decode(name))
		if err != nil {
			t.Fatal(err)
		}
		it, err := ref.Entries()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			e, err := it.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			n++
			wantOff, err1 := ref.FindOffset(e.Hash)
			gotOff, err2 := fz.FindOffset(e.Hash)
			if err1 != nil || err2 != nil || gotOff != wantOff {
				t.Fatalf("FindOffset(%s) = %d, %v; go-git: %d, %v", e.Hash, gotOff, err2, wantOff, err1)
			}
			wantHash, err1 := ref.FindHash(wantOff)
			gotHash, err2 := fz.FindHash(wantOff)
			if err1 != nil || err2 != nil || gotHash != wantHash {
				t.Fatalf("FindHash(%d) = %s, %v; go-git: %s, %v", wantOff, gotHash, err2, wantHash, err1)
			}
			if ok, _ := fz.Contains(e.Hash); !ok {
				t.Fatalf("Contains(%s) = false", e.Hash)
			}
			// A name one bit away, and an offset inside the object.
			other := e.Hash
			other[19] ^= 1
			_, err1 = ref.FindOffset(other)
			_, err2 = fz.FindOffset(other)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("FindOffset(%s): %v; go-git: %v", other, err2, err1)
			}
			_, err1 = ref.FindHash(wantOff + 1)
			_, err2 = fz.FindHash(wantOff + 1)
			if (err1 == nil) != (err2 == nil) || err2 != nil && !errors.Is(err2, plumbing.ErrObjectNotFound) {
				t.Fatalf("FindHash(%d): %v; go-git: %v", wantOff+1, err2, err1)
			}
		}
		if count, _ := fz.Count(); n == 0 || int64(n) != count {
			t.Errorf("%s: %d entries, Count %d", name, n, count)
		}
	}
}
