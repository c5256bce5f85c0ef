package cli

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/okrkit/okr/internal/inert"
	"io"
	"os"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/sheet"
	"github.com/okrkit/okr/internal/validate"
	"github.com/okrkit/okr/schema"
	"github.com/spf13/cobra"
)

// NewCmdExport builds `okr export`, the parent of one subcommand per
// interchange format.
func NewCmdExport(env Env, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export FORMAT",
		Short: "Write the workspace's objectives in another format (csv)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Errorf("okr export has no format %q (want csv)", args[0])}
			}
			return usageError{errors.New("okr export needs a format: okr export csv")}
		},
		Example: `  okr export csv -o okrs.csv --checkins checkins.csv`,
	}
	cmd.AddCommand(NewCmdExportCSV(env, g, nil))
	return cmd
}

// NewCmdImport builds `okr import`, the parent of one subcommand per
// interchange format.
func NewCmdImport(env Env, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FORMAT",
		Short: "Create objective files from another format (csv)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Errorf("okr import has no format %q (want csv)", args[0])}
			}
			return usageError{errors.New("okr import needs a format: okr import csv FILE")}
		},
		Example: `  okr import csv okrs.csv --checkins checkins.csv --dry-run`,
	}
	cmd.AddCommand(NewCmdImportCSV(env, g, nil))
	return cmd
}

// ExportCSVOptions are the inputs of `okr export csv`.
type ExportCSVOptions struct {
	IO    IOStreams
	Env   Env
	Dir   string
	Cycle string
	// Output is -o: the key-result sheet's file ("" for standard output).
	Output string
	// Checkins is --checkins: the check-in sheet's file ("" for none).
	Checkins string
	// Initiatives is --initiatives: the initiative sheet's file ("" for
	// none).
	Initiatives string
}

// NewCmdExportCSV builds `okr export csv`. runF replaces the action in tests.
func NewCmdExportCSV(env Env, g *globalOptions, runF func(*ExportCSVOptions) error) *cobra.Command {
	opts := &ExportCSVOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "csv [--cycle ID] [-o FILE] [--checkins FILE] [--initiatives FILE]",
		Short: "Write objectives and key results as CSV, one row per key result",
		Long: `Write the workspace's objectives as a CSV sheet with one row per key result
and its objective's fields (an objective without key results gets one row),
with --checkins a second sheet with one row per check-in, and with
--initiatives a third with one row per initiative. All read back with 'okr
import csv'. docs/csv.md documents every column.

Fields left to their defaults are empty cells; lists are one cell (ids
separated by commas, text one item per line). Text cells a spreadsheet would
run as a formula are prefixed with a single quote, which import takes off.
Comments are not exported. The workspace must validate without errors.`,
		Example: `  okr export csv -o okrs.csv --checkins checkins.csv --initiatives initiatives.csv
  okr export csv --cycle 2026-q4 > q4.csv`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			if runF != nil {
				return runF(opts)
			}
			return runExportCSV(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Cycle, "cycle", "", "only the objectives of cycle `ID` (default: every cycle)")
	f.StringVarP(&opts.Output, "output", "o", "", "write the key-result sheet to `FILE` instead of standard output")
	f.StringVar(&opts.Checkins, "checkins", "", "also write the check-in sheet to `FILE`")
	f.StringVar(&opts.Initiatives, "initiatives", "", "also write the initiative sheet to `FILE`")
	return cmd
}

