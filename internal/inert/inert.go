// Package inert makes text from workspace files, git and the command line
// safe to print: C0 and C1 control characters (but tab and line feed, and
// carriage return before line feed), DEL, and the bidirectional overrides
// and isolates (U+202A-U+202E, U+2066-U+2069) are written as \uXXXX
// escapes, and bytes that are not UTF-8 as \xXX. A title holding
// "\x1b[2J" then shows as the text \u001b[2J instead of clearing the
// screen, and one holding U+202E cannot reorder the line it is on.
//
// \uXXXX is also what JSON writes for these characters, so a JSON document
// passed through a Writer holds the same data; every other format okr
// writes shows them as plain text.
package inert

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Unsafe reports whether r is a character that must not reach a terminal
// or a document as itself (tab, line feed and carriage return aside, which
// String and Writer treat by their own rules).
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// Has reports whether s holds a character String would escape, other than
// tab, line feed and carriage return: what `okr validate` warns about
// (control-character) and okr's text flags refuse.
func Has(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return true
			}
		}
		if Unsafe(r) && r != '\t' && r != '\n' && r != '\r' {
			return true
		}
	}
	return false
}

// First returns the first character Has objects to, as a \uXXXX escape
// (or \xXX for a byte that is not UTF-8), "" when there is none.
func First(s string) string {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return fmt.Sprintf(`\x%02x`, s[i])
			}
		}
		if Unsafe(r) && r != '\t' && r != '\n' && r != '\r' {
			return fmt.Sprintf(`\u%04x`, r)
		}
	}
	return ""
}

// String returns s with every unsafe character escaped; tab and line feed
// stay, and so does a carriage return right before a line feed.
func String(s string) string {
	if !needs(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t' || r == '\n' || r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			b.WriteRune(r)
		case Unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// needs reports quickly whether String has anything to do.
func needs(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' || c == 0x7f || c >= 0x80 {
			return true
		}
	}
	return false
}

// Writer escapes what String escapes in everything written through it, a
// character split across two writes included. Close (or Flush) writes out
// what it holds back: an unfinished UTF-8 sequence or a final carriage
// return.
type Writer struct {
	w    io.Writer
	held []byte
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Underlying returns the writer it writes to (a terminal, say, whose
// colours a caller may want to use for text it made inert itself).
func (w *Writer) Underlying() io.Writer { return w.w }

// Write escapes p and writes it; it reports len(p) on success.
func (w *Writer) Write(p []byte) (int, error) {
	data := p
	if len(w.held) > 0 {
		data = append(w.held, p...)
		w.held = nil
	}
	// Hold back a carriage return or an unfinished UTF-8 sequence at the
	// end, which the next write may complete.
	keep := 0
	if n := len(data); n > 0 && data[n-1] == '\r' {
		keep = 1
	} else if n > 0 {
		for k := 1; k <= 3 && k <= n; k++ {
			c := data[n-k]
			if c < 0x80 {
				break
			}
			if c >= 0xc0 { // a lead byte: complete?
				if !utf8.FullRune(data[n-k:]) {
					keep = k
				}
				break
			}
		}
	}
	body := data[:len(data)-keep]
	if keep > 0 {
		w.held = append([]byte(nil), data[len(data)-keep:]...)
	}
	if _, err := io.WriteString(w.w, String(string(body))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes out what Write held back, escaped as it stands.
func (w *Writer) Flush() error {
	if len(w.held) == 0 {
		return nil
	}
	s := String(string(w.held))
	w.held = nil
	_, err := io.WriteString(w.w, s)
	return err
}

// Unwrap returns the writer under w and any Writers below it, or w when it
// is no Writer.
func Unwrap(w io.Writer) io.Writer {
	for {
		iw, ok := w.(*Writer)
		if !ok {
			return w
		}
		w = iw.w
	}
}
