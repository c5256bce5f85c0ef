package history_test

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/cli"
	"github.com/okrkit/okr/internal/generate"
	"github.com/okrkit/okr/internal/history"
)

// needGit skips a test that builds repositories with the git command.
func needGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: repositories of every shape are built with it, so this test is skipped")
	}
}

// git runs git in dir with a fixed identity and no user configuration.
func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=Cli", "GIT_AUTHOR_EMAIL=cli@example.com",
		"GIT_COMMITTER_NAME=Cli", "GIT_COMMITTER_EMAIL=cli@example.com", "GIT_AUTHOR_DATE=2026-06-01T10:00:00Z", "GIT_COMMITTER_DATE=2026-06-01T10:00:00Z")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %v in %s: %v\n%s", args, dir, err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// gitIn is git with stdin.
func gitIn(t testing.TB, dir string, in []byte, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Stdin = dir, bytes.NewReader(in)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}

// okr runs the CLI in process and returns its exit code, stdout and stderr.
func okr(t testing.TB, backend string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"OKR_TODAY": "2026-12-01", "NO_COLOR": "1", "OKR_GIT": backend}
	os.Setenv("OKR_GIT", backend)
	code := cli.Main(args, cli.Env{IO: cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb},
		Getenv: func(k string) string {
			if v, ok := env[k]; ok {
				return v
			}
			return os.Getenv(k)
		},
		Getwd: os.Getwd, Now: func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }})
	return code, out.String(), errb.String()
}

// base builds the plain repository the shapes are made from.
type base struct {
	dir  string // the repository
	id   string // an objective changed by several commits
	path string // its file, relative to the repository
}

