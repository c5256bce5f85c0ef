package diag

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"
)

// codeClimateWriter prints a Code Climate issue list, the format of GitLab's
// code-quality report (artifacts:reports:codequality), which GitLab shows in
// merge requests as new and resolved findings:
//
//	[{"description": ..., "check_name": ..., "fingerprint": ...,
//	  "severity": ..., "location": {"path": ..., "lines": {"begin": N}}}]
type codeClimateWriter struct{}

// CodeClimateIssue is one finding in a Code Climate report.
type CodeClimateIssue struct {
	// Type is always "issue".
	Type string `json:"type"`
	// CheckName is the rule code.
	CheckName string `json:"check_name"`
	// Description is the message.
	Description string `json:"description"`
	// Categories is always ["Bug Risk"]; the Code Climate spec requires one.
	Categories []string `json:"categories"`
	// Severity is "major" for errors and "minor" for warnings.
	Severity string `json:"severity"`
	// Fingerprint identifies the finding across runs, so GitLab can tell
	// new findings from old ones; see codeClimateFingerprint.
	Fingerprint string              `json:"fingerprint"`
	Location    CodeClimateLocation `json:"location"`
}

// CodeClimateLocation is where a Code Climate issue is.
type CodeClimateLocation struct {
	Path  string           `json:"path"`
	Lines CodeClimateLines `json:"lines"`
}

// CodeClimateLines is the line range of a Code Climate location. Lines
// count from 1: GitLab rejects a report whose begin is 0, so a finding
// without a line (Line 0) is reported at line 1.
type CodeClimateLines struct {
	Begin int `json:"begin"`
}

func (codeClimateWriter) Write(w io.Writer, r Report) error {
	issues := make([]CodeClimateIssue, 0, len(r.Diagnostics))
	seen := make(map[string]int)
	for _, d := range r.Diagnostics {
		sev := "major"
		if d.Severity == Warning {
			sev = "minor"
		}
		issues = append(issues, CodeClimateIssue{
			Type:        "issue",
			CheckName:   d.Code,
			Description: d.Message,
			Categories:  []string{"Bug Risk"},
			Severity:    sev,
			Fingerprint: codeClimateFingerprint(d, seen),
			Location:    CodeClimateLocation{Path: d.File, Lines: CodeClimateLines{Begin: max(d.Line, 1)}},
		})
	}
	b, err := json.MarshalIndent(issues, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// codeClimateFingerprint hashes the file, the rule code and the message, but
// not the position, so a finding keeps its fingerprint when lines above it
// move and GitLab does not report it as new. Identical findings in one file
// are numbered in order (seen counts them) to keep fingerprints unique.
func codeClimateFingerprint(d Diagnostic, seen map[string]int) string {
	key := d.File + "\x00" + d.Code + "\x00" + d.Message
	n := seen[key]
	seen[key] = n + 1
	sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(n)))
	return hex.EncodeToString(sum[:16])
}
