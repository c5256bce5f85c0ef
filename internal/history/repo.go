// Package history reads an okr workspace's past out of its git repository
// with go-git: the workspace as it stood at any commit, the first-parent
// states that changed it, and who changed what.
//
// The engine never uses go-git's path-filtered log (about 40 times slower
// than git). It walks first-parent commits itself, compares the hash of the
// workspace's subtree with the previous commit's to skip commits that did
// not touch it, descends only into subtrees whose hashes changed, and
// parses each blob once: parsed files are cached by path and blob hash.
// Storage is opened with KeepDescriptors so pack files stay open across the
// walk. Nothing here reads the clock or writes to the terminal; progress is
// reported through a callback.
package history

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
)

// ErrNotRepository is returned by Open when the workspace is not inside a
// git work tree.
var ErrNotRepository = errors.New("not inside a git repository")

// ErrNoCommits is returned when a repository has no commits yet.
var ErrNoCommits = errors.New("the repository has no commits yet")

// ShallowError is returned when a walk needs history a shallow clone does
// not have.
type ShallowError struct {
	// Commit is the shallow boundary the walk stopped at.
	Commit string
}

func (e *ShallowError) Error() string {
	return fmt.Sprintf("the repository is a shallow clone: history stops at commit %s", short(e.Commit))
}

// Hint says how to fetch the missing history.
func (e *ShallowError) Hint() string {
	return "fetch the full history with `git fetch --unshallow` (in GitHub Actions: actions/checkout with fetch-depth: 0)"
}

// Commit is one commit's metadata.
type Commit struct {
	Hash    plumbing.Hash
	Parents []plumbing.Hash
	Tree    plumbing.Hash
	Author  string
	Email   string
	// When is the committer time: a commit is "at or before" a date when
	// its committer's local calendar date is on or before it.
	When    time.Time
	Subject string
}

// Date is the committer's local calendar date.
func (c *Commit) Date() model.Date { return model.DateOf(c.When) }

// Short is the abbreviated hash.
func (c *Commit) Short() string { return short(c.Hash.String()) }

func short(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// Repo is a workspace inside a git repository.
type Repo struct {
	repo *git.Repository
	// Root is the absolute path of the repository's work tree.
	Root string
	// Prefix is the workspace folder relative to Root, slash-separated, ""
	// when the workspace is the repository root.
	Prefix string

	shallow map[plumbing.Hash]bool
	closer  interface{ Close() error }
	// newStorer opens another handle on the object store, for a goroutine
	// of its own: go-git's storage is not safe for concurrent use.
	newStorer func() *packStorer
	// chainStorer is newStorer without an object cache, for the goroutine
	// that reads the commit chain: a commit is read once, and caching it
	// would cost a SHA-1 of every commit.
	chainStorer func() *packStorer
	packs       *packCache

	commits *memo[plumbing.Hash, *Commit]
	trees   *memo[plumbing.Hash, []object.TreeEntry]
	raws    *memo[plumbing.Hash, string]
	files   *memo[fileKey, *load.File]
}

type fileKey struct {
	path string
	hash plumbing.Hash
}

// Open opens the repository holding the workspace rooted at workspace (the
// folder of okr.yaml), looking for .git in it and its parents. It reads a
// linked work tree's .git file and common folder.
func Open(workspace string) (*Repo, error) {
	abs, err := filepath.Abs(workspace)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", workspace, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	root, gitDir, err := findGitDir(abs)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return nil, fmt.Errorf("locate workspace in repository: %w", err)
	}
	prefix := filepath.ToSlash(rel)
	if prefix == "." {
		prefix = ""
	}
	dotFS := osfs.New(gitDir)
	var fs billy.Filesystem = dotFS
	if common, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		dir := strings.TrimSpace(string(common))
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(gitDir, dir)
		}
		fs = dotgit.NewRepositoryFilesystem(dotFS, osfs.New(dir))
	}
	packs := &packCache{bytes: map[string][]byte{}}
	newStorer := func(objects cache.Object) *filesystem.Storage {
		return filesystem.NewStorageWithOptions(packFS{fs, packs}, objects,
			filesystem.Options{KeepDescriptors: true, ExclusiveAccess: true})
	}
	objs, err := openPacks(fs, packs)
	if err != nil {
		packs.close()
		return nil, err
	}
	st := &packStorer{newStorer(cache.NewObjectLRU(4 * cache.MiByte)), objs}
	repo, err := git.Open(st, osfs.New(root))
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("open repository %s: %w", root, err)
	}
	r := &Repo{repo: repo, Root: root, Prefix: prefix, closer: st, packs: packs, newStorer: func() *packStorer { return &packStorer{newStorer(cache.NewObjectLRU(4 * cache.MiByte)), objs} },
		chainStorer: func() *packStorer { return &packStorer{newStorer(noCache{}), objs} }, shallow: map[plumbing.Hash]bool{},
		commits: newMemo[plumbing.Hash, *Commit](0), trees: newMemo[plumbing.Hash, []object.TreeEntry](maxCachedTrees),
		raws: newMemo[plumbing.Hash, string](maxCachedTrees), files: newMemo[fileKey, *load.File](maxCachedTrees)}
	shallow, err := st.Shallow()
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("read shallow commits: %w", err)
	}
	for _, h := range shallow {
		r.shallow[h] = true
	}
	return r, nil
}

