package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Author is who a commit is made as.
type Author struct {
	Name, Email string
	When        time.Time
}

// ErrStaged is returned by CommitFiles when the index holds changes to
// other files, which a commit would carry along.
var ErrStaged = errors.New("other changes are staged")

// CommitFiles commits the files at paths (absolute, inside the repository
// holding dir) as they are on disk, with message, as author (also the
// committer), on the current branch. It refuses with ErrStaged when other
// files have staged changes, so the commit holds exactly these files. It
// returns the new commit's hash.
//
// With the git command (ChooseBackend), it runs `git add` and `git commit`,
// so hooks, signing (commit.gpgsign) and GIT_AUTHOR_DATE /
// GIT_COMMITTER_DATE apply as in a manual commit, and author.When is not
// used; the committer is git's own, or author when git has none. Without
// git it commits with go-git, author as committer, at author.When.
func CommitFiles(dir string, paths []string, message string, author Author) (string, error) {
	if ChooseBackend() == BackendGit {
		return commitWithGit(dir, paths, message, author)
	}
	repo, wt, rels, err := openForCommit(dir, paths)
	if err != nil {
		return "", err
	}
	if staged, err := stagedOthers(repo, rels); err != nil {
		return "", err
	} else if len(staged) > 0 {
		return "", fmt.Errorf("%w: %s", ErrStaged, strings.Join(staged, ", "))
	}
	names := make([]string, 0, len(rels))
	for rel := range rels {
		names = append(names, rel)
	}
	sort.Strings(names)
	for _, rel := range names {
		if _, err := wt.Add(rel); err != nil {
			return "", fmt.Errorf("stage %s: %w", rel, err)
		}
	}
	sig := &object.Signature{Name: author.Name, Email: author.Email, When: author.When}
	h, err := wt.Commit(message, &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		return "", fmt.Errorf("commit: %w", err)
	}
	return h.String(), nil
}

// CheckStaged returns ErrStaged when files other than paths have staged
// changes, so a caller can check before it writes what it will commit.
func CheckStaged(dir string, paths []string) error {
	if ChooseBackend() == BackendGit {
		_, _, err := stagedGit(dir, paths)
		return err
	}
	repo, _, rels, err := openForCommit(dir, paths)
	if err != nil {
		return err
	}
	staged, err := stagedOthers(repo, rels)
	if err == nil && len(staged) > 0 {
		err = fmt.Errorf("%w: %s", ErrStaged, strings.Join(staged, ", "))
	}
	return err
}

// openForCommit opens the repository holding dir and its work tree, and
// returns paths relative to the work tree root.
func openForCommit(dir string, paths []string) (*git.Repository, *git.Worktree, map[string]bool, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, nil, nil, ErrNotRepository
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open repository: %w", err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open work tree: %w", err)
	}
	rels, err := relPaths(wt.Filesystem.Root(), paths)
	if err != nil {
		return nil, nil, nil, err
	}
	return repo, wt, rels, nil
}

// relPaths returns paths relative to the work tree root, slash-separated.
func relPaths(root string, paths []string) (map[string]bool, error) {
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	rels := map[string]bool{}
	for _, p := range paths {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		} else if real, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
			p = filepath.Join(real, filepath.Base(p)) // a file not written yet
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			return nil, fmt.Errorf("%s is outside the repository %s", p, root)
		}
		rels[filepath.ToSlash(rel)] = true
	}
	return rels, nil
}

// commitEnv is the environment `git commit` runs with: the caller's (so
// hooks and signing see what a manual commit sees), without the variables
// that would point git at another repository, and with identity variables
// set but empty treated as unset.
func commitEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if v == "" && strings.HasPrefix(k, "GIT_") && (strings.HasSuffix(k, "_NAME") || strings.HasSuffix(k, "_EMAIL") || strings.HasSuffix(k, "_DATE")) {
			continue
		}
		switch k {
		case "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GIT_TERMINAL_PROMPT=0")
}

