package inert

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, é and 日本", "plain text, é and 日本"},
		{"tab\tand\nnewline", "tab\tand\nnewline"},
		{"crlf\r\nkept", "crlf\r\nkept"},
		{"lone\rcr", `lone\u000dcr`},
		{"end\r", `end\u000d`},
		{"\x1b[2J clear", `\u001b[2J clear`},
		{"\x1b]0;title\x07", `\u001b]0;title\u0007`},
		{"del\x7f", `del\u007f`},
		{"c1 \u0085 \u009b31m", `c1 \u0085 \u009b31m`},
		{"bidi \u202eevil\u202c \u2066x\u2069", `bidi \u202eevil\u202c \u2066x\u2069`},
		{"nul\x00", `nul\u0000`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"u2028 \u2028 stays", "u2028 \u2028 stays"},
	} {
		if got := String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHasFirst(t *testing.T) {
	for _, c := range []struct {
		in    string
		has   bool
		first string
	}{
		{"fine\ttext\nhere", false, ""},
		{"a\x1bb", true, `\u001b`},
		{"a\u202eb", true, `\u202e`},
		{"bad\xfe", true, `\xfe`},
		{"cr\r\n", false, ""},
	} {
		if Has(c.in) != c.has || First(c.in) != c.first {
			t.Errorf("%q: Has %v First %q, want %v %q", c.in, Has(c.in), First(c.in), c.has, c.first)
		}
	}
}

// raw reports an unsafe character left in out (what Writer and String
// must never let through).
func raw(out string) (string, bool) {
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRuneInString(out[i:])
		if r == utf8.RuneError && n == 1 {
			return out[i : i+1], true
		}
		if Unsafe(r) && r != '\t' && r != '\n' && !(r == '\r' && i+1 < len(out) && out[i+1] == '\n') {
			return string(r), true
		}
		i += n
	}
	return "", false
}

// FuzzWriter: whatever the input and however it is split into writes, the
// Writer's output is String of the whole input, and holds no unsafe
// character.
func FuzzWriter(f *testing.F) {
	f.Add([]byte("title \x1b[2J\u202e\r\n\xe2\x80"), uint8(3))
	f.Add([]byte("\r"), uint8(1))
	f.Add([]byte("日本\r\nx"), uint8(2))
	f.Fuzz(func(t *testing.T, in []byte, step uint8) {
		k := int(step%7) + 1
		var b bytes.Buffer
		w := NewWriter(&b)
		for i := 0; i < len(in); i += k {
			j := min(i+k, len(in))
			if n, err := w.Write(in[i:j]); err != nil || n != j-i {
				t.Fatalf("Write = %d, %v", n, err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if want := String(string(in)); b.String() != want {
			t.Fatalf("split by %d: got %q, want %q", k, b.String(), want)
		}
		if c, bad := raw(b.String()); bad {
			t.Fatalf("unsafe %q left in %q", c, b.String())
		}
		if strings.Contains(string(in), "\x1b") && strings.Contains(b.String(), "\x1b") {
			t.Fatal("ESC passed through")
		}
	})
}