func buildBase(t testing.TB, seed int64) base {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "plain")
	info, err := generate.BuildHistory(dir, generate.HistorySpec{Workspace: generate.Spec{Objectives: 12, Seed: seed}, Commits: 60, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	b := base{dir: dir}
	for _, id := range info.Objectives {
		if b.id == "" || info.Touched[id] > info.Touched[b.id] {
			b.id = id
		}
	}
	b.path = info.Paths[b.id]
	return b
}

// outputs runs okr log, snapshot --ref and diff on the workspace in repo.
func outputs(t testing.TB, backend, repo, id string) (code int, out string) {
	t.Helper()
	ws := filepath.Join(repo, generate.DefaultHistoryDir)
	var b strings.Builder
	for _, args := range [][]string{
		{"-C", ws, "log", id},
		{"-C", ws, "snapshot", "--ref", "HEAD~7", "--format", "json"},
		{"-C", ws, "diff", "HEAD~20", "HEAD", "--format", "json"},
	} {
		c, o, e := okr(t, backend, args...)
		fmt.Fprintf(&b, "$ okr %s\n%s%s[exit %d]\n", strings.Join(args[2:], " "), o, e, c)
		if c > code {
			code = c
		}
	}
	return code, b.String()
}

// unpackAll turns every pack of repo into loose objects.
func unpackAll(t testing.TB, repo string) {
	t.Helper()
	packs, _ := filepath.Glob(filepath.Join(repo, ".git", "objects", "pack", "*.pack"))
	for _, p := range packs {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(p)
		os.Remove(strings.TrimSuffix(p, ".pack") + ".idx")
		os.Remove(strings.TrimSuffix(p, ".pack") + ".rev")
		gitIn(t, repo, data, "unpack-objects", "-q")
	}
}

// packObjects packs the objects rev-list lists for revs into a new pack.
func packObjects(t testing.TB, repo string, extra []string, revs ...string) {
	t.Helper()
	list := git(t, repo, append([]string{"rev-list", "--objects"}, revs...)...)
	gitIn(t, repo, []byte(list+"\n"), append(append([]string{"pack-objects", "-q"}, extra...), ".git/objects/pack/pack")...)
}

// firstParentIDs lists the first-parent commits of HEAD in repo, oldest
// first.
func firstParentIDs(t testing.TB, repo string) []string {
	t.Helper()
	return strings.Fields(git(t, repo, "rev-list", "--first-parent", "--reverse", "HEAD"))
}

// normIDs replaces the commit ids in out, full and abbreviated, with
// their place in ids: "<commit N>" and "<cN>".
func normIDs(out string, ids []string) string {
	for i, id := range ids {
		out = strings.ReplaceAll(out, id, fmt.Sprintf("<commit %d>", i))
		out = strings.ReplaceAll(out, id[:7], fmt.Sprintf("<c%d>", i))
	}
	return out
}

// buildDated builds, in a new repository at dir with the object format
// given (sha1 or sha256), a history of five commits at fixed dates by two
// authors: an objective whose key result gets check-ins and a lower
// target, a commit outside the workspace, and a second objective in a
// subfolder added later.
func buildDated(t testing.TB, dir, format string) string {
	t.Helper()
	git(t, filepath.Dir(dir), "init", "-q", "-b", "main", "--object-format="+format, dir)
	growth := func(target string, checkins ...string) string {
		s := "id: growth\ntitle: Grow the user base\ncycle: q4\nowner: ann\nkey_results:\n  - id: signups\n    title: Weekly signups\n" +
			"    type: increase\n    start: 0\n    target: " + target + "\n    checkins:\n"
		for _, c := range checkins {
			s += "      - " + c + "\n"
		}
		return s
	}
	infra := func(checkins ...string) string {
		s := "id: infra\ntitle: Keep the service up\ncycle: q4\nowner: bob\nkey_results:\n  - id: uptime\n    title: Monthly uptime\n" +
			"    type: at_least\n    threshold: 99.9\n    checkins:\n"
		for _, c := range checkins {
			s += "      - " + c + "\n"
		}
		return s
	}
	c1, c2, c3, c4 := "{date: 2026-10-02, value: 10, confidence: 0.8}", `{date: 2026-10-15, value: 30, note: "-5 vs plan"}`,
		"{date: 2026-10-26, value: 36}", "{date: 2026-11-09, value: 48}"
	u1, u2 := "{date: 2026-10-26, value: 99.95}", "{date: 2026-11-09, value: 99.5}"
	for _, c := range []struct {
		date, author, msg string
		files             map[string]string
	}{
		{"2026-10-05T12:00:00Z", "ann", "growth", map[string]string{"README.md": "hello\n", "okrs/okr.yaml": "version: 1\n",
			"okrs/org.yaml":    "people:\n  - {id: ann, name: Ann}\n  - {id: bob, name: Bob}\n",
			"okrs/cycles.yaml": "cycles:\n  - {id: q4, start: 2026-10-01, end: 2026-12-31}\n", "okrs/objectives/growth.yaml": growth("100", c1)}},
		{"2026-10-16T09:30:00+02:00", "ann", "check-in on signups", map[string]string{"okrs/objectives/growth.yaml": growth("100", c1, c2)}},
		{"2026-10-20T18:00:00-07:00", "bob", "readme", map[string]string{"README.md": "hello again\n"}},
		{"2026-10-26T12:00:00Z", "bob", "lower the target, add infra", map[string]string{"okrs/objectives/growth.yaml": growth("60", c1, c2, c3),
			"okrs/objectives/ops/infra.yaml": infra(u1)}},
		{"2026-11-09T23:30:00-10:00", "ann", "check-ins of november", map[string]string{"okrs/objectives/growth.yaml": growth("60", c1, c2, c3, c4),
			"okrs/objectives/ops/infra.yaml": infra(u1, u2)}},
	} {
		for name, data := range c.files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git(t, dir, "add", "-A")
		cmd := exec.Command("git", "commit", "-qm", c.msg)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME="+c.author,
			"GIT_AUTHOR_EMAIL="+c.author+"@example.com", "GIT_COMMITTER_NAME="+c.author, "GIT_COMMITTER_EMAIL="+c.author+"@example.com",
			"GIT_AUTHOR_DATE="+c.date, "GIT_COMMITTER_DATE="+c.date)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("commit %s: %v\n%s", c.msg, err, out)
		}
	}
	return dir
}

