package history

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// backend is what history needs from a repository: revisions, references,
// merge bases, the shallow boundary, identity, and handles that read
// objects. Two implementations: the git command (gitBackend, the default
// when git is on PATH) and go-git's storage (goGitBackend, when git is
// absent or OKR_GIT=go-git). Neither decodes pack files itself: objects come
// whole from `git cat-file --batch` or from go-git's object storage.
// Commits are decoded by go-git's object package (their tree and parent
// names by decodeCommit); SHA-1 trees by go-git's decoder with either
// backend, and SHA-256 trees (32-byte ids, which go-git v5 does not read;
// only the git command reads such repositories) split by parseTree.
type backend interface {
	// reader returns a handle for one goroutine; close it when done.
	reader() (objectReader, error)
	head() (Hash, error)
	resolve(rev string) (Hash, error)
	branch() string
	defaultBranch() string
	mergeBase(a, b Hash) ([]Hash, error)
	shallow() ([]Hash, error)
	// hashSize is the length of the repository's object names in bytes:
	// 20 (SHA-1) or 32 (SHA-256).
	hashSize() int
	// tree decodes the content of tree object h.
	tree(h Hash, data []byte) ([]treeEntry, error)
	close() error
}

// objectReader reads whole objects. Not safe for concurrent use.
type objectReader interface {
	// object returns the content of object h, which must be of type t.
	// When limit >= 0 and the object is larger, data is nil and size is
	// its size. Content is checked against the object's hash.
	object(t plumbing.ObjectType, h Hash, limit int64) (data []byte, size int64, err error)
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

func corruptErr(t plumbing.ObjectType, h Hash, detail string) error {
	return &HintError{Err: fmt.Errorf("%w: %s %s: %s", ErrCorrupt, t, h, detail),
		HintMsg: "run `git fsck` to find the damage; a fresh clone usually repairs it"}
}

// commitHead is the tree line go-git's commit decoder reads in place of a
// commit's own (see decodeCommit).
const commitHead = "tree 0000000000000000000000000000000000000000\n"

// decodeCommit decodes a commit object: the tree and parent names here
// (they are 64 digits long in a SHA-256 repository, which go-git's decoder
// does not read), the rest (author, committer, message, signatures) with
// go-git's decoder.
func decodeCommit(h Hash, data []byte) (c *Commit, err error) {
	tree, parents, rest, err := commitIDs(h, data)
	if err != nil {
		return nil, err
	}
	if tree.IsZero() {
		return nil, corruptErr(plumbing.CommitObject, h, "no tree")
	}
	obj := checked(plumbing.CommitObject, h, data) // go-git reads SHA-1 names: no need to copy the rest
	if h.size() != sha1Len {
		obj.data = append([]byte(commitHead), rest...)
	}
	var gc object.Commit
	if err := gc.Decode(obj); err != nil {
		return nil, corruptErr(plumbing.CommitObject, h, err.Error())
	}
	subject := gc.Message
	for i := 0; i < len(subject); i++ {
		if subject[i] == '\n' {
			subject = subject[:i]
			break
		}
	}
	return &Commit{Hash: h, Parents: parents, Tree: tree, Author: gc.Author.Name, Email: gc.Author.Email,
		When: gc.Committer.When, Subject: subject}, nil
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
