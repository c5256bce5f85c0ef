// Package history reads an okr workspace's past out of its git repository:
// the workspace as it stood at any commit, the first-parent states that
// changed it, and who changed what.
//
// Objects come from one of two backends (backend.go): the git command
// (long-running `git cat-file --batch` processes, `git rev-parse`, `git
// merge-base`), used when git is installed, or go-git's storage when it is
// not (or OKR_GIT=go-git). Nothing here decodes pack files; objects are
// named by Hash (SHA-1 or, with the git command, SHA-256), and every
// object read is checked against its hash.
//
// The engine walks first-parent commits itself, compares the hash of the
// workspace's subtree with the previous commit's to skip commits that did
// not touch it, descends only into subtrees whose hashes changed, and
// parses each blob once: parsed files are cached by path and blob hash.
// Nothing here reads the clock or writes to the terminal; progress is
// reported through a callback.
package history

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
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
	Hash    Hash
	Parents []Hash
	Tree    Hash
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
func (c *Commit) Short() string {
	var buf [8]byte
	n := min(int(c.Hash.n), 4)
	hexEncode(buf[:], c.Hash.b[:n])
	return string(buf[:min(2*n, 7)])
}

func short(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// Repo is a workspace inside a git repository.
type Repo struct {
	b backend
	// rd reads objects for the caller's goroutine; walks take readers of
	// their own.
	rdMu sync.Mutex
	rd   objectReader
	// Root is the absolute path of the repository's work tree.
	Root string
	// Prefix is the workspace folder relative to Root, slash-separated, ""
	// when the workspace is the repository root.
	Prefix string
	// CheckinText, when set, picks the check-in notes and answers' texts
	// the files read keep (load.DecodeFileWith; nil keeps every one): a
	// command that prints none of them keeps only those its rules report.
	// Set it before the first walk or load; files read are kept for reuse.
	CheckinText func(string) bool

	shallow map[Hash]bool
	// ctx stops long walks (Walk, WalkRange, Load, Versions, At).
	ctx context.Context
	// live counts the object readers of walks not yet closed (tests check
	// that none outlives its walk).
	live atomic.Int64

	commits *memo[Hash, *Commit]
	trees   *memo[Hash, []treeEntry]
	files   *memo[fileKey, *load.File]
}

type fileKey struct {
	path string
	hash Hash
}

// decode is load.DecodeFileWith with the repository's CheckinText.
func (r *Repo) decode(rel string, kind load.Kind, data []byte, limit int64) *load.File {
	return load.DecodeFileWith(rel, kind, data, limit, r.CheckinText)
}

// Open opens the repository holding the workspace rooted at workspace (the
// folder of okr.yaml), looking for .git in it and its parents, with the
// backend ChooseBackend names.
func Open(workspace string) (*Repo, error) {
	return OpenWith(context.Background(), workspace, ChooseBackend())
}

// OpenContext is Open with a context that stops the repository's long
// walks: once ctx is done, Walk, WalkRange, Load, Versions and At return
// its error, after every goroutine they started has stopped reading.
func OpenContext(ctx context.Context, workspace string) (*Repo, error) {
	return OpenWith(ctx, workspace, ChooseBackend())
}

// OpenWith is OpenContext with a backend: BackendGit or BackendGoGit.
func OpenWith(ctx context.Context, workspace, backendName string) (*Repo, error) {
	abs, err := filepath.Abs(workspace)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", workspace, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	var b backend
	var root string
	switch backendName {
	case BackendGit:
		b, root, err = openGit(abs)
	case BackendGoGit:
		b, root, err = openGoGit(abs)
	default:
		return nil, fmt.Errorf("unknown git backend %q (OKR_GIT takes git or go-git)", backendName)
	}
	if err != nil {
		return nil, err
	}
	if root == "" {
		b.close()
		return nil, fmt.Errorf("%w: %s is inside a bare repository", ErrNotRepository, abs)
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		b.close()
		return nil, fmt.Errorf("locate workspace %s in repository %s", abs, root)
	}
	prefix := filepath.ToSlash(rel)
	if prefix == "." {
		prefix = ""
	}
	rd, err := b.reader()
	if err != nil {
		b.close()
		return nil, err
	}
	r := &Repo{b: b, rd: rd, ctx: ctx, Root: root, Prefix: prefix, shallow: map[Hash]bool{},
		commits: newMemo[Hash, *Commit](0), trees: newMemo[Hash, []treeEntry](maxCachedTrees),
		files: newMemo[fileKey, *load.File](maxCachedTrees)}
	shallow, err := b.shallow()
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("read shallow commits: %w", err)
	}
	for _, h := range shallow {
		r.shallow[h] = true
	}
	return r, nil
}

