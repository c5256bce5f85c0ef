package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/okrkit/okr/internal/diff"
	"github.com/okrkit/okr/internal/history"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/render"
	"github.com/okrkit/okr/internal/report"
)

// SnapshotOptions are the inputs of `okr snapshot` and its subcommands.
type SnapshotOptions struct {
	IO       IOStreams
	Env      Env
	Dir      string
	At       string
	Ref      string
	Worktree bool
	Cycle    string
	Report   reportFlags
	// File is the snapshot file of show and compare.
	File string
	// Against is compare's REF ("" : the working tree).
	Against string
	// Force lets save overwrite a file.
	Force bool
}

// NewCmdSnapshot builds `okr snapshot` with save, show and compare.
func NewCmdSnapshot(env Env, g *globalOptions, runF func(*SnapshotOptions) error) *cobra.Command {
	opts := &SnapshotOptions{IO: env.IO, Env: env}
	run := func(action func(*SnapshotOptions) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			if len(args) > 0 {
				opts.File = args[0]
			}
			if len(args) > 1 {
				opts.Against = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return action(opts)
		}
	}
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Report the OKRs as they stood at a date or commit",
		Long: `Report a cycle as it stood at a moment in the past, from git history: the
workspace files of the last first-parent commit made on or before --at DATE
(by the committer's date), only the check-ins dated up to DATE, and pace and
status as of DATE. --ref REF reports the files of a commit, branch or tag as
of its commit date (with --at, the history of REF is searched instead of
HEAD's). With neither, HEAD as of today; --worktree uses the uncommitted
files instead of a commit.

The cycle defaults to the one active on that date. A past version with
validation errors is reported anyway, with a warning on stderr.

Formats are those of okr report: table (default), markdown, json and csv.`,
		Example: `  okr snapshot --at 2026-10-01
  okr snapshot --ref v2026-q3-review --format markdown
  okr snapshot save --at 2026-10-01
  okr snapshot compare snapshots/2026-q4-2026-10-01.json`,
		Args: noArgs,
		RunE: run(runSnapshot),
	}
	addSource := func(c *cobra.Command) {
		c.Flags().StringVar(&opts.At, "at", "", "as it stood on `DATE` (YYYY-MM-DD)")
		c.Flags().StringVar(&opts.Ref, "ref", "", "the commit, branch or tag `REF` (default HEAD)")
		c.Flags().BoolVar(&opts.Worktree, "worktree", false, "use the working tree, uncommitted changes included")
		c.Flags().StringVar(&opts.Cycle, "cycle", "", "the cycle with `ID` (default: the one active on the date)")
	}
	addSource(cmd)
	opts.Report.add(cmd, "table, markdown, json, csv (default table)")

	save := &cobra.Command{
		Use:   "save",
		Short: "Save a frozen snapshot as JSON under snapshots/",
		Long: `Save the snapshot (the same sources as okr snapshot) as a JSON file that
records the commit hash, the branch, the commit time and the as-of date
beside the report, so it can be committed, reviewed and compared later. The
file goes to snapshots/CYCLE-DATE.json in the workspace unless --output
names another; an existing file is not overwritten without --force.`,
		Example: `  okr snapshot save --at 2026-10-01
  okr snapshot save --ref v2026-q3-review -o snapshots/q3-review.json --force`,
		Args: noArgs,
		RunE: run(runSnapshotSave),
	}
	addSource(save)
	save.Flags().StringVarP(&opts.Report.Output, "output", "o", "", "write the snapshot to `FILE`")
	save.Flags().BoolVar(&opts.Force, "force", false, "overwrite an existing snapshot file")

	show := &cobra.Command{
		Use:   "show FILE",
		Short: "Render a saved snapshot",
		Example: `  okr snapshot show snapshots/2026-q4-2026-10-01.json
  okr snapshot show snapshots/2026-q4-2026-10-01.json --format markdown`,
		Args: exactArgs(1),
		RunE: run(runSnapshotShow),
	}
	opts.Report.add(show, "table, markdown, json, csv (default table)")

	compare := &cobra.Command{
		Use:   "compare FILE [REF]",
		Short: "Show what moved since a saved snapshot",
		Long: `Compare a saved snapshot with the report of REF (a commit, branch or tag,
as of its commit date) or, without REF, of the working tree as of today:
objectives and key results added or removed, scores, statuses and current
values that moved.

Formats: text (default), markdown (for a pull-request comment) and json.`,
		Example: `  okr snapshot compare snapshots/2026-q4-2026-10-01.json
  okr snapshot compare snapshots/2026-q4-2026-10-01.json main --format markdown`,
		Args: rangeArgs(1, 2),
		RunE: run(runSnapshotCompare),
	}
	compare.Flags().StringVar(&opts.Cycle, "cycle", "", "compare with the cycle `ID` (default: the snapshot's)")
	opts.Report.add(compare, "text, markdown, json (default text)")
	cmd.AddCommand(save, show, compare)
	return cmd
}

