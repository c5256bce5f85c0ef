package history

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"
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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full := append([]string{"-c", "core.quotepath=off", "log", "-z", "--no-color", "--no-abbrev", "--date=raw", logFormat}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Dir, cmd.Env = g.workDir, g.env
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var errb lockedBuffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start git log: %w", err)
	}
	stopped := false
	perr := func() error {
		br := bufio.NewReaderSize(out, 1<<16)
		token := func() (string, error) {
			tok, err := br.ReadString(0)
			if err == io.EOF && tok != "" {
				return "", errors.New("git log: truncated output")
			}
			return strings.TrimSuffix(tok, "\x00"), err
		}
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
			tok, err := token()
			if err == io.EOF {
				return flush()
			}
			if err != nil {
				return err
			}
			tok = strings.TrimLeft(tok, "\n")
			switch {
			case strings.HasPrefix(tok, "\x01"):
				if err := flush(); err != nil {
					return err
				}
				var f [7]string
				f[0] = tok[1:]
				for i := 1; i < len(f); i++ {
					if f[i], err = token(); err != nil {
						return fmt.Errorf("git log: truncated output")
					}
				}
				if c, err = logCommit(f); err != nil {
					return err
				}
			case strings.HasPrefix(tok, ":"):
				name, err := token()
				if err != nil {
					return fmt.Errorf("git log: truncated output")
				}
				fs := strings.Fields(tok[1:])
				if c == nil || len(fs) < 5 {
					return fmt.Errorf("git log: unexpected output %q", tok)
				}
				raw = append(raw, rawLine{fields: fs, path: name})
			case tok == "":
			default:
				return fmt.Errorf("git log: unexpected output %q", tok)
			}
		}
	}()
	if errors.Is(perr, errStopLog) {
		stopped, perr = true, nil
	}
	if perr != nil || stopped {
		cancel() // git may be blocked writing what nobody reads now
	}
	io.Copy(io.Discard, out)
	werr := cmd.Wait()
	switch {
	case perr != nil:
		return perr
	case stopped:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case werr != nil || errb.String() != "":
		return fmt.Errorf("git log: %s", msgOr(gitMessage(errb.String()), fmt.Sprint(werr)))
	}
	return nil
}

// logCommit makes a Commit of one commit's fields in logFormat.
func logCommit(f [7]string) (*Commit, error) {
	bad := func(what string) error {
		return fmt.Errorf("git log: unexpected %s %q for commit %s", what, f[0], f[0])
	}
	if !isHash(f[0]) {
		return nil, fmt.Errorf("git log: unexpected output %q", f[0])
	}
	if !isHash(f[1]) {
		return nil, bad("tree")
	}
	c := &Commit{Hash: mustHash(f[0]), Tree: mustHash(f[1]), Author: f[3], Email: f[4]}
	for _, p := range strings.Fields(f[2]) {
		if !isHash(p) {
			return nil, bad("parent")
		}
		c.Parents = append(c.Parents, mustHash(p))
	}
	when, ok := rawDate(f[5])
	if !ok {
		return nil, bad("date")
	}
	c.When = when
	c.Subject, _, _ = strings.Cut(f[6], "\n")
	return c, nil
}

// rawDate reads git's raw date, "SECONDS ±HHMM", in its own zone.
func rawDate(s string) (time.Time, bool) {
	secs, zone, ok := strings.Cut(s, " ")
	ts, err := strconv.ParseInt(secs, 10, 64)
	if !ok || err != nil || len(zone) != 5 || (zone[0] != '+' && zone[0] != '-') {
		return time.Time{}, false
	}
	hh, err1 := strconv.Atoi(zone[1:3])
	mm, err2 := strconv.Atoi(zone[3:])
	if err1 != nil || err2 != nil {
		return time.Time{}, false
	}
	off := hh*3600 + mm*60
	if zone[0] == '-' {
		off = -off
	}
	return time.Unix(ts, 0).In(time.FixedZone("", off)), true
}
