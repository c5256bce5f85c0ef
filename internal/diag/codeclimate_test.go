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

// TestCodeClimateLineZero checks that a finding without a line (a
// Diagnostic built without New, as from JSON or a whole-file rule) is
// reported at line 1: Code Climate lines count from 1, and GitLab drops a
// report with lines.begin 0.
func TestCodeClimateLineZero(t *testing.T) {
	r := Report{Tool: "okr validate", Diagnostics: []Diagnostic{
		{File: "okr.yaml", Line: 0, Col: 0, Severity: Error, Code: CodeUnsupportedVersion, Message: "version 9 is not supported"},
		{File: "org.yaml", Line: -3, Severity: Warning, Code: CodeKRDirection, Message: "negative"},
		{File: "cycles.yaml", Line: 4, Severity: Error, Code: CodeCycleDates, Message: "kept"},
	}}
	var got []CodeClimateIssue
	if err := json.Unmarshal(render(t, "codeclimate", r), &got); err != nil {
		t.Fatal(err)
	}
	want := []int{1, 1, 4}
	if len(got) != len(want) {
		t.Fatalf("got %d issues, want %d", len(got), len(want))
	}
	for i, g := range got {
		if g.Location.Lines.Begin != want[i] || g.Location.Path != r.Diagnostics[i].File {
			t.Errorf("issue %d at %s line %d, want %s line %d", i, g.Location.Path, g.Location.Lines.Begin, r.Diagnostics[i].File, want[i])
		}
	}
}