func clone(t testing.TB, src string, args ...string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "clone")
	git(t, t.TempDir(), append(append([]string{"clone", "-q"}, args...), src, dst)...)
	return dst
}

// TestRepositoryShapes reads the same history stored every way git stores
// it, with both backends: the same okr log, snapshot --ref and diff output
// as the plain repository, or the documented error.
func TestRepositoryShapes(t *testing.T) {
	needGit(t)
	b := buildBase(t, 1)
	_, want := outputs(t, history.BackendGit, b.dir, b.id)
	if code, wantGoGit := outputs(t, history.BackendGoGit, b.dir, b.id); code != 0 || wantGoGit != want {
		t.Fatalf("the plain repository: go-git backend differs from git backend:\n%s\nwant\n%s", wantGoGit, want)
	}
	if !strings.Contains(want, "[exit 0]") || strings.Contains(want, "[exit 2]") {
		t.Fatalf("the plain repository fails:\n%s", want)
	}

	type shape struct {
		name string
		make func(t *testing.T) string
		// gitOnly: the go-git backend gives an error (checked to have a hint).
		gitOnly bool
	}
	shapes := []shape{
		{"loose objects", func(t *testing.T) string { r := clone(t, b.dir, "--no-local"); unpackAll(t, r); return r }, false},
		{"after git gc", func(t *testing.T) string {
			r := clone(t, b.dir, "--no-local")
			git(t, r, "gc", "-q", "--aggressive", "--prune=now")
			return r
		}, false},
		{"ref deltas", func(t *testing.T) string {
			r := clone(t, b.dir, "--no-local")
			git(t, r, "-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq")
			return r
		}, false},
		{"several packs and loose objects", func(t *testing.T) string {
			r := clone(t, b.dir, "--no-local")
			unpackAll(t, r)
			packObjects(t, r, nil, "HEAD~40")
			packObjects(t, r, nil, "HEAD~15", "^HEAD~40")
			return r // the newest objects stay loose
		}, false},
		{"64-bit pack offsets", func(t *testing.T) string {
			r := clone(t, b.dir, "--no-local")
			unpackAll(t, r)
			packObjects(t, r, []string{"--index-version=2,0"}, "--all")
			git(t, r, "prune-packed")
			return r
		}, false},
		{"idx version 1", func(t *testing.T) string {
			r := clone(t, b.dir, "--no-local")
			unpackAll(t, r)
			packObjects(t, r, []string{"--index-version=1"}, "--all")
			git(t, r, "prune-packed")
			return r
		}, true},
		{"partial clone", func(t *testing.T) string {
			git(t, b.dir, "config", "uploadpack.allowFilter", "true")
			return clone(t, "file://"+b.dir, "--filter=blob:none")
		}, true},
		{"clone --shared", func(t *testing.T) string { return clone(t, b.dir, "--shared") }, true},
		{"linked worktree", func(t *testing.T) string {
			r := clone(t, b.dir)
			wt := filepath.Join(t.TempDir(), "linked")
			git(t, r, "branch", "other")
			git(t, r, "worktree", "add", "-q", wt, "other")
			return wt
		}, false},
	}
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			repo := s.make(t)
			if code, got := outputs(t, history.BackendGit, repo, b.id); code != 0 || got != want {
				t.Errorf("git backend:\n%s\nwant\n%s", got, want)
			}
			code, got := outputs(t, history.BackendGoGit, repo, b.id)
			switch {
			case !s.gitOnly && (code != 0 || got != want):
				t.Errorf("go-git backend:\n%s\nwant\n%s", got, want)
			case s.gitOnly && code == 0 && got != want:
				t.Errorf("go-git backend gives a different answer:\n%s\nwant\n%s", got, want)
			case s.gitOnly && code != 0 && (code != 2 || !strings.Contains(got, "okr: hint: ")):
				t.Errorf("go-git backend: want the same output or an error with a hint, exit 2:\n%s", got)
			}
		})
	}

	t.Run("zero-padded tree mode", func(t *testing.T) {
		r := clone(t, b.dir, "--no-local")
		// Rewrite HEAD's root tree with "040000" for its folders, as old
		// tools wrote them, and point a new HEAD commit at it.
		head := git(t, r, "rev-parse", "HEAD")
		raw := gitIn(t, r, nil, "cat-file", "tree", "HEAD^{tree}")
		padded := strings.ReplaceAll(raw, "40000 ", "040000 ")
		if padded == raw {
			t.Fatal("HEAD's tree has no folder")
		}
		tree := strings.TrimSpace(gitIn(t, r, []byte(padded), "hash-object", "-t", "tree", "-w", "--literally", "--stdin"))
		parent := git(t, r, "rev-parse", "HEAD~1")
		msg := git(t, r, "log", "-1", "--format=%B", "HEAD")
		date := git(t, r, "log", "-1", "--format=%cI", "HEAD")
		cmd := exec.Command("git", "commit-tree", tree, "-p", parent, "-m", msg)
		cmd.Dir = r
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME="+git(t, r, "log", "-1", "--format=%an"),
			"GIT_AUTHOR_EMAIL="+git(t, r, "log", "-1", "--format=%ae"), "GIT_COMMITTER_NAME=x", "GIT_COMMITTER_EMAIL=x@example.com",
			"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		commit := strings.TrimSpace(string(out))
		git(t, r, "update-ref", "HEAD", commit)
		norm := func(s string) string {
			return strings.ReplaceAll(strings.ReplaceAll(s, commit, head), commit[:7], head[:7])
		}
		for _, be := range []string{history.BackendGit, history.BackendGoGit} {
			if code, got := outputs(t, be, r, b.id); code != 0 || norm(got) != want {
				t.Errorf("%s backend:\n%s\nwant\n%s", be, got, want)
			}
		}
	})

	t.Run("partial clone, promisor unreachable", func(t *testing.T) {
		src := clone(t, b.dir, "--no-local")
		git(t, src, "config", "uploadpack.allowFilter", "true")
		r := clone(t, "file://"+src, "--filter=blob:none")
		if err := os.RemoveAll(src); err != nil {
			t.Fatal(err)
		}
		code, got := outputs(t, history.BackendGit, r, b.id)
		if code != 2 || !strings.Contains(got, "okr: error: ") || !strings.Contains(got, "partial clone") {
			t.Errorf("want a clear error naming the partial clone, exit 2:\n%s", got)
		}
	})

	t.Run("shallow clone", func(t *testing.T) {
		r := clone(t, "file://"+b.dir, "--depth=5")
		for _, be := range []string{history.BackendGit, history.BackendGoGit} {
			code, _, errOut := okr(t, be, "-C", filepath.Join(r, generate.DefaultHistoryDir), "log", b.id)
			if code != 2 || !strings.Contains(errOut, "shallow clone") || !strings.Contains(errOut, "git fetch --unshallow") {
				t.Errorf("%s backend: want the shallow-clone error and its hint, exit 2; got %d\n%s", be, code, errOut)
			}
		}
	})

	t.Run("bare repository", func(t *testing.T) {
		r := clone(t, b.dir, "--bare")
		for _, be := range []string{history.BackendGit, history.BackendGoGit} {
			code, _, errOut := okr(t, be, "-C", r, "log", b.id)
			if code != 2 || !strings.HasPrefix(errOut, "okr: error: ") {
				t.Errorf("%s backend: want an error, exit 2; got %d\n%s", be, code, errOut)
			}
		}
	})

	t.Run("SHA-256", func(t *testing.T) {
		// The base history, converted object by object into a SHA-256
		// repository (same files, authors and dates): the git backend
		// gives the same okr log, snapshot --ref and diff, but for the
		// commit ids; the go-git backend refuses it with a hint.
		r := filepath.Join(t.TempDir(), "sha256")
		git(t, filepath.Dir(r), "init", "-q", "--object-format=sha256", r)
		gitIn(t, r, []byte(git(t, b.dir, "fast-export", "--all")+"\n"), "fast-import", "--quiet")
		git(t, r, "symbolic-ref", "HEAD", "refs/heads/main")
		git(t, r, "reset", "-q", "--hard")
		ids := firstParentIDs(t, b.dir)
		ids256 := firstParentIDs(t, r)
		if len(ids256) != len(ids) || len(ids256[0]) != 64 {
			t.Fatalf("the converted history has %d commits named %q..., want %d with 64-digit names", len(ids256), ids256[0], len(ids))
		}
		code, got := outputs(t, history.BackendGit, r, b.id)
		if code != 0 || !strings.Contains(got, ids256[len(ids256)-1]) {
			t.Errorf("git backend: want exit 0 and the SHA-256 name of HEAD in the diff:\n%s", got)
		}
		if got, want := normIDs(got, ids256), normIDs(want, ids); got != want {
			t.Errorf("git backend, SHA-256 repository:\n%s\nwant (as in the SHA-1 repository)\n%s", got, want)
		}
		for _, args := range [][]string{{"snapshot", "--ref", "HEAD"}, {"log", b.id}, {"trend"}, {"diff", "HEAD~3", "HEAD"}} {
			code, _, errOut := okr(t, history.BackendGoGit, append([]string{"-C", filepath.Join(r, generate.DefaultHistoryDir)}, args...)...)
			if code != 2 || !strings.Contains(errOut, "SHA-256") || !strings.Contains(errOut, "okr: hint: install git") {
				t.Errorf("go-git backend, okr %s: want the SHA-256 error and the hint to install git, exit 2; got %d\n%s", strings.Join(args, " "), code, errOut)
			}
		}
	})

	t.Run("SHA-256, dated commits", func(t *testing.T) {
		// A small history built twice, commit by commit with the same
		// files, authors and dates, in a SHA-1 and a SHA-256 repository:
		// okr snapshot --ref, log, trend and diff say the same of both,
		// but for the commit ids.
		dir := t.TempDir()
		sha1Repo := buildDated(t, filepath.Join(dir, "sha1"), "sha1")
		sha256Repo := buildDated(t, filepath.Join(dir, "sha256"), "sha256")
		run := func(repo string) string {
			ws := filepath.Join(repo, "okrs")
			ids := firstParentIDs(t, repo)
			var out strings.Builder
			for _, args := range [][]string{
				{"snapshot", "--ref", "HEAD"},
				{"snapshot", "--ref", "HEAD~3", "--format", "json"},
				{"log", "signups"},
				{"log", "growth", "--format", "json"},
				{"log", "uptime"},
				{"trend"},
				{"trend", "signups", "--format", "json"},
				{"diff", "HEAD~4", "HEAD"},
				{"diff", "HEAD~3", "HEAD~1", "--format", "json"},
			} {
				code, o, e := okr(t, history.BackendGit, append([]string{"-C", ws}, args...)...)
				if code != 0 {
					t.Errorf("okr %s in %s: exit %d\n%s%s", strings.Join(args, " "), filepath.Base(repo), code, o, e)
				}
				fmt.Fprintf(&out, "$ okr %s\n%s%s[exit %d]\n", strings.Join(args, " "), o, e, code)
			}
			return normIDs(out.String(), ids)
		}
		want, got := run(sha1Repo), run(sha256Repo)
		for _, s := range []string{"<c0>", "<commit 4>", "Weekly signups", "uptime", "\"from 0 to 60\""} {
			if !strings.Contains(want, s) {
				t.Errorf("the SHA-1 repository's output has no %q:\n%s", s, want)
			}
		}
		if got != want {
			t.Errorf("SHA-256 repository:\n%s\nwant (as in the SHA-1 repository)\n%s", got, want)
		}
		code, _, errOut := okr(t, history.BackendGoGit, "-C", filepath.Join(sha256Repo, "okrs"), "snapshot", "--ref", "HEAD")
		if code != 2 || !strings.Contains(errOut, "okr: hint: install git") {
			t.Errorf("go-git backend: want the hint to install git, exit 2; got %d\n%s", code, errOut)
		}
	})

	t.Run("SHA-256, okr init", func(t *testing.T) {
		// okr init finds the work tree and the origin remote of a SHA-256
		// repository through git; the go-git backend refuses with a hint.
		r := filepath.Join(t.TempDir(), "sha256")
		git(t, filepath.Dir(r), "init", "-q", "--object-format=sha256", r)
		git(t, r, "remote", "add", "origin", "https://github.com/example/okrs.git")
		code, _, errOut := okr(t, history.BackendGoGit, "-C", r, "init", "okrs")
		if code != 2 || !strings.Contains(errOut, "SHA-256") || !strings.Contains(errOut, "okr: hint: install git") {
			t.Errorf("go-git backend: want the SHA-256 error and the hint to install git, exit 2; got %d\n%s", code, errOut)
		}
		code, out, errOut := okr(t, history.BackendGit, "-C", r, "init", "okrs")
		if _, err := os.Stat(filepath.Join(r, ".github", "workflows", "okr.yml")); code != 0 || err != nil {
			t.Errorf("git backend: want exit 0 and the GitHub workflow at the repository root; got %d\n%s%s", code, out, errOut)
		}
	})

	t.Run("replace --graft", func(t *testing.T) {
		r := clone(t, b.dir, "--no-local")
		// Graft HEAD~10 onto HEAD~30: git log no longer shows the commits
		// in between, and neither may okr (git backend; go-git does not
		// read replace refs).
		git(t, r, "replace", "--graft", "HEAD~10", "HEAD~30")
		visible := map[string]bool{}
		for _, h := range strings.Fields(git(t, r, "log", "--first-parent", "--format=%h", "--abbrev=7")) {
			visible[h] = true
		}
		code, out, errOut := okr(t, history.BackendGit, "-C", filepath.Join(r, generate.DefaultHistoryDir), "log", b.id, "--format", "json")
		if code != 0 {
			t.Fatalf("okr log: exit %d\n%s", code, errOut)
		}
		hashes := regexp.MustCompile(`"commit": "([0-9a-f]{7,})`).FindAllStringSubmatch(out, -1)
		if len(hashes) == 0 {
			t.Fatalf("no commits in okr log:\n%s", out)
		}
		for _, m := range hashes {
			if !visible[m[1][:7]] {
				t.Errorf("okr log shows %s, which the graft hides from git log", m[1])
			}
		}
	})
}

