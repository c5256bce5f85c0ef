package history

import (
	"strconv"
	"strings"
	"testing"

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
