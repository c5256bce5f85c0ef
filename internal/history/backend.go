package history

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// backend is what history needs from a repository: revisions, references,
// merge bases, the shallow boundary, identity, and handles that read
// objects. Two implementations: the git command (gitBackend, the default
// when git is on PATH) and go-git's storage (goGitBackend, when git is
// absent or OKR_GIT=go-git). Neither decodes pack files itself: objects come
// whole from `git cat-file --batch` or from go-git's object storage, and
// commits and trees are decoded by go-git's object package.
type backend interface {
	// reader returns a handle for one goroutine; close it when done.
	reader() (objectReader, error)
	head() (plumbing.Hash, error)
	resolve(rev string) (plumbing.Hash, error)
	branch() string
	defaultBranch() string
	mergeBase(a, b plumbing.Hash) ([]plumbing.Hash, error)
	shallow() ([]plumbing.Hash, error)
	name() string
	close() error
}

// objectReader reads whole objects. Not safe for concurrent use.
type objectReader interface {
	// object returns the content of object h, which must be of type t.
	// When limit >= 0 and the object is larger, data is nil and size is
	// its size. Content is checked against the object's hash.
	object(t plumbing.ObjectType, h plumbing.Hash, limit int64) (data []byte, size int64, err error)
	close() error
}

// Backend names.
const (
	BackendGit   = "git"
	BackendGoGit = "go-git"
)

// ChooseBackend returns the backend Open uses: the value of OKR_GIT when it
// is "git" or "go-git", else "git" when the git command is on PATH and
// "go-git" otherwise.
func ChooseBackend() string {
	switch os.Getenv("OKR_GIT") {
	case BackendGoGit:
		return BackendGoGit
	case BackendGit:
		return BackendGit
	}
	if _, err := exec.LookPath("git"); err == nil {
		return BackendGit
	}
	return BackendGoGit
}

// HintError is an error with a suggestion of what to do about it.
type HintError struct {
	Err     error
	HintMsg string
}

func (e *HintError) Error() string { return e.Err.Error() }
func (e *HintError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *HintError) Hint() string { return e.HintMsg }

// ErrCorrupt is wrapped by errors about objects whose content does not
// match their hash or cannot be decoded.
var ErrCorrupt = errors.New("the repository is corrupt")

// ErrMissingObject is wrapped by errors about objects the repository does
// not have.
var ErrMissingObject = errors.New("object not found")

// ErrUnsupported is wrapped by errors about repository features a backend
// cannot read.
var ErrUnsupported = errors.New("unsupported repository")

func corruptErr(t plumbing.ObjectType, h plumbing.Hash, detail string) error {
	return &HintError{Err: fmt.Errorf("%w: %s %s: %s", ErrCorrupt, t, h, detail),
		HintMsg: "run `git fsck` to find the damage; a fresh clone usually repairs it"}
}

// verify checks that data is the content of object h of type t.
func verify(t plumbing.ObjectType, h plumbing.Hash, data []byte) error {
	s := sha1.New()
	s.Write(t.Bytes())
	s.Write([]byte{' '})
	s.Write([]byte(strconv.Itoa(len(data))))
	s.Write([]byte{0})
	s.Write(data)
	var got plumbing.Hash
	copy(got[:], s.Sum(nil))
	if got != h {
		return corruptErr(t, h, "content does not match its hash")
	}
	return nil
}

// decodeCommit decodes a commit object with go-git's decoder.
func decodeCommit(h plumbing.Hash, data []byte) (c *Commit, err error) {
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.CommitObject)
	obj.Write(data)
	var gc object.Commit
	if err := gc.Decode(obj); err != nil {
		return nil, corruptErr(plumbing.CommitObject, h, err.Error())
	}
	if gc.TreeHash.IsZero() {
		return nil, corruptErr(plumbing.CommitObject, h, "no tree")
	}
	subject := gc.Message
	for i := 0; i < len(subject); i++ {
		if subject[i] == '\n' {
			subject = subject[:i]
			break
		}
	}
	return &Commit{Hash: h, Parents: gc.ParentHashes, Tree: gc.TreeHash, Author: gc.Author.Name, Email: gc.Author.Email,
		When: gc.Committer.When, Subject: subject}, nil
}

// decodeTree decodes a tree object with go-git's decoder.
func decodeTree(h plumbing.Hash, data []byte) ([]object.TreeEntry, error) {
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.TreeObject)
	obj.Write(data)
	var t object.Tree
	if err := t.Decode(obj); err != nil {
		return nil, corruptErr(plumbing.TreeObject, h, err.Error())
	}
	return t.Entries, nil
}

// PanicError is a panic recovered on one of a walk's goroutines, where the
// command's own recovery cannot reach: the command reports it as an
// internal error.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("internal error: %v", e.Value) }

// catchPanic, deferred, turns a panic into a *PanicError in *err.
func catchPanic(err *error) {
	if p := recover(); p != nil {
		*err = &PanicError{Value: p, Stack: debug.Stack()}
	}
}
