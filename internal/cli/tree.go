package cli

import (
	"io"
	"strings"

	"github.com/okrkit/okr/internal/report"
	"github.com/spf13/cobra"
)

// TreeOptions are the inputs of `okr tree`.
type TreeOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string
	Cycle  string
	AsOf   string
	Report reportFlags
}

// NewCmdTree builds `okr tree`. runF replaces the action in tests.
func NewCmdTree(env Env, g *globalOptions, runF func(*TreeOptions) error) *cobra.Command {
	opts := &TreeOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "tree",
		Short: "Draw the alignment map of a cycle",
		Long: `Draw how a cycle's objectives align: each objective under the objectives it
aligns to (and those of other cycles, such as the year's, above them), with
scores and link weights other than 1.

Formats: text (the default; an objective with several parents appears under
each), mermaid (a flowchart GitHub renders in a Markdown file or comment,
inside a mermaid code block) and dot (Graphviz).`,
		Example: `  okr tree
  okr tree --format mermaid --output docs/alignment.mmd
  okr tree --format dot | dot -Tsvg > alignment.svg`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			if runF != nil {
				return runF(opts)
			}
			return runTree(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Cycle, "cycle", "", "draw the cycle with `ID` (default: the active cycle)")
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "scores as of `DATE` (YYYY-MM-DD; default today)")
	opts.Report.add(cmd, strings.Join(report.TreeFormats, ", ")+" (default text)")
	return cmd
}

func runTree(opts *TreeOptions) error {
	format := opts.Report.Format
	if format == "" {
		format = "text"
	}
	if err := report.WriteTree(io.Discard, &report.Tree{}, format); err != nil {
		return usageError{err}
	}
	ws, cycle, asOf, err := loadCycle(opts.Env, opts.Dir, opts.Cycle, opts.AsOf)
	if err != nil {
		return err
	}
	t := report.BuildTree(ws, cycle, asOf)
	return opts.Report.emit(opts.IO.Out, func(out io.Writer) error { return report.WriteTree(out, t, format) })
}
