package diag

import (
	"testing"

	goldenfile "github.com/okrkit/okr/internal/golden"
)

// TestWritersReturnWriteErrors: every format's writer returns an error when
// its writes fail.
func TestWritersReturnWriteErrors(t *testing.T) {
	r := Report{Tool: "okr validate", Files: []string{"a.yaml"}, Diagnostics: []Diagnostic{New("a.yaml", 1, 1, CodeUnknownOwner, "owner %q is unknown", "x")}}
	for _, name := range Formats() {
		w, err := NewWriter(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(goldenfile.FailingWriter{}, r); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
