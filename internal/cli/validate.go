package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
	"github.com/spf13/cobra"
)

// ValidateOptions are the inputs of `okr validate`.
type ValidateOptions struct {
	IO     IOStreams
	Env    Env
	Dir    string
	Paths  []string
	Strict bool
	Report reportFlags
}

// NewCmdValidate builds `okr validate [PATH...]`. runF replaces the action in
// tests.
func NewCmdValidate(env Env, g *globalOptions, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check the workspace against the schemas and the semantic rules",
		Long: `Check every file of the workspace against its JSON Schema and the semantic
rules (unique ids, references, alignment loops, weights, dates, key result
types). With PATHs, report only findings in those files or folders; the whole
workspace is still loaded, so references resolve.

The workspace is the nearest folder holding okr.yaml, searched from -C DIR,
else from the first PATH, else from the current folder.

Formats: text (compiler style, the default), json, github (workflow commands,
the default when GITHUB_ACTIONS=true), sarif (2.1.0), junit and codeclimate
(GitLab's code-quality report).
Exit codes: 0 clean, 1 errors (or warnings with --strict), 2 usage or
operational error, 3 internal error (a bug: okr prints where it wrote the
stack; please report it). Every rule is documented in docs/rules.md.

A large workspace is checked within a soft memory limit of about 1.7
times its files' bytes (docs/performance.md); GOMEMLIMIT, when set, is
used instead (GOMEMLIMIT=off for none).`,
		Example: `  okr validate
  okr validate -C examples
  okr validate --format sarif --output okr.sarif
  okr validate objectives/platform/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir, opts.Paths = g.Dir, args
			if runF != nil {
				return runF(opts)
			}
			return runValidate(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail on warnings too")
	opts.Report.add(cmd, strings.Join(diag.Formats(), ", ")+" (default text, or github on GitHub Actions)")
	return cmd
}

// today returns the run's date: OKR_TODAY when set (for reproducible runs),
// else the clock's local date.
func today(env Env) (model.Date, error) {
	if s := env.Getenv("OKR_TODAY"); s != "" {
		d, err := model.ParseDate(s)
		if err != nil {
			return model.Date{}, usageError{fmt.Errorf("OKR_TODAY=%q is not a date (want YYYY-MM-DD)", s)}
		}
		return d, nil
	}
	return model.DateOf(env.Now()), nil
}

// workspaceRoot resolves the workspace root from -C, the first path, or the
// current folder.
func workspaceRoot(env Env, dir string, paths []string) (root, cwd string, err error) {
	cwd, err = env.Getwd()
	if err != nil {
		return "", "", fmt.Errorf("find current folder: %w", err)
	}
	start := cwd
	switch {
	case dir != "":
		start = absFrom(cwd, dir)
	}
	// Every PATH must exist; the first one also locates the workspace
	// when -C is not given.
	for i, p := range paths {
		abs := absFrom(cwd, p)
		fi, err := os.Stat(abs)
		if err != nil {
			return "", "", usageError{fmt.Errorf("path %s: %w", p, errors.Unwrap(err))}
		}
		if i == 0 && dir == "" {
			start = abs
			if !fi.IsDir() {
				start = filepath.Dir(abs)
			}
		}
	}
	root, err = load.FindRoot(start)
	if errors.Is(err, load.ErrNoWorkspace) && start != cwd && dir == "" {
		// A PATH above every workspace: use the current folder's, so the
		// error says the path is outside it.
		root, err = load.FindRoot(cwd)
	}
	if errors.Is(err, load.ErrNoWorkspace) {
		return "", "", withHint(err, "create okr.yaml with 'version: 1' at the workspace root, or point at it with -C DIR")
	}
	return root, cwd, err
}

func absFrom(cwd, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(cwd, p)
}

func runValidate(opts *ValidateOptions) error {
	return runFindings(findingsRun{IO: opts.IO, Env: opts.Env, Dir: opts.Dir, Paths: opts.Paths,
		Strict: opts.Strict, Report: &opts.Report, Tool: "okr validate", noCheckinText: true, limitMemory: true,
		findings: func(res *validate.Result, _ model.Date) []diag.Diagnostic { return res.Diagnostics }})
}

// findingsRun is what okr validate and okr lint share: one validation run
// of the workspace, its findings narrowed to the PATHs, a report in the
// chosen format and the exit code.
type findingsRun struct {
	IO     IOStreams
	Env    Env
	Dir    string
	Paths  []string
	Strict bool
	Report *reportFlags
	// Tool names the command in reports; Rules and RulesURL are the rules
	// the findings come from (nil and "": validate's).
	Tool     string
	Rules    []diag.Rule
	RulesURL string
	// findings returns the diagnostics to report, from the validation
	// result and today's date.
	findings func(res *validate.Result, day model.Date) []diag.Diagnostic
	// unscoped, when set, picks findings reported whatever PATHs say
	// (settings that change the whole run).
	unscoped func(diag.Diagnostic) bool
	// noCheckinText loads no check-in notes or answers but those the
	// rules report (validate.Options.NoCheckinText): for findings that
	// read none of them.
	noCheckinText bool
	// limitMemory sets a soft memory limit from the workspace's bytes
	// for the run (limitMemory).
	limitMemory bool
}

func runFindings(run findingsRun) error {
	format := run.Report.Format
	if format == "" {
		format = "text"
		if run.Env.Getenv("GITHUB_ACTIONS") == "true" {
			format = "github"
		}
	}
	w, err := diag.NewWriter(format)
	if err != nil {
		return usageError{err}
	}
	day, err := today(run.Env)
	if err != nil {
		return err
	}
	root, cwd, err := workspaceRoot(run.Env, run.Dir, run.Paths)
	if err != nil {
		return err
	}
	scope, err := pathScope(root, cwd, run.Paths)
	if err != nil {
		return err
	}
	vo := validate.Options{Today: day, NoCheckinText: run.noCheckinText}
	if run.limitMemory {
		var restore func()
		vo.Sized, restore = limitMemory(run.Env)
		defer restore()
	}
	res, err := validate.Run(root, vo)
	if err != nil {
		return err
	}
	ds := run.scoped(run.findings(res, day), scope)
	files := filterFiles(res.Files, scope)
	// Show paths relative to the current folder, as compilers do, so editors
	// and CI annotations can open them.
	display := fromCwd(root, cwd)
	for i := range ds {
		ds[i].File = display(ds[i].File)
	}
	for i := range files {
		files[i] = display(files[i])
	}
	rep := diag.Report{Tool: run.Tool, Version: Version, Files: files, Diagnostics: ds, Rules: run.Rules, RulesURL: run.RulesURL}
	if err := run.Report.emit(run.IO.Out, func(out io.Writer) error { return w.Write(out, rep) }); err != nil {
		return err
	}
	errs, warns := diag.Counts(ds)
	if format == "text" {
		summarize(run.IO.ErrOut, errs, warns, len(files))
	}
	if errs > 0 || (run.Strict && warns > 0) {
		return errFindings
	}
	return nil
}

// scoped keeps the findings in the files of scope (all when it is empty),
// and those the run reports whatever the scope (unscoped), sorted.
func (run findingsRun) scoped(all []diag.Diagnostic, scope []string) []diag.Diagnostic {
	ds := validate.Filter(all, scope)
	if run.unscoped != nil && len(scope) > 0 {
		for _, d := range all {
			if run.unscoped(d) && !slices.Contains(ds, d) {
				ds = append(ds, d)
			}
		}
		diag.Sort(ds)
	}
	return ds
}

// pathScope turns the paths given on the command line into workspace
// paths (slash-separated, relative to root), refusing one outside it.
func pathScope(root, cwd string, paths []string) ([]string, error) {
	var scope []string
	for _, p := range paths {
		rel, err := filepath.Rel(root, absFrom(cwd, p))
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, usageError{fmt.Errorf("path %s is outside the workspace %s", p, root)}
		}
		scope = append(scope, filepath.ToSlash(rel))
	}
	return scope, nil
}

// fromCwd returns a function that shows a workspace path (relative to
// root) relative to the current folder.
func fromCwd(root, cwd string) func(rel string) string {
	return func(rel string) string {
		p, err := filepath.Rel(cwd, filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return rel
		}
		return filepath.ToSlash(p)
	}
}

func filterFiles(files, scope []string) []string {
	if len(scope) == 0 {
		return append([]string(nil), files...)
	}
	var out []string
	for _, f := range files {
		for _, p := range scope {
			if p == "." || f == p || strings.HasPrefix(f, p+"/") {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func summarize(w io.Writer, errs, warns, files int) {
	if errs == 0 && warns == 0 {
		fmt.Fprintf(w, "okr: %s ok\n", plural(files, "file"))
		return
	}
	fmt.Fprintf(w, "okr: %s, %s in %s\n", plural(errs, "error"), plural(warns, "warning"), plural(files, "file"))
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
