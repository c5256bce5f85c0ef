package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/okrkit/okr/internal/diff"
	"github.com/okrkit/okr/internal/history"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/mention"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
	"github.com/okrkit/okr/internal/trend"
	"github.com/spf13/cobra"
)

// TrendOptions are the inputs of `okr trend`.
type TrendOptions struct {
	IO       IOStreams
	Env      Env
	Dir      string
	ID       string
	Cycle    string
	Ref      string
	Worktree bool
	Report   reportFlags
}

// NewCmdTrend builds `okr trend`. runF replaces the action in tests.
func NewCmdTrend(env Env, g *globalOptions, runF func(*TrendOptions) error) *cobra.Command {
	opts := &TrendOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "trend [KR-ID]",
		Short: "Show progress over time: one key result, or every objective week by week",
		Long: `With a key result id: its check-ins over time, each with its value, its
progress computed against the goal in force on that day (from history: a
target changed mid-cycle scores earlier check-ins against the old one), the
expected progress and the confidence, under a sparkline.

Without an id: the weekly series of a cycle (default: the active one), the
data behind a progress-over-time chart: for each week's end, the files as
they stood then (the last first-parent commit on or before it), scored as of
that day: every objective's score, the mean, and key results by status.
Outside a git repository only today's files are used, their check-ins
filtered by date.

History is read from HEAD (or --ref); --worktree includes uncommitted
changes. Formats: text (sparklines, default), csv and json.`,
		Example: `  okr trend p95-latency
  okr trend --format csv --output q4-trend.csv`,
		Args: rangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			if len(args) > 0 {
				opts.ID = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return runTrend(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Cycle, "cycle", "", "the cycle with `ID` (default: the active one)")
	cmd.Flags().StringVar(&opts.Ref, "ref", "", "read history from `REF` (default HEAD)")
	cmd.Flags().BoolVar(&opts.Worktree, "worktree", false, "include uncommitted changes")
	opts.Report.add(cmd, "text, csv, json (default text)")
	return cmd
}

func runTrend(opts *TrendOptions) error {
	format := opts.Report.formatOr("text")
	tw, err := trend.NewWriter(format)
	if err != nil {
		return usageError{err}
	}
	day, err := today(opts.Env)
	if err != nil {
		return err
	}
	h, err := openHistory(opts.Env, opts.Dir)
	if errors.Is(err, history.ErrNotRepository) {
		h, err = nil, nil
		fmt.Fprintln(opts.IO.ErrOut, "okr: note: not a git repository; the trend uses today's files and their check-ins only")
	}
	if err != nil {
		return err
	}
	var head *history.Commit
	if h != nil {
		defer h.repo.Close()
		if head, err = h.resolve(opts.Ref); err != nil {
			return err
		}
	}
	if opts.ID != "" {
		s, err := krTrend(opts, h, head, day)
		if err != nil {
			return err
		}
		return opts.Report.emit(opts.IO.Out, func(w io.Writer) error { return tw.KeyResult(w, s) })
	}
	s, err := weeklyTrend(opts, h, head, day)
	if err != nil {
		return err
	}
	return opts.Report.emit(opts.IO.Out, func(w io.Writer) error { return tw.Weekly(w, s) })
}

// current loads the workspace the trend ends with: the working tree
// without history or with --worktree, else head.
func current(opts *TrendOptions, h *histRepo, head *history.Commit, day model.Date) (side, error) {
	if h == nil {
		root, _, err := workspaceRoot(opts.Env, opts.Dir, nil)
		if err != nil {
			return side{}, err
		}
		res, err := load.Load(root, load.Options{})
		if err != nil {
			return side{}, err
		}
		return sideOf(nil, res), nil
	}
	if opts.Worktree {
		return h.loadCommit(nil, day)
	}
	return h.loadCommit(head, day)
}

func krTrend(opts *TrendOptions, h *histRepo, head *history.Commit, day model.Date) (*trend.KRSeries, error) {
	cur, err := current(opts, h, head, day)
	if err != nil {
		return nil, err
	}
	// The check-in notes show mentions as names, as reports do.
	ws := mention.Names(cur.ws)
	var obj *model.Objective
	var kr *model.KeyResult
	for _, o := range ws.Objectives {
		if k := findKR(o, opts.ID); k != nil {
			obj, kr = o, k
			break
		}
	}
	if kr == nil {
		return nil, withHint(fmt.Errorf("no key result %q in the workspace", opts.ID), "ids are case-sensitive; 'okr report' lists them")
	}
	cycle := ws.Cycle(obj.Cycle)
	if cycle == nil {
		return nil, fmt.Errorf("objective %s names cycle %q, which does not exist", obj.ID, obj.Cycle)
	}
	var defs []trend.Definition
	if h != nil {
		versions, err := h.repo.Versions(head, opts.ID, opts.Worktree)
		if err != nil && !errors.Is(err, history.ErrUnknownID) {
			return nil, histErr(err)
		}
		defs = definitions(versions, opts.ID, day, ws)
	}
	return trend.KeyResult(score.FromSettings(ws.Settings), obj, kr, cycle, defs), nil
}

// definitions lists, oldest first, the versions of a key result whose goal
// (type, start, target, threshold, range, steps) differs from the one
// before.
// Commit authors are shown as the people of org they are (commitAuthor).
func definitions(versions []history.Version, id string, day model.Date, org *model.Workspace) []trend.Definition {
	var defs []trend.Definition
	for i := len(versions) - 1; i >= 0; i-- {
		v := versions[i]
		kr := findKR(v.Objective, id)
		if kr == nil {
			continue
		}
		d := trend.Definition{Since: day, KR: kr}
		if v.Commit != nil {
			d.Since, d.Commit = v.Commit.Date(), v.Commit.Short()
			d.By = diff.AuthorLabel(commitAuthor(org, v.Commit.Author, v.Commit.Email))
		}
		if len(defs) > 0 && trend.Goal(defs[len(defs)-1].KR) == trend.Goal(kr) && defs[len(defs)-1].KR.Type == kr.Type {
			continue
		}
		defs = append(defs, d)
	}
	return defs
}

func weeklyTrend(opts *TrendOptions, h *histRepo, head *history.Commit, day model.Date) (*trend.Weekly, error) {
	var cur side
	var err error
	if h != nil && !opts.Worktree {
		// Only the cycles are needed from head: its objectives come
		// from the walk.
		var res *load.Result
		if res, err = h.repo.LoadSettings(head); err != nil {
			return nil, histErr(err)
		}
		cur = side{commit: head, ws: res.Workspace}
	} else if cur, err = current(opts, h, head, day); err != nil {
		return nil, err
	}
	cycle, err := pickCycle(cur.ws, opts.Cycle, day)
	if err != nil {
		return nil, err
	}
	weeks := trend.Dates(cycle, day)
	if h == nil {
		s := trend.NewWeekly(cycle.ID, false)
		for _, w := range weeks {
			s.Add(cur.ws, cycle, w, "")
		}
		return s, nil
	}
	// Only the files in force at each week's end are read: the walk may
	// merge the states between two week ends.
	series := trend.NewFromHistory(cycle, weeks)
	var changes []trend.FileChange
	err = h.repo.Walk(head, history.WalkOptions{Worktree: opts.Worktree, Checkpoints: weeks, Progress: progressBar(opts.IO.ErrOut, opts.Env.Now)},
		func(st *history.State) error {
			d, commit := day, ""
			if st.Commit != nil {
				d, commit = st.Commit.Date(), st.Commit.Short()
			}
			changes = changes[:0]
			for _, c := range st.Changes {
				changes = append(changes, trend.FileChange{Path: c.Path, New: c.New})
			}
			series.Apply(d, commit, changes)
			return nil
		})
	if err != nil {
		return nil, histErr(err)
	}
	return series.Finish(day), nil
}
