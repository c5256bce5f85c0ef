package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/history"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
)

// refusedError is a change okr will not make: printed like an error, but
// exit code 1, since the input was read and judged, and nothing was
// written.
type refusedError struct {
	err  error
	hint string
}

func (e refusedError) Error() string { return e.err.Error() }
func (e refusedError) Unwrap() error { return e.err }

func refuse(hint, format string, args ...any) error {
	return refusedError{err: fmt.Errorf(format, args...), hint: hint}
}

// workspaceEdit is a set of file changes to one workspace, checked as a
// whole before any file is written. It holds the workspace lock from
// beginEdit to done (or the end of the process), so two editing commands
// never interleave; files are read and written through its edit.Tx.
type workspaceEdit struct {
	env   Env
	root  string
	day   model.Date
	base  *validate.Result
	tx    *edit.Tx
	files map[string][]byte // slash path relative to root -> new bytes
	// what and hint name the change and what to do in a refusal ("" for
	// the default: "the change").
	what, hint string
}

// beginEdit locks, loads and validates the workspace an editing command
// changes. The caller defers done.
func beginEdit(env Env, dir string) (*workspaceEdit, error) {
	day, err := today(env)
	if err != nil {
		return nil, err
	}
	root, _, err := workspaceRoot(env, dir, nil)
	if err != nil {
		return nil, err
	}
	tx, err := beginTx(env, root, "")
	if err != nil {
		return nil, err
	}
	base, err := validate.Run(root, validate.Options{Today: day})
	if err != nil {
		tx.Close()
		return nil, err
	}
	return &workspaceEdit{env: env, root: root, day: day, base: base, tx: tx, files: map[string][]byte{}}, nil
}

// beginTx takes the lock of the workspace at root (saying so when it has
// to wait for another okr) and starts a transaction that may write within
// that folder ("" for root).
func beginTx(env Env, root, within string) (*edit.Tx, error) {
	return edit.Begin(root, edit.TxOptions{Within: within, OnWait: func() {
		fmt.Fprintf(env.IO.ErrOut, "okr: waiting for another okr command writing in %s\n", root)
	}})
}

// done releases the workspace lock; the end of the process releases it too.
func (e *workspaceEdit) done() { e.tx.Close() }

// read returns the bytes of rel as they are on disk and records them: the
// write refuses to replace a file that changed since.
func (e *workspaceEdit) read(rel string) ([]byte, error) { return e.tx.Read(rel) }

// ws is the workspace as loaded before the edit.
func (e *workspaceEdit) ws() *model.Workspace { return e.base.Workspace }

// abs turns a workspace-relative slash path into a file path.
func (e *workspaceEdit) abs(rel string) string {
	return filepath.Join(e.root, filepath.FromSlash(rel))
}

// doc returns the editable document for rel, with the edits made so far.
func (e *workspaceEdit) doc(rel string) (*edit.Doc, error) {
	data, ok := e.files[rel]
	if !ok {
		var err error
		data, err = e.read(rel)
		if err != nil {
			return nil, readErr(rel, err)
		}
	}
	d, err := edit.Parse(rel, data)
	if err != nil {
		return nil, editErr(err, rel)
	}
	return d, nil
}

// put records the new bytes of rel.
func (e *workspaceEdit) put(rel string, data []byte) { e.files[rel] = data }

// editErr turns an edit that met a layout it cannot change into a
// refusal (exit 1, nothing written), with a hint that says what to do:
// okr fmt does not change such layouts, so a person has to.
func editErr(err error, rel string) error {
	if errors.Is(err, edit.ErrLineBreak) {
		return refusedError{err: fmt.Errorf("%w; nothing was written", err),
			hint: fmt.Sprintf("replace it in %s with a plain line break or a space, then run again", rel)}
	}
	if errors.Is(err, edit.ErrUnsupported) {
		return refusedError{err: fmt.Errorf("%w; nothing was written", err),
			hint: fmt.Sprintf("rewrite that part of %s in block style (one key per line, no anchors or tags, comments outside {...} and [...]), then run again", rel)}
	}
	return err
}

// commit validates the workspace with the edits applied and writes them
// atomically, or refuses (writing nothing) when they would add errors.
// It returns the written files, workspace-relative and sorted.
func (e *workspaceEdit) commit() ([]string, error) {
	what, hint := "the change", "the lines above are where the change would have been; fix the input and run again"
	if e.what != "" {
		what, hint = e.what, e.hint
	}
	if err := e.check(what, hint, nil); err != nil {
		return nil, err
	}
	return e.write()
}

// save validates and writes the edits (commit), then says what was done
// (say), then with --commit commits the written files with msg, as the
// identity prepareCommit checked before anything was written.
func (e *workspaceEdit) save(out io.Writer, commit bool, msg string, say func()) error {
	var author history.Author
	if commit {
		var err error
		if author, err = e.prepareCommit(); err != nil {
			return err
		}
	}
	rels, err := e.commit()
	if err != nil {
		return err
	}
	say()
	if !commit {
		return nil
	}
	h, err := e.gitCommit(rels, msg, author)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "committed %s %s\n", h[:12], msg)
	return err
}

