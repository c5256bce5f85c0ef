package cli

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"

	"github.com/okrkit/okr/internal/audience"
	"github.com/okrkit/okr/internal/mention"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
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
	// Filter narrows the view, for the commands that take filter flags.
	Filter report.Filter
	// Audience is --audience: PERSON or team:ID; "" shows everything.
	Audience string
}

// cycleView describes one such command.
type cycleView struct {
	use, short, long, example string
	// formats lists the format names; the first is the default.
	formats []string
	// filters adds --team, --owner, --category, --level, --status and
	// --tag; tag only --tag.
	filters, tag bool
	// notes reports whether format prints check-in notes or answers
	// (loadWorkspace); nil: no format does.
	notes func(format string) bool
	// write renders the view of cycle as of asOf in format.
	write func(w io.Writer, ws *model.Workspace, cycle *model.Cycle, asOf model.Date, format string, f report.Filter) error
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
	cmd.Flags().StringVar(&opts.Audience, "audience", "", "leave out what `WHO` may not see: a person id, or team:ID (docs/visibility.md)")
	if v.filters {
		fl := cmd.Flags()
		fl.StringVar(&opts.Filter.Team, "team", "", "only objectives of team `ID` and its sub-teams")
		fl.StringVar(&opts.Filter.Owner, "owner", "", "only objectives owned by `ID` (a person or team; me: you, by your git identity)")
		fl.StringVar(&opts.Filter.Involving, "involving", "", "only objectives `ID` owns, owns a key result of or contributes to, or (a person) their team owns; me: you")
		fl.StringVar(&opts.Filter.Category, "category", "", "only objectives in category `ID`")
		fl.StringVar(&opts.Filter.Level, "level", "", "only objectives at `LEVEL` (company, department, team, individual)")
		fl.StringVar(&opts.Filter.Status, "status", "", "only key results with `STATUS` (on_track, at_risk, off_track, done)")
	}
	if v.filters || v.tag {
		cmd.Flags().StringVar(&opts.Filter.Tag, "tag", "", "only objectives tagged `TAG` (tags: in the objective's file)")
	}
	names := append([]string(nil), v.formats...)
	sortStrings(names)
	opts.Report.add(cmd, strings.Join(names, ", ")+" (default "+v.formats[0]+")")
	return cmd
}

func runCycleView(opts *CycleViewOptions, v cycleView) error {
	format := opts.Report.formatOr(v.formats[0])
	known := false
	for _, f := range v.formats {
		known = known || f == format
	}
	if !known {
		names := append([]string(nil), v.formats...)
		sortStrings(names)
		return usageError{fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(names, ", "))}
	}
	ws, cycle, asOf, err := loadCycle(opts.Env, opts.Dir, opts.Cycle, opts.AsOf, v.notes != nil && v.notes(format))
	if err != nil {
		return err
	}
	if opts.Audience != "" {
		a, err := audience.Parse(opts.Audience, ws)
		if err != nil {
			return usageError{fmt.Errorf("--audience: %w", err)}
		}
		ws = audience.Filter(ws, a)
	}
	ws = mention.Names(ws)
	f := opts.Filter
	if err := checkFilter(opts.Env, ws, &f); err != nil {
		return err
	}
	return opts.Report.emit(opts.IO.Out, func(out io.Writer) error { return v.write(out, ws, cycle, asOf, format, f) })
}

// checkFilter rejects filter values that name nothing in the workspace, and
// resolves --owner me and --involving me to the person whose email or git
// identities hold the user's git email.
func checkFilter(env Env, ws *model.Workspace, f *report.Filter) error {
	people, teams, cats := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, p := range ws.People {
		people[p.ID] = true
	}
	for _, t := range ws.Teams {
		teams[t.ID] = true
	}
	for _, c := range ws.Settings.Categories {
		cats[c.ID] = true
	}
	for _, who := range []*string{&f.Owner, &f.Involving} {
		if *who == "me" {
			id, err := me(env, ws)
			if err != nil {
				return err
			}
			*who = id
		}
	}
	switch {
	case f.Team != "" && !teams[f.Team]:
		return valueError{fmt.Errorf("--team %q is not a team in org.yaml", f.Team)}
	case f.Owner != "" && !people[f.Owner] && !teams[f.Owner]:
		return valueError{fmt.Errorf("--owner %q is not a person or team in org.yaml", f.Owner)}
	case f.Involving != "" && !people[f.Involving] && !teams[f.Involving]:
		return valueError{fmt.Errorf("--involving %q is not a person or team in org.yaml", f.Involving)}
	case f.Category != "" && !cats[f.Category]:
		return valueError{fmt.Errorf("--category %q is not a category in okr.yaml", f.Category)}
	case f.Level != "" && !slices.Contains([]string{"company", "department", "team", "individual"}, f.Level):
		return usageError{fmt.Errorf("--level %q is not one of company, department, team, individual", f.Level)}
	case f.Status != "" && !slices.Contains([]string{"on_track", "at_risk", "off_track", "done"}, f.Status):
		return usageError{fmt.Errorf("--status %q is not one of on_track, at_risk, off_track, done", f.Status)}
	case f.Tag != "" && !slices.ContainsFunc(ws.Objectives, func(o *model.Objective) bool { return slices.Contains(o.Tags, f.Tag) }):
		return valueError{fmt.Errorf("--tag %q is the tag of no objective", f.Tag)}
	}
	return nil
}

// me returns the id of the person the user is, by git email (--owner me,
// --involving me).
func me(env Env, ws *model.Workspace) (string, error) {
	email := gitEmail(env)
	if email == "" {
		return "", withHint(errors.New("me needs your git identity, and git config user.email is not set"), "set it with 'git config user.email YOU@EXAMPLE.COM', or name the person")
	}
	if id := personByEmail(ws, email); id != "" {
		return id, nil
	}
	return "", withHint(fmt.Errorf("your git email %s is not the email or a git identity of anyone in org.yaml", email), "add it to your entry's git: list in org.yaml")
}

// gitEmail returns the user's git email: OKR_GIT_EMAIL when set (for tests
// and CI), else git config user.email, else "".
func gitEmail(env Env) string {
	if e := env.Getenv("OKR_GIT_EMAIL"); e != "" {
		return e
	}
	out, err := exec.Command("git", "config", "user.email").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func sortStrings(s []string) { slices.Sort(s) }

// loadCycle loads and validates the workspace, and resolves the cycle
// (default: the active one) and the as-of date (default: today). A
// workspace with errors is refused: a report on it could be wrong. notes
// as loadWorkspace.
func loadCycle(env Env, dir, cycleID, asOfFlag string, notes bool) (*model.Workspace, *model.Cycle, model.Date, error) {
	ws, asOf, err := loadValid(env, dir, asOfFlag, "; a report on it could be wrong", notes)
	if err != nil {
		return nil, nil, asOf, err
	}
	cycle, err := pickCycle(ws, cycleID, asOf)
	if err != nil {
		return nil, nil, asOf, err
	}
	return ws, cycle, asOf, nil
}
