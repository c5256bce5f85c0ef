package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/validate"
	"github.com/spf13/cobra"
)

// ReportOptions are the inputs of `okr report`.
type ReportOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string
	Cycle  string
	AsOf   string
	Report reportFlags
}

// NewCmdReport builds `okr report`. runF replaces the action in tests.
func NewCmdReport(env Env, g *globalOptions, runF func(*ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Report a cycle's objectives and key results with scores and statuses",
		Long: `Report one cycle's objectives and key results as of a date: progress, score
(manual scores marked), status (stated or computed against the time elapsed),
confidence, last check-in, forecast and owner. docs/scoring.md states every
formula.

The cycle defaults to the active one for today (the shortest open cycle that
contains it); --as-of computes pace and status for another date, counting
only the check-ins made by then.

Formats: markdown (the default; GitHub-flavoured, renders in a pull-request
comment), json (versioned shape) and csv (one row per key result; cells that
a spreadsheet would run as formulas are neutralised).`,
		Example: `  okr report
  okr report --cycle 2026-q3 --format json
  okr report --as-of 2026-11-01 --format csv --output q4.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			if runF != nil {
				return runF(opts)
			}
			return runReport(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Cycle, "cycle", "", "report the cycle with `ID` (default: the active cycle)")
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "compute as of `DATE` (YYYY-MM-DD; default today)")
	opts.Report.add(cmd, strings.Join(report.Formats(), ", ")+" (default markdown)")
	return cmd
}

func runReport(opts *ReportOptions) error {
	format := opts.Report.Format
	if format == "" {
		format = "markdown"
	}
	w, err := report.NewWriter(format)
	if err != nil {
		return usageError{err}
	}
	ws, cycle, asOf, err := loadCycle(opts.Env, opts.Dir, opts.Cycle, opts.AsOf)
	if err != nil {
		return err
	}
	rep := report.Build(ws, cycle, asOf)
	return opts.Report.emit(opts.IO.Out, func(out io.Writer) error { return w.Write(out, rep) })
}

// loadCycle loads and validates the workspace, and resolves the cycle
// (default: the active one) and the as-of date (default: today) shared by
// the reporting commands. A workspace with errors is refused: a report on
// it could be wrong.
func loadCycle(env Env, dir, cycleID, asOfFlag string) (*model.Workspace, *model.Cycle, model.Date, error) {
	day, err := today(env)
	if err != nil {
		return nil, nil, model.Date{}, err
	}
	asOf := day
	if asOfFlag != "" {
		if asOf, err = model.ParseDate(asOfFlag); err != nil {
			return nil, nil, asOf, usageError{fmt.Errorf("--as-of %q is not a date (want YYYY-MM-DD)", asOfFlag)}
		}
	}
	root, _, err := workspaceRoot(env, dir, nil)
	if err != nil {
		return nil, nil, asOf, err
	}
	res, err := validate.Run(root, validate.Options{Today: day})
	if err != nil {
		return nil, nil, asOf, err
	}
	if errs, _ := diag.Counts(res.Diagnostics); errs > 0 {
		return nil, nil, asOf, withHint(fmt.Errorf("the workspace has %s; a report on it could be wrong", plural(errs, "error")), "run 'okr validate' to see them")
	}
	ws := res.Workspace
	if cycleID == "" {
		cycle := report.ActiveCycle(ws, asOf)
		if cycle == nil {
			return nil, nil, asOf, withHint(fmt.Errorf("no open cycle contains %s", asOf), "name one with --cycle")
		}
		return ws, cycle, asOf, nil
	}
	var ids []string
	for _, c := range ws.Cycles {
		if c.ID == cycleID {
			return ws, c, asOf, nil
		}
		ids = append(ids, c.ID)
	}
	return nil, nil, asOf, usageError{fmt.Errorf("no cycle %q (cycles: %s)", cycleID, strings.Join(ids, ", "))}
}
