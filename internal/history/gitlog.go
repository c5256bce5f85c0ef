package history

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// logFormat asks git log for each commit's metadata as NUL-separated
// fields after a \x01 mark: hash, tree, parents, author name, author
// e-mail, committer date (raw: seconds and zone), message. With -z, a NUL
// ends the message, and the --raw lines follow.
const logFormat = "--format=%x01%H%x00%T%x00%P%x00%an%x00%ae%x00%cd%x00%B"

// rawLine is one line of git's raw diff: its fields (old mode, new mode,
// old hash, new hash, status) and the path.
type rawLine struct {
	fields []string
	path   string
}

// errStopLog, returned by log's fn, ends the log early without an error.
var errStopLog = errors.New("stop the log")

// log runs `git log` with args (revisions and options; the format is
// log's own) and calls fn, in git's order, with each commit it lists and
// the raw diff lines that follow it when args ask for --raw. The commits'
// metadata is git's own reading of them: git inflates and checks every
// object it reads, and a failure is git's message. When fn returns
// errStopLog the log ends there, without an error.
func (g *gitBackend) log(ctx context.Context, args []string, fn func(*Commit, []rawLine) error) error {
	return g.logWith(ctx, args, false, fn)
}

// logAll is log for a listing read to the end: git writes it in full
// buffers (GIT_FLUSH=0), not one write per commit.
func (g *gitBackend) logAll(ctx context.Context, args []string, fn func(*Commit, []rawLine) error) error {
	return g.logWith(ctx, args, true, fn)
}

func (g *gitBackend) logWith(ctx context.Context, args []string, whole bool, fn func(*Commit, []rawLine) error) error {
	full := append([]string{"-c", "core.quotepath=off", "log", "-z", "--no-color", "--no-abbrev", "--date=raw", logFormat}, args...)
	return g.stream(ctx, full, whole, nil, func(br *bufio.Reader) error {
		lr := logReader{br: br}
		return readRawCommits(br, "git log", lr.commit, fn)
	})
}

// logReader reads the commits of git log's output in logFormat. The
// fields are read in place, and what repeats from one commit to the next
// is made once: each author's name and e-mail, each time zone.
type logReader struct {
	br      *bufio.Reader
	names   map[string]string
	zones   map[int]*time.Location
	scratch []byte
}

// commit reads the commit whose first token, tok, has been read.
func (lr *logReader) commit(tok string) (*Commit, error) {
	name, ok := strings.CutPrefix(tok, "\x01")
	if !ok {
		return nil, fmt.Errorf("git log: unexpected output %q", tok)
	}
	h, ok := parseHash(name)
	if !ok {
		return nil, fmt.Errorf("git log: unexpected output %q", name)
	}
	bad := func(what string, v []byte) error {
		return fmt.Errorf("git log: unexpected %s %q for commit %s", what, v, name)
	}
	c := &Commit{Hash: h}
	for i := 1; i < 7; i++ {
		b, err := lr.field()
		if err != nil {
			return nil, errTruncated
		}
		switch i {
		case 1:
			if c.Tree, ok = parseHash(b); !ok {
				return nil, bad("tree", b)
			}
		case 2:
			for rest := b; len(rest) > 0; {
				var p []byte
				p, rest, _ = bytes.Cut(rest, []byte{' '})
				if len(p) == 0 {
					continue
				}
				ph, ok := parseHash(p)
				if !ok {
					return nil, bad("parent", b)
				}
				c.Parents = append(c.Parents, ph)
			}
		case 3:
			c.Author = lr.intern(b)
		case 4:
			c.Email = lr.intern(b)
		case 5:
			secs, off, ok := rawDate(b)
			if !ok {
				return nil, bad("date", b)
			}
			c.When = time.Unix(secs, 0).In(lr.zone(off))
		case 6:
			if i := bytes.IndexByte(b, '\n'); i >= 0 {
				b = b[:i]
			}
			c.Subject = string(b)
		}
	}
	return c, nil
}

