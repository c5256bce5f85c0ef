package edit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// beforeRename runs between writing a temporary file and renaming it over
// its target. Tests set it to inject a failure at the worst moment.
var beforeRename = func(path string) error { return nil }

// WriteFile replaces path with data atomically: the bytes go to a
// temporary file in the same folder, which is synced and then renamed over
// path, so a reader or a crash sees the old file or the new one, never a
// mix. A new file gets mode 0644; an existing one keeps its mode.
func WriteFile(path string, data []byte) error {
	return WriteFiles(map[string][]byte{path: data})
}

// WriteFiles writes several files the way WriteFile writes one. Every
// temporary file is written and synced before the first rename, so a
// failure while writing (a full disk, a permission) leaves every target
// untouched; only a failure between renames can leave some files new and
// others old. Folders are created as needed.
func WriteFiles(files map[string][]byte) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	temps := make(map[string]string, len(paths))
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			cleanup()
			return fmt.Errorf("write %s: %w", p, err)
		}
		t, err := writeTemp(p, files[p], fi)
		if err != nil {
			cleanup()
			return err
		}
		temps[p] = t
	}
	for i, p := range paths {
		if err := beforeRename(p); err != nil {
			for _, q := range paths[i:] {
				os.Remove(temps[q])
			}
			return fmt.Errorf("write %s: %w", p, err)
		}
		if err := os.Rename(temps[p], p); err != nil {
			for _, q := range paths[i:] {
				os.Remove(temps[q])
			}
			return fmt.Errorf("write %s: %w", p, err)
		}
		delete(temps, p)
	}
	return nil
}

// writeTemp writes data to a new temporary file beside path, synced, with
// the mode (and, where allowed, the owner) of the file fi describes, or
// mode 0644 when fi is nil (a new file). It returns the temporary file's
// name.
func writeTemp(path string, data []byte, fi os.FileInfo) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	mode := os.FileMode(0o644)
	if fi != nil {
		mode = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".okr-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	name := f.Name()
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if werr == nil {
		werr = f.Chmod(mode)
	}
	if werr == nil && fi != nil {
		keepOwner(f, fi)
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(name)
		return "", fmt.Errorf("write %s: %w", path, werr)
	}
	return name, nil
}
