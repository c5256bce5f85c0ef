package edit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// patience bounds every wait in these tests: long enough for a loaded
// machine, short enough that a hang fails instead of blocking forever.
const patience = 5 * time.Minute

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTemps checks that no temporary file of a write is left in dir.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".okr-") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

// TestLockExcludes takes the workspace lock twice in one process: the
// second waits (onWait is called, it does not get the lock) until the
// first is released. No sleeps: onWait says the second is waiting.
func TestLockExcludes(t *testing.T) {
	if !lockSupported {
		t.Skip("no advisory lock on this system")
	}
	root := t.TempDir()
	first, err := LockWorkspace(root, func() { t.Error("the first lock waited") })
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	got := make(chan *Lock, 1)
	go func() {
		l, err := LockWorkspace(root, func() { close(waiting) })
		if err != nil {
			t.Error(err)
		}
		got <- l
	}()
	select {
	case <-waiting:
	case l := <-got:
		t.Fatalf("a second LockWorkspace got the lock while the first held it (%v)", l)
	case <-time.After(patience):
		t.Fatal("the second LockWorkspace neither waited nor returned")
	}
	select {
	case <-got:
		t.Fatal("the second lock was granted before the first was released")
	default:
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	select {
	case l := <-got:
		if err := l.Unlock(); err != nil {
			t.Fatal(err)
		}
	case <-time.After(patience):
		t.Fatal("the lock was not granted after it was released")
	}
	// Released twice is harmless; the lock is free again.
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	again, err := LockWorkspace(root, func() { t.Error("a free lock waited") })
	if err != nil {
		t.Fatal(err)
	}
	again.Unlock()
}

// begin starts a Tx on root and closes it at the end of the test.
func begin(t *testing.T, root string, opt TxOptions) *Tx {
	t.Helper()
	tx, err := Begin(root, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Close() })
	return tx
}

// TestTxWrite covers what a Tx writes and keeps: new files and folders,
// the mode of a replaced file, and a symbolic link inside the workspace
// (its target replaced, the link kept).
func TestTxWrite(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"objectives/a.yaml": "a: 1\n", "shared/real.yaml": "r: 1\n"})
	if err := os.Chmod(filepath.Join(root, "objectives/a.yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../shared/real.yaml", filepath.Join(root, "objectives/link.yaml")); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	tx := begin(t, root, TxOptions{})
	for _, rel := range []string{"objectives/a.yaml", "objectives/link.yaml"} {
		if _, err := tx.Read(rel); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Read("objectives/new/b.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Read of a missing file: %v, want os.ErrNotExist", err)
	}
	err := tx.Write(map[string][]byte{
		"objectives/a.yaml":     []byte("a: 2\n"),
		"objectives/link.yaml":  []byte("r: 2\n"),
		"objectives/new/b.yaml": []byte("b: 1\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(root, "objectives/a.yaml")); got != "a: 2\n" {
		t.Errorf("a.yaml = %q", got)
	}
	if fi, err := os.Stat(filepath.Join(root, "objectives/a.yaml")); err != nil || (fi.Mode().Perm() != 0o600 && lockSupported && os.PathSeparator == '/') {
		t.Errorf("a.yaml mode = %v (%v), want 0600 kept", fi.Mode(), err)
	}
	if fi, err := os.Lstat(filepath.Join(root, "objectives/link.yaml")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("objectives/link.yaml is no longer a symbolic link: %v %v", fi.Mode(), err)
	}
	if got := readString(t, filepath.Join(root, "shared/real.yaml")); got != "r: 2\n" {
		t.Errorf("the link's target = %q, want the new bytes", got)
	}
	if got := readString(t, filepath.Join(root, "objectives/new/b.yaml")); got != "b: 1\n" {
		t.Errorf("new file = %q", got)
	}
	noTemps(t, root)
	// A second write in the same Tx builds on the first.
	if err := tx.Write(map[string][]byte{"objectives/a.yaml": []byte("a: 3\n")}); err != nil {
		t.Errorf("a second write of a file the Tx wrote: %v", err)
	}
}

// TestTxRefuses covers every refusal: each is a *RefusedError naming the
// file, and nothing at all is written (the other files of the same Write
// included).
func TestTxRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, root, outside string, tx *Tx) // after Begin, before Write
		file  string                                           // the file written besides objectives/ok.yaml
		want  error
		named string
	}{
		{"changed after it was read", func(t *testing.T, root, _ string, tx *Tx) {
			tx.Read("objectives/a.yaml")
			writeFiles(t, root, map[string]string{"objectives/a.yaml": "someone else\n"})
		}, "objectives/a.yaml", ErrChanged, "objectives/a.yaml"},
		{"removed after it was read", func(t *testing.T, root, _ string, tx *Tx) {
			tx.Read("objectives/a.yaml")
			os.Remove(filepath.Join(root, "objectives/a.yaml"))
		}, "objectives/a.yaml", ErrChanged, "objectives/a.yaml"},
		{"created after okr looked", func(t *testing.T, root, _ string, tx *Tx) {
			tx.Read("objectives/new.yaml")
			writeFiles(t, root, map[string]string{"objectives/new.yaml": "someone else\n"})
		}, "objectives/new.yaml", ErrChanged, "objectives/new.yaml"},
		{"never read but there", func(t *testing.T, root, _ string, tx *Tx) {}, "objectives/a.yaml", ErrChanged, "objectives/a.yaml"},
		{"read-only", func(t *testing.T, root, _ string, tx *Tx) {
			tx.Read("objectives/a.yaml")
			os.Chmod(filepath.Join(root, "objectives/a.yaml"), 0o444)
		}, "objectives/a.yaml", ErrReadOnly, "objectives/a.yaml"},
		{"a link to a file outside", func(t *testing.T, root, outside string, tx *Tx) {
			symlink(t, filepath.Join(outside, "o.yaml"), filepath.Join(root, "objectives/out.yaml"))
		}, "objectives/out.yaml", ErrOutside, "objectives/out.yaml"},
		{"a new file in a folder linked outside", func(t *testing.T, root, outside string, tx *Tx) {
			symlink(t, outside, filepath.Join(root, "objectives/ext"))
		}, "objectives/ext/new.yaml", ErrOutside, "objectives/ext/new.yaml"},
		{"a path out of the workspace", func(t *testing.T, root, _ string, tx *Tx) {}, "../escape.yaml", ErrOutside, ""},
		{"a folder", func(t *testing.T, root, _ string, tx *Tx) {
			os.MkdirAll(filepath.Join(root, "objectives/dir.yaml"), 0o755)
		}, "objectives/dir.yaml", ErrNotRegular, "objectives/dir.yaml"},
		{"a dangling link", func(t *testing.T, root, _ string, tx *Tx) {
			symlink(t, "nowhere.yaml", filepath.Join(root, "objectives/dangling.yaml"))
		}, "objectives/dangling.yaml", ErrNotRegular, "objectives/dangling.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			root, outside := filepath.Join(base, "ws"), filepath.Join(base, "outside")
			writeFiles(t, base, map[string]string{"ws/objectives/a.yaml": "a: 1\n", "ws/objectives/ok.yaml": "ok: 1\n", "outside/o.yaml": "outside\n"})
			tx := begin(t, root, TxOptions{})
			if _, err := tx.Read("objectives/ok.yaml"); err != nil {
				t.Fatal(err)
			}
			tc.setup(t, root, outside, tx)
			before := snapshot(t, base)
			err := tx.Write(map[string][]byte{"objectives/ok.yaml": []byte("ok: 2\n"), tc.file: []byte("new: 1\n")})
			var re *RefusedError
			if !errors.As(err, &re) || !errors.Is(err, tc.want) {
				t.Fatalf("Write = %v, want a *RefusedError for %v", err, tc.want)
			}
			if tc.named != "" && re.Path != tc.named {
				t.Errorf("the error names %q, want %q (%v)", re.Path, tc.named, err)
			}
			if after := snapshot(t, base); after != before {
				t.Errorf("a refused Write changed files:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
}

// snapshot lists every path under dir with its contents (or link target).
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		b.WriteString(rel)
		switch {
		case d.Type()&os.ModeSymlink != 0:
			l, _ := os.Readlink(p)
			b.WriteString(" -> " + l)
		case d.Type().IsRegular():
			data, _ := os.ReadFile(p)
			b.WriteString(" = " + string(data))
		}
		b.WriteString("; ")
		return nil
	})
	return b.String()
}