// field reads one NUL-terminated field, without its NUL; the bytes are
// valid until the next read.
func (lr *logReader) field() ([]byte, error) {
	b, err := lr.br.ReadSlice(0)
	if err == bufio.ErrBufferFull {
		lr.scratch = append(lr.scratch[:0], b...)
		for err == bufio.ErrBufferFull {
			b, err = lr.br.ReadSlice(0)
			lr.scratch = append(lr.scratch, b...)
		}
		b = lr.scratch
	}
	if err != nil {
		return nil, err
	}
	return b[:len(b)-1], nil
}

// intern returns b as a string, the same string for the same bytes.
func (lr *logReader) intern(b []byte) string {
	if s, ok := lr.names[string(b)]; ok {
		return s
	}
	if lr.names == nil {
		lr.names = map[string]string{}
	}
	s := string(b)
	if len(lr.names) < 1<<16 {
		lr.names[s] = s
	}
	return s
}

// zone returns the time zone off seconds east of UTC, as git writes it:
// without a name.
func (lr *logReader) zone(off int) *time.Location {
	if z, ok := lr.zones[off]; ok {
		return z
	}
	if lr.zones == nil {
		lr.zones = map[int]*time.Location{}
	}
	z := time.FixedZone("", off)
	lr.zones[off] = z
	return z
}

// readRawCommits reads git's -z output of commits, each followed by the
// lines of its raw diff, and calls fn with each commit and its lines.
// header turns a token that starts a commit into the commit. what names
// the command in errors.
func readRawCommits(br *bufio.Reader, what string, header func(tok string) (*Commit, error), fn func(*Commit, []rawLine) error) error {
	var c *Commit
	var raw []rawLine
	flush := func() error {
		if c == nil {
			return nil
		}
		err := fn(c, raw)
		c, raw = nil, nil
		return err
	}
	for {
		tok, err := token(br)
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return err
		}
		tok = strings.TrimLeft(tok, "\n")
		switch {
		case tok == "":
		case strings.HasPrefix(tok, ":"):
			if c == nil {
				return fmt.Errorf("%s: unexpected output %q", what, tok)
			}
			l, err := readRaw(br, tok)
			if err != nil {
				return err
			}
			raw = append(raw, l)
		default:
			if err := flush(); err != nil {
				return err
			}
			if c, err = header(tok); err != nil {
				return err
			}
		}
	}
}

var errTruncated = errors.New("git: truncated output")

// errUnexpected is output of git's that okr cannot read. When git said
// why on its standard error (an object it could not read, say), that is
// the error stream reports.
var errUnexpected = errors.New("unexpected output")

// token reads one NUL-terminated field of git's -z output.
func token(br *bufio.Reader) (string, error) {
	tok, err := br.ReadString(0)
	if err == io.EOF && tok != "" {
		return "", errTruncated
	}
	return strings.TrimSuffix(tok, "\x00"), err
}

// readRaw reads the path that follows tok, a raw diff line's fields.
func readRaw(br *bufio.Reader, tok string) (rawLine, error) {
	name, err := token(br)
	if err != nil {
		return rawLine{}, errTruncated
	}
	fs := strings.Fields(tok[1:])
	if len(fs) < 5 {
		return rawLine{}, fmt.Errorf("git: unexpected output %q", tok)
	}
	return rawLine{fields: fs, path: name}, nil
}

