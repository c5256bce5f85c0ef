package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/okrkit/okr/internal/diff"
	"github.com/okrkit/okr/internal/history"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/mention"
	"github.com/okrkit/okr/internal/model"
	"github.com/spf13/cobra"
)

// DiffOptions are the inputs of `okr diff`.
type DiffOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string
	Base   string
	Head   string
	FailOn []string
	Report reportFlags
}

// NewCmdDiff builds `okr diff`. runF replaces the action in tests.
func NewCmdDiff(env Env, g *globalOptions, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "diff [BASE [HEAD]]",
		Short: "Review what changed in the OKRs between two versions",
		Long: `Compare the workspace at BASE with HEAD: objectives and key results added,
removed or moved between files (matched by id), changed fields, new
check-ins, and score and status deltas. Both sides are scored as of the same
day (HEAD's commit date, or today for the working tree), so the deltas come
from the changes and not from the calendar.

BASE defaults to the merge base of HEAD and the default branch (origin's
HEAD, else main or master); HEAD defaults to the working tree, uncommitted
changes included. Both take a commit, branch or tag.

Goalposts: a key result whose target was made easier (or a threshold or
range loosened, or milestone steps dropped), or whose start or type changed,
while its cycle was running, is flagged with the commit and author that
moved it (the org.yaml person, "Name (id)", when the author is one). --fail-on goalpost exits 1 when any is flagged.

Formats: text (default), markdown (for a pull-request comment: a short
summary first, details folded) and json.`,
		Example: `  okr diff
  okr diff main --format markdown > comment.md
  okr diff origin/main HEAD --fail-on goalpost`,
		Args: rangeArgs(0, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			if len(args) > 0 {
				opts.Base = args[0]
			}
			if len(args) > 1 {
				opts.Head = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return runDiff(opts)
		},
	}
	cmd.Flags().StringSliceVar(&opts.FailOn, "fail-on", nil, "exit 1 when the diff has `KIND`: goalpost")
	opts.Report.add(cmd, "text, markdown, json (default text)")
	return cmd
}

func runDiff(opts *DiffOptions) error {
	format := opts.Report.formatOr("text")
	dw, err := diff.NewWriter(format)
	if err != nil {
		return usageError{err}
	}
	for _, f := range opts.FailOn {
		if f != "goalpost" {
			return usageError{fmt.Errorf("--fail-on %q: the only kind is goalpost", f)}
		}
	}
	day, err := today(opts.Env)
	if err != nil {
		return err
	}
	h, err := openHistory(opts.Env, opts.Dir)
	if err != nil {
		return err
	}
	defer h.repo.Close()

	base, head, err := diffEnds(h, opts.Base, opts.Head)
	if err != nil {
		return err
	}
	asOf := day
	if head != nil {
		asOf = head.Date()
	}
	baseSide, headSide, steps, err := walkDiff(opts.Env, h, base, head, asOf, day, progressBar(opts.IO.ErrOut, opts.Env.Now))
	if err != nil {
		return err
	}
	warnFindings(opts.IO.ErrOut, baseSide)
	warnFindings(opts.IO.ErrOut, headSide)
	baseRef := diff.Ref{Label: refLabel(opts.Base, base), Commit: base.Hash.String(), Date: asOf.String()}
	headRef := diff.Ref{Label: "working tree", Date: asOf.String()}
	if head != nil {
		headRef = diff.Ref{Label: refLabel(opts.Head, head), Commit: head.Hash.String(), Date: asOf.String()}
	}
	d := compareSides(baseSide, headSide, diff.Options{Base: baseRef, Head: headRef, BaseAsOf: asOf, HeadAsOf: asOf}, steps)
	if err := opts.Report.emit(opts.IO.Out, func(w io.Writer) error { return dw.Write(w, d) }); err != nil {
		return err
	}
	if len(opts.FailOn) > 0 && len(d.Goalposts) > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "okr: %s moved while the cycle ran (--fail-on goalpost)\n", plural(len(d.Goalposts), "goalpost"))
		return errFindings
	}
	return nil
}

// diffEnds resolves the two ends of okr diff: head (nil for the working
// tree when headRev is empty) and base (headRev's merge base with the
// default branch when baseRev is empty).
func diffEnds(h *histRepo, baseRev, headRev string) (base, head *history.Commit, err error) {
	if headRev != "" {
		if head, err = h.resolve(headRev); err != nil {
			return nil, nil, err
		}
	}
	if baseRev != "" {
		base, err = h.resolve(baseRev)
	} else {
		base, err = defaultBase(h, head)
	}
	return base, head, err
}