// reader returns an object reader for one of a walk's goroutines.
func (r *Repo) reader() (objectReader, error) { return r.counted(r.b.reader()) }

// smallReader is reader for a goroutine that reads commits and trees in
// history order: with the go-git backend, its cache is smaller.
func (r *Repo) smallReader() (objectReader, error) {
	if gb, ok := r.b.(*goGitBackend); ok {
		return r.counted(gb.smallReader())
	}
	return r.reader()
}

// counted counts rd among the live readers until it is closed.
func (r *Repo) counted(rd objectReader, err error) (objectReader, error) {
	if err != nil {
		return nil, err
	}
	r.live.Add(1)
	return countedReader{rd, &r.live}, nil
}

type countedReader struct {
	objectReader
	live *atomic.Int64
}

func (c countedReader) close() error {
	c.live.Add(-1)
	return c.objectReader.close()
}

// read reads an object through the caller's reader.
func (r *Repo) read(t plumbing.ObjectType, h Hash, limit int64) ([]byte, int64, error) {
	r.rdMu.Lock()
	defer r.rdMu.Unlock()
	return r.rd.object(t, h, limit)
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

// Close stops the backend's readers (git processes, open files); a walk
// in progress must have returned first.
func (r *Repo) Close() error {
	r.rdMu.Lock()
	err := r.rd.close()
	r.rdMu.Unlock()
	return errors.Join(err, r.b.close())
}

// Head returns the commit HEAD points to, attached or detached.
func (r *Repo) Head() (*Commit, error) {
	if cf, ok := r.rd.(*catFile); ok {
		// The git backend's running cat-file resolves HEAD as `git
		// rev-parse --verify HEAD^{commit}` does, without a process of
		// its own.
		return r.namedCommit(cf, "HEAD^{commit}")
	}
	h, err := r.b.head()
	if err != nil {
		return nil, err
	}
	return r.Commit(h)
}

// namedCommit reads the commit name resolves to through cf;
// ErrNoCommits when it resolves to none (HEAD of a repository without
// commits).
func (r *Repo) namedCommit(cf *catFile, name string) (*Commit, error) {
	r.rdMu.Lock()
	defer r.rdMu.Unlock()
	h, data, found, err := cf.named(plumbing.CommitObject, name)
	switch {
	case err != nil:
		return nil, fmt.Errorf("read HEAD: %w", err)
	case !found:
		return nil, ErrNoCommits
	}
	if c, ok := r.commits.get(h); ok {
		return c, nil
	}
	c, err := decodeCommit(h, data)
	if err != nil {
		return nil, err
	}
	r.commits.put(h, c)
	return c, nil
}

// Branch returns the short name of the checked-out branch, "" when HEAD is
// detached or there are no commits.
func (r *Repo) Branch() string { return r.b.branch() }

// Resolve returns the commit a revision names: a branch, tag, hash (or
// prefix), HEAD, and suffixes such as ~2 and ^.
func (r *Repo) Resolve(rev string) (*Commit, error) {
	if _, err := r.Head(); errors.Is(err, ErrNoCommits) {
		return nil, ErrNoCommits
	}
	h, err := r.b.resolve(rev)
	if err != nil {
		return nil, err
	}
	return r.Commit(h)
}

// Commit reads one commit, cached.
func (r *Repo) Commit(h Hash) (*Commit, error) {
	if c, ok := r.commits.get(h); ok {
		return c, nil
	}
	r.rdMu.Lock()
	defer r.rdMu.Unlock()
	return r.commitWith(r.rd, h)
}

// commitWith reads one commit through rd, cached.
func (r *Repo) commitWith(rd objectReader, h Hash) (*Commit, error) {
	if c, ok := r.commits.get(h); ok {
		return c, nil
	}
	data, _, err := rd.object(plumbing.CommitObject, h, -1)
	if errors.Is(err, ErrMissingObject) && r.shallow[h] {
		return nil, &ShallowError{Commit: h.String()}
	}
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", short(h.String()), err)
	}
	c, err := decodeCommit(h, data)
	if err != nil {
		return nil, err
	}
	r.commits.put(h, c)
	return c, nil
}

