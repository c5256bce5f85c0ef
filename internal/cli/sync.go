package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/metricsync"
	"github.com/okrkit/okr/internal/model"
	"github.com/spf13/cobra"
)

// SyncOptions are the inputs of `okr sync`.
type SyncOptions struct {
	IO            IOStreams
	Env           Env
	Dir           string
	KRs           []string
	DryRun        bool
	Commit        bool
	Date          string
	Format        string
	AllowCommands bool
}

// NewCmdSync builds `okr sync`.
func NewCmdSync(env Env, g *globalOptions, runF func(*SyncOptions) error) *cobra.Command {
	opts := &SyncOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "sync [KR-ID...] [--dry-run] [--commit] [--date DATE] [--format text|json|markdown]",
		Short: "Read key results' sources and record a check-in for each value that changed",
		Long: `Read the source: of every key result that has one (or of the KR-IDs given),
in parallel, and record a check-in for each key result whose value differs
from its last check-in: the value, the date (today, or --date), the author
from okr.yaml's sync.author and a note naming the source. The check-ins are
spliced in like okr checkin's, validated, and written atomically under the
workspace lock. A second run with the same values writes nothing.

A failing source is reported with its key result and reason; the others are
still written, and okr sync exits 1. --format markdown writes the body of a
pull request. Command sources run only when okr.yaml sets
sync.allow_commands: true and --allow-commands is given (docs/sources.md).`,
		Example: `  okr sync --dry-run
  okr sync --commit --format markdown > pr-body.md
  okr sync deals-closed --date 2026-11-20`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir, opts.KRs = g.Dir, args
			switch opts.Format {
			case "text", "json", "markdown":
			default:
				return usageError{fmt.Errorf("--format %q: want text, json or markdown", opts.Format)}
			}
			if opts.DryRun && opts.Commit {
				return usageError{errors.New("--dry-run and --commit do not go together")}
			}
			if runF != nil {
				return runF(opts)
			}
			return runSync(opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.DryRun, "dry-run", false, "show what would change; write nothing")
	f.BoolVar(&opts.Commit, "commit", false, "commit the changed files with your git identity")
	f.StringVar(&opts.Date, "date", "", "the check-ins' date, YYYY-MM-DD (default today)")
	f.StringVar(&opts.Format, "format", "text", "output: text, json or markdown (a pull request body)")
	f.BoolVar(&opts.AllowCommands, "allow-commands", false, "run command sources (okr.yaml must also set sync.allow_commands: true)")
	return cmd
}

func runSync(opts *SyncOptions) error {
	ed, err := beginEdit(opts.Env, opts.Dir)
	if err != nil {
		return err
	}
	defer ed.done()
	day := ed.day
	if opts.Date != "" {
		if day, err = model.ParseDate(opts.Date); err != nil {
			return usageError{fmt.Errorf("--date %q is not a date (want YYYY-MM-DD)", opts.Date)}
		}
	}
	items, err := planSync(opts, ed)
	if err != nil {
		return err
	}
	changed := metricsync.Count(items, metricsync.Changed)
	var writeErr error // the report's, returned once the check-ins are saved
	report := func() { writeErr = writeSync(opts, items, day) }
	if opts.DryRun || changed == 0 {
		report()
	} else if err := addSynced(ed, items, day); err != nil {
		return err
	} else {
		msg := fmt.Sprintf("okr sync: %d check-ins", changed)
		if changed == 1 {
			msg = "okr sync: 1 check-in"
		}
		if err := ed.save(opts.IO.ErrOut, opts.Commit, msg, report); err != nil {
			return err
		}
	}
	if writeErr != nil {
		return writeErr
	}
	for _, it := range items {
		if it.Status == metricsync.Failed {
			fmt.Fprintf(opts.IO.ErrOut, "okr: error: %s: %s\n", it.KR, strings.TrimSpace(it.Error))
		}
	}
	if metricsync.Count(items, metricsync.Failed) > 0 {
		return errFindings
	}
	return nil
}

// planSync reads every sourced key result of the edit's workspace (or
// those --kr names) and says which changed.
func planSync(opts *SyncOptions, ed *workspaceEdit) ([]metricsync.Item, error) {
	ctx := opts.Env.Context
	if ctx == nil {
		ctx = context.Background()
	}
	ws := ed.ws()
	items, err := metricsync.Plan(ctx, ws, metricsync.Options{
		Root: ed.root, KRs: opts.KRs, AllowCommands: opts.AllowCommands && ws.Settings.SyncAllowCommands,
		Getenv: func(k string) (string, bool) { v := opts.Env.Getenv(k); return v, v != "" },
	})
	var u *metricsync.UnknownKRError
	if errors.As(err, &u) {
		return nil, usageError{err}
	}
	return items, err
}

// writeSync writes the sync's report in --format.
func writeSync(opts *SyncOptions, items []metricsync.Item, day model.Date) error {
	switch opts.Format {
	case "json":
		return metricsync.WriteJSON(opts.IO.Out, items, opts.DryRun)
	case "markdown":
		return metricsync.WriteMarkdown(opts.IO.Out, items, day)
	}
	return metricsync.WriteText(opts.IO.Out, items, opts.DryRun)
}

// addSynced adds a check-in dated day, by okr.yaml's sync author, to
// every key result whose source value changed.
func addSynced(ed *workspaceEdit, items []metricsync.Item, day model.Date) error {
	ws := ed.ws()
	for _, it := range items {
		if it.Status != metricsync.Changed {
			continue
		}
		kr, obj := edit.FindKeyResult(ws, it.KR)
		d, err := ed.doc(obj.File())
		if err != nil {
			return err
		}
		c := edit.Checkin{Date: day, Value: *it.Value, Author: ws.Settings.SyncAuthor, Note: it.Note()}
		if kr.Type == model.Milestone && len(kr.Steps) == 0 {
			c.IsBool = true
		}
		if err := d.AddCheckin(kr.ID, c); err != nil {
			return editErr(err, obj.File())
		}
		ed.put(obj.File(), d.Bytes())
	}
	return nil
}