func exactArgs(n int) cobra.PositionalArgs {
	return rangeArgs(n, n)
}

func rangeArgs(lo, hi int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < lo || len(args) > hi {
			want := fmt.Sprintf("%d", lo)
			if hi != lo {
				want = fmt.Sprintf("%d to %d", lo, hi)
			}
			return usageError{fmt.Errorf("%s takes %s arguments, got %d", cmd.CommandPath(), want, len(args))}
		}
		return nil
	}
}

// snapshotData is a computed snapshot with where it came from.
type snapshotData struct {
	side  side
	cycle *model.Cycle
	asOf  model.Date
	rep   *report.Report
	snap  *report.Snapshot // only when saving
}

// takeSnapshot resolves --at, --ref and --worktree, loads that version and
// builds its report, and with save the snapshot file's content (which
// names the branch: git processes of its own).
func takeSnapshot(opts *SnapshotOptions, save bool) (*snapshotData, error) {
	day, err := today(opts.Env)
	if err != nil {
		return nil, err
	}
	var at model.Date
	if opts.At != "" {
		if at, err = model.ParseDate(opts.At); err != nil {
			return nil, usageError{fmt.Errorf("--at %q is not a date (want YYYY-MM-DD)", opts.At)}
		}
		if at.After(day) {
			return nil, valueError{withHint(fmt.Errorf("--at %s is after today (%s)", at, day), "a snapshot shows the past: give a date up to today, or leave out --at for today")}
		}
	}
	if opts.Worktree && opts.Ref != "" {
		return nil, usageError{fmt.Errorf("--worktree and --ref name different sources; give one")}
	}
	h, err := openHistory(opts.Env, opts.Dir)
	if err != nil {
		return nil, err
	}
	defer h.repo.Close()
	h.dropNotes() // a report prints none
	commit, asOf, err := snapshotSource(opts, h, at, day)
	if err != nil {
		return nil, err
	}
	s, err := h.loadCommit(commit, maxDate)
	if err != nil {
		return nil, err
	}
	warnFindings(opts.IO.ErrOut, s)
	cycle, err := pickCycle(s.ws, opts.Cycle, asOf)
	if err != nil {
		return nil, err
	}
	d := &snapshotData{side: s, cycle: cycle, asOf: asOf, rep: report.Build(s.ws, cycle, asOf)}
	if !save {
		return d, nil
	}
	d.snap = &report.Snapshot{Version: report.SnapshotVersion, Branch: h.repo.Branch(), Dirty: commit == nil,
		AsOf: asOf.String(), Saved: day.String(), Report: d.rep}
	if commit != nil {
		d.snap.Commit, d.snap.CommitTime = commit.Hash.String(), commit.When.Format(time.RFC3339)
	}
	return d, nil
}

// snapshotSource is the commit a snapshot shows (nil: the working tree)
// and the day it is computed as of: --at's (the last commit on or before
// it), else the --ref commit's date, else today.
func snapshotSource(opts *SnapshotOptions, h *histRepo, at, day model.Date) (*history.Commit, model.Date, error) {
	if opts.Worktree {
		if !at.IsZero() {
			return nil, at, nil
		}
		return nil, day, nil
	}
	head, err := h.resolve(opts.Ref)
	if err != nil {
		return nil, day, err
	}
	asOf := day
	if opts.Ref != "" {
		asOf = head.Date()
	}
	if at.IsZero() {
		return head, asOf, nil
	}
	commit, err := h.repo.At(head, at)
	if err != nil {
		return nil, at, histErr(err)
	}
	if commit == nil {
		return nil, at, withHint(fmt.Errorf("no commit on or before %s in the history of %s", at, refName(opts.Ref)), "the first commit is later; pick a later --at")
	}
	return commit, at, nil
}

func refName(ref string) string {
	if ref == "" {
		return "HEAD"
	}
	return ref
}

// pickCycle returns the cycle id names, or the one active on asOf.
func pickCycle(ws *model.Workspace, id string, asOf model.Date) (*model.Cycle, error) {
	if id == "" {
		c := report.ActiveCycle(ws, asOf)
		if c == nil {
			return nil, withHint(fmt.Errorf("no open cycle contains %s", asOf), "name one with --cycle")
		}
		return c, nil
	}
	if c := ws.Cycle(id); c != nil {
		return c, nil
	}
	var ids []string
	for _, c := range ws.Cycles {
		ids = append(ids, c.ID)
	}
	return nil, usageError{fmt.Errorf("no cycle %q (cycles: %s)", id, strings.Join(ids, ", "))}
}