// stagedGit returns the work tree root and the paths relative to it, and
// ErrStaged when files other than paths have staged changes.
func stagedGit(dir string, paths []string) (string, map[string]bool, error) {
	env := commitEnv()
	root, err := runGit(context.Background(), dir, env, "rev-parse", "--show-toplevel")
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && strings.Contains(ge.msg, "not a git repository") {
			return "", nil, ErrNotRepository
		}
		return "", nil, fmt.Errorf("open repository: %w", err)
	}
	rels, err := relPaths(root, paths)
	if err != nil {
		return "", nil, err
	}
	out, err := runGit(context.Background(), root, env, "diff", "--cached", "--name-only", "--no-renames", "-z")
	if err != nil {
		return "", nil, fmt.Errorf("list staged changes: %w", err)
	}
	var staged []string
	for _, name := range strings.Split(out, "\x00") {
		if name != "" && !rels[name] {
			staged = append(staged, name)
		}
	}
	sort.Strings(staged)
	if len(staged) > 0 {
		return "", nil, fmt.Errorf("%w: %s", ErrStaged, strings.Join(staged, ", "))
	}
	return root, rels, nil
}

// commitWithGit is CommitFiles through the git command.
func commitWithGit(dir string, paths []string, message string, author Author) (string, error) {
	root, rels, err := stagedGit(dir, paths)
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(rels))
	for rel := range rels {
		names = append(names, rel)
	}
	sort.Strings(names)
	env := commitEnv()
	if _, err := runGit(context.Background(), root, env, append([]string{"add", "--"}, names...)...); err != nil {
		return "", fmt.Errorf("stage: %w", err)
	}
	if author.Name != "" {
		env = append(env, "GIT_AUTHOR_NAME="+author.Name)
	}
	if author.Email != "" {
		env = append(env, "GIT_AUTHOR_EMAIL="+author.Email)
	}
	if _, err := runGit(context.Background(), root, env, "-c", "user.useConfigOnly=true", "var", "GIT_COMMITTER_IDENT"); err != nil {
		// git has no committer of its own: commit as the author, as go-git did.
		env = append(env, "GIT_COMMITTER_NAME="+author.Name, "GIT_COMMITTER_EMAIL="+author.Email)
	}
	cmd := exec.Command("git", "commit", "-q", "--no-edit", "-F", "-", "--")
	cmd.Dir, cmd.Env = root, env
	cmd.Stdin = strings.NewReader(message)
	var outb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &outb, &outb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(outb.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", &HintError{Err: fmt.Errorf("git commit failed: %s", msg),
			HintMsg: "a hook or commit signing refused the commit; the files were written and staged but not committed: fix what git says and run git commit"}
	}
	h, err := runGit(context.Background(), root, env, "rev-parse", "HEAD")
	if err != nil {
		return "", err
	}
	return h, nil
}