// check validates the workspace with the edits applied and refuses when
// they would add errors, printing those (mapped by locate when it is set,
// to where the input that caused them is) and naming the change as what
// in the refusal, with hint.
func (e *workspaceEdit) check(what, hint string, locate func(diag.Diagnostic) diag.Diagnostic) error {
	after, err := validate.Run(e.root, validate.Options{Today: e.day, Overlay: e.files})
	if err != nil {
		return err
	}
	bad := validate.Introduced(e.base.Diagnostics, after.Diagnostics)
	if len(bad) == 0 {
		return nil
	}
	if locate != nil {
		for i := range bad {
			bad[i] = locate(bad[i])
		}
	}
	diag.Sort(bad)
	if err := writeText(e.env.IO.ErrOut, bad); err != nil {
		return err
	}
	return refuse(hint, "refused: %s would make the workspace invalid (%s); nothing was written", what, plural(len(bad), "error"))
}

// write writes the edits atomically and returns the written files,
// workspace-relative and sorted.
func (e *workspaceEdit) write() ([]string, error) {
	out := map[string][]byte{}
	var rels []string
	for rel, data := range e.files {
		out[e.abs(rel)] = data
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	if err := e.tx.Write(out); err != nil {
		return nil, writeErr(err)
	}
	return rels, nil
}

// readErr says which file could not be read; a file the transaction
// refuses (one behind a link out of the workspace, a FIFO) is a refusal.
func readErr(rel string, err error) error {
	if r := writeErr(err); r != err {
		return r
	}
	return fmt.Errorf("read %s: %w", rel, err)
}

// writeErr turns a file an edit.Tx refused to write into a refusal (exit
// 1, nothing written) that names it and says what to do.
func writeErr(err error) error {
	var re *edit.RefusedError
	if !errors.As(err, &re) {
		return err
	}
	hint := ""
	switch {
	case errors.Is(err, edit.ErrChanged):
		hint = "another program wrote it while okr worked; look at it and run the command again"
	case errors.Is(err, edit.ErrReadOnly):
		hint = "okr does not change read-only files; make it writable (chmod u+w) if it should change"
	case errors.Is(err, edit.ErrOutside):
		hint = "okr writes only inside the workspace; replace the link with the file, or edit the file where it is"
	case errors.Is(err, edit.ErrNotRegular):
		hint = "okr reads and writes only regular files (or links to them inside the workspace)"
	}
	return refusedError{err: fmt.Errorf("refused: %w; nothing was written", err), hint: hint}
}

// writeText prints diagnostics compiler-style.
func writeText(w io.Writer, ds []diag.Diagnostic) error {
	tw, err := diag.NewWriter("text")
	if err != nil {
		return err
	}
	return tw.Write(w, diag.Report{Tool: "okr", Version: Version, Diagnostics: ds})
}

// prepareCommit checks, before anything is written, that --commit can
// commit the files of the edit: no other staged changes, and a git
// identity to commit as. It returns that identity.
func (e *workspaceEdit) prepareCommit() (history.Author, error) {
	paths := make([]string, 0, len(e.files))
	for rel := range e.files {
		paths = append(paths, e.abs(rel))
	}
	if err := checkStaged(e.root, paths); err != nil {
		return history.Author{}, err
	}
	return e.commitIdentity()
}

// commitIdentity returns who --commit commits as: GIT_AUTHOR_NAME and
// GIT_AUTHOR_EMAIL, else git config user.name and user.email (the
// repository's, then the user's global configuration).
func (e *workspaceEdit) commitIdentity() (history.Author, error) {
	name, email := e.env.Getenv("GIT_AUTHOR_NAME"), e.env.Getenv("GIT_AUTHOR_EMAIL")
	if name == "" || email == "" {
		repo, err := history.Open(e.root)
		if err != nil {
			return history.Author{}, histErr(err)
		}
		n, m := repo.Identity() // the repository's config over the global files
		repo.Close()
		name, email = firstNonEmpty(name, n), firstNonEmpty(email, m)
	}
	var missing []string
	if name == "" {
		missing = append(missing, "user.name")
	}
	if email == "" {
		missing = append(missing, "user.email")
	}
	if len(missing) > 0 {
		verb := "is"
		if len(missing) > 1 {
			verb = "are"
		}
		return history.Author{}, withHint(fmt.Errorf("--commit needs your git identity, and git config %s %s not set; nothing was written", strings.Join(missing, " and "), verb),
			"set it with git config --global user.name \"Your Name\" and git config --global user.email you@example.com (or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL), or leave out --commit")
	}
	return history.Author{Name: name, Email: email}, nil
}

// gitCommit commits the written files with message, as author (from
// prepareCommit, before they were written).
func (e *workspaceEdit) gitCommit(rels []string, message string, author history.Author) (string, error) {
	paths := make([]string, len(rels))
	for i, rel := range rels {
		paths[i] = e.abs(rel)
	}
	author.When = e.env.Now()
	h, err := history.CommitFiles(e.root, paths, message, author)
	if errors.Is(err, history.ErrStaged) {
		return "", withHint(err, "commit or unstage them first, or commit without --commit; the files were written")
	}
	if err != nil {
		return "", histErr(err)
	}
	return h, nil
}

// personByEmail returns the id of the person whose email or git identity
// is email, "" when nobody's is.
func personByEmail(ws *model.Workspace, email string) string {
	if p := ws.PersonByGit("", email); p != nil {
		return p.ID
	}
	return ""
}

// checkStaged refuses, before anything is written, a --commit that would
// carry along other staged changes.
func checkStaged(root string, paths []string) error {
	err := history.CheckStaged(root, paths)
	if errors.Is(err, history.ErrStaged) {
		return withHint(err, "commit or unstage them first, or leave out --commit; nothing was written")
	}
	if err != nil {
		return histErr(err)
	}
	return nil
}
