package edit

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Reasons a Tx refuses to write a file. They come wrapped in a
// *RefusedError that names the file.
var (
	// ErrChanged: the file is not what the Tx read (another program wrote
	// it, or created it, after okr looked).
	ErrChanged = errors.New("changed while okr was editing it")
	// ErrReadOnly: the file has no write permission for its owner.
	ErrReadOnly = errors.New("is read-only")
	// ErrOutside: the path, or a symbolic link on the way to it, leads
	// out of the folder the Tx may write in.
	ErrOutside = errors.New("leads outside the workspace")
	// ErrNotRegular: the path is a folder, FIFO, socket or device.
	ErrNotRegular = errors.New("is not a regular file")
)

// RefusedError is a file a Tx would not read or write, and why.
type RefusedError struct {
	// Path is the file as the caller named it, relative to the Tx's
	// folder when it is inside.
	Path string
	// Err is one of ErrChanged, ErrReadOnly, ErrOutside, ErrNotRegular.
	Err error
	// Detail says more (where a link leads), "" when nothing.
	Detail string
}

func (e *RefusedError) Error() string {
	msg := e.Path + " " + e.Err.Error()
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

func (e *RefusedError) Unwrap() error { return e.Err }

// TxOptions tune Begin.
type TxOptions struct {
	// Within is the folder the Tx may write in, "" for the workspace root.
	// okr codeowners --write sets it to the repository that holds the
	// workspace, where CODEOWNERS lives.
	Within string
	// OnWait is called once before waiting for the workspace lock.
	OnWait func()
}

// Tx is one command's changes to a workspace's files. Begin takes the
// workspace lock; Read records what each file held when it was read; Write
// writes every file atomically, and only if each is still what was read
// (or, never read, still absent). Commands that change workspace files go
// through a Tx, so two okr commands never interleave their read and write,
// and a write by anything else in between is refused, not overwritten.
//
// Files are written where they really are: a symbolic link that stays
// inside the folder is kept and its target replaced; one that leads out of
// it is refused, as are read-only files and anything but regular files.
// A replaced file keeps its mode, and its owner where the process may set
// it.
type Tx struct {
	root     string // the workspace, for messages
	within   string // absolute and clean
	realWith string // within with symbolic links resolved
	lock     *Lock
	seen     map[string]state // real path -> what Read saw
}

// state is what a Read saw at a path.
type state struct {
	exists bool
	sum    [sha256.Size]byte
}

// Begin locks the workspace at root and starts a Tx in it.
func Begin(root string, opt TxOptions) (*Tx, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	within := root
	if opt.Within != "" {
		if within, err = filepath.Abs(opt.Within); err != nil {
			return nil, err
		}
	}
	realWith, err := filepath.EvalSymlinks(within)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", within, err)
	}
	l, err := LockWorkspace(root, opt.OnWait)
	if err != nil {
		return nil, err
	}
	return &Tx{root: root, within: filepath.Clean(within), realWith: realWith, lock: l, seen: map[string]state{}}, nil
}

// Close releases the workspace lock. It is safe to call more than once.
func (t *Tx) Close() error { return t.lock.Unlock() }

// name is how messages call path: relative to the Tx's folder, with
// forward slashes, when it is inside.
func (t *Tx) name(path string) string {
	if r, err := filepath.Rel(t.within, path); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(r)
	}
	return path
}

