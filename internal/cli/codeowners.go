package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/okrkit/okr/internal/codeowners"
)

// CodeownersOptions are the inputs of `okr codeowners`.
type CodeownersOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string
	Check  bool
	Write  bool
	Output string
}

// NewCmdCodeowners builds `okr codeowners`. runF replaces the action in
// tests.
func NewCmdCodeowners(env Env, g *globalOptions, runF func(*CodeownersOptions) error) *cobra.Command {
	opts := &CodeownersOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "codeowners",
		Short: "Generate CODEOWNERS rules from the owners of each objective",
		Long: `Generate CODEOWNERS rules so that a pull request changing an objective file
asks for review from its owners: the objective's owner and its key results'
owners, by their code-host handles in org.yaml (a person without a handle by
email, a team without one by its lead's). Paths are relative to the git
repository's root.

The rules sit between two marker lines; the rest of the file is left alone.
Without flags the block is printed. --write puts it into the CODEOWNERS file
GitHub uses (.github/CODEOWNERS, CODEOWNERS or docs/CODEOWNERS, the first
that exists; else a new .github/CODEOWNERS). --check compares that file's
block with what the objectives say now.
Exit codes: 0 up to date, 1 stale (--check), 2 usage or operational error.`,
		Example: `  okr codeowners
  okr codeowners --write
  okr codeowners --check`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			if opts.Check && opts.Write {
				return usageError{errors.New("--check and --write exclude each other")}
			}
			if runF != nil {
				return runF(opts)
			}
			return runCodeowners(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Check, "check", false, "exit 1 when the CODEOWNERS file (as checked out) is stale")
	cmd.Flags().BoolVar(&opts.Write, "write", false, "update the CODEOWNERS file in place")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write the block to `FILE` instead of standard output")
	return cmd
}

func runCodeowners(opts *CodeownersOptions) error {
	day, err := today(opts.Env)
	if err != nil {
		return err
	}
	ws, err := loadWorkspace(opts.Env, opts.Dir, day, "", false)
	if err != nil {
		return err
	}
	repo, prefix, inRepo := codeowners.Repository(ws.Root)
	block := codeowners.Block(ws, prefix)
	if !opts.Check && !opts.Write {
		if opts.Output != "" {
			return writeOutput(opts.Output, []byte(block))
		}
		_, err := io.WriteString(opts.IO.Out, block)
		return err
	}
	if !inRepo {
		return withHint(fmt.Errorf("%s is not in a git repository, so there is no CODEOWNERS file", ws.Root), "run 'git init', or print the rules with 'okr codeowners'")
	}
	rel := codeowners.Find(repo)
	if opts.Check {
		return checkCodeowners(opts, repo, rel, block)
	}
	return writeCodeowners(opts, ws.Root, repo, rel, block)
}

// checkCodeowners says whether the CODEOWNERS file rel (in repo; "" when
// there is none) holds block, and exits 1 when not.
func checkCodeowners(opts *CodeownersOptions, repo, rel, block string) error {
	if rel == "" {
		fmt.Fprintf(opts.IO.ErrOut, "okr: error: no CODEOWNERS file (looked for %s)\n", joinOr(codeowners.Locations))
		fmt.Fprintln(opts.IO.ErrOut, "okr: hint: create it with 'okr codeowners --write'")
		return errFindings
	}
	data, err := os.ReadFile(filepath.Join(repo, filepath.FromSlash(rel)))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return readErr(rel, err)
	}
	if why := codeowners.Stale(data, block); why != "" {
		fmt.Fprintf(opts.IO.ErrOut, "okr: error: %s is stale: %s\n", rel, why)
		fmt.Fprintln(opts.IO.ErrOut, "okr: hint: run 'okr codeowners --write' and commit the result")
		return errFindings
	}
	fmt.Fprintf(opts.IO.ErrOut, "okr: %s is up to date\n", rel)
	return nil
}

// writeCodeowners splices block into the CODEOWNERS file rel of repo (the
// first of codeowners.Locations when there is none), under the lock of
// the workspace at root.
func writeCodeowners(opts *CodeownersOptions, root, repo, rel, block string) error {
	if rel == "" {
		rel = codeowners.Locations[0]
		if err := os.MkdirAll(filepath.Join(repo, ".github"), 0o755); err != nil {
			return fmt.Errorf("create .github: %w", err)
		}
	}
	file := filepath.Join(repo, filepath.FromSlash(rel))
	// The workspace's lock; CODEOWNERS lives in the repository above it.
	tx, err := beginTx(opts.Env, root, repo)
	if err != nil {
		return err
	}
	defer tx.Close()
	data, err := tx.Read(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return readErr(rel, err)
	}
	updated := codeowners.Splice(data, block)
	if string(updated) == string(data) {
		fmt.Fprintf(opts.IO.ErrOut, "okr: %s is up to date\n", rel)
		return nil
	}
	if err := tx.Write(map[string][]byte{file: updated}); err != nil {
		return writeErr(err)
	}
	fmt.Fprintf(opts.IO.ErrOut, "okr: wrote %s\n", rel)
	return nil
}

func joinOr(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " or " + s[len(s)-1]
}