// stagedOthers lists the paths, other than those in skip, whose index entry
// differs from HEAD's tree.
func stagedOthers(repo *git.Repository, skip map[string]bool) ([]string, error) {
	idx, err := repo.Storer.Index()
	if err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	head := map[string]plumbing.Hash{}
	ref, err := repo.Head()
	switch {
	case errors.Is(err, plumbing.ErrReferenceNotFound):
		// No commit yet: everything in the index is staged.
	case err != nil:
		return nil, fmt.Errorf("read HEAD: %w", err)
	default:
		c, err := repo.CommitObject(ref.Hash())
		if err != nil {
			return nil, fmt.Errorf("read HEAD commit: %w", err)
		}
		tree, err := c.Tree()
		if err != nil {
			return nil, fmt.Errorf("read HEAD tree: %w", err)
		}
		err = tree.Files().ForEach(func(f *object.File) error {
			head[f.Name] = f.Hash
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read HEAD tree: %w", err)
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, e := range idx.Entries {
		seen[e.Name] = true
		if !skip[e.Name] && head[e.Name] != e.Hash {
			out = append(out, e.Name)
		}
	}
	for name := range head {
		if !seen[name] && !skip[name] {
			out = append(out, name) // staged deletion
		}
	}
	sort.Strings(out)
	return out, nil
}

// Remote returns the work tree root of the repository holding dir and the
// URL of its origin remote ("" when it has none). It returns
// ErrNotRepository outside a repository. go-git reads it; a SHA-256
// repository, which go-git v5 cannot open, is read with the git command
// when it is installed.
func Remote(dir string) (root, url string, err error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return "", "", ErrNotRepository
	}
	if err != nil && strings.Contains(err.Error(), "objectformat") {
		if ChooseBackend() == BackendGit {
			return remoteGit(dir)
		}
		return "", "", sha256Refused(err)
	}
	if err != nil {
		return "", "", fmt.Errorf("open repository: %w", err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return "", "", fmt.Errorf("open work tree: %w", err)
	}
	if r, err := repo.Remote("origin"); err == nil && len(r.Config().URLs) > 0 {
		url = r.Config().URLs[0]
	}
	return wt.Filesystem.Root(), url, nil
}

// remoteGit is Remote with the git command.
func remoteGit(dir string) (root, url string, err error) {
	env := gitEnv("")
	root, err = runGit(context.Background(), dir, env, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", "", fmt.Errorf("open work tree: %w", err)
	}
	// Exit 1 (no origin URL) is no error here; the first URL, as go-git.
	urls, _ := runGit(context.Background(), root, env, "config", "--get-all", "remote.origin.url")
	url, _, _ = strings.Cut(urls, "\n")
	return root, url, nil
}

// Identity returns the user.name and user.email git itself would commit
// with in dir: with the git command (when installed), `git var
// GIT_AUTHOR_IDENT` with user.useConfigOnly, so the repository's config,
// the global files and the GIT_AUTHOR_* environment count as git counts
// them; without it, the repository's .git/config over the global files.
// "" for what is unset.
func Identity(dir string) (name, email string) {
	if ChooseBackend() == BackendGit {
		if n, e, ok := gitIdentity(dir); ok {
			return n, e
		}
	}
	name, email = GlobalIdentity()
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return name, email
	}
	if cfg, err := repo.Config(); err == nil {
		if cfg.User.Name != "" {
			name = cfg.User.Name
		}
		if cfg.User.Email != "" {
			email = cfg.User.Email
		}
	}
	return name, email
}

// gitIdentity asks git; ok is false when git could not run at all.
func gitIdentity(dir string) (name, email string, ok bool) {
	env := gitEnv("")
	out, err := runGit(context.Background(), dir, env, "-c", "user.useConfigOnly=true", "var", "GIT_AUTHOR_IDENT")
	if err == nil {
		// "Name <email> 1700000000 +0000"
		if lt := strings.IndexByte(out, '<'); lt >= 0 {
			if gt := strings.LastIndexByte(out, '>'); gt > lt {
				return strings.TrimSpace(out[:lt]), out[lt+1 : gt], true
			}
		}
	}
	var ge *gitError
	if err != nil && !errors.As(err, &ge) {
		return "", "", false
	}
	// Something is unset: say which, key by key, with the environment first
	// as git reads it.
	name, email = os.Getenv("GIT_AUTHOR_NAME"), os.Getenv("GIT_AUTHOR_EMAIL")
	if name == "" {
		name, _ = runGit(context.Background(), dir, env, "config", "user.name")
	}
	if email == "" {
		email, _ = runGit(context.Background(), dir, env, "config", "user.email")
	}
	if email == "" {
		email = os.Getenv("EMAIL")
	}
	return name, email, true
}

// GlobalIdentity returns user.name and user.email from the user's global
// git configuration, for use outside any repository, read as git reads it:
// the file GIT_CONFIG_GLOBAL names when it is set, else the XDG file
// ($XDG_CONFIG_HOME/git/config, or ~/.config/git/config) and then
// ~/.gitconfig, whose settings win.
func GlobalIdentity() (name, email string) {
	return globalIdentity(os.Getenv)
}

// globalIdentity is GlobalIdentity with the environment given.
func globalIdentity(getenv func(string) string) (name, email string) {
	for _, p := range globalConfigPaths(getenv) {
		f, err := os.Open(p)
		if err != nil {
			continue // a missing or unreadable file, as git skips it
		}
		cfg, err := config.ReadConfig(f)
		f.Close()
		if err != nil {
			continue
		}
		if cfg.User.Name != "" {
			name = cfg.User.Name
		}
		if cfg.User.Email != "" {
			email = cfg.User.Email
		}
	}
	return name, email
}

// globalConfigPaths lists the global git configuration files in the order
// git reads them (later files win).
func globalConfigPaths(getenv func(string) string) []string {
	if p := getenv("GIT_CONFIG_GLOBAL"); p != "" {
		return []string{p}
	}
	home := getenv("HOME")
	if home == "" && runtime.GOOS == "windows" {
		home = getenv("USERPROFILE")
	}
	var out []string
	if xdg := getenv("XDG_CONFIG_HOME"); xdg != "" {
		out = append(out, filepath.Join(xdg, "git", "config"))
	} else if home != "" {
		out = append(out, filepath.Join(home, ".config", "git", "config"))
	}
	if home != "" {
		out = append(out, filepath.Join(home, ".gitconfig"))
	}
	return out
}
