package history

import (
	"bufio"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// slowHeader is how catFile.body reads a reply line: the size when the
// line names h, with type t and a size, else ok false.
func slowHeader(line string, t plumbing.ObjectType, h Hash) (int64, bool) {
	f := strings.Fields(line)
	if len(f) != 3 || f[0] != h.String() || f[1] != t.String() {
		return 0, false
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || size < 0 {
		return 0, false
	}
	return size, true
}

// checkHeader holds replyHeader, the fast reading of a reply line, to
// the reading as text: whatever it accepts, the text reading accepts with
// the same size (the lines it refuses go to that reading).
func checkHeader(t *testing.T, line string, typ plumbing.ObjectType, h Hash) {
	t.Helper()
	size, ok := replyHeader([]byte(line), typ, h)
	if !ok {
		return
	}
	want, wok := slowHeader(line, typ, h)
	if !wok || size != want {
		t.Errorf("replyHeader(%q) = %d, true; read as text: %d, %v", line, size, want, wok)
	}
}

func TestReplyHeader(t *testing.T) {
	h := mustHash("0123456789abcdef0123456789abcdef01234567")
	h256 := mustHash(strings.Repeat("ab", 32))
	for _, c := range []struct {
		line string
		h    Hash
		t    plumbing.ObjectType
		size int64
		ok   bool
	}{
		{"0123456789abcdef0123456789abcdef01234567 blob 12\n", h, plumbing.BlobObject, 12, true},
		{"0123456789abcdef0123456789abcdef01234567 blob 0\n", h, plumbing.BlobObject, 0, true},
		{strings.Repeat("ab", 32) + " tree 4096\n", h256, plumbing.TreeObject, 4096, true},
		{"0123456789abcdef0123456789abcdef01234567 tree 12\n", h, plumbing.BlobObject, 0, false},  // another type
		{"0123456789abcdef0123456789abcdef01234568 blob 12\n", h, plumbing.BlobObject, 0, false},  // another object
		{"0123456789ABCDEF0123456789ABCDEF01234567 blob 12\n", h, plumbing.BlobObject, 0, false},  // not git's spelling
		{"0123456789abcdef0123456789abcdef01234567 missing\n", h, plumbing.BlobObject, 0, false},  // missing
		{"0123456789abcdef0123456789abcdef01234567 blob -1\n", h, plumbing.BlobObject, 0, false},  // no size
		{"0123456789abcdef0123456789abcdef01234567 blob 1 2\n", h, plumbing.BlobObject, 0, false}, // more fields
		{"0123456789abcdef0123456789abcdef01234567  blob 12\n", h, plumbing.BlobObject, 0, false}, // two spaces
		{"0123456789abcdef0123456789abcdef01234567 blob 1234567890123456789\n", h, plumbing.BlobObject, 0, false},
		{"0123456789abcdef0123456789abcdef01234567 blob\n", h, plumbing.BlobObject, 0, false},
		{"0123456789abcdef0123456789abcdef01234567\n", h, plumbing.BlobObject, 0, false},
		{" blob 12\n", Hash{}, plumbing.BlobObject, 0, false}, // the zero Hash names nothing
	} {
		size, ok := replyHeader([]byte(c.line), c.t, c.h)
		if size != c.size || ok != c.ok {
			t.Errorf("replyHeader(%q) = %d, %v; want %d, %v", c.line, size, ok, c.size, c.ok)
		}
		checkHeader(t, c.line, c.t, c.h)
	}
}

func FuzzReplyHeader(f *testing.F) {
	f.Add("0123456789abcdef0123456789abcdef01234567 blob 12\n", "0123456789abcdef0123456789abcdef01234567", true)
	f.Add("0123456789abcdef0123456789abcdef01234567 tree 007\n", "0123456789abcdef0123456789abcdef01234567", false)
	f.Fuzz(func(t *testing.T, line, name string, blob bool) {
		h, ok := parseHash(name)
		if !ok || !strings.HasSuffix(line, "\n") {
			return
		}
		typ := plumbing.TreeObject
		if blob {
			typ = plumbing.BlobObject
		}
		checkHeader(t, line, typ, h)
		// The line git writes for h is always read fast.
		want := h.String() + " " + typ.String() + " 42\n"
		if size, ok := replyHeader([]byte(want), typ, h); !h.IsZero() && (!ok || size != 42) {
			t.Errorf("replyHeader(%q) = %d, %v", want, size, ok)
		}
	})
}

// TestLogReader reads git log's -z output in logFormat through a reader
// far smaller than its fields, so that every long field is read in parts.
func TestLogReader(t *testing.T) {
	h1 := strings.Repeat("1", 40)
	h2 := strings.Repeat("2", 40)
	tree := strings.Repeat("a", 40)
	long := strings.Repeat("x", 300)
	out := "\x01" + h1 + "\x00" + tree + "\x00" + h2 + " " + h2 + "\x00Zoë " + long + "\x00zoe@example.com\x001767225600 -0130\x00Subject " + long + "\nbody\n\x00" +
		"\n\x01" + h2 + "\x00" + tree + "\x00\x00Zoë " + long + "\x00zoe@example.com\x001767225600 +1400\x00\x00"
	br := bufio.NewReaderSize(strings.NewReader(out), 16)
	lr := logReader{br: br}
	var got []*Commit
	err := readRawCommits(br, "git log", lr.commit, func(c *Commit, raw []rawLine) error {
		got = append(got, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d commits", len(got))
	}
	a, b := got[0], got[1]
	if a.Hash.String() != h1 || a.Tree.String() != tree || len(a.Parents) != 2 || a.Parents[1].String() != h2 || len(b.Parents) != 0 {
		t.Errorf("hashes: %v %v %v / %v", a.Hash, a.Tree, a.Parents, b.Parents)
	}
	if a.Author != "Zoë "+long || a.Email != "zoe@example.com" || a.Subject != "Subject "+long || b.Subject != "" {
		t.Errorf("texts: %q %q %q %q", a.Author, a.Email, a.Subject, b.Subject)
	}
	if _, off := a.When.Zone(); off != -90*60 || a.When.Unix() != 1767225600 {
		t.Errorf("date %v", a.When)
	}
	if _, off := b.When.Zone(); off != 14*3600 {
		t.Errorf("date %v", b.When)
	}
	// A stream cut inside a commit's fields is an error, not a commit.
	cut := out[:strings.Index(out, "zoe@")]
	br = bufio.NewReaderSize(strings.NewReader(cut), 16)
	lr = logReader{br: br}
	if err := readRawCommits(br, "git log", lr.commit, func(*Commit, []rawLine) error { return nil }); err == nil {
		t.Error("a cut stream read without an error")
	}
}

// TestDiffTreeStopsFeeding: when the reading of git diff-tree's answers
// stops (here fn fails on the first commit) while the listing that feeds
// it has not ended, diffTree returns: the feeder stops waiting for more
// commits. (Without that, it would wait for the listing's end, here
// never.)
func TestDiffTreeStopsFeeding(t *testing.T) {
	dir, _ := cancelHistory(t, 30)
	_, gb, chain := gitChain(t, dir)
	q := newCommitQueue() // never closed: a listing still running
	for i := len(chain) - 1; i >= 0; i-- {
		q.push(chain[i])
	}
	failed := errors.New("stop here")
	done := make(chan error, 1)
	go func() {
		done <- gb.diffTree(context.Background(), q, ".", func(*Commit, []rawLine) error { return failed })
	}()
	select {
	case err := <-done:
		if !errors.Is(err, failed) {
			t.Errorf("diffTree: %v, want %v", err, failed)
		}
	case <-time.After(30 * time.Second): // a bound on a hang, not a speed check
		q.close()
		t.Fatal("diffTree still waits for commits after its reading failed")
	}
}

// TestSubcommand names the git command of an argument list, past its -c
// options, as stream's messages say it.
func TestSubcommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-c", "core.quotepath=off", "log", "-z"}, "log"},
		{[]string{"-c", "core.quotepath=off", "-c", "core.deltaBaseCacheLimit=4m", "diff-tree", "--stdin"}, "diff-tree"},
		{[]string{"cat-file", "--batch"}, "cat-file"},
		{[]string{"-c", "x=y"}, ""},
		{nil, ""},
	} {
		if got := subcommand(tc.args); got != tc.want {
			t.Errorf("subcommand(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}