// diffTree runs `git diff-tree --stdin` over the commits of q, oldest
// first, each compared with its first parent (a root commit with nothing),
// limited to spec, and calls fn, in the same order, for each commit that
// changed something there, with its raw diff lines. git reads the commits
// as q receives them and answers at once, so fn's work overlaps git's, and
// git's diffing overlaps the listing that fills q.
//
// git is given each commit as the pair of its first parent's tree and its
// own (the trees the listing gives; the empty tree for a root commit), so
// it reads no commit object: on the reference history, diff-tree took 0.62
// of the time it took given the commits (docs/performance.md). For every
// pair, git answers with a line naming the two trees, then the pair's raw
// diff lines, so each answer is matched with its commit in order.
func (g *gitBackend) diffTree(ctx context.Context, q *commitQueue, spec string, fn func(*Commit, []rawLine) error) error {
	// The delta base cache is kept small (git's default is 96 MB): the
	// walk reads each version of the workspace's trees about once, so a
	// large cache rarely serves a base again, and filling it costs a page
	// fault every 4 KB. On the reference history diff-tree ran 17-26%
	// faster with 2-8 MB, whether the pack was fast-import's, repacked or
	// repacked aggressively (docs/performance.md); 512 KB thrashed. It
	// sets how git spends memory, never what it answers.
	args := []string{"-c", "core.quotepath=off", "-c", "core.deltaBaseCacheLimit=4m", "diff-tree", "--stdin", "-z", "-r", "--raw", "--no-renames", "--no-abbrev", "--end-of-options", "--", spec}
	empty := hashObject(plumbing.TreeObject, nil, g.size)
	fed := 0 // commits written, once the feeder has ended
	var feedErr error
	feed := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<14)
		var line []byte
		for i := 0; ; {
			// Write what q holds, and flush before waiting for more.
			n := q.wait(i)
			if n == i {
				fed = i
				return bw.Flush()
			}
			for ; i < n; i++ {
				before, err := parentTree(q, i, empty)
				if err != nil {
					feedErr = err
					bw.Flush()
					return err
				}
				line = before.appendHex(line[:0])
				line = append(line, ' ')
				line = q.at(i).Tree.appendHex(line)
				line = append(line, '\n')
				if _, err := bw.Write(line); err != nil {
					return err
				}
			}
			if err := bw.Flush(); err != nil {
				return err
			}
		}
	}
	next := 0 // the commits of q from next on are still to be answered
	err := g.stream(ctx, args, true, feed, func(br *bufio.Reader) error {
		// Once the output ends or its reading fails, the feeder stops
		// waiting for more commits.
		defer q.close()
		var c *Commit
		var raw []rawLine
		flush := func() error {
			if c == nil || len(raw) == 0 {
				return nil
			}
			err := fn(c, raw)
			raw = nil
			return err
		}
		for {
			b, err := br.Peek(1)
			if err == io.EOF {
				return flush()
			}
			if err != nil {
				return err
			}
			if b[0] == ':' {
				tok, err := token(br)
				if err != nil {
					return errTruncated
				}
				if c == nil {
					return fmt.Errorf("git diff-tree: %w %q", errUnexpected, tok)
				}
				l, err := readRaw(br, tok)
				if err != nil {
					return err
				}
				raw = append(raw, l)
				continue
			}
			if err := flush(); err != nil {
				return err
			}
			head, err := br.ReadSlice('\n')
			if err != nil {
				return errTruncated
			}
			// git answers about the commits it was fed, in order: those
			// are in q.
			if q.wait(next) == next {
				return fmt.Errorf("git diff-tree: %w %q", errUnexpected, head)
			}
			c = q.at(next)
			before, err := parentTree(q, next, empty)
			if err != nil {
				return err
			}
			if t1, t2, ok := bytes.Cut(bytes.TrimSuffix(head, []byte{'\n'}), []byte{' '}); !ok || !hexIs(t1, before) || !hexIs(t2, c.Tree) {
				return fmt.Errorf("git diff-tree: %w %q for commit %s", errUnexpected, head, c.Hash)
			}
			next++
		}
	})
	switch {
	case err != nil:
		return err
	case feedErr != nil:
		return feedErr
	case next < fed:
		// Every commit fed is answered: an answer missing is output cut
		// short.
		return errors.New("git diff-tree: truncated output")
	}
	return nil
}

// parentTree returns the tree commit i of q is compared with: its first
// parent's, which the listing gave just before it (the first-parent chain,
// oldest first), or the empty tree for a root commit.
func parentTree(q *commitQueue, i int, empty Hash) (Hash, error) {
	c := q.at(i)
	if len(c.Parents) == 0 {
		return empty, nil
	}
	if i > 0 {
		if p := q.at(i - 1); p.Hash == c.Parents[0] {
			return p.Tree, nil
		}
	}
	return Hash{}, corruptErr(plumbing.CommitObject, c.Hash, "git log listed it without its first parent before it")
}

// hexIs reports whether b is h written in hex.
func hexIs(b []byte, h Hash) bool {
	p, ok := parseHash(b)
	return ok && p == h
}