func runSnapshot(opts *SnapshotOptions) error {
	rw, err := reportWriter(opts.Report)
	if err != nil {
		return err
	}
	d, err := takeSnapshot(opts, false)
	if err != nil {
		return err
	}
	return opts.Report.emit(opts.IO.Out, func(w io.Writer) error { return rw.Write(w, d.rep) })
}

// reportWriter is the report writer --format names (default table).
func reportWriter(r reportFlags) (render.Writer, error) {
	rw, err := render.NewWriter(r.formatOr("table"))
	if err != nil {
		return nil, usageError{err}
	}
	return rw, nil
}

func runSnapshotSave(opts *SnapshotOptions) error {
	d, err := takeSnapshot(opts, true)
	if err != nil {
		return err
	}
	path := opts.Report.Output
	if path == "" {
		root, _, err := workspaceRoot(opts.Env, opts.Dir, nil)
		if err != nil {
			return err
		}
		dir := filepath.Join(root, "snapshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
		path = filepath.Join(dir, d.cycle.ID+"-"+d.asOf.String()+".json")
	} else if cwd, err := opts.Env.Getwd(); err == nil {
		path = absFrom(cwd, path)
	}
	if _, err := os.Stat(path); err == nil && !opts.Force {
		return withHint(fmt.Errorf("%s already exists", path), "pass --force to overwrite it, or --output another file")
	}
	var buf bytes.Buffer
	if err := report.WriteSnapshot(&buf, d.snap); err != nil {
		return err
	}
	if err := writeOutput(path, buf.Bytes()); err != nil {
		return err
	}
	from := "the working tree"
	if d.snap.Commit != "" {
		from = "commit " + d.side.commit.Short()
	}
	fmt.Fprintf(opts.IO.ErrOut, "okr: saved %s (cycle %s as of %s, from %s)\n", relOrAbs(opts.Env, path), d.cycle.ID, d.asOf, from)
	return nil
}

// relOrAbs shows path relative to the current folder when it is inside it.
func relOrAbs(env Env, path string) string {
	if cwd, err := env.Getwd(); err == nil {
		if rel, err := filepath.Rel(cwd, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return path
}

func readSnapshotFile(env Env, file string) (*report.Snapshot, error) {
	cwd, err := env.Getwd()
	if err != nil {
		return nil, fmt.Errorf("find current folder: %w", err)
	}
	data, err := os.ReadFile(absFrom(cwd, file))
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	s, err := report.ReadSnapshot(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return s, nil
}

func runSnapshotShow(opts *SnapshotOptions) error {
	rw, err := reportWriter(opts.Report)
	if err != nil {
		return err
	}
	s, err := readSnapshotFile(opts.Env, opts.File)
	if err != nil {
		return err
	}
	s.Report.Display = displayOf(opts.Dir)
	return opts.Report.emit(opts.IO.Out, func(w io.Writer) error { return rw.Write(w, s.Report) })
}

// displayOf returns okr.yaml's display setting of the workspace holding
// dir, "" (the default) when there is none or it cannot be read: a saved
// snapshot is shown the way the workspace shows scores today.
func displayOf(dir string) string {
	root, err := load.FindRoot(dir)
	if err != nil {
		return ""
	}
	data, err := os.ReadFile(filepath.Join(root, load.MarkerFile))
	if err != nil {
		return ""
	}
	if f := load.DecodeFile(load.MarkerFile, load.KindWorkspace, data, 0); f != nil && f.Settings != nil {
		return f.Settings.Display
	}
	return ""
}

func runSnapshotCompare(opts *SnapshotOptions) error {
	format := opts.Report.formatOr("text")
	dw, err := diff.NewWriter(format)
	if err != nil {
		return usageError{err}
	}
	saved, err := readSnapshotFile(opts.Env, opts.File)
	if err != nil {
		return err
	}
	cur := &SnapshotOptions{IO: opts.IO, Env: opts.Env, Dir: opts.Dir, Ref: opts.Against, Worktree: opts.Against == "",
		Cycle: opts.Cycle}
	if cur.Cycle == "" {
		cur.Cycle = saved.Report.Cycle.ID
	}
	d, err := takeSnapshot(cur, false)
	if err != nil {
		return err
	}
	base := diff.Ref{Label: "snapshot " + saved.AsOf, Commit: saved.Commit, Date: saved.AsOf}
	head := diff.Ref{Label: d.side.label(), Date: d.asOf.String()}
	if d.side.commit != nil {
		head.Label, head.Commit = refName(opts.Against), d.side.commit.Hash.String()
	}
	out := diff.CompareReports(saved.Report, d.rep, base, head)
	return opts.Report.emit(opts.IO.Out, func(w io.Writer) error { return dw.Write(w, out) })
}
