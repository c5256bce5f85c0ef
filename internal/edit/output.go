package edit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrFolder is an output path that is a folder.
var ErrFolder = errors.New("is a folder")

// outKind is how WriteOutputs writes one path.
type outKind int

const (
	outReplace outKind = iota // a regular file, or nothing yet: replaced atomically
	outThrough                // a device, FIFO, socket or pipe: opened and written
)

// output is one resolved output path.
type output struct {
	kind   outKind
	path   string // the file to replace or open
	append bool   // open with O_APPEND: a regular file behind /proc/self/fd
	fi     os.FileInfo
	data   []byte
}

// WriteOutput writes a command's output file (-o PATH) the way a careful
// shell redirect would, but atomically where it can:
//
//   - a regular file, or a path where nothing is yet, is replaced
//     atomically (a temporary file beside it renamed over it), keeping its
//     mode; missing folders are created;
//   - a symbolic link is followed to its target, which is replaced the same
//     way, so the link is kept;
//   - a device, FIFO, socket or pipe (/dev/stdout, /dev/null, a named pipe)
//     is opened and written through, never replaced by a file; opening a
//     FIFO waits for its reader, as a shell's > does;
//   - a folder is an error (ErrFolder).
func WriteOutput(path string, data []byte) error {
	return WriteOutputs(map[string][]byte{path: data})
}

// WriteOutputs writes several output files as WriteOutput writes one.
// Every path is resolved and checked before anything is written, and the
// files replaced atomically are written together (WriteFiles), so a folder
// or an unwritable path among them leaves all untouched.
func WriteOutputs(files map[string][]byte) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	replace := map[string][]byte{}
	var through []output
	for _, p := range paths {
		o, err := resolveOutput(p)
		if err != nil {
			return err
		}
		o.data = files[p]
		if o.kind == outReplace {
			if _, dup := replace[o.path]; dup {
				return fmt.Errorf("write %s: two outputs lead to %s", p, o.path)
			}
			replace[o.path] = o.data
			continue
		}
		through = append(through, o)
	}
	if err := WriteFiles(replace); err != nil {
		return err
	}
	for _, o := range through {
		if err := writeThrough(o); err != nil {
			return err
		}
	}
	return nil
}

// resolveOutput follows path's symbolic links, one at a time, to what is
// at the end, and says how to write it.
func resolveOutput(path string) (output, error) {
	p := path
	for hops := 0; ; hops++ {
		if hops > 40 {
			return output{}, fmt.Errorf("write %s: too many levels of symbolic links", path)
		}
		fi, err := os.Lstat(p)
		switch {
		case errors.Is(err, os.ErrNotExist):
			return output{kind: outReplace, path: p}, nil
		case err != nil:
			return output{}, fmt.Errorf("write %s: %w", path, err)
		case fi.IsDir():
			return output{}, fmt.Errorf("write %s: %w", path, ErrFolder)
		case fi.Mode().IsRegular():
			return output{kind: outReplace, path: p, fi: fi}, nil
		case fi.Mode()&os.ModeSymlink == 0:
			// A device, FIFO or socket.
			return output{kind: outThrough, path: path, fi: fi}, nil
		}
		if procLink(p) {
			// /dev/stdout -> /proc/self/fd/1: the kernel's link to an open
			// file (a pipe, a terminal, or the file a shell redirected
			// to). Write through it; a regular file behind it is appended
			// to, since the shell already created or truncated it.
			st, err := os.Stat(p)
			if err != nil {
				return output{}, fmt.Errorf("write %s: %w", path, err)
			}
			if st.IsDir() {
				return output{}, fmt.Errorf("write %s: %w", path, ErrFolder)
			}
			return output{kind: outThrough, path: path, append: st.Mode().IsRegular(), fi: st}, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return output{}, fmt.Errorf("write %s: %w", path, err)
		}
		if !filepath.IsAbs(link) {
			dir, err := filepath.EvalSymlinks(filepath.Dir(p))
			if err != nil {
				return output{}, fmt.Errorf("write %s: %w", path, err)
			}
			link = filepath.Join(dir, link)
		}
		p = link
	}
}

// procLink reports whether p is one of Linux's /proc/PID/fd links (also
// reached as /dev/fd/N), which name an open file rather than a path.
func procLink(p string) bool {
	dir, err := filepath.EvalSymlinks(filepath.Dir(p))
	return err == nil && strings.HasPrefix(filepath.ToSlash(dir), "/proc/")
}

// writeThrough opens o's path for writing and writes to it.
func writeThrough(o output) error {
	flag := os.O_WRONLY
	if o.append {
		flag |= os.O_APPEND
	}
	f, err := os.OpenFile(o.path, flag, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	_, err = f.Write(o.data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	return nil
}
