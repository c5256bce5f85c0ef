package cli

import (
	"errors"
	"fmt"

	"github.com/okrkit/okr/internal/carry"
	"github.com/okrkit/okr/internal/history"
	"github.com/spf13/cobra"
)

// CarryOptions are the inputs of `okr carry`.
type CarryOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string
	From   string
	To     string
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
carried are skipped, so running it twice carries nothing new. The
workspace is validated with every change before anything is written.`,
		Example: `  okr carry --from 2026-q3 --to 2026-q4 --dry-run
  okr carry --from 2026-q3 --to 2026-q4 --commit`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Dir = g.Dir
			if opts.From == "" || opts.To == "" {
				return usageError{errors.New("--from and --to are required")}
			}
			if runF != nil {
				return runF(opts)
			}
			return runCarry(opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "the `CYCLE` to carry unfinished work from")
	cmd.Flags().StringVar(&opts.To, "to", "", "the `CYCLE` to carry it into")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "list what would be carried; write nothing")
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
	items := carry.Plan(ed.ws(), from, to, ed.day)
	if len(items) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "okr: nothing to carry: every objective of %s is finished or already carried\n", from.ID)
		return nil
	}
	verb := "carried"
	if opts.DryRun {
		verb = "would carry"
	}
	var lines []string
	for _, it := range items {
		if !opts.DryRun {
			d, err := ed.doc(it.Objective.File)
			if err != nil {
				return err
			}
			old, created, err := carry.Apply(it, to.ID, d.Bytes())
			if err != nil {
				return editErr(err, it.Objective.File)
			}
			ed.put(it.Objective.File, old)
			ed.put(it.File, created)
		}
		lines = append(lines, fmt.Sprintf("%s %s -> %s (%s) in %s", verb, it.Objective.ID, it.NewID, plural(len(it.KeyResults), "key result"), it.File))
	}
	say := func() {
		for _, l := range lines {
			fmt.Fprintln(opts.IO.Out, l)
		}
	}
	if opts.DryRun {
		say()
		return nil
	}
	var author history.Author
	if opts.Commit {
		if author, err = ed.prepareCommit(); err != nil {
			return err
		}
	}
	rels, err := ed.commit()
	if err != nil {
		return err
	}
	say()
	if opts.Commit {
		msg := fmt.Sprintf("okr: carry %s from %s to %s", plural(len(items), "objective"), from.ID, to.ID)
		h, err := ed.gitCommit(rels, msg, author)
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "committed %s %s\n", h[:12], msg)
	}
	return nil
}
