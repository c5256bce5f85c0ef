package history

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"hash"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Hash is a git object name: 20 bytes in a SHA-1 repository, 32 in a
// SHA-256 one. The zero Hash names no object (an absent file, a missing
// folder). Hashes are comparable and serve as map keys; two hashes are
// equal when they name the same object of the same repository.
type Hash struct {
	b [sha256.Size]byte
	n uint8
}

// Hash lengths in bytes.
const (
	sha1Len   = sha1.Size
	sha256Len = sha256.Size
)

// IsZero reports whether h names no object.
func (h Hash) IsZero() bool { return h.n == 0 }

// String is the hash in lowercase hexadecimal, "" for the zero Hash.
func (h Hash) String() string {
	var buf [2 * sha256Len]byte
	return string(h.appendHex(buf[:0]))
}

// appendHex appends the hash in lowercase hexadecimal to dst.
func (h Hash) appendHex(dst []byte) []byte {
	n := len(dst)
	dst = append(dst, make([]byte, 2*int(h.n))...)
	hexEncode(dst[n:], h.b[:h.n])
	return dst
}

// size is the hash's length in bytes: 20, 32, or 0 for the zero Hash.
func (h Hash) size() int { return int(h.n) }

// hashOf makes a Hash of a raw object name of 20 or 32 bytes; all zeros
// is the zero Hash, as git writes "no object".
func hashOf(raw []byte) Hash {
	var h Hash
	n := copy(h.b[:], raw)
	for _, c := range raw {
		if c != 0 {
			h.n = uint8(n)
			return h
		}
	}
	return Hash{}
}

// parseHash reads a full object name in hexadecimal, 40 digits (SHA-1)
// or 64 (SHA-256); ok is false for anything else. All zeros is the zero
// Hash.
func parseHash[S string | []byte](s S) (h Hash, ok bool) {
	if len(s) != 2*sha1Len && len(s) != 2*sha256Len {
		return Hash{}, false
	}
	var raw [sha256Len]byte
	for i := 0; i < len(s); i += 2 {
		hi, ok1 := unhex(s[i])
		lo, ok2 := unhex(s[i+1])
		if !ok1 || !ok2 {
			return Hash{}, false
		}
		raw[i/2] = hi<<4 | lo
	}
	return hashOf(raw[:len(s)/2]), true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// isHash reports whether s is a full object name in hexadecimal.
func isHash(s string) bool {
	_, ok := parseHash(s)
	return ok
}

// mustHash is parseHash for names already checked with isHash.
func mustHash(s string) Hash {
	h, _ := parseHash(s)
	return h
}

// fromPlumbing converts go-git's (SHA-1) hash, at the go-git backend's
// boundary.
func fromPlumbing(p plumbing.Hash) Hash { return hashOf(p[:]) }

// toPlumbing converts a SHA-1 Hash for go-git; the go-git backend only
// opens SHA-1 repositories.
func toPlumbing(h Hash) plumbing.Hash {
	var p plumbing.Hash
	copy(p[:], h.b[:sha1Len])
	return p
}

// hashObject computes the name of an object of type t with content data
// in a repository whose names are size bytes long (20: SHA-1, 32:
// SHA-256), as git hash-object does.
func hashObject(t plumbing.ObjectType, data []byte, size int) Hash {
	var o objectHasher
	return o.hash(t, data, size)
}

// objectHasher computes object names, reusing its hash states and
// buffers: a reader keeps one, as it checks every object it reads. Not
// safe for concurrent use.
type objectHasher struct {
	s1, s256 hash.Hash
	hdr, sum []byte
}

// hash is hashObject.
func (o *objectHasher) hash(t plumbing.ObjectType, data []byte, size int) Hash {
	var s hash.Hash
	if size == sha256Len {
		if o.s256 == nil {
			o.s256 = sha256.New()
		}
		s = o.s256
	} else {
		if o.s1 == nil {
			o.s1 = sha1.New()
		}
		s = o.s1
	}
	s.Reset()
	o.hdr = append(o.hdr[:0], t.String()...)
	o.hdr = append(o.hdr, ' ')
	o.hdr = strconv.AppendInt(o.hdr, int64(len(data)), 10)
	o.hdr = append(o.hdr, 0)
	s.Write(o.hdr)
	s.Write(data)
	o.sum = s.Sum(o.sum[:0])
	return hashOf(o.sum)
}

// verify checks that data is the content of object h of type t, with the
// hash function of h's repository (SHA-1 or SHA-256, by h's length).
func (o *objectHasher) verify(t plumbing.ObjectType, h Hash, data []byte) error {
	if o.hash(t, data, h.size()) != h {
		return corruptErr(t, h, "content does not match its hash")
	}
	return nil
}

// treeEntry is one entry of a tree object. The mode is canonical, as
// go-git's decoder makes it: a folder, a regular or executable file, a
// symbolic link or a submodule.
type treeEntry struct {
	Name string
	Mode filemode.FileMode
	Hash Hash
}

// parseTree decodes tree object h, whose content git handed over whole
// (git cat-file checked it): entries of "<octal mode> <name>\0<raw
// name>", the raw name as long as the repository's (h's own length).
func parseTree(h Hash, data []byte) ([]treeEntry, error) {
	n := h.size()
	if n == 0 {
		return nil, corruptErr(plumbing.TreeObject, h, "no object name")
	}
	es := make([]treeEntry, 0, len(data)/(n+24)+1)
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			return nil, corruptErr(plumbing.TreeObject, h, "malformed tree: missing mode terminator")
		}
		mode, err := filemode.New(string(data[:sp]))
		if err != nil || sp == 0 {
			return nil, corruptErr(plumbing.TreeObject, h, "malformed tree: malformed mode")
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul < 0 {
			return nil, corruptErr(plumbing.TreeObject, h, "malformed tree: missing filename terminator")
		}
		if nul == 0 {
			return nil, corruptErr(plumbing.TreeObject, h, "malformed tree: empty filename")
		}
		name := string(data[:nul])
		data = data[nul+1:]
		if len(data) < n {
			return nil, corruptErr(plumbing.TreeObject, h, "malformed tree: truncated object id")
		}
		es = append(es, treeEntry{Name: name, Mode: canonicalMode(mode), Hash: hashOf(data[:n])})
		data = data[n:]
	}
	return es, nil
}