// TestCorruption flips bytes of the pack index, the pack and loose objects
// (fixed seed): okr never panics, and never exits 0 with an answer that
// differs from the intact repository's.
func TestCorruption(t *testing.T) {
	needGit(t)
	b := buildBase(t, 2)
	packed := clone(t, b.dir, "--no-local")
	git(t, packed, "gc", "-q", "--prune=now")
	loose := clone(t, b.dir, "--no-local")
	unpackAll(t, loose)
	trials := 40
	if testing.Short() {
		trials = 8
	}
	idx, _ := filepath.Glob(filepath.Join(packed, ".git", "objects", "pack", "*.idx"))
	pack, _ := filepath.Glob(filepath.Join(packed, ".git", "objects", "pack", "*.pack"))
	objs, _ := filepath.Glob(filepath.Join(loose, ".git", "objects", "??", "*"))
	if len(idx) != 1 || len(pack) != 1 || len(objs) == 0 {
		t.Fatalf("unexpected layout: %v %v %d loose", idx, pack, len(objs))
	}
	rng := rand.New(rand.NewSource(15))
	for _, be := range []string{history.BackendGit, history.BackendGoGit} {
		_, want := corruptOutputs(t, be, packed, b.id)
		for _, kind := range []string{"idx", "pack", "loose"} {
			repo, bad := 0, 0
			for i := 0; i < trials; i++ {
				var file, dir string
				switch kind {
				case "idx":
					file, dir = idx[0], packed
				case "pack":
					file, dir = pack[0], packed
				default:
					file, dir = objs[rng.Intn(len(objs))], loose
				}
				restore := flip(t, file, rng)
				code, got := corruptOutputs(t, be, dir, b.id)
				restore()
				switch {
				case code == 0 && got != want:
					t.Errorf("%s, %s flip %d: exit 0 with a different answer:\n%s\nwant\n%s", be, kind, i, got, want)
				case code == 3 || strings.Contains(got, "panic"):
					t.Errorf("%s, %s flip %d: internal error:\n%s", be, kind, i, got)
				case code != 0 && code != 2:
					t.Errorf("%s, %s flip %d: exit %d", be, kind, i, code)
				case code == 2:
					bad++
				}
				repo++
			}
			t.Logf("%s backend, %d flips in %s: %d refused with an error, %d read correctly", be, repo, kind, bad, repo-bad)
		}
	}
}

