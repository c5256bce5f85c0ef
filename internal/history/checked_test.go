package history

import (
	"testing"

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
