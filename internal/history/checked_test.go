package history

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-billy/v5/osfs"

	"github.com/go-git/go-git/v5/plumbing"
)

// The go-git reader skips its own hash check of an object go-git decoded
// into a plumbing.MemoryObject whose Hash is the name asked for: that holds
// only while MemoryObject computes Hash from its content and offers no way
// to set it. A go-git upgrade that changes this must fail here.
func TestMemoryObjectHashIsItsContent(t *testing.T) {
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.BlobObject)
	obj.Write([]byte("objectives: []\n"))
	want := hashObject(plumbing.BlobObject, []byte("objectives: []\n"), sha1Len)
	if got := fromPlumbing(obj.Hash()); got != want {
		t.Errorf("MemoryObject.Hash = %s, want the hash of its content %s", got, want)
	}
	if _, ok := any(obj).(interface{ SetHash(plumbing.Hash) }); ok {
		t.Error("plumbing.MemoryObject can be given a hash: goGitReader.object must hash objects itself")
	}
	var enc plumbing.EncodedObject = obj
	if _, ok := enc.(interface{ SetHash(plumbing.Hash) }); ok {
		t.Error("plumbing.MemoryObject can be given a hash: goGitReader.object must hash objects itself")
	}
}

// go-git's decoders read a checked object as they read a MemoryObject.
func TestCheckedObjectDecodes(t *testing.T) {
	h := mustHash("0123456789abcdef0123456789abcdef01234567")
	data := []byte("100644 a.yaml\x00" + string(h.b[:sha1Len]) + "40000 objectives\x00" + string(h.b[:sha1Len]))
	th := hashObject(plumbing.TreeObject, data, sha1Len)
	es, err := decodeTreeGoGit(th, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Name != "a.yaml" || es[1].Name != "objectives" || es[0].Hash != h || es[1].Hash != h {
		t.Errorf("decodeTreeGoGit = %+v", es)
	}
	if _, err := checked(plumbing.TreeObject, th, data).Writer(); err == nil {
		t.Error("a checked object is writable")
	}
}

// A pack file read into memory reads, seeks and closes as the file
// would, and fails after Close; a pack larger than maxPackInMemory is the
// file itself.
func TestPackInMemoryFile(t *testing.T) {
	dir := t.TempDir()
	content := []byte("PACK0123456789")
	if err := os.WriteFile(filepath.Join(dir, "x.pack"), content, 0o644); err != nil {
		t.Fatal(err)
	}
	fs := newPackMemFS(osfs.New(dir), dir)
	f, err := fs.Open("x.pack")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.(*memFile); !ok {
		t.Fatalf("Open(x.pack) = %T, want a pack in memory", f)
	}
	if f.Name() != "x.pack" {
		t.Errorf("Name = %q", f.Name())
	}
	buf := make([]byte, 4)
	if n, err := f.ReadAt(buf, 4); err != nil || string(buf[:n]) != "0123" {
		t.Errorf("ReadAt = %q, %v", buf[:n], err)
	}
	if off, err := f.Seek(10, io.SeekStart); err != nil || off != 10 {
		t.Errorf("Seek = %d, %v", off, err)
	}
	if n, err := f.Read(buf); err != nil || string(buf[:n]) != "6789" {
		t.Errorf("Read = %q, %v", buf[:n], err)
	}
	if _, err := f.Read(buf); err != io.EOF {
		t.Errorf("Read at the end = %v, want EOF", err)
	}
	if _, err := f.Seek(-1, io.SeekStart); err == nil {
		t.Error("Seek(-1) succeeded")
	}
	if _, err := f.Write([]byte("x")); err == nil {
		t.Error("Write succeeded")
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadAt(buf, 0); err == nil {
		t.Error("ReadAt after Close succeeded")
	}
	if _, err := f.Read(buf); err == nil {
		t.Error("Read after Close succeeded")
	}
	if g, err := fs.Open("x.idx"); err == nil {
		t.Errorf("Open of a missing file = %v", g)
	}
	defer func(max int64) { maxPackInMemory = max }(maxPackInMemory)
	maxPackInMemory = int64(len(content)) - 1
	g, err := fs.Open("x.pack")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, ok := g.(*memFile); ok {
		t.Error("a pack larger than maxPackInMemory was read into memory")
	}
	if n, err := g.ReadAt(buf, 4); err != nil || string(buf[:n]) != "0123" {
		t.Errorf("ReadAt of the large pack = %q, %v", buf[:n], err)
	}
}

// The readers of a backend share one copy of a pack in memory: it stays
// until the last of them closes its file.
func TestPackInMemoryShared(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.pack"), []byte("PACK0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := newPackMemFS(osfs.New(dir), dir)
	a, err := fs.Open("x.pack")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := a.(*memFile); !ok {
		t.Fatalf("Open(x.pack) = %T, want a pack in memory", a)
	}
	b, err := fs.Open("x.pack")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs.maps) != 1 {
		t.Fatalf("%d copies of one pack, want 1", len(fs.maps))
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if n, err := b.ReadAt(buf, 4); err != nil || string(buf[:n]) != "0123" {
		t.Errorf("ReadAt after the other file's Close = %q, %v", buf[:n], err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if len(fs.maps) != 0 {
		t.Errorf("%d copies after the last Close, want 0", len(fs.maps))
	}
}