// resolve returns the real path behind path (absolute): every symbolic
// link resolved, the part that does not exist yet appended as named. It
// refuses a path that leads out of the Tx's folder.
func (t *Tx) resolve(path string) (string, error) {
	path = filepath.Clean(path)
	if !inside(t.within, path) {
		return "", &RefusedError{Path: t.name(path), Err: ErrOutside}
	}
	// Resolve the deepest part that exists; what follows it is created.
	existing, rest := path, ""
	var real string
	for {
		r, err := filepath.EvalSymlinks(existing)
		if err == nil {
			real = r
			break
		}
		if _, lerr := os.Lstat(existing); lerr == nil {
			// It is there but does not resolve: a dangling link or a loop.
			return "", &RefusedError{Path: t.name(path), Err: ErrNotRegular, Detail: "a symbolic link that leads nowhere"}
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			return "", err
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = parent
	}
	if rest != "" {
		real = filepath.Join(real, rest)
	}
	if !inside(t.realWith, real) {
		return "", &RefusedError{Path: t.name(path), Err: ErrOutside, Detail: "it resolves to " + real}
	}
	return real, nil
}

// inside reports whether path is dir or below it; both absolute and clean.
func inside(dir, path string) bool {
	r, err := filepath.Rel(dir, path)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}

// Read returns the bytes of the file at path (absolute, or relative to the
// workspace root) and records them, so Write can check that they did not
// change. A missing file is recorded as missing and returns an error for
// which errors.Is(err, os.ErrNotExist) holds. A folder, FIFO, socket or
// device is refused without being opened, so a FIFO never blocks.
func (t *Tx) Read(path string) ([]byte, error) {
	path = t.abs(path)
	real, err := t.resolve(path)
	if err != nil {
		return nil, err
	}
	data, exists, err := readRegular(real)
	if err != nil {
		if re, ok := err.(*RefusedError); ok {
			re.Path = t.name(path)
		}
		return nil, err
	}
	if !exists {
		t.seen[real] = state{}
		return nil, &os.PathError{Op: "read", Path: path, Err: os.ErrNotExist}
	}
	t.seen[real] = state{exists: true, sum: sha256.Sum256(data)}
	return data, nil
}

func (t *Tx) abs(path string) string {
	if !filepath.IsAbs(path) {
		path = filepath.Join(t.root, path)
	}
	return filepath.Clean(path)
}

// readRegular reads the regular file at real; exists is false when there
// is nothing there.
func readRegular(real string) (data []byte, exists bool, err error) {
	fi, err := os.Lstat(real)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if !fi.Mode().IsRegular() {
		return nil, true, &RefusedError{Path: real, Err: ErrNotRegular}
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, true, err
	}
	defer f.Close()
	data, err = io.ReadAll(f)
	return data, true, err
}

// target is one file of a Write, resolved and checked.
type target struct {
	name string // for messages
	real string
	data []byte
	fi   os.FileInfo // nil for a new file
	temp string
}

// Write writes files (absolute paths, or relative to the workspace root,
// to their new bytes) atomically, all or nothing as far as the file system
// allows: each file's bytes go to a temporary file beside it, synced; then
// every file is checked to be still what Read saw (a file never read must
// still be absent), and only then is each temporary file renamed over its
// file. A refused file (*RefusedError) means nothing was written. Folders
// are created as needed.
func (t *Tx) Write(files map[string][]byte) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	targets := make([]*target, 0, len(paths))
	byReal := map[string]string{}
	cleanup := func() {
		for _, tg := range targets {
			if tg.temp != "" {
				os.Remove(tg.temp)
			}
		}
	}
	for _, p := range paths {
		abs := t.abs(p)
		real, err := t.resolve(abs)
		if err != nil {
			return err
		}
		tg := &target{name: t.name(abs), real: real, data: files[p]}
		if other, dup := byReal[real]; dup {
			return fmt.Errorf("write %s: it is the same file as %s (a symbolic link); nothing was written", tg.name, other)
		}
		byReal[real] = tg.name
		fi, err := os.Lstat(real)
		switch {
		case err == nil && !fi.Mode().IsRegular():
			return &RefusedError{Path: tg.name, Err: ErrNotRegular}
		case err == nil && fi.Mode().Perm()&0o200 == 0:
			return &RefusedError{Path: tg.name, Err: ErrReadOnly}
		case err == nil:
			tg.fi = fi
		case !errors.Is(err, os.ErrNotExist):
			return fmt.Errorf("write %s: %w", tg.name, err)
		}
		if err := t.unchanged(tg); err != nil {
			return err
		}
		targets = append(targets, tg)
	}
	// Every file passed: only now is anything created.
	for _, tg := range targets {
		var err error
		if tg.temp, err = writeTemp(tg.real, tg.data, tg.fi); err != nil {
			cleanup()
			return fmt.Errorf("write %s: %w", tg.name, errors.Unwrap(err))
		}
	}
	// The check before the renames: nothing changed while the temporary
	// files were written.
	for _, tg := range targets {
		if err := t.unchanged(tg); err != nil {
			cleanup()
			return err
		}
	}
	for i, tg := range targets {
		err := beforeRename(tg.real)
		if err == nil {
			err = os.Rename(tg.temp, tg.real)
		}
		if err != nil {
			for _, rest := range targets[i:] {
				os.Remove(rest.temp)
			}
			return fmt.Errorf("write %s: %w", tg.name, err)
		}
		tg.temp = ""
		t.seen[tg.real] = state{exists: true, sum: sha256.Sum256(tg.data)}
	}
	return nil
}

// unchanged checks that tg's file is what Read saw: the same bytes, or
// still absent.
func (t *Tx) unchanged(tg *target) error {
	want := t.seen[tg.real] // never read: must still be absent
	data, exists, err := readRegular(tg.real)
	if err != nil {
		if re, ok := err.(*RefusedError); ok {
			re.Path = tg.name
		}
		return err
	}
	switch {
	case exists && !want.exists:
		return &RefusedError{Path: tg.name, Err: ErrChanged, Detail: "it was created after okr looked"}
	case !exists && want.exists:
		return &RefusedError{Path: tg.name, Err: ErrChanged, Detail: "it was removed"}
	case exists && sha256.Sum256(data) != want.sum:
		return &RefusedError{Path: tg.name, Err: ErrChanged}
	}
	return nil
}
