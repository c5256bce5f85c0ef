package history

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"

	"github.com/go-git/go-git/v5/plumbing"
)

// readStream reads, in order, the objects of type t named by the values
// received from in, until in is closed or reply returns false. reply runs
// on the calling goroutine with each value and its object (data nil when
// the object is larger than limit, limit >= 0; err for that object alone).
//
// With the git command the requests are pipelined: one goroutine writes
// hashes to a `git cat-file --batch` process of the stream's own as they
// arrive, while the caller reads the replies, so git never waits for a
// round trip. Other backends read one object at a time through a reader.
// When the stream cannot start, every value gets the error; when ctx is
// cancelled, every value still to come gets ctx's error (the caller must
// still close in). Every object is checked against its hash, as
// objectReader.object does.
func readStream[T any](ctx context.Context, b backend, t plumbing.ObjectType, limit int64, in <-chan T, hash func(T) Hash, reply func(v T, data []byte, size int64, err error) bool) {
	if gb, ok := b.(*gitBackend); ok {
		gitStream(ctx, gb, t, limit, in, hash, reply)
		return
	}
	rd, err := b.reader()
	if err == nil {
		defer rd.close()
	}
	for v := range in {
		if err != nil {
			if !reply(v, nil, 0, err) {
				return
			}
			continue
		}
		var data []byte
		var size int64
		var rerr error
		func() {
			defer catchPanic(&rerr)
			data, size, rerr = rd.object(t, hash(v), limit)
		}()
		if !reply(v, data, size, rerr) {
			return
		}
	}
}

// gitStream is readStream with the git command.
func gitStream[T any](ctx context.Context, g *gitBackend, t plumbing.ObjectType, limit int64, in <-chan T, hash func(T) Hash, reply func(T, []byte, int64, error) bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c, stdin, err := g.startCatFile(ctx)
	if err != nil {
		for v := range in {
			if !reply(v, nil, 0, err) {
				return
			}
		}
		return
	}
	// The feeder sends each request to git and then on pending, in the
	// same order, for the caller to read its reply.
	pending := make(chan T, 1<<12)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(pending)
		defer stdin.Close()
		w := bufio.NewWriterSize(stdin, 1<<14)
		var buf [2 * sha256Len]byte
		for {
			var v T
			var ok bool
			// Flush before waiting for more, so git always has the
			// requests the caller waits on (several streams may share in,
			// so its length says nothing about this feeder's next value).
			select {
			case v, ok = <-in:
			default:
				if w.Flush() != nil {
					return // git stopped: the replies say why
				}
				select {
				case v, ok = <-in:
				case <-ctx.Done():
					return
				}
			}
			if !ok {
				w.Flush()
				return
			}
			// Always on pending, even when ctx is done: the caller's loop
			// drains pending to the end, and v must get its reply.
			pending <- v
			h := hash(v)
			n := 2 * h.size()
			hexEncode(buf[:n], h.b[:h.n])
			w.Write(buf[:n])
			w.WriteByte('\n')
			if w.Buffered() > 1<<13 {
				if w.Flush() != nil {
					return // git stopped: the replies say why
				}
			}
		}
	}()
	stopped := false
	for v := range pending {
		if stopped {
			continue
		}
		var data []byte
		var size int64
		var err error
		if c.broken {
			err = c.fail(errors.New("the process failed earlier"))
		} else {
			data, size, err = c.reply(t, hash(v), limit)
		}
		if !reply(v, data, size, err) {
			stopped = true
			cancel() // the feeder stops, and git with it
		}
	}
	<-done
	c.stop()
	if stopped {
		return
	}
	// The feeder stopped before in was closed (cancelled, or git
	// failed): the values still to come get the error, so no caller waits
	// on a value nobody reads.
	for v := range in {
		if err = ctx.Err(); err == nil {
			err = c.fail(errors.New("the process failed earlier"))
		}
		if !reply(v, nil, 0, err) {
			return
		}
	}
}

const hexDigits = "0123456789abcdef"

func hexEncode(dst, src []byte) {
	for i, b := range src {
		dst[2*i] = hexDigits[b>>4]
		dst[2*i+1] = hexDigits[b&15]
	}
}

// startCatFile starts a `git cat-file --batch` process of a stream's own
// (not pooled); it is killed when ctx ends.
func (g *gitBackend) startCatFile(ctx context.Context) (*catFile, io.WriteCloser, error) {
	cmd := exec.CommandContext(ctx, "git", "cat-file", "--batch")
	cmd.Dir, cmd.Env = g.workDir, g.env
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	c := &catFile{b: g, cmd: cmd, stdin: in, out: bufio.NewReaderSize(out, 1<<16)}
	cmd.Stderr = &c.stderr
	g.mu.Lock()
	closed := g.closed
	if !closed {
		g.running.Add(1)
	}
	g.mu.Unlock()
	if closed {
		return nil, nil, fmt.Errorf("the repository is closed")
	}
	if err := cmd.Start(); err != nil {
		g.running.Done()
		return nil, nil, fmt.Errorf("start git cat-file: %w", err)
	}
	return c, in, nil
}
