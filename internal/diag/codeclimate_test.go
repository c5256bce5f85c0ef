package diag

import (
	"encoding/json"
	"testing"
)

// TestCodeClimate parses the GitLab code-quality report and checks the
// fields GitLab reads: description, check_name, fingerprint, severity,
// location.path and location.lines.begin.
func TestCodeClimate(t *testing.T) {
	tests := []struct {
		name   string
		report Report
		want   []CodeClimateIssue
	}{
		{name: "clean", report: Report{Tool: "okr validate"}, want: []CodeClimateIssue{}},
		{name: "findings", report: sample(), want: []CodeClimateIssue{
			{CheckName: "unknown-cycle", Severity: "major", Location: CodeClimateLocation{Path: "objectives/a b.yaml", Lines: CodeClimateLines{Begin: 3}}},
			{CheckName: "unknown-owner", Severity: "major", Location: CodeClimateLocation{Path: "objectives/a b.yaml", Lines: CodeClimateLines{Begin: 12}}},
			{CheckName: "kr-direction", Severity: "minor", Location: CodeClimateLocation{Path: "objectives/b,c.yaml", Lines: CodeClimateLines{Begin: 7}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []CodeClimateIssue
			if err := json.Unmarshal(render(t, "codeclimate", tt.report), &got); err != nil {
				t.Fatal(err)
			}
			if got == nil || len(got) != len(tt.want) {
				t.Fatalf("got %d issues (%v), want %d", len(got), got, len(tt.want))
			}
			fps := map[string]bool{}
			for i, g := range got {
				w, d := tt.want[i], tt.report.Diagnostics[i]
				if g.CheckName != w.CheckName || g.Severity != w.Severity || g.Location != w.Location || g.Description != d.Message || g.Type != "issue" {
					t.Errorf("issue %d = %+v, want %+v with description %q", i, g, w, d.Message)
				}
				if len(g.Fingerprint) != 32 || fps[g.Fingerprint] {
					t.Errorf("issue %d: fingerprint %q is not a fresh 32-digit hash", i, g.Fingerprint)
				}
				fps[g.Fingerprint] = true
			}
		})
	}
}

// TestCodeClimateFingerprint checks that a fingerprint survives a line
// shift (so GitLab does not call a moved finding new) and that identical
// findings in one file still get distinct fingerprints.
func TestCodeClimateFingerprint(t *testing.T) {
	a := New("objectives/x.yaml", 4, 3, CodeUnknownOwner, `owner "bob" is unknown`)
	moved := a
	moved.Line, moved.Col = 9, 5
	other := New("objectives/y.yaml", 4, 3, CodeUnknownOwner, `owner "bob" is unknown`)
	if codeClimateFingerprint(a, map[string]int{}) != codeClimateFingerprint(moved, map[string]int{}) {
		t.Error("fingerprint changed when the finding moved to another line")
	}
	if codeClimateFingerprint(a, map[string]int{}) == codeClimateFingerprint(other, map[string]int{}) {
		t.Error("findings in two files share a fingerprint")
	}
	seen := map[string]int{}
	if codeClimateFingerprint(a, seen) == codeClimateFingerprint(moved, seen) {
		t.Error("two identical findings in one report share a fingerprint")
	}
}
