package cli

import (
	"bytes"
	"os"
	"testing"
)

// TestTerminalStyleOffTerminal checks that anything but a terminal (a
// buffer, a pipe, a file) gets no colour and whole lines, whatever NO_COLOR
// says.
func TestTerminalStyleOffTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, out := range map[string]any{"buffer": &bytes.Buffer{}, "pipe": w, "file": f} {
		for _, noColor := range []string{"", "1"} {
			s := terminalStyle(out.(interface{ Write([]byte) (int, error) }), func(k string) string {
				if k == "NO_COLOR" {
					return noColor
				}
				return ""
			})
			if s.Color || s.Width != 0 {
				t.Errorf("%s (NO_COLOR=%q): style %+v, want plain", name, noColor, s)
			}
		}
	}
}
