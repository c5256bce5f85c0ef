package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/validate"
	"github.com/spf13/cobra"
)

// CycleViewOptions are the inputs of the commands that show one cycle as
// of a date: report, stats and tree.
type CycleViewOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string
	Cycle  string
	AsOf   string
	Report reportFlags
}

// cycleView describes one such command.
type cycleView struct {
	use, short, long, example string
	// formats lists the format names; the first is the default.
	formats []string
	// write renders the view of cycle as of asOf in format.
	write func(w io.Writer, ws *model.Workspace, cycle *model.Cycle, asOf model.Date, format string) error
}

func newCycleViewCmd(env Env, g *globalOptions, v cycleView, runF func(*CycleViewOptions) error) *cobra.Command {
	opts := &CycleViewOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:     v.use,
		Short:   v.short,
		Long:    v.long,
		Example: v.example,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			if runF != nil {
				return runF(opts)
			}
			return runCycleView(opts, v)
		},
	}
	cmd.Flags().StringVar(&opts.Cycle, "cycle", "", "the cycle with `ID` (default: the active cycle)")
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "compute as of `DATE` (YYYY-MM-DD; default today)")
	names := append([]string(nil), v.formats...)
	sortStrings(names)
	opts.Report.add(cmd, strings.Join(names, ", ")+" (default "+v.formats[0]+")")
	return cmd
}

func runCycleView(opts *CycleViewOptions, v cycleView) error {
	format := opts.Report.Format
	if format == "" {
		format = v.formats[0]
	}
	known := false
	for _, f := range v.formats {
		known = known || f == format
	}
	if !known {
		names := append([]string(nil), v.formats...)
		sortStrings(names)
		return usageError{fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(names, ", "))}
	}
	ws, cycle, asOf, err := loadCycle(opts.Env, opts.Dir, opts.Cycle, opts.AsOf)
	if err != nil {
		return err
	}
	return opts.Report.emit(opts.IO.Out, func(out io.Writer) error { return v.write(out, ws, cycle, asOf, format) })
}

func sortStrings(s []string) { slices.Sort(s) }

// loadCycle loads and validates the workspace, and resolves the cycle
// (default: the active one) and the as-of date (default: today). A
// workspace with errors is refused: a report on it could be wrong.
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