// commitQueue is a list of commits one goroutine appends to while others
// read it.
type commitQueue struct {
	mu      sync.Mutex
	more    sync.Cond
	commits []*Commit
	done    bool
}

func newCommitQueue() *commitQueue {
	q := &commitQueue{}
	q.more.L = &q.mu
	return q
}

// push appends c.
func (q *commitQueue) push(c *Commit) {
	q.mu.Lock()
	q.commits = append(q.commits, c)
	q.mu.Unlock()
	q.more.Broadcast()
}

// close says no commit comes after those pushed (pushes after it are
// not waited for).
func (q *commitQueue) close() {
	q.mu.Lock()
	q.done = true
	q.mu.Unlock()
	q.more.Broadcast()
}

// wait returns the number of commits once there are more than i, or once
// the queue is closed.
func (q *commitQueue) wait(i int) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.commits) <= i && !q.done {
		q.more.Wait()
	}
	return len(q.commits)
}

// at returns commit i, which wait has counted.
func (q *commitQueue) at(i int) *Commit {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.commits[i]
}

// stream runs git with args, writes its standard input with feed (when
// set) on another goroutine, and reads its output with parse. When parse
// returns errStopLog the command ends there, without an error; when parse
// fails or stops early, git is stopped.
func (g *gitBackend) stream(ctx context.Context, args []string, whole bool, feed func(io.Writer) error, parse func(*bufio.Reader) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir, cmd.Env = g.workDir, g.env
	if whole {
		// Read to the end: git may fill its buffers before writing
		// (into a pipe it otherwise writes each commit on its own).
		cmd.Env = append(slices.Clip(g.env), "GIT_FLUSH=0")
	}
	var stdin io.WriteCloser
	if feed != nil {
		var err error
		if stdin, err = cmd.StdinPipe(); err != nil {
			return err
		}
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var errb lockedBuffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start git %s: %w", subcommand(args), err)
	}
	fed := make(chan struct{})
	if feed != nil {
		go func() {
			defer close(fed)
			feed(stdin) // a write fails only when git has stopped: its output says why
			stdin.Close()
		}()
	} else {
		close(fed)
	}
	perr := parse(bufio.NewReaderSize(out, 1<<16))
	stopped := false
	if errors.Is(perr, errStopLog) {
		stopped, perr = true, nil
	}
	if perr != nil || stopped {
		cancel() // git may be blocked writing what nobody reads now
	}
	io.Copy(io.Discard, out)
	werr := cmd.Wait()
	<-fed
	name := "git " + subcommand(args)
	switch {
	case perr != nil:
		if msg := gitMessage(errb.String()); msg != "" && (errors.Is(perr, errTruncated) || errors.Is(perr, errUnexpected)) {
			// git's account comes first: given a tree it cannot read,
			// diff-tree says so, skips the pair, and goes on.
			return fmt.Errorf("%s: %s", name, msg)
		}
		if errors.Is(perr, errTruncated) {
			return fmt.Errorf("%s: truncated output", name)
		}
		return perr
	case stopped:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case werr != nil || errb.String() != "":
		return fmt.Errorf("%s: %s", name, msgOr(gitMessage(errb.String()), fmt.Sprint(werr)))
	}
	return nil
}

// subcommand returns the git command args run (log, diff-tree, ...): the
// first argument after the -c options.
func subcommand(args []string) string {
	for len(args) >= 2 && args[0] == "-c" {
		args = args[2:]
	}
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// rawDate reads git's raw date, "SECONDS ±HHMM": the seconds and the
// zone's offset east of UTC in seconds.
func rawDate(b []byte) (secs int64, off int, ok bool) {
	sec, zone, ok := bytes.Cut(b, []byte{' '})
	ts, err := strconv.ParseInt(string(sec), 10, 64)
	if !ok || err != nil || len(zone) != 5 || (zone[0] != '+' && zone[0] != '-') {
		return 0, 0, false
	}
	hh, err1 := strconv.Atoi(string(zone[1:3]))
	mm, err2 := strconv.Atoi(string(zone[3:]))
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	off = hh*3600 + mm*60
	if zone[0] == '-' {
		off = -off
	}
	return ts, off, true
}
