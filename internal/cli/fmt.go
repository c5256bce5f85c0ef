package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/load"
)

// FmtOptions are the inputs of `okr fmt`.
type FmtOptions struct {
	IO    IOStreams
	Env   Env
	Dir   string
	Paths []string
	Check bool
}

// NewCmdFmt builds `okr fmt`. runF replaces the action in tests.
func NewCmdFmt(env Env, g *globalOptions, runF func(*FmtOptions) error) *cobra.Command {
	opts := &FmtOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "fmt [--check] [PATH...]",
		Short: "Lay out workspace files canonically, keeping every comment",
		Long: `Rewrite workspace files in okr's canonical layout: two-space indentation at
every level, lists indented under their key, one space after "key:" and "-",
no trailing whitespace, no runs of blank lines, one final newline. Only the
layout changes: comments, quoting, key order and flow lists like [a, b]
stay as written, and every file is checked to hold the same data and the
same comments afterwards. Running it twice changes nothing the second time.

Without PATHs it formats okr.yaml, org.yaml, cycles.yaml and every file
under objectives/; a PATH may be a file or a folder. Files are written
atomically and only when they change; their names are printed.

--check writes nothing: it lists the files that are not formatted and exits
1 if there are any (for CI and pre-commit hooks). A file that does not
parse is reported and the exit code is 2.`,
		Example: `  okr fmt
  okr fmt --check
  okr fmt objectives/platform/reliability.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir, opts.Paths = g.Dir, args
			if runF != nil {
				return runF(opts)
			}
			return runFmt(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Check, "check", false, "list files that need formatting and exit 1 if any; write nothing")
	return cmd
}

func runFmt(opts *FmtOptions) error {
	root, cwd, err := workspaceRoot(opts.Env, opts.Dir, opts.Paths)
	if err != nil {
		return err
	}
	files, err := fmtTargets(root, cwd, opts.Paths)
	if err != nil {
		return err
	}
	display := func(p string) string {
		if r, err := filepath.Rel(cwd, p); err == nil {
			return filepath.ToSlash(r)
		}
		return p
	}
	read := os.ReadFile
	var tx *edit.Tx
	if !opts.Check {
		if tx, err = beginTx(opts.Env, root, ""); err != nil {
			return err
		}
		defer tx.Close()
		read = tx.Read
	}
	changed, names, failed, err := formatFiles(files, read, display, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	sort.Strings(names)
	if !opts.Check && len(changed) > 0 {
		if err := tx.Write(changed); err != nil {
			return writeErr(err)
		}
	}
	for _, n := range names {
		fmt.Fprintln(opts.IO.Out, n)
	}
	switch {
	case failed > 0:
		return withHint(fmt.Errorf("%s could not be formatted", plural(failed, "file")), "'okr validate' shows what is wrong with a file that does not parse")
	case opts.Check && len(names) > 0:
		fmt.Fprintf(opts.IO.ErrOut, "okr: %s not formatted; run 'okr fmt' to fix\n", plural(len(names), "file"))
		return errFindings
	}
	return nil
}

// formatFiles formats files (read through read), and returns the new
// content of those that change, their display names, and how many could
// not be formatted (each said on errOut: the loader's findings for a file
// that does not parse).
func formatFiles(files []string, read func(string) ([]byte, error), display func(string) string, errOut io.Writer) (changed map[string][]byte, names []string, failed int, err error) {
	changed = map[string][]byte{}
	for _, p := range files {
		src, err := read(p)
		if err != nil {
			return nil, nil, 0, readErr(display(p), err)
		}
		out, err := edit.Format(display(p), src)
		if err != nil {
			if _, ds := load.Parse(display(p), load.KindObjective, src); len(ds) > 0 && !errors.Is(err, edit.ErrUnsafeFormat) {
				for _, d := range ds {
					fmt.Fprintln(errOut, d)
				}
			} else {
				fmt.Fprintf(errOut, "okr: error: %s\n", err)
			}
			failed++
			continue
		}
		if !bytes.Equal(out, src) {
			changed[p] = out
			names = append(names, display(p))
		}
	}
	return changed, names, failed, nil
}

// fmtTargets lists the workspace YAML files to format: all of them, or
// those under paths.
func fmtTargets(root, cwd string, paths []string) ([]string, error) {
	raw, err := load.ReadFiles(root, 0)
	if err != nil {
		return nil, err
	}
	var all []string
	for _, f := range raw {
		if f.Refused == nil {
			all = append(all, filepath.Join(root, filepath.FromSlash(f.Path)))
		}
	}
	if len(paths) == 0 {
		return all, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range paths {
		abs := absFrom(cwd, p)
		n := 0
		for _, f := range all {
			if f == abs || strings.HasPrefix(f, abs+string(filepath.Separator)) {
				if !seen[f] {
					out = append(out, f)
					seen[f] = true
				}
				n++
			}
		}
		if n == 0 {
			return nil, usageError{errors.New("no workspace file at " + p + " (okr fmt formats okr.yaml, org.yaml, cycles.yaml and objectives/)")}
		}
	}
	sort.Strings(out)
	return out, nil
}
