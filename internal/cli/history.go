package cli

import (
	"context"
	"errors"
	"fmt"
	"github.com/okrkit/okr/internal/inert"
	"io"
	"os"
	"strings"
	"time"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/history"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
	"golang.org/x/term"
)

// histRepo is a workspace opened with its git history.
type histRepo struct {
	root string // workspace root on disk
	repo *history.Repo
	// noNotes: the command prints no check-in notes or answers, so loads
	// keep only those the rules report (dropNotes).
	noNotes bool
}

// dropNotes makes the loads of a command that prints no check-in notes
// or answers keep only those the rules report: the findings are the same,
// the texts are neither copied nor kept.
func (h *histRepo) dropNotes() {
	h.noNotes = true
	h.repo.CheckinText = validate.ReportedText
}

// openHistory finds the workspace and opens its git repository.
func openHistory(env Env, dir string) (*histRepo, error) {
	root, _, err := workspaceRoot(env, dir, nil)
	if err != nil {
		return nil, err
	}
	ctx := env.Context
	if ctx == nil {
		ctx = context.Background()
	}
	repo, err := history.OpenContext(ctx, root)
	if err != nil {
		if errors.Is(err, history.ErrNotRepository) {
			return nil, withHint(err, "history commands read the workspace's git repository; run 'git init' and commit the workspace first")
		}
		return nil, histErr(err)
	}
	return &histRepo{root: root, repo: repo}, nil
}

// histErr adds the fix to errors users can act on.
func histErr(err error) error {
	var sh *history.ShallowError
	switch {
	case errors.As(err, &sh):
		return withHint(err, "%s", sh.Hint())
	case errors.Is(err, history.ErrNoCommits):
		return withHint(err, "commit the workspace first, or use --worktree")
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted")
	}
	var he *history.HintError
	if errors.As(err, &he) {
		return withHint(err, "%s", he.Hint())
	}
	return err
}

// resolve returns the commit rev names, HEAD when rev is "".
func (h *histRepo) resolve(rev string) (*history.Commit, error) {
	if rev == "" {
		c, err := h.repo.Head()
		return c, histErr(err)
	}
	c, err := h.repo.Resolve(rev)
	if err != nil && !errors.Is(err, history.ErrNoCommits) {
		return nil, usageError{err}
	}
	return c, histErr(err)
}

// side is one workspace version a history command looks at.
type side struct {
	commit *history.Commit // nil: the working tree
	ws     *model.Workspace
	// findings counts errors in that version (parse and semantic rules).
	findings int
}

func (s side) label() string {
	if s.commit == nil {
		return "working tree"
	}
	return s.commit.Short()
}

// loadCommit loads the workspace as it stood at c, or from the working
// tree when c is nil.
func (h *histRepo) loadCommit(c *history.Commit, day model.Date) (side, error) {
	if c == nil {
		res, err := validate.Run(h.root, validate.Options{Today: day, NoCheckinText: h.noNotes})
		if err != nil {
			return side{}, err
		}
		errs, _ := diag.Counts(res.Diagnostics)
		return side{ws: res.Workspace, findings: errs}, nil
	}
	res, err := h.repo.Load(c)
	if err != nil {
		return side{}, histErr(err)
	}
	return sideOf(c, res), nil
}

// sideOf checks a loaded historical workspace with the semantic rules (its
// files were parsed, not schema-checked) and counts the errors.
func sideOf(c *history.Commit, res *load.Result) side {
	ds := append([]diag.Diagnostic(nil), res.Diagnostics...)
	ds = append(ds, validate.Semantic(res.Workspace, maxDate)...)
	errs, _ := diag.Counts(ds)
	return side{commit: c, ws: res.Workspace, findings: errs}
}

// maxDate is a "today" no check-in is after, for checking a past version
// without complaining about check-ins dated after the clock of today.
var maxDate = model.NewDate(9999, time.December, 31)

// warnFindings tells stderr when a past version had errors: its figures
// are computed anyway, since history cannot be fixed.
func warnFindings(w io.Writer, s side) {
	if s.findings > 0 {
		fmt.Fprintf(w, "okr: warning: the workspace at %s had %s; figures computed from it may be off\n", s.label(), plural(s.findings, "error"))
	}
}

// progressBar draws a walk's progress on stderr when it is a terminal;
// anything else (a pipe, a CI log) gets nothing.
func progressBar(w io.Writer, now func() time.Time) func(done, total int) {
	// The bar is okr's own (carriage returns redraw it): it goes to the
	// terminal past the inert filter.
	f, ok := inert.Unwrap(w).(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return newProgress(f, now)
}

// newProgress returns a progress callback that redraws one line at most
// ten times a second (a bar, or a count when total is 0: not known yet),
// draws nothing for walks shorter than 300 ms, and clears the line when
// done reaches a positive total.
func newProgress(w io.Writer, now func() time.Time) func(done, total int) {
	var last time.Time
	start := now()
	drawn := false
	return func(done, total int) {
		t := now()
		if total > 0 && done >= total {
			if drawn {
				fmt.Fprint(w, "\r\033[K")
				drawn = false
			}
			return
		}
		if t.Sub(last) < 100*time.Millisecond || t.Sub(start) < 300*time.Millisecond {
			return
		}
		last, drawn = t, true
		if total <= 0 { // a walk that does not know its length yet
			fmt.Fprintf(w, "\r%d commits", done)
			return
		}
		const width = 30
		n := done * width / total
		fmt.Fprintf(w, "\r[%s%s] %d/%d commits", strings.Repeat("=", n), strings.Repeat(" ", width-n), done, total)
	}
}
