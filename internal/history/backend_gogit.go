package history

import (
	"crypto"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/hash"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// go-git names every object it reads from a pack by hashing it (its
// cache's key, and how okr checks the content), by default with sha1cd,
// SHA-1 with collision detection, at several times the cost of
// crypto/sha1, which uses the CPU's SHA instructions. okr only reads
// objects already in the repository (git checked them when it fetched or
// made them); a hash is only compared with the name the object was asked
// by, as okr's own check (objectHasher) does with crypto/sha1.
func init() {
	if err := hash.RegisterHash(crypto.SHA1, sha1.New); err != nil {
		panic(err)
	}
}

// goGitBackend reads a repository with go-git's storage and object
// readers, for machines without the git command (or OKR_GIT=go-git).
// go-git's storage is not safe for concurrent use, so every reader opens
// its own handle.
type goGitBackend struct {
	repo  *git.Repository
	fs    billy.Filesystem
	st    *filesystem.Storage
	packs *sharedPacks
}

// openGoGit opens the repository whose .git is in dir or a parent.
func openGoGit(dir string) (*goGitBackend, string, error) {
	root, gitDir, err := findGitDir(dir)
	if err != nil {
		return nil, "", err
	}
	dotFS := osfs.New(gitDir)
	var fs billy.Filesystem = newPackMemFS(dotFS, gitDir)
	if common, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		d := strings.TrimSpace(string(common))
		if !filepath.IsAbs(d) {
			d = filepath.Join(gitDir, d)
		}
		// Objects are in the common folder.
		fs = dotgit.NewRepositoryFilesystem(dotFS, newPackMemFS(osfs.New(d), d))
	}
	if err := checkIndexVersions(fs); err != nil {
		return nil, "", err
	}
	b := &goGitBackend{fs: fs, packs: &sharedPacks{dir: dotgit.New(fs)}}
	b.st = b.storage(cache.NewObjectLRUDefault())
	repo, err := git.Open(b.st, osfs.New(root))
	if err != nil {
		b.st.Close()
		if strings.Contains(err.Error(), "objectformat") {
			return nil, "", sha256Refused(err)
		}
		return nil, "", fmt.Errorf("open repository %s: %w", root, err)
	}
	b.repo = repo
	return b, root, nil
}

// sha256Refused is the error for a repository go-git cannot open because
// it names objects with SHA-256 (go-git's err says "objectformat").
func sha256Refused(err error) error {
	return &HintError{Err: fmt.Errorf("%w: the repository uses SHA-256 object names, which the go-git backend cannot read: %v", ErrUnsupported, err),
		HintMsg: "install git: okr reads SHA-256 repositories through it (with git installed, unset OKR_GIT=go-git)"}
}

func (b *goGitBackend) storage(c cache.Object) *filesystem.Storage {
	return filesystem.NewStorageWithOptions(b.fs, c, filesystem.Options{KeepDescriptors: true})
}

func (b *goGitBackend) close() error { return b.st.Close() }

// hashSize: go-git v5 opens SHA-1 repositories only.
func (b *goGitBackend) hashSize() int { return sha1Len }

// tree decodes a tree with go-git's decoder.
func (b *goGitBackend) tree(h Hash, data []byte) ([]treeEntry, error) {
	return decodeTreeGoGit(h, data)
}

func (b *goGitBackend) head() (Hash, error) {
	ref, err := b.repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return Hash{}, ErrNoCommits
	}
	if err != nil {
		return Hash{}, fmt.Errorf("read HEAD: %w", err)
	}
	return fromPlumbing(ref.Hash()), nil
}

func (b *goGitBackend) resolve(rev string) (h Hash, err error) {
	defer recoverTo(&err, "resolve "+rev)
	p, err := b.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return Hash{}, fmt.Errorf("unknown revision %q: %w", rev, err)
	}
	return fromPlumbing(*p), nil
}

func (b *goGitBackend) branch() string {
	ref, err := b.repo.Storer.Reference(plumbing.HEAD)
	if err != nil || ref.Type() != plumbing.SymbolicReference {
		return ""
	}
	if _, err := b.repo.Head(); err != nil {
		return ""
	}
	return ref.Target().Short()
}

func (b *goGitBackend) defaultBranch() string {
	if ref, err := b.repo.Storer.Reference(plumbing.NewRemoteHEADReferenceName("origin")); err == nil && ref.Type() == plumbing.SymbolicReference {
		return strings.TrimPrefix(ref.Target().String(), "refs/remotes/")
	}
	for _, name := range []plumbing.ReferenceName{"refs/heads/main", "refs/heads/master", "refs/remotes/origin/main", "refs/remotes/origin/master"} {
		if _, err := b.repo.Storer.Reference(name); err == nil {
			return strings.TrimPrefix(strings.TrimPrefix(name.String(), "refs/heads/"), "refs/remotes/")
		}
	}
	return ""
}

func (b *goGitBackend) mergeBase(x, y Hash) (hs []Hash, err error) {
	defer recoverTo(&err, "merge base")
	cx, err := object.GetCommit(b.repo.Storer, toPlumbing(x))
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", short(x.String()), err)
	}
	cy, err := object.GetCommit(b.repo.Storer, toPlumbing(y))
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", short(y.String()), err)
	}
	bases, err := cx.MergeBase(cy)
	if err != nil {
		return nil, err
	}
	for _, c := range bases {
		hs = append(hs, fromPlumbing(c.Hash))
	}
	return hs, nil
}

