package scaffold

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// ciFile returns the CI file Files writes for o, "" when none.
func ciFile(t *testing.T, o Options) string {
	t.Helper()
	files, err := Files(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path == ".gitlab-ci.yml" || strings.HasPrefix(f.Path, ".github/") {
			return string(f.Data)
		}
	}
	return ""
}

func TestCIWorkspacePath(t *testing.T) {
	day := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		ws, gitlab, github string
	}{
		{".", "okr validate --format junit", "workspace: .\n"},
		{"okrs", "okr validate -C okrs --format junit", "workspace: okrs\n"},
		{"my okrs", "okr validate -C 'my okrs' --format junit", "workspace: \"my okrs\"\n"},
		{"goals/équipe", "okr diff -C goals/équipe \"$base\" HEAD", "workspace: goals/équipe\n"},
	} {
		gl := ciFile(t, Options{Today: day, Host: GitLab, Workspace: tt.ws})
		if !strings.Contains(gl, tt.gitlab) {
			t.Errorf("workspace %q: GitLab file lacks %q:\n%s", tt.ws, tt.gitlab, gl)
		}
		gh := ciFile(t, Options{Today: day, Host: GitHub, Workspace: tt.ws})
		if !strings.Contains(gh, tt.github) {
			t.Errorf("workspace %q: GitHub file lacks %q:\n%s", tt.ws, tt.github, gh)
		}
	}
	for _, bad := range []string{"it's", "a$b", "x`y`", `back\slash`, "okrs #1", "a: b", "new\nline"} {
		for _, host := range []Host{GitHub, GitLab} {
			if _, err := Files(Options{Today: day, Host: host, Workspace: bad}); !errors.Is(err, ErrCIPath) {
				t.Errorf("workspace %q, %s: err = %v, want ErrCIPath", bad, host, err)
			}
		}
		if f := ciFile(t, Options{Today: day, Host: NoCI, Workspace: bad}); f != "" {
			t.Errorf("workspace %q, no CI: wrote a CI file", bad)
		}
	}
}
