//go:build unix

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestOutputFIFO writes -o onto a named pipe with a reader on the other
// end, for each command family that has -o: the report goes through the
// pipe (the FIFO is not replaced by a file) and matches what the command
// prints to standard output. A generous timeout makes a hang a failure.
func TestOutputFIFO(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"report", "-f", "markdown"},
		{"validate", "-f", "json"},
		{"export", "csv"},
		{"codeowners"},
	} {
		t.Run(args[0], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			want, err := okrCmd(ctx, examples, args...).Output()
			if err != nil {
				t.Fatalf("okr %v: %v", args, err)
			}
			fifo := filepath.Join(t.TempDir(), "out.fifo")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			got := make(chan []byte, 1)
			go func() {
				f, err := os.Open(fifo) // waits for the writer
				if err != nil {
					got <- []byte("open: " + err.Error())
					return
				}
				defer f.Close()
				b, _ := io.ReadAll(f)
				got <- b
			}()
			var stderr bytes.Buffer
			cmd := okrCmd(ctx, examples, append(args, "-o", fifo)...)
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				unblock(fifo)
				t.Fatalf("okr %v -o FIFO: %v (context: %v)\n%s", args, err, ctx.Err(), stderr.String())
			}
			select {
			case b := <-got:
				if !bytes.Equal(b, want) {
					t.Errorf("through the FIFO came %q, want %q", b, want)
				}
			case <-ctx.Done():
				t.Fatal("the reader got no end of file: okr hung or kept the pipe open")
			}
			fi, err := os.Lstat(fifo)
			if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
				t.Errorf("after okr -o, %s is %v (err %v), want the FIFO kept", fifo, fi.Mode(), err)
			}
		})
	}
}

// unblock opens fifo for writing without waiting and closes it, so a
// reader still waiting in open returns.
func unblock(fifo string) {
	if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
}

// TestOutputDevNull writes -o onto /dev/null: the device takes the bytes
// and stays a device.
func TestOutputDevNull(t *testing.T) {
	fi, err := os.Stat(os.DevNull)
	if err != nil || fi.Mode()&os.ModeDevice == 0 {
		t.Skipf("%s is not a device here", os.DevNull)
	}
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cmd := okrCmd(ctx, examples, "report", "-o", os.DevNull)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("okr report -o %s: %v\n%s", os.DevNull, err, out.String())
	}
	if fi, err := os.Lstat(os.DevNull); err != nil || fi.Mode()&os.ModeDevice == 0 {
		t.Fatalf("%s is no longer a device: %v %v", os.DevNull, fi.Mode(), err)
	}
}
