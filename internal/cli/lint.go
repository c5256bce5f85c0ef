package cli

import (
	"fmt"
	"strings"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/lint"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
	"github.com/spf13/cobra"
)

// LintOptions are the inputs of `okr lint`.
type LintOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string
	Paths  []string
	Strict bool
	Report reportFlags
}

// NewCmdLint builds `okr lint [PATH...]`. runF replaces the action in tests.
func NewCmdLint(env Env, g *globalOptions, runF func(*LintOptions) error) *cobra.Command {
	opts := &LintOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check the workspace against the quality rules of good OKR practice",
		Long: `Check objectives and key results against quality rules: 2 to 5 key results
per objective, key results that can be checked, objectives that are outcomes
rather than tasks and hold no numbers, an owner for every goal, check-ins at
least every two cadence periods, no 0-100% key results that are really work
items, at most 5 objectives per owner in a cycle, no leftover template text,
and @mentions that name people or teams. With PATHs, report only findings in
those files or folders.

Each rule has a stable code and a default severity; okr.yaml's lint.rules
sets a rule to error, warning or off. lint does not repeat okr validate's
findings: run both in CI. Findings, positions, formats and exit codes are
okr validate's. Every rule is documented in docs/lint.md.`,
		Example: `  okr lint
  okr lint --strict --format github
  okr lint objectives/platform/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir, opts.Paths = g.Dir, args
			if runF != nil {
				return runF(opts)
			}
			return runLint(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail on warnings too")
	opts.Report.add(cmd, strings.Join(diag.Formats(), ", ")+" (default text, or github on GitHub Actions)")
	return cmd
}

func runLint(opts *LintOptions) error {
	return runFindings(findingsRun{IO: opts.IO, Env: opts.Env, Dir: opts.Dir, Paths: opts.Paths,
		Strict: opts.Strict, Report: &opts.Report, Tool: "okr lint",
		Rules: lint.Rules(), RulesURL: strings.TrimSuffix(diag.RulesURL, "rules.md") + "lint.md",
		findings: func(res *validate.Result, day model.Date) []diag.Diagnostic {
			if errs, _ := diag.Counts(res.Diagnostics); errs > 0 {
				fmt.Fprintf(opts.IO.ErrOut, "okr: note: the workspace also has %s; run 'okr validate' to see them\n", plural(errs, "validation error"))
			}
			return lint.Run(res.Workspace, lint.Options{Today: day})
		},
		// A broken lint setting in okr.yaml (key_results min above max)
		// switches its rule off for every file: say so whatever the PATHs.
		unscoped: func(d diag.Diagnostic) bool { return d.File == load.MarkerFile }})
}