// corruptOutputs is okr log and snapshot --ref on repo.
func corruptOutputs(t testing.TB, backend, repo, id string) (code int, out string) {
	t.Helper()
	ws := filepath.Join(repo, generate.DefaultHistoryDir)
	var b strings.Builder
	for _, args := range [][]string{{"-C", ws, "log", id}, {"-C", ws, "snapshot", "--ref", "HEAD~7", "--format", "json"}} {
		c, o, e := okr(t, backend, args...)
		if c == 0 {
			fmt.Fprintf(&b, "%s", o)
		} else {
			fmt.Fprintf(&b, "%s", e)
		}
		code = max(code, c)
	}
	return code, b.String()
}

// flip changes one byte of file at a random offset (loose object files are
// read-only) and returns a function that puts it back.
func flip(t testing.TB, file string, rng *rand.Rand) func() {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	orig := append([]byte(nil), data...)
	i := rng.Intn(len(data))
	data[i] ^= byte(1 + rng.Intn(255))
	os.Chmod(file, 0o644)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := os.WriteFile(file, orig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBackendsAgree is the differential test: on generated histories
// (several seeds), extended with a side branch merged back, a file moved to
// another folder and renamed, and commits from committers in other time
// zones, both backends give byte-identical output for snapshot, diff, log
// and trend.
func TestBackendsAgree(t *testing.T) {
	needGit(t)
	seeds := []int64{3, 4, 5}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			b := buildBase(t, seed)
			r := b.dir
			ws := filepath.Join(r, generate.DefaultHistoryDir)
			commit := func(date, msg string) {
				cmd := exec.Command("git", "commit", "-qam", msg)
				cmd.Dir = r
				cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=Tz", "GIT_AUTHOR_EMAIL=tz@example.com",
					"GIT_COMMITTER_NAME=Tz", "GIT_COMMITTER_EMAIL=tz@example.com", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("commit: %v\n%s", err, out)
				}
			}
			// A side branch that moves the busiest objective's file into a
			// new folder under a new name, committed late on 30 September
			// in UTC-10 (1 October in UTC).
			git(t, r, "checkout", "-q", "-b", "side")
			os.MkdirAll(filepath.Join(ws, "objectives", "moved"), 0o755)
			git(t, r, "mv", b.path, filepath.ToSlash(filepath.Join(generate.DefaultHistoryDir, "objectives", "moved", "renamed.yaml")))
			commit("2026-09-30T22:30:00-10:00", "move "+b.id)
			f := filepath.Join(ws, "org.yaml")
			data, _ := os.ReadFile(f)
			os.WriteFile(f, append(data, []byte("# side branch note\n")...), 0o644)
			commit("2026-10-01T05:00:00+14:00", "note on the side")
			git(t, r, "checkout", "-q", "main")
			data, _ = os.ReadFile(filepath.Join(ws, "cycles.yaml"))
			os.WriteFile(filepath.Join(ws, "cycles.yaml"), append(data, []byte("# main note\n")...), 0o644)
			commit("2026-10-02T09:00:00+05:30", "note on main")
			cmd := exec.Command("git", "merge", "-q", "--no-ff", "-m", "merge side", "side")
			cmd.Dir = r
			cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=M", "GIT_AUTHOR_EMAIL=m@example.com",
				"GIT_COMMITTER_NAME=M", "GIT_COMMITTER_EMAIL=m@example.com", "GIT_AUTHOR_DATE=2026-10-03T00:30:00-07:00", "GIT_COMMITTER_DATE=2026-10-03T00:30:00-07:00")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("merge: %v\n%s", err, out)
			}
			runs := [][]string{
				{"log", b.id},
				{"log", b.id, "--format", "json"},
				{"snapshot", "--at", "2026-09-30", "--format", "json"},
				{"snapshot", "--at", "2026-10-01", "--format", "json"},
				{"snapshot", "--ref", "HEAD^2", "--format", "json"},
				{"diff", "HEAD~3", "HEAD", "--format", "json"},
				{"diff", "HEAD^2", "HEAD", "--format", "markdown"},
				{"trend", "--format", "csv"},
				{"trend", b.id + "-kr1", "--format", "json"},
			}
			for _, args := range runs {
				args = append([]string{"-C", ws}, args...)
				c1, o1, e1 := okr(t, history.BackendGit, args...)
				c2, o2, e2 := okr(t, history.BackendGoGit, args...)
				if c1 != c2 || o1 != o2 || e1 != e2 {
					t.Errorf("okr %s: the backends differ\ngit: exit %d\n%s%s\ngo-git: exit %d\n%s%s", strings.Join(args, " "), c1, o1, e1, c2, o2, e2)
				}
				if c1 != 0 {
					t.Errorf("okr %s: exit %d\n%s", strings.Join(args, " "), c1, e1)
				}
			}
		})
	}
}