// canonicalMode is the mode git means by a tree entry's mode, as go-git's
// tree decoder reads it (old trees hold 100664 files, for one).
func canonicalMode(m filemode.FileMode) filemode.FileMode {
	switch m & 0o170000 {
	case 0o040000:
		return filemode.Dir
	case 0o100000:
		if m&0o111 != 0 {
			return filemode.Executable
		}
		return filemode.Regular
	case 0o120000:
		return filemode.Symlink
	}
	return filemode.Submodule
}

// decodeTreeGoGit decodes a tree object with go-git's decoder (the go-git
// backend, SHA-1 only).
func decodeTreeGoGit(h Hash, data []byte) ([]treeEntry, error) {
	var t object.Tree
	if err := t.Decode(checked(plumbing.TreeObject, h, data)); err != nil {
		return nil, corruptErr(plumbing.TreeObject, h, err.Error())
	}
	es := make([]treeEntry, len(t.Entries))
	for i, e := range t.Entries {
		es[i] = treeEntry{Name: e.Name, Mode: e.Mode, Hash: fromPlumbing(e.Hash)}
	}
	return es, nil
}

// commitIDs reads the tree and parent names at the head of a commit
// object, and returns the rest of it (from the line after the last
// parent). go-git's commit decoder reads only 40-digit names: a SHA-256
// commit's are read here, and the rest by go-git.
func commitIDs(h Hash, data []byte) (tree Hash, parents []Hash, rest []byte, err error) {
	line := func(key string) (Hash, bool, error) {
		if !bytes.HasPrefix(data, []byte(key+" ")) {
			return Hash{}, false, nil
		}
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			end = len(data)
		}
		id, ok := parseHash(string(data[len(key)+1 : end]))
		if !ok || id.size() != h.size() {
			return Hash{}, false, corruptErr(plumbing.CommitObject, h, fmt.Sprintf("malformed commit: bad %s hash", key))
		}
		data = data[min(end+1, len(data)):]
		return id, true, nil
	}
	tree, ok, err := line("tree")
	if err != nil {
		return Hash{}, nil, nil, err
	}
	if !ok {
		return Hash{}, nil, nil, corruptErr(plumbing.CommitObject, h, "malformed commit: missing tree header")
	}
	for {
		p, ok, err := line("parent")
		if err != nil {
			return Hash{}, nil, nil, err
		}
		if !ok {
			break
		}
		parents = append(parents, p)
	}
	return tree, parents, data, nil
}