// findGitDir walks up from dir to the folder holding .git, and returns the
// work tree root and the git folder.
func findGitDir(dir string) (root, gitDir string, err error) {
	for d := dir; ; {
		p := filepath.Join(d, ".git")
		if fi, err := os.Stat(p); err == nil {
			if fi.IsDir() {
				return d, p, nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return "", "", fmt.Errorf("read %s: %w", p, err)
			}
			line := strings.TrimSpace(string(data))
			target, ok := strings.CutPrefix(line, "gitdir:")
			if !ok {
				return "", "", fmt.Errorf("%s is not a git folder link", p)
			}
			target = strings.TrimSpace(target)
			if !filepath.IsAbs(target) {
				target = filepath.Join(d, target)
			}
			return d, target, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", "", fmt.Errorf("%w: no .git in %s or any parent folder", ErrNotRepository, dir)
		}
		d = parent
	}
}

// Close releases the pack files held open.
func (r *Repo) Close() error {
	err := r.closer.Close()
	return errors.Join(err, r.packs.close())
}

// Head returns the commit HEAD points to, attached or detached.
func (r *Repo) Head() (*Commit, error) {
	ref, err := r.repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, ErrNoCommits
	}
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	return r.Commit(ref.Hash())
}

// Branch returns the short name of the checked-out branch, "" when HEAD is
// detached or there are no commits.
func (r *Repo) Branch() string {
	ref, err := r.repo.Storer.Reference(plumbing.HEAD)
	if err != nil || ref.Type() != plumbing.SymbolicReference {
		return ""
	}
	return ref.Target().Short()
}

// Resolve returns the commit a revision names: a branch, tag, hash (or
// prefix), HEAD, and suffixes such as ~2 and ^.
func (r *Repo) Resolve(rev string) (*Commit, error) {
	if _, err := r.repo.Head(); errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, ErrNoCommits
	}
	h, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, fmt.Errorf("unknown revision %q: %w", rev, err)
	}
	return r.Commit(*h)
}

// Commit reads one commit, cached.
func (r *Repo) Commit(h plumbing.Hash) (*Commit, error) {
	return r.commitWith(r.repo.Storer, h)
}

// commitWith reads one commit through st, cached.
func (r *Repo) commitWith(st storer.EncodedObjectStorer, h plumbing.Hash) (*Commit, error) {
	if c, ok := r.commits.get(h); ok {
		return c, nil
	}
	c, err := readCommit(st, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) && r.shallow[h] {
		return nil, &ShallowError{Commit: h.String()}
	}
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", short(h.String()), err)
	}
	r.commits.put(h, c)
	return c, nil
}

// Parent returns the first parent of c, nil for a root commit. In a shallow
// clone a boundary commit's parent is missing: that is a *ShallowError.
func (r *Repo) Parent(c *Commit) (*Commit, error) {
	if len(c.Parents) == 0 {
		return nil, nil
	}
	if r.shallow[c.Hash] {
		return nil, &ShallowError{Commit: c.Hash.String()}
	}
	return r.Commit(c.Parents[0])
}

// FirstParents returns the first-parent chain from head back to the root,
// newest first, stopping early after the first commit stop returns true
// for (stop may be nil).
func (r *Repo) FirstParents(head *Commit, stop func(*Commit) bool) ([]*Commit, error) {
	var out []*Commit
	for c := head; c != nil; {
		out = append(out, c)
		if stop != nil && stop(c) {
			break
		}
		p, err := r.Parent(c)
		if err != nil {
			return nil, err
		}
		c = p
	}
	return out, nil
}