// FuzzCorruption flips one byte (file kind, offset and mask from the
// fuzzer) of a packed or a loose repository: okr log and snapshot --ref,
// with either backend, never panic and never exit 0 with an answer
// different from the intact repository's.
func FuzzCorruption(f *testing.F) {
	needGit(f)
	b := buildBase(f, 2)
	packed := clone(f, b.dir, "--no-local")
	git(f, packed, "gc", "-q", "--prune=now")
	loose := clone(f, b.dir, "--no-local")
	unpackAll(f, loose)
	idx, _ := filepath.Glob(filepath.Join(packed, ".git", "objects", "pack", "*.idx"))
	pack, _ := filepath.Glob(filepath.Join(packed, ".git", "objects", "pack", "*.pack"))
	objs, _ := filepath.Glob(filepath.Join(loose, ".git", "objects", "??", "*"))
	if len(idx) != 1 || len(pack) != 1 || len(objs) == 0 {
		f.Fatalf("unexpected layout: %v %v %d loose", idx, pack, len(objs))
	}
	want := map[string]string{}
	for _, be := range []string{history.BackendGit, history.BackendGoGit} {
		_, want[be] = corruptOutputs(f, be, packed, b.id)
	}
	f.Add(uint8(0), uint32(1100), uint8(1), false)
	f.Add(uint8(1), uint32(5000), uint8(0x80), true)
	f.Add(uint8(2), uint32(7), uint8(0x10), false)
	f.Fuzz(func(t *testing.T, kind uint8, off uint32, mask uint8, goGit bool) {
		if mask == 0 {
			return
		}
		var file, dir string
		switch kind % 3 {
		case 0:
			file, dir = idx[0], packed
		case 1:
			file, dir = pack[0], packed
		default:
			file, dir = objs[int(off)%len(objs)], loose
			off /= uint32(len(objs))
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		orig := append([]byte(nil), data...)
		data[int(off)%len(data)] ^= mask
		os.Chmod(file, 0o644)
		os.WriteFile(file, data, 0o644)
		defer os.WriteFile(file, orig, 0o644)
		be := history.BackendGit
		if goGit {
			be = history.BackendGoGit
		}
		code, got := corruptOutputs(t, be, dir, b.id)
		switch {
		case code == 0 && got != want[be]:
			t.Errorf("exit 0 with a different answer:\n%s", got)
		case code != 0 && code != 2:
			t.Errorf("exit %d:\n%s", code, got)
		}
	})
}
