package history

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/okrkit/okr/internal/generate"
)

// TestPackObjectsMatchGoGit reads every object of real packs (git
// fast-import's, whose commits and trees are deltas, and the same history
// after git gc --aggressive, with long offset-delta chains) through
// packObjects and through go-git, and compares types and bytes.
func TestPackObjectsMatchGoGit(t *testing.T) {
	dir := t.TempDir()
	gitCLI(t, dir, "version")
	if _, err := generate.BuildHistory(dir, generate.HistorySpec{Workspace: generate.Spec{Objectives: 12}, Commits: 150}); err != nil {
		t.Fatal(err)
	}
	check := func(label string) {
		t.Helper()
		r, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		ps := r.repo.Storer.(*packStorer)
		if len(ps.objs.packs) == 0 {
			t.Fatalf("%s: no pack was opened", label)
		}
		plain, err := git.PlainOpen(dir)
		if err != nil {
			t.Fatal(err)
		}
		iter, err := plain.Storer.IterEncodedObjects(plumbing.AnyObject)
		if err != nil {
			t.Fatal(err)
		}
		n, whole := 0, 0
		err = iter.ForEach(func(o plumbing.EncodedObject) error {
			want := content(t, o)
			// The size first, before reading fills the base cache: from
			// the entry's header when the object is stored whole.
			size, known, found, err := ps.objs.wholeSize(o.Hash())
			if err != nil || !found || (known && size != int64(len(want))) {
				t.Fatalf("%s: %s %s: size %d (known %v, found %v, err %v), want %d", label, o.Type(), o.Hash(), size, known, found, err, len(want))
			}
			if known {
				whole++
			}
			typ, got, found, err := ps.typed(plumbing.AnyObject, o.Hash())
			if err != nil || !found {
				t.Fatalf("%s: %s %s: found %v, err %v", label, o.Type(), o.Hash(), found, err)
			}
			if typ != o.Type() || !bytes.Equal(got, want) {
				t.Fatalf("%s: %s: got %s of %d bytes, want %s of %d bytes", label, o.Hash(), typ, len(got), o.Type(), len(want))
			}
			if o.Type() != plumbing.CommitObject {
				if _, _, _, err := ps.typed(plumbing.CommitObject, o.Hash()); err != plumbing.ErrObjectNotFound {
					t.Fatalf("%s: %s %s read as a commit: err %v", label, o.Type(), o.Hash(), err)
				}
			}
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n < 300 {
			t.Fatalf("%s: compared only %d objects", label, n)
		}
		if whole == 0 || whole == n {
			t.Errorf("%s: %d of %d objects sized from their headers; want some whole and some deltas", label, whole, n)
		}
		t.Logf("%s: %d objects identical, %d of them sized from their headers", label, n, whole)
	}
	check("fast-import pack")
	gitCLI(t, dir, "gc", "-q", "--aggressive")
	check("after git gc")
}

func content(t *testing.T, o plumbing.EncodedObject) []byte {
	t.Helper()
	rd, err := o.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPackObjectsLooseFallback: objects not in a pack are read through
// go-git.
func TestPackObjectsLooseFallback(t *testing.T) {
	h := buildHistory(t) // go-git writes loose objects
	r, err := Open(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.repo.Storer.(storer.EncodedObjectStorer).EncodedObject(plumbing.CommitObject, head.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(h.dir, ".git", "objects", "pack")); err == nil {
		entries, _ := os.ReadDir(filepath.Join(h.dir, ".git", "objects", "pack"))
		t.Logf("pack folder holds %d files", len(entries))
	}
}

// FuzzApplyDelta feeds malformed deltas (a corrupt pack) to applyDelta,
// which must fail cleanly, never panic or read outside its inputs.
func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("hello world"), []byte{11, 5, 0x91, 0, 5})
	f.Add([]byte(""), []byte{0, 3, 3, 'a', 'b', 'c'})
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := applyDelta(base, delta)
		if err == nil && out == nil && len(delta) > 0 {
			t.Fatal("nil result without an error")
		}
	})
}

// TestReadAheadSkipsLargeBlobs: a packed blob over prefetchCap is sized
// from the pack, not read (a 300 MB file in history must not be inflated
// just to be found too large).
func TestReadAheadSkipsLargeBlobs(t *testing.T) {
	dir := t.TempDir()
	gitCLI(t, dir, "init", "-q")
	big := bytes.Repeat([]byte("title: x\n"), prefetchCap/9+1000)
	if err := os.WriteFile(filepath.Join(dir, "big.yaml"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "small.yaml"), []byte("title: y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitCLI(t, dir, "add", ".")
	gitCLI(t, dir, "-c", "user.name=a", "-c", "user.email=a@x", "commit", "-q", "-m", "big")
	gitCLI(t, dir, "gc", "-q")
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ps := r.repo.Storer.(*packStorer)
	for name, want := range map[string][]byte{"big.yaml": big, "small.yaml": []byte("title: y\n")} {
		h := plumbing.ComputeHash(plumbing.BlobObject, want)
		if _, err := os.Stat(filepath.Join(dir, ".git", "objects", h.String()[:2], h.String()[2:])); err == nil {
			t.Fatalf("%s is a loose object: the test needs it packed", name)
		}
		size, data, err := readAhead(ps, h)
		if err != nil || size != int64(len(want)) {
			t.Fatalf("readAhead(%s) = %d, err %v; want size %d", name, size, err, len(want))
		}
		if name == "big.yaml" && data != nil {
			t.Errorf("readAhead(big.yaml) read %d bytes; want none (over prefetchCap)", len(data))
		}
		if name == "small.yaml" && !bytes.Equal(data, want) {
			t.Errorf("readAhead(small.yaml) = %q, want %q", data, want)
		}
	}
}