// chain yields head and its first-parent ancestors, newest first, until
// yield returns false; reading them through rd, or, with the git backend,
// from one git log process. A shallow boundary is a *ShallowError.
func (r *Repo) chain(rd objectReader, head *Commit, yield func(*Commit) bool) error {
	if !yield(head) || len(head.Parents) == 0 {
		return nil
	}
	if r.shallow[head.Hash] {
		return &ShallowError{Commit: head.Hash.String()}
	}
	if gb, ok := r.b.(*gitBackend); ok {
		return gb.firstParents(r.ctx, head, r.shallow, func(c *Commit) bool {
			if old, ok := r.commits.get(c.Hash); ok {
				c = old
			} else if !r.shallow[c.Hash] {
				r.commits.put(c.Hash, c)
			}
			return yield(c)
		})
	}
	for c := head; ; {
		next, err := r.commitWith(rd, c.Parents[0])
		if err != nil {
			return err
		}
		c = next
		if !yield(c) || len(c.Parents) == 0 {
			return nil
		}
		if r.shallow[c.Hash] {
			return &ShallowError{Commit: c.Hash.String()}
		}
	}
}

// chainIDs is chain through rd without the commits' metadata: unless a
// commit is already cached, it has only its Hash, Tree and Parents (read
// Commit for the rest), and it is not cached. Versions with the go-git
// backend reads every commit's tree and needs the rest of only the few
// that changed the file: go-git's decoding of author, committer and
// message is a good part of reading a commit.
func (r *Repo) chainIDs(rd objectReader, head *Commit, yield func(*Commit) bool) error {
	if !yield(head) || len(head.Parents) == 0 {
		return nil
	}
	if r.shallow[head.Hash] {
		return &ShallowError{Commit: head.Hash.String()}
	}
	for c := head; ; {
		h := c.Parents[0]
		next, ok := r.commits.get(h)
		if !ok {
			data, _, err := rd.object(plumbing.CommitObject, h, -1)
			if errors.Is(err, ErrMissingObject) && r.shallow[h] {
				return &ShallowError{Commit: h.String()}
			}
			if err != nil {
				return fmt.Errorf("read commit %s: %w", short(h.String()), err)
			}
			tree, parents, _, err := commitIDs(h, data)
			if err != nil {
				return err
			}
			if tree.IsZero() {
				return corruptErr(plumbing.CommitObject, h, "no tree")
			}
			next = &Commit{Hash: h, Tree: tree, Parents: parents}
		}
		c = next
		if !yield(c) || len(c.Parents) == 0 {
			return nil
		}
		if r.shallow[c.Hash] {
			return &ShallowError{Commit: c.Hash.String()}
		}
	}
}

// FirstParents returns the first-parent chain from head back to the root,
// newest first, stopping early after the first commit stop returns true
// for (stop may be nil).
func (r *Repo) FirstParents(head *Commit, stop func(*Commit) bool) ([]*Commit, error) {
	var out []*Commit
	r.rdMu.Lock()
	defer r.rdMu.Unlock()
	err := r.chain(r.rd, head, func(c *Commit) bool {
		if r.ctx.Err() != nil {
			return false
		}
		out = append(out, c)
		return stop == nil || !stop(c)
	})
	if err == nil {
		err = r.ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// At returns the last first-parent commit of head made at or before day
// (by the committer's local date); nil when head's history starts later.
func (r *Repo) At(head *Commit, day model.Date) (*Commit, error) {
	// With the git backend, git skips the newer commits first: every
	// commit it passes over was made after the latest instant of day in
	// any time zone git can write, so none is at or before day anywhere.
	if gb, ok := r.b.(*gitBackend); ok {
		c, err := gb.firstBefore(r.ctx, head.Hash, latestInstant(day), func(c *Commit) bool { return !c.Date().After(day) })
		if err != nil {
			return nil, err
		}
		if c != nil {
			if old, ok := r.commits.get(c.Hash); ok {
				return old, nil
			}
			r.commits.put(c.Hash, c)
			return c, nil
		}
		if len(r.shallow) == 0 {
			return nil, nil // every commit is later
		}
		// git's list may have ended at the shallow boundary: the walk
		// below says so.
	}
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

// latestInstant is the last Unix second that can still fall on day in
// some commit's time zone: the end of day at the westernmost offset git
// writes (-99:99, a little over 100 hours behind UTC). A commit made
// later has a local date after day in every zone.
func latestInstant(day model.Date) int64 {
	return day.Time().AddDate(0, 0, 1).Unix() + 99*3600 + 99*60 - 1
}

// MergeBase returns the best common ancestor of a and b.
func (r *Repo) MergeBase(a, b *Commit) (*Commit, error) {
	bases, err := r.b.mergeBase(a.Hash, b.Hash)
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
	return r.Commit(bases[0])
}

func firstShallow(m map[Hash]bool) string {
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
func (r *Repo) DefaultBranch() string { return r.b.defaultBranch() }

// Identity returns the user's git name and email as git resolves them in
// the work tree (see Identity), "" when unset.
func (r *Repo) Identity() (name, email string) {
	return Identity(r.Root)
}
