package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/okrkit/okr/internal/dashboard"
	"github.com/okrkit/okr/internal/history"
	"github.com/okrkit/okr/internal/inert"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/render"
	"github.com/okrkit/okr/internal/report"
)

// NewCmdReport builds `okr report`. runF replaces the action in tests.
func NewCmdReport(env Env, g *globalOptions, runF func(*CycleViewOptions) error) *cobra.Command {
	return newCycleViewCmd(env, g, cycleView{
		use:   "report",
		short: "Report a cycle's objectives and key results with scores and statuses",
		long: `Report one cycle's objectives and key results as of a date: each key
result's goal and current value in its unit, progress, score (manual scores
marked), status (stated or computed against the time elapsed), confidence,
last check-in, forecast and owner; each objective's description, tags and
initiatives. docs/scoring.md states every formula, docs/report.md every
format and JSON field.

The cycle defaults to the active one for today (the shortest open cycle that
contains it); --as-of computes pace and status for another date, counting
only the check-ins made by then. --team (sub-teams included), --owner (me:
you, by your git email), --category, --level and --status narrow it.

Formats: table (the default, for the terminal), markdown (GitHub-flavoured,
renders in a pull-request comment), json (versioned shape), csv (one row
per key result; cells that a spreadsheet would run as formulas are
neutralised) and html (a self-contained dashboard page with charts and
filters, docs/dashboard.md; in a git repository each check-in is scored
against the goal in force on its day).`,
		example: `  okr report
  okr report --cycle 2026-q3 --format json
  okr report --as-of 2026-11-01 --format csv --output q4.csv
  okr report --format html --output dashboard.html`,
		formats: []string{"table", "markdown", "json", "csv", "html"},
		filters: true,
		// The dashboard's charts show each check-in's note.
		notes: func(format string) bool { return format == "html" },
		write: func(w io.Writer, ws *model.Workspace, cycle *model.Cycle, asOf model.Date, format string, f report.Filter) error {
			if format == "html" {
				return writeDashboard(w, env, g.Dir, dashboard.Input{Workspace: ws, Cycle: cycle, AsOf: asOf, Filter: f})
			}
			rw, err := render.NewWriter(format)
			if err != nil {
				return err
			}
			return rw.Write(w, f.Apply(ws, asOf, report.Build(ws, cycle, asOf)))
		},
	}, runF)
}

// writeDashboard renders the HTML dashboard. In a git repository the
// goals of every key result are read from history (one walk), so each
// check-in is charted against the goal in force on its day; without
// history (no repository, no commits, a shallow clone) the page uses
// today's goals and says why.
func writeDashboard(w io.Writer, env Env, dir string, in dashboard.Input) error {
	day, err := today(env)
	if err != nil {
		return err
	}
	h, err := openHistory(env, dir)
	switch {
	case errors.Is(err, history.ErrNotRepository):
		in.Note = "Not a git repository: check-ins are scored against today's goals."
	case err != nil:
		return err
	default:
		defer h.repo.Close()
		var head *history.Commit
		if head, err = h.repo.Head(); err == nil {
			in.Goals, err = readGoals(h.repo, head, day)
		}
		var sh *history.ShallowError
		switch {
		case errors.Is(err, history.ErrNoCommits):
			in.Note = "No commits yet: check-ins are scored against today's goals."
		case errors.As(err, &sh):
			in.Note = "A shallow clone: check-ins are scored against today's goals; to read history, " + sh.Hint() + "."
		case err != nil:
			return histErr(err)
		}
	}
	if in.Note != "" {
		fmt.Fprintln(env.IO.ErrOut, "okr: note: "+strings.ToLower(in.Note[:1])+in.Note[1:])
	}
	return dashboard.Write(w, dashboard.Build(in))
}

// readGoals walks the first-parent history of head once, uncommitted
// changes included (dated today), and gives the dashboard every key
// result's goals.
func readGoals(repo *history.Repo, head *history.Commit, today model.Date) (dashboard.Goals, error) {
	g := dashboard.Goals{}
	err := repo.Walk(head, history.WalkOptions{Worktree: true}, func(st *history.State) error {
		since, commit := today, ""
		if st.Commit != nil {
			since, commit = st.Commit.Date(), st.Commit.Short()
		}
		for _, c := range st.Changes {
			if c.New != nil {
				g.Add(since, commit, c.New.Part.Objectives)
			}
		}
		return nil
	})
	return g, err
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
		tag:     true,
		write: func(w io.Writer, ws *model.Workspace, cycle *model.Cycle, asOf model.Date, format string, f report.Filter) error {
			return render.WriteStats(w, report.BuildTaggedStats(ws, cycle, asOf, f.Tag), format)
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
		tag:     true,
		write: func(w io.Writer, ws *model.Workspace, cycle *model.Cycle, asOf model.Date, format string, f report.Filter) error {
			return render.WriteTree(w, report.BuildTaggedTree(ws, cycle, asOf, f.Tag), format)
		},
	}, runF)
}

// NewCmdStatus builds `okr status`. runF replaces the action in tests.
func NewCmdStatus(env Env, g *globalOptions, runF func(*CycleViewOptions) error) *cobra.Command {
	return newCycleViewCmd(env, g, cycleView{
		use:   "status",
		short: "Show where a cycle stands, in the terminal",
		long: `Show a cycle's objectives and key results in the terminal as of a date:
a progress bar, progress, status (* when stated in the latest check-in),
confidence, last check-in and owner for every key result, under its
objective's score.

Layouts (--format): tree (the default: objectives under the objectives they
align to; one with several parents appears under each) and table (flat).
Colour only on a terminal, never with NO_COLOR set; lines are cut to the
terminal's width. --team (sub-teams included), --owner (me: you, by your
git email), --category, --level and --status narrow the view.`,
		example: `  okr status
  okr status --team engineering --status at_risk
  okr status --owner me --format table
  okr status --involving me      # what you own, hold a key result of or contribute to, and your team's`,
		formats: []string{"tree", "table"},
		filters: true,
		write: func(w io.Writer, ws *model.Workspace, cycle *model.Cycle, asOf model.Date, format string, f report.Filter) error {
			// Colours go to a terminal past the inert filter: the status
			// writer makes every string from files inert itself.
			style := terminalStyle(inert.Unwrap(w), env.Getenv)
			if style.Color || style.Width > 0 {
				w = inert.Unwrap(w)
			}
			style.StatusNames = ws.Settings.StatusNames
			return render.WriteStatus(w, f.Apply(ws, asOf, report.Build(ws, cycle, asOf)), format, style)
		},
	}, runF)
}

// terminalStyle colours only a terminal without NO_COLOR, and cuts lines
// to the terminal's width; anything else (a pipe, a file) gets plain,
// whole lines.
func terminalStyle(w io.Writer, getenv func(string) string) render.Style {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return render.Style{}
	}
	s := render.Style{Color: getenv("NO_COLOR") == ""}
	if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
		s.Width = width
	}
	return s
}
