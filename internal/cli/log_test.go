package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/diff"
)

// TestLogField: okr log shows check-ins as check-ins (added, removed,
// edited; a key result's own or, in an objective's log, of which key
// result), and other fields as "field: old -> new".
func TestLogField(t *testing.T) {
	for _, c := range []struct {
		f    diff.FieldChange
		want string
	}{
		{diff.FieldChange{Field: "checkins", New: "2026-12-04 14"}, "check-in added: 2026-12-04 14"},
		{diff.FieldChange{Field: "checkins", Old: "2026-12-04 14"}, "check-in removed: 2026-12-04 14"},
		{diff.FieldChange{Field: "checkins", Old: "2026-12-04 14", New: "2026-12-04 14 (confidence 0.8)"}, "check-in edited: 2026-12-04 14 -> 2026-12-04 14 (confidence 0.8)"},
		{diff.FieldChange{Field: "key_results.arr.checkins", New: "2026-12-04 14"}, "check-in of arr added: 2026-12-04 14"},
		{diff.FieldChange{Field: "target", Old: "30", New: "20"}, "target: 30 -> 20"},
		{diff.FieldChange{Field: "key_results.arr.target", New: "20"}, "key_results.arr.target: (none) -> 20"},
		{diff.FieldChange{Field: "mycheckins", New: "x"}, "mycheckins: (none) -> x"},
	} {
		if got := logField(c.f); got != c.want {
			t.Errorf("logField(%+v) = %q, want %q", c.f, got, c.want)
		}
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct {
	n   int
	got strings.Builder
}

var errDiskFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.got.Len()+len(p) > f.n {
		return 0, errDiskFull
	}
	return f.got.Write(p)
}

// TestWriteLogTextErrors checks that okr log's text returns the first
// write error wherever it happens, and writes nothing after it.
func TestWriteLogTextErrors(t *testing.T) {
	rep := &LogReport{ID: "obj-1", Kind: "objective", Entries: []LogEntry{
		{Commit: "0123456789abcdef", Date: "2026-11-02T10:00:00Z", Author: "Ann", Subject: "raise the target", File: "objectives/a.yaml", Change: "changed",
			Fields: []diff.FieldChange{{Field: "key_results.kr-1.target", Old: "10", New: "12"}}},
		{Commit: "fedcba9876543210", Date: "2026-10-01T09:00:00Z", Author: "Bo", Subject: "add it", File: "objectives/a.yaml", Change: "created"},
	}}
	var whole strings.Builder
	if err := writeLogText(&whole, rep); err != nil {
		t.Fatal(err)
	}
	for n := 0; n < whole.Len(); n += 7 {
		f := &failAfter{n: n}
		if err := writeLogText(f, rep); !errors.Is(err, errDiskFull) {
			t.Fatalf("writer failing after %d bytes: error %v, want %v", n, err, errDiskFull)
		}
		if !strings.HasPrefix(whole.String(), f.got.String()) {
			t.Fatalf("after a failed write at %d bytes, wrote %q", n, f.got.String())
		}
	}
}
