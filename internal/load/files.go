package load

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/model"
)

// File is one workspace file read from somewhere other than the file
// system (a git tree, a saved archive), parsed and decoded on its own.
// Files are independent of each other, so a caller that sees the same
// bytes at the same path again (a git blob in many commits) can reuse the
// File instead of parsing it again; Assemble puts a workspace together
// from Files without touching them.
type File struct {
	// Path is slash-separated and relative to the workspace root.
	Path string
	Kind Kind
	// Settings is set for KindWorkspace files.
	Settings *model.Settings
	// Part holds the people, teams, cycles or objective the file declares.
	Part model.Workspace
	// Diagnostics are the parse findings (syntax, duplicate keys, aliases,
	// size cap); schema and semantic rules are not run.
	Diagnostics []diag.Diagnostic
}

// KindOf classifies a slash path relative to the workspace root: okr.yaml,
// org.yaml, cycles.yaml, or a .yaml/.yml file under objectives/ (hidden
// names skipped, as Load skips them). ok is false for any other path.
func KindOf(rel string) (kind Kind, ok bool) {
	switch rel {
	case MarkerFile:
		return KindWorkspace, true
	case OrgFile:
		return KindOrg, true
	case CyclesFile:
		return KindCycles, true
	}
	rest, found := strings.CutPrefix(rel, ObjectivesDir+"/")
	if !found || !isYAML(rel) {
		return "", false
	}
	for _, part := range strings.Split(rest, "/") {
		if part == "" || strings.HasPrefix(part, ".") {
			return "", false
		}
	}
	return KindObjective, true
}

// DecodeFile parses and decodes the bytes of one file at rel (a path
// KindOf accepts). limit is the size cap; 0 means DefaultMaxFileBytes.
// The parse reads data in place, without a copy: the caller must not
// modify data afterwards. (The File keeps none of its bytes:
// TestDecodeFileKeepsNoBytes.)
func DecodeFile(rel string, kind Kind, data []byte, limit int64) *File {
	return DecodeFileWith(rel, kind, data, limit, nil)
}

// DecodeFileWith is DecodeFile keeping of the check-ins' notes and
// answers' texts only those checkinText returns true for (as
// Options.CheckinText; nil keeps every one).
func DecodeFileWith(rel string, kind Kind, data []byte, limit int64, checkinText func(string) bool) *File {
	if limit <= 0 {
		limit = DefaultMaxFileBytes
	}
	if int64(len(data)) > limit {
		return TooLarge(rel, kind, limit)
	}
	f := &File{Path: rel, Kind: kind}
	// The tree is dropped after decoding, so parse into a reusable arena.
	arena := arenas.Get().(*fastArena)
	defer arena.release()
	doc, ds := parse(rel, kind, data, true, arena, DefaultMaxNodes)
	f.Diagnostics = ds
	if kind == KindWorkspace {
		s := decodeSettings(doc)
		f.Settings = &s
		return f
	}
	decodeInto(&f.Part, doc, len(data), checkinText)
	return f
}

// TooLarge is the File of a file refused for being larger than limit
// bytes, for a caller that knows the size without reading the file.
func TooLarge(rel string, kind Kind, limit int64) *File {
	f := &File{Path: rel, Kind: kind, Diagnostics: []diag.Diagnostic{diag.New(rel, 1, 1, diag.CodeFileTooLarge,
		"file is larger than the %d-byte cap (limits.max_file_bytes in okr.yaml)", limit)}}
	if kind == KindWorkspace {
		s := decodeSettings(&Document{Path: rel, Kind: kind})
		f.Settings = &s
	}
	return f
}

// Assemble builds the workspace rooted at root (a label for a workspace
// that is not on disk) from decoded files, in path order whatever the order
// of files, as Load would from the same bytes. Without an okr.yaml file the
// settings take their defaults. The Files are shared, not copied: the
// result must be treated as read-only.
func Assemble(root string, files []*File) *Result {
	sorted := make([]*File, len(files))
	copy(sorted, files)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	res := &Result{Workspace: &model.Workspace{Root: root}}
	var settings *model.Settings
	n := 0
	for _, f := range sorted {
		if f.Kind == KindObjective {
			n++
		}
	}
	res.Workspace.Objectives = make([]*model.Objective, 0, n)
	for _, f := range sorted {
		res.Documents = append(res.Documents, &Document{Path: f.Path, Kind: f.Kind})
		res.Diagnostics = append(res.Diagnostics, f.Diagnostics...)
		if f.Settings != nil {
			settings = f.Settings
		}
		ws, p := res.Workspace, &f.Part
		ws.People = append(ws.People, p.People...)
		ws.Teams = append(ws.Teams, p.Teams...)
		ws.Cycles = append(ws.Cycles, p.Cycles...)
		ws.Objectives = append(ws.Objectives, p.Objectives...)
	}
	if settings == nil {
		s := decodeSettings(&Document{Path: MarkerFile, Kind: KindWorkspace})
		settings = &s
	}
	res.Workspace.Settings = *settings
	diag.Sort(res.Diagnostics)
	return res
}

// RawFile is one workspace file as found on disk, before parsing.
type RawFile struct {
	Path string
	Kind Kind
	Data []byte
	// Refused is set, and Data nil, for a file the loader refuses to read
	// (a symbolic link leaving the workspace, a file over the size cap).
	Refused *File
}

// ReadFiles reads the workspace files under root (okr.yaml, org.yaml,
// cycles.yaml and objectives/**) with Load's safety checks but without
// parsing them, sorted by path; limit is the size cap (0: the default).
func ReadFiles(root string, limit int64) ([]RawFile, error) {
	if limit <= 0 {
		limit = DefaultMaxFileBytes
	}
	root, realRoot, err := rootPaths(root)
	if err != nil {
		return nil, err
	}
	jobs, err := discover(root, realRoot)
	if err != nil {
		return nil, err
	}
	if _, err := os.Lstat(filepath.Join(root, MarkerFile)); err == nil {
		jobs = append(jobs, classify(root, realRoot, MarkerFile, KindWorkspace))
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].rel < jobs[j].rel })
	out := make([]RawFile, 0, len(jobs))
	for _, j := range jobs {
		rf := RawFile{Path: j.rel, Kind: j.kind}
		switch {
		case j.diag != nil:
			rf.Refused = &File{Path: j.rel, Kind: j.kind, Diagnostics: j.diag}
		default:
			data, tooBig, special, err := readCapped(filepath.Join(root, filepath.FromSlash(j.rel)), limit)
			if err != nil {
				return nil, err
			}
			if special != "" {
				rf.Refused = &File{Path: j.rel, Kind: j.kind, Diagnostics: []diag.Diagnostic{specialDiag(j.rel, special)}}
			} else if tooBig {
				rf.Refused = TooLarge(j.rel, j.kind, limit)
			} else {
				rf.Data = data
			}
		}
		out = append(out, rf)
	}
	return out, nil
}