// compareSides compares the two sides, showing mentions in notes and
// descriptions as names (both with head's people and teams, as reports
// do), and keeps the goalposts a step moved while its cycle ran that are
// still moved at head, credited to that step's author as head's org.yaml
// names them.
func compareSides(baseSide, headSide side, o diff.Options, steps *diff.GoalpostSteps) *diff.Diff {
	if headSide.ws != nil {
		r := mention.NewResolver(headSide.ws)
		if baseSide.ws != nil {
			baseSide.ws = r.Names(baseSide.ws)
		}
		headSide.ws = r.Names(headSide.ws)
	}
	d := diff.Compare(baseSide.ws, headSide.ws, o)
	steps.Credit(d, func(name, email string) (string, string) { return commitAuthor(headSide.ws, name, email) })
	return d
}

// walkDiff walks base..head once (base..HEAD and then the working tree
// when head is nil): the two ends for the comparison, and every step
// between them for diff.GoalpostSteps. Only the two ends are checked for
// errors, not every step; the working tree goes through the full
// validation.
func walkDiff(env Env, h *histRepo, base, head *history.Commit, asOf, day model.Date, progress func(done, total int)) (baseSide, headSide side, steps *diff.GoalpostSteps, err error) {
	baseSide.commit = base
	steps = &diff.GoalpostSteps{}
	var prev *model.Workspace
	var last *load.Result // the newest state, head's
	var lastCommit *history.Commit
	// Who the working tree's changes are credited to: git's own author
	// variables first, as git commit would use them, then git config.
	name, email := env.Getenv("GIT_AUTHOR_NAME"), env.Getenv("GIT_AUTHOR_EMAIL")
	if name == "" && email == "" {
		name, email = h.repo.Identity()
	}
	walkHead := head
	if walkHead == nil {
		// The working tree sits on HEAD: walk base..HEAD, then it.
		if walkHead, err = h.resolve(""); err != nil {
			return side{}, side{}, nil, err
		}
	}
	err = h.repo.WalkRange(base, walkHead, history.WalkOptions{Worktree: head == nil, Progress: progress},
		func(s *history.State) error {
			res := s.Workspace()
			switch {
			case s.Commit != nil && s.Commit.Hash == base.Hash:
				baseSide = sideOf(s.Commit, res)
			case prev != nil && s.Commit != nil:
				steps.Step(prev, res.Workspace, s.Commit.Date(), s.Commit.Hash.String(), s.Commit.Author, s.Commit.Email)
			case prev != nil:
				steps.Step(prev, res.Workspace, asOf, "", name, email)
			}
			prev, last, lastCommit = res.Workspace, res, s.Commit
			return nil
		})
	if err != nil {
		return side{}, side{}, nil, histErr(err)
	}
	switch {
	case head == nil:
		if headSide, err = h.loadCommit(nil, day); err != nil {
			return side{}, side{}, nil, err
		}
	case last != nil:
		headSide = sideOf(lastCommit, last)
	}
	headSide.commit = head
	return baseSide, headSide, steps, nil
}

// defaultBase is the merge base of head (HEAD when nil) and the default
// branch.
func defaultBase(h *histRepo, head *history.Commit) (*history.Commit, error) {
	branch := h.repo.DefaultBranch()
	if branch == "" {
		return nil, withHint(fmt.Errorf("no default branch to compare with (no origin/HEAD, main or master)"), "name the base: okr diff BASE")
	}
	def, err := h.resolve(branch)
	if err != nil {
		return nil, err
	}
	if head == nil {
		if head, err = h.resolve(""); err != nil {
			return nil, err
		}
	}
	mb, err := h.repo.MergeBase(head, def)
	if err != nil {
		return nil, histErr(err)
	}
	return mb, nil
}

func refLabel(name string, c *history.Commit) string {
	if name == "" {
		return "merge base"
	}
	if strings.HasPrefix(c.Hash.String(), name) {
		return c.Short()
	}
	return name
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// commitAuthor returns how a commit author is shown: the name and id of
// the org's person they are (model.Workspace.PersonByGit), else the name
// git recorded, or the e-mail when there is no name, and no id.
func commitAuthor(org *model.Workspace, name, email string) (display, id string) {
	if p := org.PersonByGit(name, email); p != nil {
		return firstNonEmpty(strings.TrimSpace(p.Name), p.ID), p.ID
	}
	return firstNonEmpty(name, email), ""
}
