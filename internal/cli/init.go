package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/okrkit/okr/internal/history"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/scaffold"
	"github.com/okrkit/okr/internal/validate"
)

// InitOptions are the inputs of `okr init`.
type InitOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string // -C
	Target string // DIR
	Name   string
	CI     string
	Sync   bool
}

// NewCmdInit builds `okr init`. runF replaces the action in tests.
func NewCmdInit(env Env, g *globalOptions, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a new workspace: settings, org, the current quarter, an example objective, CI",
		Long: `Create a workspace in DIR (default: the current folder): okr.yaml with
commented settings, org.yaml with you (from your git identity) and one team,
cycles.yaml with the current quarter, objectives/example.yaml, the JSON
Schemas under .okr/schema with a "# yaml-language-server: $schema=" line in
every file (completion and checking in editors, offline), and a CI
workflow for the repository's host: .github/workflows/okr.yml (GitHub, the
default) or .gitlab-ci.yml (when the origin remote is on GitLab), at the
root of the git repository holding DIR. --ci picks the host, or none.
--sync adds the scheduled okr sync job (docs/ci.md): on GitHub its own
workflow, .github/workflows/okr-sync.yml; on GitLab a job in the pipeline.

init never overwrites: it refuses when a workspace file exists, and leaves
an existing CI file alone (saying so).`,
		Example: `  okr init
  okr init goals --name "Lumen Analytics"
  okr init --ci gitlab
  okr init --sync`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError{fmt.Errorf("okr init takes at most one DIR, got %d", len(args))}
			}
			opts.Dir = g.Dir
			if len(args) == 1 {
				opts.Target = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return runInit(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "the organisation's display name")
	cmd.Flags().StringVar(&opts.CI, "ci", "auto", "CI file to write: `HOST` github, gitlab, none, or auto (from the origin remote)")
	cmd.Flags().BoolVar(&opts.Sync, "sync", false, "also write the scheduled okr sync job (docs/ci.md)")
	return cmd
}

func runInit(opts *InitOptions) error {
	switch opts.CI {
	case "auto", "github", "gitlab", "none":
	default:
		return usageError{fmt.Errorf("--ci %q is not one of github, gitlab, none, auto", opts.CI)}
	}
	if opts.Sync && opts.CI == "none" {
		return usageError{errors.New("--sync writes a CI job, and --ci none writes none")}
	}
	day, err := today(opts.Env)
	if err != nil {
		return err
	}
	t, err := initTarget(opts)
	if err != nil {
		return err
	}
	files, err := t.files(opts, day)
	if err != nil {
		return err
	}
	if err := t.write(opts, files); err != nil {
		return err
	}
	res, err := validate.Run(t.dir, validate.Options{Today: day})
	if err != nil {
		return err
	}
	if len(res.Diagnostics) > 0 {
		return fmt.Errorf("the new workspace does not validate (a bug in okr, please report it): %s", res.Diagnostics[0])
	}
	fmt.Fprintf(opts.IO.ErrOut, "okr: workspace ready in %s; next: edit org.yaml and objectives/example.yaml, then run 'okr validate'\n", displayPath(t.cwd, t.dir))
	return nil
}

// initFolder is where okr init writes: the new workspace's folder (dir,
// created, links resolved), the repository holding it (repoRoot; dir
// itself outside one) and its origin remote, and the current folder.
type initFolder struct {
	cwd, dir, repoRoot, remote string
}

func initTarget(opts *InitOptions) (*initFolder, error) {
	cwd, err := opts.Env.Getwd()
	if err != nil {
		return nil, fmt.Errorf("find current folder: %w", err)
	}
	base := cwd
	if opts.Dir != "" {
		base = absFrom(cwd, opts.Dir)
	}
	dir := base
	if opts.Target != "" {
		dir = absFrom(base, opts.Target)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	repoRoot, remote, err := history.Remote(dir)
	switch {
	case errors.Is(err, history.ErrNotRepository):
		repoRoot = dir
	case err != nil:
		return nil, histErr(err)
	}
	return &initFolder{cwd: cwd, dir: dir, repoRoot: repoRoot, remote: remote}, nil
}

// files are the new workspace's files: its settings, org (with the user,
// by git identity), this quarter, an example and the CI job of the host
// (--ci, or the remote's host with auto).
func (t *initFolder) files(opts *InitOptions, day model.Date) ([]scaffold.File, error) {
	host := scaffold.Host(opts.CI)
	if opts.CI == "auto" {
		host = scaffold.HostOf(t.remote)
	}
	rel, err := filepath.Rel(t.repoRoot, t.dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = "."
	}
	name, email := opts.Env.Getenv("GIT_AUTHOR_NAME"), opts.Env.Getenv("GIT_AUTHOR_EMAIL")
	if name == "" || email == "" {
		n, e := history.Identity(t.dir) // as git resolves it there: repository, global, environment
		name, email = firstNonEmpty(name, n), firstNonEmpty(email, e)
	}
	files, err := scaffold.Files(scaffold.Options{Name: opts.Name, Today: day.Time(), PersonID: slug(name),
		PersonName: name, Email: email, Host: host, Workspace: filepath.ToSlash(rel), Sync: opts.Sync})
	if errors.Is(err, scaffold.ErrCIPath) {
		return nil, withHint(err, "rename the folder, or run 'okr init --ci none' and write the CI file by hand (docs/ci.md)")
	}
	return files, err
}

// write writes files under the new workspace's lock, refusing when one of
// the workspace's exists (a CI file at the repository root that exists is
// left alone, and said so), and lists what it created.
func (t *initFolder) write(opts *InitOptions, files []scaffold.File) error {
	// The new workspace's lock; the CI file may go to the repository root.
	within := t.dir
	if real, err := filepath.EvalSymlinks(t.repoRoot); err == nil {
		if r, err := filepath.Rel(real, t.dir); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			within = real
		}
	}
	tx, err := beginTx(opts.Env, t.dir, within)
	if err != nil {
		return err
	}
	defer tx.Close()
	out := map[string][]byte{}
	var exists, kept, written []string
	for _, f := range files {
		at := t.dir
		if f.InRepoRoot {
			at = t.repoRoot
		}
		p := filepath.Join(at, filepath.FromSlash(f.Path))
		if _, err := os.Lstat(p); err == nil {
			if f.InRepoRoot {
				kept = append(kept, f.Path)
				continue
			}
			exists = append(exists, f.Path)
			continue
		}
		out[p] = f.Data
		written = append(written, displayPath(t.cwd, p))
	}
	if len(exists) > 0 {
		return refuse("okr init creates a new workspace; edit the existing files, or init another folder",
			"%s already exist%s in %s; nothing was written", strings.Join(exists, ", "), map[bool]string{true: "s", false: ""}[len(exists) == 1], t.dir)
	}
	if err := tx.Write(out); err != nil {
		return writeErr(err)
	}
	for _, w := range written {
		fmt.Fprintf(opts.IO.Out, "created %s\n", w)
	}
	for _, k := range kept {
		fmt.Fprintf(opts.IO.ErrOut, "okr: %s exists and was left alone; docs/ci.md shows the job to add to it\n", k)
	}
	return nil
}

func displayPath(cwd, p string) string {
	if r, err := filepath.Rel(cwd, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return p
}
