package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/okrkit/okr/internal/carry"
	"github.com/spf13/cobra"
)

// CarryOptions are the inputs of `okr carry`.
type CarryOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string
	From   string
	To     string
	Due    string
	DryRun bool
	Commit bool
}

// NewCmdCarry builds `okr carry`. runF replaces the action in tests.
func NewCmdCarry(env Env, g *globalOptions, runF func(*CarryOptions) error) *cobra.Command {
	opts := &CarryOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "carry --from CYCLE --to CYCLE",
		Short: "Copy unfinished objectives and key results into the next cycle",
		Long: `Carry unfinished work over to the next cycle. For every objective of --from
with a key result unfinished at the cycle's end (progress below 100% and no
"done" check-in), okr writes a new objective file in --to holding the
unfinished key results only: same fields, the last value reached as the new
start, no check-ins or grades. The original objective and key results get
carried_to, the copies carried_from, so reports and reviews can follow a
goal across cycles; the original files change only by those lines.

New ids swap a trailing -FROM for -TO (or append -TO). Objectives already
carried are skipped, so running it twice carries nothing new.

Alignment: a copy aligns to its parent's carried copy when the parent is
carried too; else to the same parent when that parent's cycle contains
--to (a year objective); else the link is dropped. A parent in another
cycle would count the copy in its rollup (docs/scoring.md), so --from's
scores stay exactly as they were. Every changed or dropped link is listed.

Due dates (--due) of carried key results and initiatives: shift (the
default) moves each by the distance between the two cycles' starts, and
back to --to's last day if it would fall after it; drop removes them; keep
keeps them (validation then refuses a date outside --to). Every due date
that goes along is listed with what became of it.

The workspace is validated with every change before anything is written;
--dry-run runs the same checks and reports the same refusals (exit 1), and
writes nothing.`,
		Example: `  okr carry --from 2026-q3 --to 2026-q4 --dry-run
  okr carry --from 2026-q3 --to 2026-q4 --commit
  okr carry --from 2026-q4 --to 2027-q1 --due drop`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Dir = g.Dir
			if opts.From == "" || opts.To == "" {
				return usageError{errors.New("--from and --to are required")}
			}
			if !slices.Contains(carry.DuePolicies, opts.Due) {
				return usageError{fmt.Errorf("--due %q is not one of %s", opts.Due, strings.Join(carry.DuePolicies, ", "))}
			}
			if runF != nil {
				return runF(opts)
			}
			return runCarry(opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "the `CYCLE` to carry unfinished work from")
	cmd.Flags().StringVar(&opts.To, "to", "", "the `CYCLE` to carry it into")
	cmd.Flags().StringVar(&opts.Due, "due", carry.DueShift, "what becomes of due dates: `shift|drop|keep`")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "check and list what would be carried; write nothing")
	cmd.Flags().BoolVar(&opts.Commit, "commit", false, "commit the changed and new files with your git identity")
	return cmd
}

func runCarry(opts *CarryOptions) error {
	ed, err := beginEdit(opts.Env, opts.Dir)
	if err != nil {
		return err
	}
	defer ed.done()
	from, err := pickCycle(ed.ws(), opts.From, ed.day)
	if err != nil {
		return err
	}
	to, err := pickCycle(ed.ws(), opts.To, ed.day)
	if err != nil {
		return err
	}
	if !to.Start.After(from.Start) {
		return usageError{fmt.Errorf("--to %s (from %s) does not start after --from %s (from %s)", to.ID, to.Start, from.ID, from.Start)}
	}
	plan := carry.Plan(ed.ws(), from, to, ed.day, carry.Options{Due: opts.Due})
	items := plan.Items
	for _, s := range plan.Skipped {
		fmt.Fprintf(opts.IO.ErrOut, "okr: not carried: %s, since %s\n", s.Objective.ID, s.Why)
	}
	if len(items) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "okr: nothing to carry: every objective of %s is finished or already carried\n", from.ID)
		return nil
	}
	verb := "carried"
	if opts.DryRun {
		verb = "would carry"
	}
	lines, err := applyCarry(ed, items, to.ID, verb)
	if err != nil {
		return err
	}
	say := func() {
		for _, l := range lines {
			fmt.Fprintln(opts.IO.Out, l)
		}
	}
	ed.what, ed.hint = "the carry", carryHint
	if opts.DryRun { // the same checks as the real run (ed.commit), nothing written
		if err := ed.check(ed.what, ed.hint, nil); err != nil {
			return err
		}
		say()
		return nil
	}
	msg := fmt.Sprintf("okr: carry %s from %s to %s", plural(len(items), "objective"), from.ID, to.ID)
	return ed.save(opts.IO.Out, opts.Commit, msg, say)
}

// applyCarry makes the edits of the carried items into cycle to: each
// objective's file marked as carried, and its copy created; it returns the
// lines that say so (verb: carried, or would carry).
func applyCarry(ed *workspaceEdit, items []carry.Item, to, verb string) ([]string, error) {
	var lines []string
	for _, it := range items {
		d, err := ed.doc(it.Objective.File())
		if err != nil {
			return nil, err
		}
		old, created, err := carry.Apply(it, to, d.Bytes())
		if err != nil {
			return nil, editErr(err, it.Objective.File())
		}
		ed.put(it.Objective.File(), old)
		ed.put(it.File, created)
		lines = append(lines, carryLines(verb, it)...)
	}
	return lines, nil
}

const carryHint = "the lines above are where the carry would have been; fix them (or choose another --due) and run again"

// carryLines says what carrying it does: the copy, then each alignment
// that changes or goes, and each due date that goes along.
func carryLines(verb string, it carry.Item) []string {
	out := []string{fmt.Sprintf("%s %s -> %s (%s) in %s", verb, it.Objective.ID, it.NewID, plural(len(it.KeyResults), "key result"), it.File)}
	for _, l := range it.Links {
		switch {
		case l.Parent == "":
			out = append(out, fmt.Sprintf("  alignment to %s dropped: %s", l.Old, l.Why))
		case l.Parent != l.Old:
			out = append(out, fmt.Sprintf("  aligns to %s (%s) instead of %s", l.Parent, l.Why, l.Old))
		default:
			out = append(out, fmt.Sprintf("  aligns to %s (%s)", l.Parent, l.Why))
		}
	}
	for _, u := range it.Dues {
		switch {
		case u.New.IsZero():
			out = append(out, fmt.Sprintf("  due date of %s dropped (was %s)", u.What, u.Old))
		case u.New == u.Old:
			out = append(out, fmt.Sprintf("  due date of %s kept: %s", u.What, u.Old))
		case u.Clamped:
			out = append(out, fmt.Sprintf("  due date of %s: %s -> %s (shifted, then moved to the cycle's last day)", u.What, u.Old, u.New))
		default:
			out = append(out, fmt.Sprintf("  due date of %s: %s -> %s (shifted)", u.What, u.Old, u.New))
		}
	}
	return out
}
