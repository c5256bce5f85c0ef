package cli

import (
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
