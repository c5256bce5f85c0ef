package cli

import (
	"bytes"
	"os"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	clock := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	var buf bytes.Buffer
	p := newProgress(&buf, now)
	p(1, 10)
	if buf.Len() != 0 {
		t.Fatalf("drew %q before 300 ms", buf.String())
	}
	clock = clock.Add(400 * time.Millisecond)
	p(5, 10)
	if got, want := buf.String(), "\r[===============               ] 5/10 commits"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	clock = clock.Add(50 * time.Millisecond)
	p(6, 10)
	if got := buf.String(); got != "\r[===============               ] 5/10 commits" {
		t.Fatalf("redrew within 100 ms: %q", got)
	}
	clock = clock.Add(100 * time.Millisecond)
	p(10, 10)
	if got := buf.String(); got != "\r[===============               ] 5/10 commits\r\033[K" {
		t.Fatalf("did not clear the line when done: %q", got)
	}
	// A short walk draws nothing at all, not even the clearing.
	buf.Reset()
	q := newProgress(&buf, now)
	q(1, 2)
	q(2, 2)
	if buf.Len() != 0 {
		t.Fatalf("short walk drew %q", buf.String())
	}
	// An unknown total: a count, cleared at the end.
	buf.Reset()
	c := newProgress(&buf, now)
	clock = clock.Add(time.Second)
	c(7, 0)
	c(9, 9)
	if got := buf.String(); got != "\r7 commits\r\033[K" {
		t.Fatalf("unknown total: %q", got)
	}
	// Not a terminal: no callback.
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if progressBar(f, now) != nil || progressBar(&buf, now) != nil {
		t.Fatal("progress bar on something that is not a terminal")
	}
}