func runExportCSV(opts *ExportCSVOptions) error {
	day, err := today(opts.Env)
	if err != nil {
		return err
	}
	root, cwd, err := workspaceRoot(opts.Env, opts.Dir, nil)
	if err != nil {
		return err
	}
	res, err := validate.Run(root, validate.Options{Today: day})
	if err != nil {
		return err
	}
	if errs, _ := diag.Counts(res.Diagnostics); errs > 0 {
		return withHint(fmt.Errorf("the workspace has %s; an export of it could be incomplete", plural(errs, "error")), "run 'okr validate' to see them")
	}
	ws := res.Workspace
	if opts.Cycle != "" && ws.Cycle(opts.Cycle) == nil {
		return usageError{fmt.Errorf("--cycle %q is not a cycle in cycles.yaml", opts.Cycle)}
	}
	so := sheet.Options{Cycle: opts.Cycle}
	files := map[string][]byte{}
	var stdout []byte
	for i, s := range []struct {
		name   string
		export func(io.Writer, *model.Workspace, sheet.Options) error
	}{{opts.Output, sheet.Export}, {opts.Checkins, sheet.ExportCheckins}, {opts.Initiatives, sheet.ExportInitiatives}} {
		if s.name == "" && i > 0 {
			continue
		}
		var b bytes.Buffer
		if err := s.export(&b, ws, so); err != nil {
			return err
		}
		if s.name == "" {
			stdout = b.Bytes() // the key-result sheet without -o
			continue
		}
		p := absFrom(cwd, s.name)
		if _, dup := files[p]; dup {
			return usageError{fmt.Errorf("two sheets would go to %s", s.name)}
		}
		files[p] = b.Bytes()
	}
	if err := edit.WriteOutputs(files); err != nil {
		return err
	}
	// Standard output is made inert (a terminal); sheets written with -o
	// keep every character, so an import gives back what was exported.
	_, err = io.WriteString(opts.IO.Out, inert.String(string(stdout)))
	return err
}

// ImportCSVOptions are the inputs of `okr import csv`.
type ImportCSVOptions struct {
	IO  IOStreams
	Env Env
	Dir string
	// File is the key-result sheet.
	File string
	// Checkins is the check-in sheet, "" for none.
	Checkins string
	// Initiatives is the initiative sheet, "" for none.
	Initiatives string
	Update      bool
	DryRun      bool
}

// NewCmdImportCSV builds `okr import csv`. runF replaces the action in tests.
func NewCmdImportCSV(env Env, g *globalOptions, runF func(*ImportCSVOptions) error) *cobra.Command {
	opts := &ImportCSVOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "csv FILE [--checkins FILE] [--initiatives FILE] [--update] [--dry-run]",
		Short: "Create objective files from a CSV sheet, all or nothing",
		Long: `Create one objective file per objective of a CSV sheet (the columns of 'okr
export csv', docs/csv.md), with the check-ins of a second sheet given by
--checkins and the initiatives of a third given by --initiatives. The file
column says where each objective goes; empty, it goes to
objectives/CYCLE/ID.yaml.

Everything is checked before anything is written: every cell (ids, numbers,
dates, key-result types), then the whole workspace with the new files, as
okr validate would. Findings name the sheet's row and column
(FILE:ROW:COLUMN, the header is row 1). Any error refuses the import with
exit code 1 and writes nothing. Files are written atomically.

An objective whose id is already in the workspace is refused, unless
--update is given: then its file is rewritten from the sheets. What the
import has no data for is kept from the old file: its check-ins without
--checkins, its initiatives without --initiatives, and fields no sheet
carries; comments are not kept (review with git diff). Objectives not in
the sheet are left alone.
--dry-run checks and lists the files without writing them.`,
		Example: `  okr import csv okrs.csv --checkins checkins.csv
  okr import csv q4.csv --update --dry-run`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			if len(args) != 1 {
				return usageError{errors.New("okr import csv takes one FILE, the key-result sheet")}
			}
			opts.File = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runImportCSV(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Checkins, "checkins", "", "the check-in sheet `FILE`, one row per check-in")
	f.StringVar(&opts.Initiatives, "initiatives", "", "the initiative sheet `FILE`, one row per initiative")
	f.BoolVar(&opts.Update, "update", false, "replace the files of objectives the workspace already has")
	f.BoolVar(&opts.DryRun, "dry-run", false, "check everything and list the files, but write nothing")
	return cmd
}

