package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionBuilds builds okr the ways people build it and checks what
// okr version says: with -buildvcs=false (container builds) and the
// release's -ldflags, the stamped version, commit and date; with
// -buildvcs=false and nothing stamped, "dev" and why.
func TestVersionBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds okr twice")
	}
	dir := t.TempDir()
	const pkg = "github.com/okrkit/okr/internal/cli"
	for _, c := range []struct {
		name    string
		ldflags string
		text    string
		json    map[string]string
	}{
		{"stamped", "-X " + pkg + ".Version=v9.8.7 -X " + pkg + ".Commit=0123456789abcdef -X " + pkg + ".Date=2026-12-04T10:00:00Z",
			"okr v9.8.7\n", map[string]string{"version": "v9.8.7", "commit": "0123456789abcdef", "date": "2026-12-04T10:00:00Z"}},
		{"bare", "", "okr dev (no version recorded: built without -ldflags and with -buildvcs=false; go",
			map[string]string{"version": "dev"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			bin := filepath.Join(dir, "okr-"+c.name)
			args := []string{"build", "-buildvcs=false", "-o", bin}
			if c.ldflags != "" {
				args = append(args, "-ldflags", c.ldflags)
			}
			if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			out, err := exec.Command(bin, "version").Output()
			if err != nil || !strings.HasPrefix(string(out), c.text) {
				t.Errorf("okr version = %q (%v), want %q...", out, err, c.text)
			}
			out, err = exec.Command(bin, "version", "--format", "json").Output()
			var got map[string]any
			if err != nil || json.Unmarshal(out, &got) != nil {
				t.Fatalf("okr version --format json = %q (%v)", out, err)
			}
			for k, v := range c.json {
				if got[k] != v {
					t.Errorf("%s = %v, want %q", k, got[k], v)
				}
			}
			if g, _ := got["go"].(string); !strings.HasPrefix(g, "go1.") {
				t.Errorf("go = %q", got["go"])
			}
		})
	}
}
