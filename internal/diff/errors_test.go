package diff

import (
	"testing"

	"github.com/okrkit/okr/internal/golden"
)

// TestWritersReturnWriteErrors: every format's writer returns an error when
// its writes fail.
func TestWritersReturnWriteErrors(t *testing.T) {
	d := &Diff{Base: Ref{Label: "main"}, Head: Ref{Label: "HEAD"}}
	for _, name := range Formats() {
		w, err := NewWriter(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(golden.FailingWriter{}, d); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
