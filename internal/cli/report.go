package cli

import (
	"io"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/spf13/cobra"
)

// NewCmdReport builds `okr report`. runF replaces the action in tests.
func NewCmdReport(env Env, g *globalOptions, runF func(*CycleViewOptions) error) *cobra.Command {
	return newCycleViewCmd(env, g, cycleView{
		use:   "report",
		short: "Report a cycle's objectives and key results with scores and statuses",
		long: `Report one cycle's objectives and key results as of a date: progress, score
(manual scores marked), status (stated or computed against the time elapsed),
confidence, last check-in, forecast and owner. docs/scoring.md states every
formula.

The cycle defaults to the active one for today (the shortest open cycle that
contains it); --as-of computes pace and status for another date, counting
only the check-ins made by then. --team (sub-teams included), --owner (me:
you, by your git email), --category, --level and --status narrow it.

Formats: table (the default, for the terminal), markdown (GitHub-flavoured,
renders in a pull-request comment), json (versioned shape) and csv (one row
per key result; cells that a spreadsheet would run as formulas are
neutralised).`,
		example: `  okr report
  okr report --cycle 2026-q3 --format json
  okr report --as-of 2026-11-01 --format csv --output q4.csv`,
		formats: []string{"table", "markdown", "json", "csv"},
		filters: true,
		write: func(w io.Writer, ws *model.Workspace, cycle *model.Cycle, asOf model.Date, format string, f report.Filter) error {
			rw, err := report.NewWriter(format)
			if err != nil {
				return err
			}
			return rw.Write(w, f.Apply(ws, asOf, report.Build(ws, cycle, asOf)))
		},
	}, runF)
}

// NewCmdStats builds `okr stats`. runF replaces the action in tests.
func NewCmdStats(env Env, g *globalOptions, runF func(*CycleViewOptions) error) *cobra.Command {
	return newCycleViewCmd(env, g, cycleView{
		use:   "stats",
		short: "Show the dashboard figures of a cycle, for everyone and per team",
		long: `Show a cycle's dashboard figures as of a date, for the whole workspace and
for every team with its sub-teams: objectives and key results, key results
by status (display names from status_names in okr.yaml), completion rate
(key results at 100%), alignment rate (objectives below company level with
a parent), check-in rate (key results checked in within the cycle's cadence:
the last 7, 14 or 31 days) and average objective score (weighted by
objective weight). docs/scoring.md states the formulas.

Formats: table (the default), markdown, json and csv.`,
		example: `  okr stats
  okr stats --cycle 2026-q3 --format json`,
		formats: []string{"table", "markdown", "json", "csv"},
		write: func(w io.Writer, ws *model.Workspace, cycle *model.Cycle, asOf model.Date, format string, _ report.Filter) error {
			return report.WriteStats(w, report.BuildStats(ws, cycle, asOf), format)
		},
	}, runF)
}

// NewCmdTree builds `okr tree`. runF replaces the action in tests.
func NewCmdTree(env Env, g *globalOptions, runF func(*CycleViewOptions) error) *cobra.Command {
	return newCycleViewCmd(env, g, cycleView{
		use:   "tree",
		short: "Draw the alignment map of a cycle",
		long: `Draw how a cycle's objectives align: each objective under the objectives it
aligns to (and those of other cycles, such as the year's, above them), with
scores and link weights other than 1.

Formats: text (the default; an objective with several parents appears under
each), mermaid (a flowchart GitHub renders in a Markdown file or comment,
inside a mermaid code block) and dot (Graphviz).`,
		example: `  okr tree
  okr tree --format mermaid --output docs/alignment.mmd
  okr tree --format dot | dot -Tsvg > alignment.svg`,
		formats: []string{"text", "mermaid", "dot"},
		write: func(w io.Writer, ws *model.Workspace, cycle *model.Cycle, asOf model.Date, format string, _ report.Filter) error {
			return report.WriteTree(w, report.BuildTree(ws, cycle, asOf), format)
		},
	}, runF)
}
