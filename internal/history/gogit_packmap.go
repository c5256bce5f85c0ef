package history

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
)

// packMapFS is the .git folder as go-git's storage sees it, with pack
// files opened as memory maps where the system has them: go-git reads a
// pack by seeking and refilling a small buffer for every object, two
// system calls an object, and a walk reads tens of thousands of objects.
// Only the I/O changes: go-git still decodes every object. The readers of
// a backend share one map of each pack (counted: the last Close unmaps
// it). dir is the folder of the operating system that Filesystem is
// rooted at.
type packMapFS struct {
	billy.Filesystem
	dir  string
	mu   sync.Mutex
	maps map[string]*sharedMap
}

type sharedMap struct {
	data  []byte
	unmap func() error
	refs  int
}

func newPackMapFS(fs billy.Filesystem, dir string) *packMapFS {
	return &packMapFS{Filesystem: fs, dir: dir, maps: map[string]*sharedMap{}}
}

func (fs *packMapFS) Open(name string) (billy.File, error) {
	f, err := fs.Filesystem.Open(name)
	if err != nil || !strings.HasSuffix(name, ".pack") {
		return f, err
	}
	path := filepath.Join(fs.dir, filepath.FromSlash(name))
	fs.mu.Lock()
	defer fs.mu.Unlock()
	m := fs.maps[path]
	if m == nil {
		data, unmap, ok := mapFile(path)
		if !ok {
			return f, nil
		}
		m = &sharedMap{data: data, unmap: unmap}
		fs.maps[path] = m
	}
	m.refs++
	return newMappedFile(f, m.data, func() error {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		if m.refs--; m.refs > 0 {
			return nil
		}
		delete(fs.maps, path)
		return m.unmap()
	}), nil
}

// mappedFile is a read-only billy.File over a memory map of f. Close
// unmaps it; reads after Close fail.
type mappedFile struct {
	f     billy.File
	mu    sync.Mutex
	r     *bytes.Reader
	unmap func() error
}

// newMappedFile wraps data, a map of f that unmap releases.
func newMappedFile(f billy.File, data []byte, unmap func() error) *mappedFile {
	return &mappedFile{f: f, r: bytes.NewReader(data), unmap: unmap}
}

func (m *mappedFile) Name() string { return m.f.Name() }

func (m *mappedFile) Read(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.r == nil {
		return 0, os.ErrClosed
	}
	return m.r.Read(p)
}

func (m *mappedFile) ReadAt(p []byte, off int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.r == nil {
		return 0, os.ErrClosed
	}
	return m.r.ReadAt(p, off)
}

func (m *mappedFile) Seek(off int64, whence int) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.r == nil {
		return 0, os.ErrClosed
	}
	n, err := m.r.Seek(off, whence)
	if err != nil {
		// As os.File says of a negative offset, so go-git's checks of it
		// (packfile.isInvalid) hold.
		err = &os.PathError{Op: "seek", Path: m.f.Name(), Err: os.ErrInvalid}
	}
	return n, err
}

func (m *mappedFile) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.r == nil {
		return os.ErrClosed
	}
	m.r = nil
	return errors.Join(m.unmap(), m.f.Close())
}

var errReadOnly = errors.New("a pack file is read-only")

func (m *mappedFile) Write([]byte) (int, error) { return 0, errReadOnly }
func (m *mappedFile) Truncate(int64) error      { return errReadOnly }
func (m *mappedFile) Lock() error               { return m.f.Lock() }
func (m *mappedFile) Unlock() error             { return m.f.Unlock() }

var _ io.ReaderAt = (*mappedFile)(nil)
