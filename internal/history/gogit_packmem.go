package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
)

// packMemFS is the .git folder as go-git's storage sees it, with pack
// files of at most maxPackInMemory bytes read into memory once and served
// from there: go-git reads a pack by seeking and refilling a small buffer
// for every object, two system calls an object, and a walk reads tens of
// thousands of objects. Only the I/O changes: go-git still decodes every
// object. The readers of a backend share one copy of each pack (counted:
// the last Close lets it go). A larger pack is read from its file as
// before. dir is the folder of the operating system that Filesystem is
// rooted at.
type packMemFS struct {
	billy.Filesystem
	dir  string
	mu   sync.Mutex
	maps map[string]*packInMemory
}

type packInMemory struct {
	data []byte
	refs int
}

func newPackMemFS(fs billy.Filesystem, dir string) *packMemFS {
	return &packMemFS{Filesystem: fs, dir: dir, maps: map[string]*packInMemory{}}
}

func (fs *packMemFS) Open(name string) (billy.File, error) {
	f, err := fs.Filesystem.Open(name)
	if err == nil && strings.HasSuffix(name, ".idx") {
		if err = checkIdxCount(f); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err != nil || !strings.HasSuffix(name, ".pack") {
		return f, err
	}
	path := filepath.Join(fs.dir, filepath.FromSlash(name))
	fs.mu.Lock()
	defer fs.mu.Unlock()
	m := fs.maps[path]
	if m == nil {
		data, ok := readPack(f)
		if !ok {
			return f, nil
		}
		m = &packInMemory{data: data}
		fs.maps[path] = m
	}
	m.refs++
	return newMemFile(f, m.data, func() error {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		if m.refs--; m.refs > 0 {
			return nil
		}
		delete(fs.maps, path)
		return nil
	}), nil
}

// memFile is a read-only billy.File over the content of f, read into
// memory. Reads after Close fail.
type memFile struct {
	f       billy.File
	mu      sync.Mutex
	r       *bytes.Reader
	release func() error
}

// newMemFile wraps data, the content of f; release lets it go.
func newMemFile(f billy.File, data []byte, release func() error) *memFile {
	return &memFile{f: f, r: bytes.NewReader(data), release: release}
}

func (m *memFile) Name() string { return m.f.Name() }

func (m *memFile) Read(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.r == nil {
		return 0, os.ErrClosed
	}
	return m.r.Read(p)
}

func (m *memFile) ReadAt(p []byte, off int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.r == nil {
		return 0, os.ErrClosed
	}
	return m.r.ReadAt(p, off)
}

func (m *memFile) Seek(off int64, whence int) (int64, error) {
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

func (m *memFile) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.r == nil {
		return os.ErrClosed
	}
	m.r = nil
	return errors.Join(m.release(), m.f.Close())
}

var errReadOnly = errors.New("a pack file is read-only")

func (m *memFile) Write([]byte) (int, error) { return 0, errReadOnly }
func (m *memFile) Truncate(int64) error      { return errReadOnly }
func (m *memFile) Lock() error               { return m.f.Lock() }
func (m *memFile) Unlock() error             { return m.f.Unlock() }

var _ io.ReaderAt = (*memFile)(nil)

// maxPackInMemory is the largest pack read into memory; a larger one is
// read from its file, as go-git does.
var maxPackInMemory int64 = 256 << 20

// readPack reads the whole of pack file f, from its start; ok is false
// (and f is at its start again) when it is larger than maxPackInMemory or
// cannot be read.
func readPack(f billy.File) (data []byte, ok bool) {
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil || size <= 0 || size > maxPackInMemory {
		f.Seek(0, io.SeekStart)
		return nil, false
	}
	data = make([]byte, size)
	_, err = f.Seek(0, io.SeekStart)
	if err == nil {
		_, err = io.ReadFull(f, data)
	}
	if err != nil {
		f.Seek(0, io.SeekStart)
		return nil, false
	}
	return data, true
}

// checkIdxCount refuses a version 2 pack index whose object count (the
// last entry of its fan-out table) does not fit in its size: go-git's
// decoder would allocate the tables for that many objects before reading
// them (a flipped byte can ask for gigabytes). Other indexes are left to
// go-git. f is read from its start, and left there.
func checkIdxCount(f billy.File) error {
	var head [8 + 256*4]byte
	_, rerr := io.ReadFull(f, head[:])
	size, serr := f.Seek(0, io.SeekEnd)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if serr != nil {
		return serr
	}
	if rerr != nil || !bytes.Equal(head[:4], []byte("\377tOc")) || head[7] != 2 {
		return nil // short, or not version 2: go-git says what is wrong
	}
	count := int64(binary.BigEndian.Uint32(head[len(head)-4:]))
	// Each object has a name (at least 20 bytes), a CRC and an offset.
	if int64(len(head))+count*(20+4+4) > size {
		return &HintError{Err: fmt.Errorf("%w: pack index %s counts %d objects in %d bytes", ErrCorrupt, f.Name(), count, size),
			HintMsg: "run `git fsck` to find the damage; a fresh clone usually repairs it"}
	}
	return nil
}