func (b *goGitBackend) shallow() ([]Hash, error) {
	ps, err := b.st.Shallow()
	if err != nil {
		return nil, err
	}
	hs := make([]Hash, len(ps))
	for i, p := range ps {
		hs[i] = fromPlumbing(p)
	}
	return hs, nil
}

func (b *goGitBackend) reader() (objectReader, error) { return b.readerCaching(4 * cache.MiByte) }

// smallReader is reader with a smaller cache of decoded objects, for a
// goroutine that reads commits and trees in history order (Versions):
// their delta bases are the objects read just before. The walk's
// readers, which read blobs whose bases were read many commits earlier,
// keep 4 MiB (1 MiB made BenchmarkStates 1.2x as slow).
func (b *goGitBackend) smallReader() (objectReader, error) {
	return b.readerCaching(512 * cache.KiByte)
}

// readerCaching opens a reader whose pack reads keep up to size bytes of
// decoded objects (go-git's delta-base cache).
func (b *goGitBackend) readerCaching(size cache.FileSize) (objectReader, error) {
	r := &goGitReader{st: b.storage(cache.NewObjectLRU(size))}
	if b.packs.load() {
		r.packs = newPackReader(b.packs, size)
	}
	return r, nil
}

// goGitReader reads objects from the packs through the backend's shared
// pack indexes (packs) and, for the rest (loose objects, alternates, and
// whatever the packs fail to give), through go-git's storage (st).
type goGitReader struct {
	st     *filesystem.Storage
	packs  *packReader
	hasher objectHasher
}

func (r *goGitReader) close() error {
	var err error
	if r.packs != nil {
		err = r.packs.close()
	}
	return errors.Join(err, r.st.Close())
}

func (r *goGitReader) object(t plumbing.ObjectType, h Hash, limit int64) (data []byte, size int64, err error) {
	defer func() {
		// The message is built only on a panic: this runs for every object.
		if p := recover(); p != nil {
			data, size, err = nil, 0, recovered(fmt.Sprintf("read %s %s", t, short(h.String())), p)
		}
	}()
	if h.size() != sha1Len {
		return nil, 0, fmt.Errorf("read %s %s: %w: not a SHA-1 object name", t, short(h.String()), ErrUnsupported)
	}
	var obj plumbing.EncodedObject
	ph := toPlumbing(h)
	if r.packs != nil {
		if o, ok := r.packs.get(ph); ok && o.Type() == t {
			obj = o
		}
	}
	if obj == nil {
		obj, err = r.st.EncodedObject(t, ph)
	}
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, 0, &HintError{Err: fmt.Errorf("read %s %s: %w", t, short(h.String()), ErrMissingObject),
			HintMsg: "the go-git backend reads only objects stored in the repository itself (no partial clones or alternates); install git, or run `git fsck`"}
	}
	if err != nil {
		return nil, 0, corruptErr(t, h, err.Error())
	}
	size = obj.Size()
	if limit >= 0 && size > limit {
		return nil, size, nil
	}
	if size < 0 || size > 1<<40 {
		return nil, 0, corruptErr(t, h, "impossible size")
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, 0, corruptErr(t, h, err.Error())
	}
	defer rd.Close()
	data = make([]byte, size)
	if _, err := io.ReadFull(rd, data); err != nil {
		return nil, 0, corruptErr(t, h, err.Error())
	}
	// go-git names a small object it decoded by hashing its content (a
	// plumbing.MemoryObject computes Hash from its type and content and
	// cannot be told one), and keys its cache by that name: when it is h,
	// the content is checked. Other objects (go-git's FSObject, for large
	// ones, takes its name from the pack index) are hashed here.
	if mo, ok := obj.(*plumbing.MemoryObject); !ok || mo.Hash() != toPlumbing(h) {
		if err := r.hasher.verify(t, h, data); err != nil {
			return nil, 0, err
		}
	}
	return data, size, nil
}

// recoverTo turns a panic in go-git (a corrupt pack can make its readers
// index out of range) into an error.
func recoverTo(err *error, what string) {
	if p := recover(); p != nil {
		*err = recovered(what, p)
	}
}

// recovered is the error for panic p, recovered while doing what.
func recovered(what string, p any) error {
	return &HintError{Err: fmt.Errorf("%w: %s: %v", ErrCorrupt, what, p), HintMsg: "run `git fsck` to find the damage; a fresh clone usually repairs it"}
}

// checkIndexVersions refuses pack indexes go-git cannot read (version 1,
// written by git before 1.5.2 or on request).
func checkIndexVersions(fs billy.Filesystem) error {
	entries, err := fs.ReadDir("objects/pack")
	if err != nil {
		return nil
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".idx") {
			continue
		}
		f, err := fs.Open("objects/pack/" + e.Name())
		if err != nil {
			continue
		}
		var head [8]byte
		_, err = io.ReadFull(f, head[:])
		f.Close()
		if err == nil && string(head[:4]) != "\xfftOc" {
			return &HintError{Err: fmt.Errorf("%w: pack index %s is version 1, which the go-git backend cannot read", ErrUnsupported, e.Name()),
				HintMsg: "install git (okr then reads history through it), or rewrite the index with `git index-pack` or `git repack -adf`"}
		}
	}
	return nil
}
