//go:build unix

package edit

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTxFIFO: a FIFO where a workspace file should be is refused by Read
// and Write without being opened, so nothing hangs waiting for a writer.
func TestTxFIFO(t *testing.T) {
	root := t.TempDir()
	fifo := filepath.Join(root, "x.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	tx := begin(t, root, TxOptions{})
	done := make(chan error, 2)
	go func() {
		_, err := tx.Read("x.yaml")
		done <- err
		done <- tx.Write(map[string][]byte{"x.yaml": []byte("x: 1\n")})
	}()
	for i := 0; i < 2; i++ {
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) {
				t.Errorf("on a FIFO: %v, want ErrNotRegular", err)
			}
		case <-time.After(patience):
			t.Fatal("reading or writing a FIFO hung")
		}
	}
}

// TestWriteOutputFIFO writes an output onto a FIFO with a reader at the
// other end: the bytes go through and the FIFO stays a FIFO.
func TestWriteOutputFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "out")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	written := make(chan error, 1)
	go func() { written <- WriteOutput(fifo, []byte("report\n")) }()
	select {
	case err := <-written:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(patience):
		t.Fatal("WriteOutput onto a FIFO with a reader hung")
	}
	select {
	case s := <-got:
		if s != "report\n" {
			t.Errorf("the reader got %q", s)
		}
	case <-time.After(patience):
		t.Fatal("the reader got no end of file")
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}
}

// TestWriteOutputDevice writes onto /dev/null, directly and through a
// link: the device is written, never replaced by a file.
func TestWriteOutputDevice(t *testing.T) {
	if fi, err := os.Lstat(os.DevNull); err != nil || fi.Mode()&os.ModeDevice == 0 {
		t.Skipf("%s is not a device here", os.DevNull)
	}
	link := filepath.Join(t.TempDir(), "null")
	symlink(t, os.DevNull, link)
	for _, p := range []string{os.DevNull, link} {
		if err := WriteOutput(p, []byte("gone\n")); err != nil {
			t.Errorf("WriteOutput(%s): %v", p, err)
		}
	}
	if fi, err := os.Lstat(os.DevNull); err != nil || fi.Mode()&os.ModeDevice == 0 {
		t.Fatalf("%s is no longer a device: %v %v", os.DevNull, fi.Mode(), err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link to %s was replaced: %v %v", os.DevNull, fi.Mode(), err)
	}
}

// TestLockReleasedOnCrash holds the lock in another process, checks that
// it is held, kills that process (SIGKILL: no chance to clean up) and then
// takes the lock without waiting: the lock dies with the process.
func TestLockReleasedOnCrash(t *testing.T) {
	if dir := os.Getenv("OKR_EDIT_HOLD_LOCK"); dir != "" {
		if _, err := LockWorkspace(dir, nil); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("locked\n")
		select {} // hold it until killed
	}
	if !lockSupported {
		t.Skip("no advisory lock on this system")
	}
	root := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockReleasedOnCrash$")
	cmd.Env = append(os.Environ(), "OKR_EDIT_HOLD_LOCK="+root)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		t.Fatalf("the helper process said %q (%v)", line, err)
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
	case <-waiting: // held by the other process, as it should be
	case <-got:
		t.Fatal("got the lock while another process held it")
	case <-time.After(patience):
		t.Fatal("LockWorkspace neither waited nor returned")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	select {
	case l := <-got:
		l.Unlock()
	case <-time.After(patience):
		t.Fatal("the lock of a killed process was not released")
	}
}

// TestTxKeepsOwner: a file owned by someone else keeps its owner and group
// when okr (here root, which may set them) replaces it.
func TestTxKeepsOwner(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root may give a file to another owner")
	}
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"o.yaml": "a: 1\n"})
	p := filepath.Join(root, "o.yaml")
	if err := os.Chown(p, 4321, 4322); err != nil {
		t.Skipf("chown: %v", err)
	}
	tx := begin(t, root, TxOptions{})
	if _, err := tx.Read("o.yaml"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Write(map[string][]byte{"o.yaml": []byte("a: 2\n")}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != 4321 || st.Gid != 4322 {
		t.Errorf("owner after the write = %d:%d, want 4321:4322 kept", st.Uid, st.Gid)
	}
}

// TestTxSameFileTwice refuses a write that names one file twice (a link
// and its target): one of the two edits would be lost.
func TestTxSameFileTwice(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"real.yaml": "a: 1\n"})
	symlink(t, "real.yaml", filepath.Join(root, "link.yaml"))
	tx := begin(t, root, TxOptions{})
	tx.Read("real.yaml")
	err := tx.Write(map[string][]byte{"real.yaml": []byte("a: 2\n"), "link.yaml": []byte("a: 3\n")})
	if err == nil || !strings.Contains(err.Error(), "same file") {
		t.Errorf("Write of a file and a link to it = %v, want refused", err)
	}
	if got := readString(t, filepath.Join(root, "real.yaml")); got != "a: 1\n" {
		t.Errorf("real.yaml = %q, want untouched", got)
	}
}
