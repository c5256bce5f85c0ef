package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/okrkit/okr/internal/diff"
	"github.com/okrkit/okr/internal/history"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/mention"
	"github.com/okrkit/okr/internal/model"
	"github.com/spf13/cobra"
)

// LogOptions are the inputs of `okr log`.
type LogOptions struct {
	IO       IOStreams
	Env      Env
	Dir      string
	ID       string
	Ref      string
	Worktree bool
	Report   reportFlags
}

// NewCmdLog builds `okr log`. runF replaces the action in tests.
func NewCmdLog(env Env, g *globalOptions, runF func(*LogOptions) error) *cobra.Command {
	opts := &LogOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "log ID",
		Short: "Show the version history of an objective or key result",
		Long: `Show, newest first, the commits that changed an objective or key result
along the first-parent history of HEAD (or --ref): commit, author, date,
subject and the fields that changed (check-ins added or removed included).
An author whose git e-mail (or, unambiguously, name) is a person's in
org.yaml is shown as that person, "Name (id)".
The history follows the id when its file was moved or renamed, back to the
commit that created it. For a key result, commits that changed only other
parts of its objective's file are left out. --worktree adds uncommitted
changes at the top.

Formats: text (default) and json.`,
		Example: `  okr log grow-arr
  okr log p95-latency --format json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir, opts.ID = g.Dir, args[0]
			if runF != nil {
				return runF(opts)
			}
			return runLog(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Ref, "ref", "", "start from the commit, branch or tag `REF` (default HEAD)")
	cmd.Flags().BoolVar(&opts.Worktree, "worktree", false, "include uncommitted changes")
	opts.Report.add(cmd, "text, json (default text)")
	return cmd
}

// LogEntry is one version in `okr log --format json`.
type LogEntry struct {
	// Commit is the full hash; empty for the working tree.
	Commit string `json:"commit"`
	// Author is who made the commit as a display name: the org.yaml
	// person's name when the commit author is a person
	// (model.Workspace.PersonByGit, against org.yaml at the newest
	// version shown), else the name git recorded. AuthorID is that
	// person's id; Email the git author e-mail.
	Author   string             `json:"author"`
	AuthorID string             `json:"author_id,omitempty"`
	Email    string             `json:"email"`
	Date     string             `json:"date"`
	Subject  string             `json:"subject"`
	File     string             `json:"file"`
	OldFile  string             `json:"old_file,omitempty"`
	Change   string             `json:"change"` // created, changed, moved, deleted
	Fields   []diff.FieldChange `json:"fields"`
}

// LogVersion is the version of the JSON shape of `okr log`. It changes
// only when a field is removed or changes meaning. 2: author is the
// org.yaml person's name when the commit author matches one (author_id
// added).
const LogVersion = 2

// LogReport is the JSON shape of `okr log`.
type LogReport struct {
	Version int        `json:"version"`
	ID      string     `json:"id"`
	Kind    string     `json:"kind"` // objective or key_result
	Entries []LogEntry `json:"entries"`
}

func runLog(opts *LogOptions) error {
	format := opts.Report.formatOr("text")
	if format != "text" && format != "json" {
		return usageError{fmt.Errorf("unknown format %q (want one of json, text)", format)}
	}
	h, err := openHistory(opts.Env, opts.Dir)
	if err != nil {
		return err
	}
	defer h.repo.Close()
	head, err := h.resolve(opts.Ref)
	if err != nil {
		return err
	}
	versions, err := h.repo.Versions(head, opts.ID, opts.Worktree)
	if errors.Is(err, history.ErrUnknownID) {
		return withHint(fmt.Errorf("no objective or key result %q at %s", opts.ID, refName(opts.Ref)), "ids are case-sensitive; 'okr report' lists them")
	}
	if err != nil {
		return histErr(err)
	}
	// Descriptions, check-in notes and answers show mentions as names, as
	// reports do, with the people and teams of the newest version.
	// Commit authors are shown as the people they are in that org too.
	org := orgOf(h, head, opts.Worktree)
	versions = withNames(versions, org)
	rep := buildLog(opts.ID, versions, org)
	return opts.Report.emit(opts.IO.Out, func(w io.Writer) error {
		if format == "json" {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(rep)
		}
		return writeLogText(w, rep)
	})
}

// buildLog turns versions into entries with field-level changes, commit
// authors matched to org's people (org may be nil).
func buildLog(id string, versions []history.Version, org *model.Workspace) *LogReport {
	rep := &LogReport{Version: LogVersion, ID: id, Kind: "objective", Entries: []LogEntry{}}
	isKR := false
	for _, v := range versions {
		if o := firstNonNil(v.Objective, v.Old); o != nil && o.ID != id {
			isKR = true
		}
	}
	if isKR {
		rep.Kind = "key_result"
	}
	for _, v := range versions {
		e := LogEntry{File: v.Path, OldFile: v.OldPath, Change: "changed"}
		if c := v.Commit; c != nil {
			e.Commit, e.Email, e.Subject = c.Hash.String(), c.Email, c.Subject
			e.Author, e.AuthorID = commitAuthor(org, c.Author, c.Email)
			e.Date = c.When.Format(time.RFC3339)
		} else {
			e.Subject = "uncommitted changes"
		}
		if isKR {
			oldKR, newKR := findKR(v.Old, id), findKR(v.Objective, id)
			e.Fields = diff.KeyResultFields(oldKR, newKR)
			switch {
			case oldKR == nil && newKR != nil:
				e.Change = "created"
			case newKR == nil:
				e.Change = "deleted"
			case len(e.Fields) == 0 && v.OldPath == "":
				continue // the commit changed other parts of the file
			}
		} else {
			e.Fields = diff.ObjectiveFields(v.Old, v.Objective)
			switch {
			case v.Old == nil:
				e.Change = "created"
			case v.Objective == nil:
				e.Change = "deleted"
			}
		}
		if e.Change == "changed" && v.OldPath != "" {
			e.Change = "moved"
		}
		if e.Fields == nil {
			e.Fields = []diff.FieldChange{}
		}
		rep.Entries = append(rep.Entries, e)
	}
	return rep
}

// orgOf reads the people and teams of org.yaml at head, or in the working
// tree with worktree (only that file: okr log does not load the
// workspace); nil when there is no readable org file (mentions then stay
// as written).
func orgOf(h *histRepo, head *history.Commit, worktree bool) *model.Workspace {
	var f *load.File
	if worktree || head == nil {
		data, err := os.ReadFile(filepath.Join(h.root, load.OrgFile))
		if err != nil {
			return nil
		}
		f = load.DecodeFile(load.OrgFile, load.KindOrg, data, 0)
	} else {
		var err error
		if f, err = h.repo.File(head, load.OrgFile); err != nil || f == nil {
			return nil
		}
	}
	return load.Assemble(h.root, []*load.File{f}).Workspace
}

// withNames returns versions with their objectives' mentions shown as the
// names of org's people and teams.
func withNames(versions []history.Version, org *model.Workspace) []history.Version {
	if org == nil {
		return versions
	}
	r := mention.NewResolver(org)
	out := make([]history.Version, len(versions))
	for i, v := range versions {
		v.Objective, v.Old = r.Objective(v.Objective), r.Objective(v.Old)
		out[i] = v
	}
	return out
}

func firstNonNil(os ...*model.Objective) *model.Objective {
	for _, o := range os {
		if o != nil {
			return o
		}
	}
	return nil
}

func findKR(o *model.Objective, id string) *model.KeyResult {
	if o == nil {
		return nil
	}
	for _, kr := range o.KeyResults {
		if kr.ID == id {
			return kr
		}
	}
	return nil
}

// writeLogText writes okr log's text; it returns the first write error.
func writeLogText(out io.Writer, rep *LogReport) error {
	w := &stickyWriter{w: out}
	kind := "objective"
	if rep.Kind == "key_result" {
		kind = "key result"
	}
	fmt.Fprintf(w, "%s %s: %s\n", kind, rep.ID, plural(len(rep.Entries), "version"))
	for _, e := range rep.Entries {
		commit := "working tree"
		if e.Commit != "" {
			commit = e.Commit[:7]
		}
		fmt.Fprintf(w, "\n%s %s", commit, e.Change)
		if e.Date != "" {
			fmt.Fprintf(w, " %s by %s", e.Date[:10], diff.AuthorLabel(e.Author, e.AuthorID))
		}
		fmt.Fprintf(w, ": %s\n", e.Subject)
		if e.OldFile != "" {
			fmt.Fprintf(w, "  file: %s -> %s\n", e.OldFile, e.File)
		} else {
			fmt.Fprintf(w, "  file: %s\n", e.File)
		}
		if e.Change == "created" || e.Change == "deleted" {
			continue
		}
		if len(e.Fields) == 0 && e.OldFile == "" {
			fmt.Fprintln(w, "  no field changes (formatting or comments)")
		}
		for _, f := range e.Fields {
			fmt.Fprintln(w, "  "+logField(f))
		}
	}
	return w.err
}

// stickyWriter writes to w until a write fails, and keeps that error.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}

// logField renders one field change of okr log's text. A check-in is an
// event, not a field: "check-in added: 2026-12-04 14 (confidence 0.8)",
// "check-in removed: ...", "check-in edited: OLD -> NEW" (a key result's
// own, or "check-in of KR added: ..." in an objective's log).
func logField(f diff.FieldChange) string {
	if kr, ok := strings.CutSuffix(f.Field, "checkins"); ok && (kr == "" || strings.HasPrefix(kr, "key_results.") && strings.HasSuffix(kr, ".")) {
		what := "check-in"
		if kr != "" {
			what = "check-in of " + strings.TrimSuffix(strings.TrimPrefix(kr, "key_results."), ".")
		}
		switch {
		case f.Old == "":
			return what + " added: " + f.New
		case f.New == "":
			return what + " removed: " + f.Old
		}
		return what + " edited: " + f.Old + " -> " + f.New
	}
	return fmt.Sprintf("%s: %s -> %s", f.Field, orNone(f.Old), orNone(f.New))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
