package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/due"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
	"github.com/spf13/cobra"
)

// DueOptions are the inputs of `okr due`.
type DueOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string
	AsOf   string
	Report reportFlags
}

// NewCmdDue builds `okr due`. runF replaces the action in tests.
func NewCmdDue(env Env, g *globalOptions, runF func(*DueOptions) error) *cobra.Command {
	opts := &DueOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "due",
		Short: "List the key results whose check-in is overdue, by owner",
		Long: `List the key results whose check-in is overdue by their cycle's cadence as of
a date, grouped by owner. A key result is due once a cadence period (7, 14
or 31 days for weekly, biweekly and monthly) has passed since its latest
check-in, or since its cycle started when it has none. Only cycles running
on the date count (not planning, closed or archived); key results with a
manual score, a check-in stating done, or a one-way goal reached are not due.

Formats: text (the default), markdown (an issue body that mentions each
owner's handle, for a scheduled CI job) and json.
Exit codes: 0 nothing due, 1 something due, 2 usage or operational error.`,
		Example: `  okr due
  okr due --as-of 2026-12-01
  okr due --format markdown --output due.md`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			if runF != nil {
				return runF(opts)
			}
			return runDue(opts)
		},
	}
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "list what is due on `DATE` (YYYY-MM-DD; default today)")
	opts.Report.add(cmd, strings.Join(due.Formats, ", ")+" (default text)")
	return cmd
}

func runDue(opts *DueOptions) error {
	format := opts.Report.formatOr(due.Formats[0])
	known := false
	for _, f := range due.Formats {
		known = known || f == format
	}
	if !known {
		return usageError{fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(due.Formats, ", "))}
	}
	ws, day, err := loadValid(opts.Env, opts.Dir, opts.AsOf, "", false)
	if err != nil {
		return err
	}
	rep := due.Build(ws, day)
	if err := opts.Report.emit(opts.IO.Out, func(out io.Writer) error { return due.Write(out, rep, format) }); err != nil {
		return err
	}
	if rep.Total > 0 {
		return errFindings
	}
	return nil
}

// loadValid loads and validates the workspace and resolves the as-of date
// (default today), refusing a workspace with errors (why says what could
// go wrong, for the message); notes as loadWorkspace.
func loadValid(env Env, dir, asOfFlag, why string, notes bool) (*model.Workspace, model.Date, error) {
	day, err := today(env)
	if err != nil {
		return nil, day, err
	}
	asOf := day
	if asOfFlag != "" {
		if asOf, err = model.ParseDate(asOfFlag); err != nil {
			return nil, asOf, usageError{fmt.Errorf("--as-of %q is not a date (want YYYY-MM-DD)", asOfFlag)}
		}
	}
	ws, err := loadWorkspace(env, dir, day, why, notes)
	return ws, asOf, err
}

// loadWorkspace loads and validates the workspace found from dir; a
// workspace with errors is refused, since what is computed from it could
// be wrong (why, appended to the message, can say what). Without notes
// the check-ins' notes and answers are not kept (validate.Options.
// NoCheckinText: the findings are the same), for the outputs that print
// none of them: the model is then the size okr validate holds.
func loadWorkspace(env Env, dir string, day model.Date, why string, notes bool) (*model.Workspace, error) {
	root, _, err := workspaceRoot(env, dir, nil)
	if err != nil {
		return nil, err
	}
	// Within the soft memory limit okr validate uses, to the command's
	// end: report, status, stats and the dashboard build their outputs
	// next to the model.
	vo := validate.Options{Today: day, NoCheckinText: !notes}
	var restore func()
	vo.Sized, restore = limitMemory(env)
	res, err := validate.Run(root, vo)
	env.scoped(restore)
	if err != nil {
		return nil, err
	}
	if errs, _ := diag.Counts(res.Diagnostics); errs > 0 {
		return nil, withHint(fmt.Errorf("the workspace has %s%s", plural(errs, "error"), why), "run 'okr validate' to see them")
	}
	return res.Workspace, nil
}