// At returns the last first-parent commit of head made at or before day
// (by the committer's local date); nil when head's history starts later.
func (r *Repo) At(head *Commit, day model.Date) (*Commit, error) {
	var found *Commit
	_, err := r.FirstParents(head, func(c *Commit) bool {
		if !c.Date().After(day) {
			found = c
			return true
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	return found, nil
}

// MergeBase returns the best common ancestor of a and b.
func (r *Repo) MergeBase(a, b *Commit) (*Commit, error) {
	ca, err := object.GetCommit(r.repo.Storer, a.Hash)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", a.Short(), err)
	}
	cb, err := object.GetCommit(r.repo.Storer, b.Hash)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", b.Short(), err)
	}
	bases, err := ca.MergeBase(cb)
	if err != nil {
		if len(r.shallow) > 0 {
			return nil, &ShallowError{Commit: firstShallow(r.shallow)}
		}
		return nil, fmt.Errorf("merge base of %s and %s: %w", a.Short(), b.Short(), err)
	}
	if len(bases) == 0 {
		if len(r.shallow) > 0 {
			return nil, &ShallowError{Commit: firstShallow(r.shallow)}
		}
		return nil, fmt.Errorf("%s and %s have no common ancestor", a.Short(), b.Short())
	}
	return r.Commit(bases[0].Hash)
}

func firstShallow(m map[plumbing.Hash]bool) string {
	best := ""
	for h := range m {
		if s := h.String(); best == "" || s < best {
			best = s
		}
	}
	return best
}

// DefaultBranch names the branch a pull request usually targets: the
// remote's HEAD (origin/HEAD), else the first of main, master, origin/main
// and origin/master that exists. "" when none does.
func (r *Repo) DefaultBranch() string {
	if ref, err := r.repo.Storer.Reference(plumbing.NewRemoteHEADReferenceName("origin")); err == nil && ref.Type() == plumbing.SymbolicReference {
		return strings.TrimPrefix(ref.Target().String(), "refs/remotes/")
	}
	for _, name := range []plumbing.ReferenceName{"refs/heads/main", "refs/heads/master", "refs/remotes/origin/main", "refs/remotes/origin/master"} {
		if _, err := r.repo.Storer.Reference(name); err == nil {
			return strings.TrimPrefix(strings.TrimPrefix(name.String(), "refs/heads/"), "refs/remotes/")
		}
	}
	return ""
}

// Identity returns the user's git name and email from the repository's
// and the global configuration, "" when unset.
// The global files are read as git reads them (GlobalIdentity: the file
// GIT_CONFIG_GLOBAL names, else the XDG file and ~/.gitconfig); go-git's own
// global scope reads ~/.gitconfig whatever GIT_CONFIG_GLOBAL says. The
// repository's .git/config wins key by key.
func (r *Repo) Identity() (name, email string) {
	name, email = GlobalIdentity()
	if cfg, err := r.repo.Config(); err == nil {
		if cfg.User.Name != "" {
			name = cfg.User.Name
		}
		if cfg.User.Email != "" {
			email = cfg.User.Email
		}
	}
	return name, email
}

// readCommit reads the parts of a commit object okr uses (tree, parents,
// author, committer time, subject) without decoding the rest.
func readCommit(st storer.EncodedObjectStorer, h plumbing.Hash) (*Commit, error) {
	raw, err := readRaw(st, plumbing.CommitObject, h)
	if err != nil {
		return nil, err
	}
	return parseCommit(h, raw)
}

var errBadCommit = errors.New("malformed commit object")

// parseCommit decodes a raw commit object's headers and subject.
func parseCommit(h plumbing.Hash, s string) (*Commit, error) {
	c := &Commit{Hash: h}
	haveTree, haveCommitter := false, false
	for {
		nl := strings.IndexByte(s, '\n')
		if nl < 0 {
			return nil, errBadCommit
		}
		line := s[:nl]
		s = s[nl+1:]
		if line == "" {
			break // the message follows
		}
		key, val, _ := strings.Cut(line, " ")
		switch key {
		case "tree":
			if err := parseHash(val, &c.Tree); err != nil {
				return nil, err
			}
			haveTree = true
		case "parent":
			var p plumbing.Hash
			if err := parseHash(val, &p); err != nil {
				return nil, err
			}
			c.Parents = append(c.Parents, p)
		case "author":
			var sig object.Signature
			sig.Decode([]byte(val))
			c.Author, c.Email = sig.Name, sig.Email
		case "committer":
			var sig object.Signature
			sig.Decode([]byte(val))
			c.When, haveCommitter = sig.When, true
		}
	}
	if !haveTree || !haveCommitter {
		return nil, errBadCommit
	}
	c.Subject, _, _ = strings.Cut(s, "\n")
	return c, nil
}

func parseHash(s string, h *plumbing.Hash) error {
	if len(s) != 40 {
		return errBadCommit
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return errBadCommit
	}
	return nil
}

// noCache is an object cache that keeps nothing.
type noCache struct{}

func (noCache) Put(plumbing.EncodedObject)                       {}
func (noCache) Get(plumbing.Hash) (plumbing.EncodedObject, bool) { return nil, false }
func (noCache) Clear()                                           {}