func runImportCSV(opts *ImportCSVOptions) error {
	ed, err := beginEdit(opts.Env, opts.Dir)
	if err != nil {
		return err
	}
	defer ed.done()
	in, err := importInput(opts, ed)
	if err != nil {
		return err
	}
	im, err := sheet.Import(in)
	if err != nil {
		return err
	}
	if len(im.Problems) > 0 {
		if err := writeText(opts.IO.ErrOut, im.Problems); err != nil {
			return err
		}
		return refuse("fix the sheet and run again", "refused: %s in the sheet; nothing was written", plural(len(im.Problems), "error"))
	}
	for rel, data := range im.Files {
		ed.put(rel, data)
	}
	if err := ed.check("the import", "fix the sheet and run again", im.Locate); err != nil {
		return err
	}
	if !opts.DryRun {
		if _, err := ed.write(); err != nil {
			return err
		}
	}
	printImport(opts, im)
	return nil
}

// importInput reads the sheets the flags name (relative to the current
// folder) and gives the importer the workspace's files through the edit.
func importInput(opts *ImportCSVOptions, ed *workspaceEdit) (sheet.ImportOptions, error) {
	cwd, err := opts.Env.Getwd()
	if err != nil {
		return sheet.ImportOptions{}, fmt.Errorf("find current folder: %w", err)
	}
	read := func(name string) (*sheet.File, error) {
		data, err := os.ReadFile(absFrom(cwd, name))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, errors.Unwrap(err))
		}
		return &sheet.File{Name: name, Data: data}, nil
	}
	in := sheet.ImportOptions{Workspace: ed.ws(), Update: opts.Update,
		Exists: func(rel string) bool { _, err := os.Lstat(ed.abs(rel)); return err == nil },
		Read: func(rel string) ([]byte, error) {
			data, err := ed.read(rel)
			if err != nil {
				return nil, readErr(rel, err)
			}
			return data, nil
		}}
	krs, err := read(opts.File)
	if err != nil {
		return in, err
	}
	in.KeyResults = *krs
	for _, s := range []struct {
		name string
		to   **sheet.File
	}{{opts.Checkins, &in.Checkins}, {opts.Initiatives, &in.Initiatives}} {
		if s.name == "" {
			continue
		}
		if *s.to, err = read(s.name); err != nil {
			return in, err
		}
	}
	if _, err := os.Stat(ed.abs(schema.LocalPath("objective"))); err == nil {
		in.SchemaPath = schema.LocalPath("objective")
	}
	return in, nil
}

// printImport lists the objective files the import wrote (or would
// write, with --dry-run) and sums them up.
func printImport(opts *ImportCSVOptions, im *sheet.Imported) {
	krs, checkins, initiatives := 0, 0, 0
	for _, p := range im.Objectives {
		verb := "created"
		if p.Replaces {
			verb = "replaced"
		}
		if opts.DryRun {
			verb = "would have " + verb
		}
		fmt.Fprintf(opts.IO.Out, "%s %s (objective %s, %s)\n", verb, p.File, p.ID, counts(opts, p.KeyResults, p.Checkins, p.Initiatives))
		krs += p.KeyResults
		checkins += p.Checkins
		initiatives += p.Initiatives
	}
	summary := fmt.Sprintf("imported %s, %s", plural(len(im.Objectives), "objective"), counts(opts, krs, checkins, initiatives))
	if opts.DryRun {
		summary = "dry run: " + summary + "; nothing was written"
	}
	fmt.Fprintln(opts.IO.Out, summary)
}

// counts says how many key results, check-ins and initiatives came from
// the sheets given.
func counts(opts *ImportCSVOptions, krs, checkins, initiatives int) string {
	out := plural(krs, "key result")
	if opts.Checkins != "" {
		out += ", " + plural(checkins, "check-in")
	}
	if opts.Initiatives != "" {
		out += ", " + plural(initiatives, "initiative")
	}
	return out
}
