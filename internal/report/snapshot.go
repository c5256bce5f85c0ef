package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// SnapshotVersion is the version of the saved snapshot shape.
const SnapshotVersion = 1

// Snapshot is a report frozen with where it came from, so it can be kept in
// the repository, reviewed, and compared with later states.
type Snapshot struct {
	Version int `json:"version"`
	// Commit is the full hash of the commit the report was computed from;
	// empty when it came from uncommitted files.
	Commit string `json:"commit,omitempty"`
	// Branch is the branch checked out when the snapshot was saved, if any.
	Branch string `json:"branch,omitempty"`
	// CommitTime is the commit's committer time (RFC 3339).
	CommitTime string `json:"commit_time,omitempty"`
	// Dirty is true when the report includes uncommitted changes.
	Dirty bool `json:"dirty"`
	// AsOf is the date the report is computed for (YYYY-MM-DD).
	AsOf string `json:"as_of"`
	// Saved is the day the snapshot was saved (YYYY-MM-DD).
	Saved  string  `json:"saved"`
	Report *Report `json:"report"`
}

// WriteSnapshot writes s as indented JSON.
func WriteSnapshot(w io.Writer, s *Snapshot) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// ReadSnapshot reads a snapshot written by WriteSnapshot. It refuses JSON
// without a version and report, and versions newer than this okr reads;
// fields it does not know are ignored, so additions need no new version.
func ReadSnapshot(data []byte) (*Snapshot, error) {
	var s Snapshot
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&s); err != nil {
		return nil, fmt.Errorf("not an okr snapshot: %w", err)
	}
	switch {
	case s.Version == 0 || s.Report == nil:
		return nil, fmt.Errorf("not an okr snapshot: no version or report")
	case s.Version > SnapshotVersion:
		return nil, fmt.Errorf("snapshot version %d is newer than this okr reads (%d); upgrade okr", s.Version, SnapshotVersion)
	case s.Report.Version > Version:
		return nil, fmt.Errorf("report version %d is newer than this okr reads (%d); upgrade okr", s.Report.Version, Version)
	}
	if s.Report.Objectives == nil {
		s.Report.Objectives = []Objective{}
	}
	return &s, nil
}