// TestTxWithin lets a Tx write in a folder above the workspace (where
// CODEOWNERS lives) while the lock stays the workspace's.
func TestTxWithin(t *testing.T) {
	repo := t.TempDir()
	writeFiles(t, repo, map[string]string{"okrs/okr.yaml": "version: 1\n"})
	tx := begin(t, filepath.Join(repo, "okrs"), TxOptions{Within: repo})
	if _, err := tx.Read(filepath.Join(repo, ".github", "CODEOWNERS")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if err := tx.Write(map[string][]byte{filepath.Join(repo, ".github", "CODEOWNERS"): []byte("* @a\n")}); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(repo, ".github", "CODEOWNERS")); got != "* @a\n" {
		t.Errorf("CODEOWNERS = %q", got)
	}
}

// TestWriteOutput covers -o onto a regular file (replaced, mode kept), a
// symbolic link (its target replaced, the link kept), a dangling link (its
// target created) and a folder (ErrFolder, nothing written).
func TestWriteOutput(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"plain.md": "old\n", "real/target.md": "old\n"})
	plain := filepath.Join(dir, "plain.md")
	os.Chmod(plain, 0o600)
	if err := WriteOutput(plain, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, plain); got != "new\n" {
		t.Errorf("plain.md = %q", got)
	}
	if fi, _ := os.Stat(plain); os.PathSeparator == '/' && fi.Mode().Perm() != 0o600 {
		t.Errorf("plain.md mode = %v, want 0600 kept", fi.Mode())
	}
	if err := WriteOutput(filepath.Join(dir, "real"), []byte("x")); !errors.Is(err, ErrFolder) {
		t.Errorf("WriteOutput onto a folder = %v, want ErrFolder", err)
	}
	link := filepath.Join(dir, "link.md")
	symlink(t, filepath.Join("real", "target.md"), link)
	if err := WriteOutput(link, []byte("through\n")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.md is no longer a link: %v %v", fi.Mode(), err)
	}
	if got := readString(t, filepath.Join(dir, "real/target.md")); got != "through\n" {
		t.Errorf("the link's target = %q", got)
	}
	dangling := filepath.Join(dir, "dangling.md")
	symlink(t, filepath.Join(dir, "real", "created.md"), dangling)
	if err := WriteOutput(dangling, []byte("created\n")); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(dir, "real/created.md")); got != "created\n" {
		t.Errorf("the dangling link's target = %q", got)
	}
	// Checked before written: a folder among several outputs stops all.
	err := WriteOutputs(map[string][]byte{plain: []byte("again\n"), filepath.Join(dir, "real"): []byte("x")})
	if !errors.Is(err, ErrFolder) || readString(t, plain) != "new\n" {
		t.Errorf("WriteOutputs with a folder: %v, plain.md = %q (want untouched)", err, readString(t, plain))
	}
	noTemps(t, dir)
}
