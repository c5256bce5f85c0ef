package history

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/score"
)

// The test history, built in-process with go-git. Dates are committer
// dates (12:00 UTC); the workspace lives in okrs/.
//
//	c1 2026-10-01 workspace created: objective ship (kr1 increase 0 -> 100), no check-ins
//	c2 2026-10-08 check-in kr1 = 20 (dated 2026-10-08)
//	c3 2026-10-10 README only: does not touch the workspace
//	c4 2026-10-15 objectives/a.yaml renamed to objectives/team/ship.yaml, check-in kr1 = 40
//	f1 2026-10-20 (branch feature, from c4) target 100 -> 80: a goalpost
//	c6 2026-10-21 (main) new objective docs in objectives/docs.yaml
//	c7 2026-10-22 merge feature into main (first parent c6)
const (
	okrYAML    = "version: 1\nname: Test\n"
	orgYAML    = "people:\n  - {id: ann, name: Ann}\n  - {id: bob, name: Bob}\nteams:\n  - {id: core, name: Core, lead: ann}\n"
	cyclesYAML = "cycles:\n  - {id: q4, start: 2026-10-01, end: 2026-12-31}\n"
	docsYAML   = "id: docs\ntitle: Write the docs\ncycle: q4\nowner: bob\nkey_results:\n  - {id: pages, title: Pages, type: increase, start: 0, target: 10}\n"
)

func ship(target string, checkins ...string) string {
	s := "# the shipping objective\nid: ship\ntitle: Ship it\ncycle: q4\nowner: ann\nkey_results:\n  - id: kr1\n    title: Users\n    type: increase\n    start: 0\n    target: " + target + "\n"
	if len(checkins) > 0 {
		s += "    checkins:\n"
		for _, c := range checkins {
			s += "      - " + c + "\n"
		}
	}
	return s
}

type builder struct {
	t    *testing.T
	dir  string
	repo *git.Repository
	wt   *git.Worktree
}

func newBuilder(t *testing.T) *builder {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	return &builder{t: t, dir: dir, repo: repo, wt: wt}
}

func (b *builder) write(files map[string]string) {
	b.t.Helper()
	for p, content := range files {
		full := filepath.Join(b.dir, filepath.FromSlash(p))
		if content == "" {
			if _, err := b.wt.Remove(p); err != nil {
				b.t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			b.t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			b.t.Fatal(err)
		}
		if _, err := b.wt.Add(p); err != nil {
			b.t.Fatal(err)
		}
	}
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s+" 12:00")
	if err != nil {
		panic(err)
	}
	return t
}

// commit writes files ("" removes one) and commits them on the checked-out
// branch; parents, when given, replace HEAD as the parents (a merge).
func (b *builder) commit(date, msg, author string, files map[string]string, parents ...Hash) Hash {
	b.t.Helper()
	return b.commitAt(day(date), msg, author, files, parents...)
}

// commitAt is commit at a moment, in its zone.
func (b *builder) commitAt(when time.Time, msg, author string, files map[string]string, parents ...Hash) Hash {
	b.t.Helper()
	b.write(files)
	sig := &object.Signature{Name: author, Email: strings.ToLower(author) + "@example.com", When: when}
	var ps []plumbing.Hash
	for _, p := range parents {
		ps = append(ps, toPlumbing(p))
	}
	h, err := b.wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, Parents: ps, AllowEmptyCommits: true})
	if err != nil {
		b.t.Fatal(err)
	}
	return fromPlumbing(h)
}

func (b *builder) checkout(branch string, create bool, from Hash) {
	b.t.Helper()
	opts := &git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(branch), Create: create, Force: true}
	if create {
		opts.Hash = toPlumbing(from)
	}
	if err := b.wt.Checkout(opts); err != nil {
		b.t.Fatal(err)
	}
}

type testHistory struct {
	dir                        string
	c1, c2, c3, c4, f1, c6, c7 Hash
}

func buildHistory(t *testing.T) testHistory {
	b := newBuilder(t)
	h := testHistory{dir: b.dir}
	h.c1 = b.commit("2026-10-01", "start", "Ann", map[string]string{
		"README.md": "hello\n", "okrs/okr.yaml": okrYAML, "okrs/org.yaml": orgYAML, "okrs/cycles.yaml": cyclesYAML,
		"okrs/objectives/a.yaml": ship("100")})
	h.c2 = b.commit("2026-10-08", "check in 20", "Ann", map[string]string{
		"okrs/objectives/a.yaml": ship("100", "{date: 2026-10-08, value: 20}")})
	h.c3 = b.commit("2026-10-10", "readme", "Bob", map[string]string{"README.md": "hello again\n"})
	h.c4 = b.commit("2026-10-15", "move and check in 40", "Ann", map[string]string{
		"okrs/objectives/a.yaml":         "",
		"okrs/objectives/team/ship.yaml": ship("100", "{date: 2026-10-08, value: 20}", "{date: 2026-10-15, value: 40}")})
	b.checkout("feature", true, h.c4)
	h.f1 = b.commit("2026-10-20", "lower the bar", "Bob", map[string]string{
		"okrs/objectives/team/ship.yaml": ship("80", "{date: 2026-10-08, value: 20}", "{date: 2026-10-15, value: 40}")})
	b.checkout("master", false, Hash{})
	h.c6 = b.commit("2026-10-21", "docs objective", "Bob", map[string]string{"okrs/objectives/docs.yaml": docsYAML})
	h.c7 = b.commit("2026-10-22", "merge feature", "Ann", map[string]string{
		"okrs/objectives/team/ship.yaml": ship("80", "{date: 2026-10-08, value: 20}", "{date: 2026-10-15, value: 40}")}, h.c6, h.f1)
	return h
}

func open(t *testing.T, dir string) *Repo {
	t.Helper()
	r, err := Open(filepath.Join(dir, "okrs"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestWalkSkipsUntouchedAndFollowsFirstParent(t *testing.T) {
	forBackends(t, testWalkSkipsUntouchedAndFollowsFirstParent)
}

func testWalkSkipsUntouchedAndFollowsFirstParent(t *testing.T) {
	h := buildHistory(t)
	r := open(t, h.dir)
	if r.Prefix != "okrs" {
		t.Fatalf("prefix %q, want okrs", r.Prefix)
	}
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		commit  Hash
		changes []string
	}
	var got []seen
	err = r.Walk(head, WalkOptions{}, func(s *State) error {
		var cs []string
		for _, c := range s.Changes {
			op := "~"
			switch {
			case c.Old == nil:
				op = "+"
			case c.New == nil:
				op = "-"
			}
			cs = append(cs, op+c.Path)
		}
		got = append(got, seen{s.Commit.Hash, cs})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []seen{
		{h.c1, []string{"+cycles.yaml", "+objectives/a.yaml", "+okr.yaml", "+org.yaml"}},
		{h.c2, []string{"~objectives/a.yaml"}},
		// c3 touched only README.md: skipped.
		{h.c4, []string{"-objectives/a.yaml", "+objectives/team/ship.yaml"}},
		{h.c6, []string{"+objectives/docs.yaml"}},
		// The merge, against its first parent c6: the feature's change.
		{h.c7, []string{"~objectives/team/ship.yaml"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d states %v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i].commit != want[i].commit || strings.Join(got[i].changes, " ") != strings.Join(want[i].changes, " ") {
			t.Errorf("state %d: got %s %v, want %s %v", i, got[i].commit, got[i].changes, want[i].commit, want[i].changes)
		}
	}
}

// snapshotKR computes, by the same path okr snapshot takes, kr1's progress
// and status in the workspace at the last first-parent commit on or before
// at, as of at.
func snapshotKR(t *testing.T, r *Repo, from *Commit, at string) (commit Hash, progress, expected float64, status string) {
	t.Helper()
	d, _ := model.ParseDate(at)
	c, err := r.At(from, d)
	if err != nil || c == nil {
		t.Fatalf("At(%s): %v %v", at, c, err)
	}
	res, err := r.Load(c)
	if err != nil {
		t.Fatal(err)
	}
	ws := res.Workspace
	rep := report.Build(ws, ws.Cycles[0], d)
	for _, o := range rep.Objectives {
		for _, k := range o.KeyResults {
			if k.ID == "kr1" {
				return c.Hash, k.Progress, rep.Expected, k.Status
			}
		}
	}
	t.Fatalf("no kr1 at %s", at)
	return
}

func TestSnapshotsAtDatesAndRefs(t *testing.T) { forBackends(t, testSnapshotsAtDatesAndRefs) }

func testSnapshotsAtDatesAndRefs(t *testing.T) {
	h := buildHistory(t)
	r := open(t, h.dir)
	head, _ := r.Head()
	// Hand-computed: expected = days since 2026-10-01 / 91 (the cycle runs
	// 2026-10-01..2026-12-31); progress = value / target; status on_track
	// when progress >= 0.9*expected, at_risk when >= 0.6*expected.
	cases := []struct {
		at            string
		commit        Hash
		progress, exp float64
		status        string
	}{
		{"2026-10-01", h.c1, 0, 0, "on_track"},            // no check-in yet; nothing expected yet
		{"2026-10-09", h.c2, 0.20, 8.0 / 91, "on_track"},  // 0.20 >= 0.9*0.088
		{"2026-10-12", h.c3, 0.20, 11.0 / 91, "on_track"}, // c3 is the last commit; its tree is c2's
		{"2026-10-16", h.c4, 0.40, 15.0 / 91, "on_track"}, // after the rename
		{"2026-10-20", h.c4, 0.40, 19.0 / 91, "on_track"}, // f1 is on the feature branch, not first-parent
		{"2026-10-21", h.c6, 0.40, 20.0 / 91, "on_track"}, // target still 100 on main
		{"2026-10-30", h.c7, 0.50, 29.0 / 91, "on_track"}, // merged: 40/80
	}
	for _, tc := range cases {
		c, p, e, st := snapshotKR(t, r, head, tc.at)
		if c != tc.commit || math.Abs(p-tc.progress) > 1e-9 || math.Abs(e-tc.exp) > 1e-9 || st != tc.status {
			t.Errorf("at %s: commit %s progress %v expected %v status %s; want %s %v %v %s",
				tc.at, c.String()[:7], p, e, st, tc.commit.String()[:7], tc.progress, tc.exp, tc.status)
		}
	}
	// Check-ins after the date are not counted even when the commit has them.
	res, _ := r.Load(mustCommit(t, r, h.c4))
	d, _ := model.ParseDate("2026-10-10")
	rep := report.Build(res.Workspace, res.Workspace.Cycles[0], d)
	if got := rep.Objectives[0].KeyResults[0].Progress; got != 0.2 {
		t.Errorf("c4 as of 2026-10-10: progress %v, want 0.2 (the 2026-10-15 check-in is later)", got)
	}
	// A ref on another branch: the feature's tree has target 80.
	f, err := r.Resolve("feature")
	if err != nil || f.Hash != h.f1 {
		t.Fatalf("resolve feature: %v %v", f, err)
	}
	if _, p, _, _ := snapshotKR(t, r, f, "2026-10-20"); p != 0.5 {
		t.Errorf("feature at 2026-10-20: progress %v, want 0.5 (40/80)", p)
	}
	if c, err := r.At(head, model.Date{Year: 2026, Month: 9, Day: 30}); err != nil || c != nil {
		t.Errorf("At before the first commit = %v, %v; want nil", c, err)
	}
}

func mustCommit(t *testing.T, r *Repo, h Hash) *Commit {
	t.Helper()
	c, err := r.Commit(h)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestVersionsFollowRenamesAndMerges(t *testing.T) {
	forBackends(t, testVersionsFollowRenamesAndMerges)
}

func testVersionsFollowRenamesAndMerges(t *testing.T) {
	h := buildHistory(t)
	r := open(t, h.dir)
	head, _ := r.Head()
	vs, err := r.Versions(head, "kr1", false)
	if err != nil {
		t.Fatal(err)
	}
	type v struct {
		commit     Hash
		path, from string
		created    bool
	}
	want := []v{
		{h.c7, "objectives/team/ship.yaml", "", false},
		{h.c4, "objectives/team/ship.yaml", "objectives/a.yaml", false},
		{h.c2, "objectives/a.yaml", "", false},
		{h.c1, "objectives/a.yaml", "", true},
	}
	if len(vs) != len(want) {
		t.Fatalf("got %d versions, want %d", len(vs), len(want))
	}
	for i, w := range want {
		g := vs[i]
		if g.Commit.Hash != w.commit || g.Path != w.path || g.OldPath != w.from || (g.Old == nil) != w.created {
			t.Errorf("version %d: %s %s from %q created %v; want %s %s from %q created %v", i,
				g.Commit.Short(), g.Path, g.OldPath, g.Old == nil, w.commit.String()[:7], w.path, w.from, w.created)
		}
	}
	if got := *vs[0].Objective.KeyResults[0].Target; got != 80 {
		t.Errorf("newest target %v, want 80", got)
	}
	if _, err := r.Versions(head, "nope", false); !errors.Is(err, ErrUnknownID) {
		t.Errorf("unknown id: %v, want ErrUnknownID", err)
	}
	// The working tree's edit comes first with --worktree.
	p := filepath.Join(h.dir, "okrs/objectives/team/ship.yaml")
	if err := os.WriteFile(p, []byte(ship("90")), 0o644); err != nil {
		t.Fatal(err)
	}
	vs, err = r.Versions(head, "ship", true)
	if err != nil {
		t.Fatal(err)
	}
	if vs[0].Commit != nil || *vs[0].Objective.KeyResults[0].Target != 90 || len(vs) != 5 {
		t.Errorf("worktree version: commit %v, %d versions", vs[0].Commit, len(vs))
	}
}

func TestWorktreeStateAndScorer(t *testing.T) { forBackends(t, testWorktreeStateAndScorer) }

func testWorktreeStateAndScorer(t *testing.T) {
	h := buildHistory(t)
	r := open(t, h.dir)
	head, _ := r.Head()
	if err := os.WriteFile(filepath.Join(h.dir, "okrs/objectives/docs.yaml"),
		[]byte(strings.Replace(docsYAML, "target: 10}", "target: 10, checkins: [{date: 2026-10-23, value: 5}]}", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	sc := NewScorer(far)
	var last *State
	n := 0
	err := r.Walk(head, WalkOptions{Worktree: true}, func(s *State) error {
		n++
		sc.Apply(s)
		// The incremental scores equal a fresh rollup of the whole state.
		ws := s.Workspace().Workspace
		fresh := score.FromSettings(ws.Settings).NewRollup(ws, far)
		for _, o := range ws.Objectives {
			a, aok := sc.Objective(o.ID)
			b, bok := fresh.Objective(o.ID)
			if a != b || aok != bok {
				t.Errorf("state %d, %s: incremental %v %v, fresh %v %v", n, o.ID, a, aok, b, bok)
			}
		}
		last = s
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 || last == nil {
		t.Fatalf("%d states, want 6 (5 commits and the working tree)", n)
	}
	if s, _ := sc.Objective("docs"); s != 0.5 {
		t.Errorf("docs in the working tree scores %v, want 0.5 (5 of 10 pages)", s)
	}
	if s, _ := sc.Objective("ship"); s != 0.5 {
		t.Errorf("ship scores %v, want 0.5 (40 of 80)", s)
	}
}

func TestDetachedHeadEmptyRepoAndNoRepo(t *testing.T) {
	forBackends(t, testDetachedHeadEmptyRepoAndNoRepo)
}

func testDetachedHeadEmptyRepoAndNoRepo(t *testing.T) {
	h := buildHistory(t)
	repo, err := git.PlainOpen(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	if err := wt.Checkout(&git.CheckoutOptions{Hash: toPlumbing(h.c2), Force: true}); err != nil {
		t.Fatal(err)
	}
	r := open(t, h.dir)
	head, err := r.Head()
	if err != nil || head.Hash != h.c2 || r.Branch() != "" {
		t.Errorf("detached: head %v branch %q err %v", head, r.Branch(), err)
	}
	if r.DefaultBranch() != "master" {
		t.Errorf("default branch %q, want master", r.DefaultBranch())
	}

	empty := t.TempDir()
	if _, err := git.PlainInit(empty, false); err != nil {
		t.Fatal(err)
	}
	er, err := Open(empty)
	if err != nil {
		t.Fatal(err)
	}
	defer er.Close()
	if _, err := er.Head(); !errors.Is(err, ErrNoCommits) {
		t.Errorf("empty repo Head: %v, want ErrNoCommits", err)
	}
	if _, err := er.Resolve("HEAD"); !errors.Is(err, ErrNoCommits) {
		t.Errorf("empty repo Resolve: %v, want ErrNoCommits", err)
	}
	if _, err := Open(t.TempDir()); !errors.Is(err, ErrNotRepository) {
		t.Errorf("no repo: %v, want ErrNotRepository", err)
	}
}

// gitCLI runs git in dir, skipping the test when git is not installed.
func gitCLI(t *testing.T, dir string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the git CLI half of the history tests is skipped")
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "GIT_AUTHOR_NAME=Cli", "GIT_AUTHOR_EMAIL=cli@example.com",
		"GIT_COMMITTER_NAME=Cli", "GIT_COMMITTER_EMAIL=cli@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestGitCLIHistoryMergeRenameAndShallow(t *testing.T) {
	forBackends(t, testGitCLIHistoryMergeRenameAndShallow)
}

func testGitCLIHistoryMergeRenameAndShallow(t *testing.T) {
	dir := t.TempDir()
	gitCLI(t, dir, "init", "-q", "-b", "main")
	write := func(p, s string) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commit := func(date, msg string) {
		t.Setenv("GIT_AUTHOR_DATE", date+"T12:00:00Z")
		t.Setenv("GIT_COMMITTER_DATE", date+"T12:00:00Z")
		gitCLI(t, dir, "add", "-A")
		gitCLI(t, dir, "commit", "-q", "-m", msg)
	}
	// The workspace at the repository root this time.
	write("okr.yaml", okrYAML)
	write("org.yaml", orgYAML)
	write("cycles.yaml", cyclesYAML)
	write("objectives/a.yaml", ship("100"))
	commit("2026-10-01", "start")
	write("objectives/a.yaml", ship("100", "{date: 2026-10-05, value: 10}"))
	commit("2026-10-05", "ten")
	gitCLI(t, dir, "checkout", "-q", "-b", "side")
	write("objectives/docs.yaml", docsYAML)
	commit("2026-10-06", "docs on a branch")
	gitCLI(t, dir, "checkout", "-q", "main")
	gitCLI(t, dir, "mv", "objectives/a.yaml", "objectives/ship.yaml")
	commit("2026-10-07", "rename")
	t.Setenv("GIT_COMMITTER_DATE", "2026-10-08T12:00:00Z")
	gitCLI(t, dir, "merge", "-q", "--no-ff", "-m", "merge side", "side")
	write("objectives/ship.yaml", ship("100", "{date: 2026-10-05, value: 10}", "{date: 2026-10-09, value: 30}"))
	commit("2026-10-09", "thirty")

	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	head, _ := r.Head()
	var subjects []string
	if err := r.Walk(head, WalkOptions{}, func(s *State) error {
		subjects = append(subjects, s.Commit.Subject)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(subjects, ", "); got != "start, ten, rename, merge side, thirty" {
		t.Errorf("states: %s", got)
	}
	// The same first-parent commits git itself lists, minus none: every one
	// of them touched the workspace here.
	if n := len(strings.Split(gitCLI(t, dir, "rev-list", "--first-parent", "HEAD"), "\n")); n != 5 {
		t.Errorf("git lists %d first-parent commits, want 5", n)
	}
	_, p, _, _ := snapshotKR(t, r, head, "2026-10-08")
	if p != 0.1 {
		t.Errorf("at 2026-10-08 (after the merge): progress %v, want 0.1", p)
	}
	vs, err := r.Versions(head, "kr1", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 4 || vs[1].OldPath != "objectives/a.yaml" || vs[1].Path != "objectives/ship.yaml" {
		t.Errorf("versions across the git mv: %d, %+v", len(vs), vs)
	}

	// A shallow clone: the walk stops at its boundary with a ShallowError.
	clone := t.TempDir()
	gitCLI(t, clone, "clone", "-q", "--depth", "2", "file://"+dir, "c")
	sr, err := Open(filepath.Join(clone, "c"))
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	sh, err := sr.Head()
	if err != nil {
		t.Fatal(err)
	}
	var se *ShallowError
	err = sr.Walk(sh, WalkOptions{}, func(*State) error { return nil })
	if !errors.As(err, &se) || !strings.Contains(se.Hint(), "fetch-depth: 0") {
		t.Errorf("shallow walk: %v", err)
	}
	// What the clone does have still works.
	if c, err := sr.At(sh, model.Date{Year: 2026, Month: 10, Day: 9}); err != nil || c.Hash != sh.Hash {
		t.Errorf("shallow At inside the clone: %v %v", c, err)
	}
	if _, err := sr.At(sh, model.Date{Year: 2026, Month: 10, Day: 2}); !errors.As(err, &se) {
		t.Errorf("shallow At before the boundary: %v, want ShallowError", err)
	}
}

// fingerprint summarises a state's files: paths, and per objective its
// title, key-result goals and check-ins.
func fingerprint(s *State) string {
	var b strings.Builder
	for _, f := range s.Files() {
		b.WriteString(f.Path + ":" + fileprint(f) + "\n")
	}
	return b.String()
}

// fileprint summarises one file: per objective its title, key-result goals
// and check-ins.
func fileprint(f *load.File) string {
	var b strings.Builder
	for _, o := range f.Part.Objectives {
		b.WriteString(o.ID + "/" + o.Title)
		for _, kr := range o.KeyResults {
			fmt.Fprintf(&b, " %s", kr.ID)
			if kr.Target != nil {
				fmt.Fprintf(&b, "->%v", *kr.Target)
			}
			for _, c := range kr.Checkins {
				fmt.Fprintf(&b, " %s=%v", c.Date, c.Value)
			}
		}
	}
	return b.String()
}

// TestScorerMoveToEarlierPath moves an objective to a path that sorts
// before its old one, so the state's changes list the addition before the
// removal: the scorer must still end up with the objective.
func TestScorerMoveToEarlierPath(t *testing.T) { forBackends(t, testScorerMoveToEarlierPath) }

func testScorerMoveToEarlierPath(t *testing.T) {
	b := newBuilder(t)
	b.commit("2026-10-01", "start", "Ann", map[string]string{"okrs/okr.yaml": okrYAML, "okrs/org.yaml": orgYAML,
		"okrs/cycles.yaml": cyclesYAML, "okrs/objectives/zz/ship.yaml": ship("100", "{date: 2026-10-02, value: 30}")})
	b.commit("2026-10-05", "move", "Ann", map[string]string{"okrs/objectives/zz/ship.yaml": "",
		"okrs/objectives/aa/ship.yaml": ship("100", "{date: 2026-10-02, value: 30}")})
	r := open(t, b.dir)
	head, _ := r.Head()
	sc := NewScorer(far)
	var last []string
	if err := r.Walk(head, WalkOptions{}, func(s *State) error {
		sc.Apply(s)
		last = nil
		for _, c := range s.Changes {
			last = append(last, fmt.Sprintf("%s %v %v", c.Path, c.Old != nil, c.New != nil))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(last, "; ") != "objectives/aa/ship.yaml false true; objectives/zz/ship.yaml true false" {
		t.Fatalf("changes of the move: %v", last)
	}
	if s, ok := sc.Objective("ship"); !ok || s != 0.3 {
		t.Errorf("after the move ship scores %v %v, want 0.3", s, ok)
	}
}

// TestWalkPastReadAhead walks with a read-ahead budget of two blobs: the
// rest are read when parsed, and the states are the same.
func TestWalkPastReadAhead(t *testing.T) { forBackends(t, testWalkPastReadAhead) }

func testWalkPastReadAhead(t *testing.T) {
	h := buildHistory(t)
	r := open(t, h.dir)
	head, _ := r.Head()
	states := func() []string {
		var out []string
		if err := r.Walk(head, WalkOptions{}, func(s *State) error {
			out = append(out, s.Commit.Short()+"\n"+fingerprint(s))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := states()
	defer func(n int) { maxPrefetch = n }(maxPrefetch)
	maxPrefetch = 2
	got := states()
	if strings.Join(got, "") != strings.Join(want, "") || len(want) != 5 {
		t.Errorf("with a read-ahead of 2:\n%v\nwant\n%v", got, want)
	}
}

// TestIdentity: the global file is the one GIT_CONFIG_GLOBAL names (not
// ~/.gitconfig, which go-git's own global scope would read), and the
// repository's configuration wins key by key.
func TestIdentity(t *testing.T) { forBackends(t, testIdentity) }

func testIdentity(t *testing.T) {
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Home Name\n\temail = home@example.com\n"), 0o644)
	global := filepath.Join(t.TempDir(), "global")
	os.WriteFile(global, []byte("[user]\n\tname = Global Name\n\temail = global@example.com\n"), 0o644)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("GIT_CONFIG_GLOBAL", global)

	b := newBuilder(t)
	b.commit("2026-10-01", "init", "ada", map[string]string{"okrs/okr.yaml": "version: 1\n"})
	r := open(t, b.dir)
	if n, e := r.Identity(); n != "Global Name" || e != "global@example.com" {
		t.Errorf("Identity() = %q, %q; want the GIT_CONFIG_GLOBAL file's", n, e)
	}
	cfg, err := b.repo.Config()
	if err != nil {
		t.Fatal(err)
	}
	cfg.User.Name = "Repo Name"
	if err := b.repo.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	r2 := open(t, b.dir)
	if n, e := r2.Identity(); n != "Repo Name" || e != "global@example.com" {
		t.Errorf("Identity() = %q, %q; want the repository's name and the global email", n, e)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", "")
	os.Unsetenv("GIT_CONFIG_GLOBAL") // empty would mean "no global file" to git
	if n, e := r2.Identity(); n != "Repo Name" || e != "home@example.com" {
		t.Errorf("Identity() = %q, %q; want ~/.gitconfig's email without GIT_CONFIG_GLOBAL", n, e)
	}
}

// TestFile reads one workspace file of a commit, and nothing for a file the
// commit does not have.
func TestFile(t *testing.T) { forBackends(t, testFile) }

func testFile(t *testing.T) {
	b := newBuilder(t)
	h1 := b.commit("2026-10-01", "init", "ada", map[string]string{
		"okrs/okr.yaml": "version: 1\n",
		"okrs/org.yaml": "people:\n  - id: ada\n    name: Ada Okafor\n",
	})
	h2 := b.commit("2026-10-02", "rename", "ada", map[string]string{
		"okrs/org.yaml": "people:\n  - id: ada\n    name: Ada O.\n",
	})
	r := open(t, b.dir)
	for _, c := range []struct {
		h    Hash
		want string
	}{{h1, "Ada Okafor"}, {h2, "Ada O."}} {
		f, err := r.File(mustCommit(t, r, c.h), "org.yaml")
		if err != nil || f == nil {
			t.Fatalf("File(org.yaml) = %v, %v", f, err)
		}
		if len(f.Part.People) != 1 || f.Part.People[0].Name != c.want {
			t.Errorf("people at %s = %+v, want %s", c.h, f.Part.People, c.want)
		}
	}
	if f, err := r.File(mustCommit(t, r, h2), "cycles.yaml"); f != nil || err != nil {
		t.Errorf("File(cycles.yaml) = %v, %v; want nil, nil", f, err)
	}
	if _, err := r.File(mustCommit(t, r, h2), "notes.txt"); err == nil {
		t.Error("File(notes.txt): want an error for a path that is no workspace file")
	}
}

// forBackends runs fn once per backend: go-git, and the git command when
// it is installed (skipped, and said so, when it is not).
func forBackends(t *testing.T, fn func(t *testing.T)) {
	for _, b := range []string{BackendGit, BackendGoGit} {
		t.Run(b, func(t *testing.T) {
			if b == BackendGit {
				if _, err := exec.LookPath("git"); err != nil {
					t.Skip("git is not installed: the git-command backend is not tested")
				}
			}
			t.Setenv("OKR_GIT", b)
			fn(t)
		})
	}
}

// TestWalkCheckpoints: both backends merge the states of commits dated in
// one interval between checkpoints into one, at the last of them, whose
// files are the whole walk's there (the first run whole: every file new).
// c1 10-01, c2 10-08, (c3
// README), c4 10-15, c6 10-21, c7 10-22.
func TestWalkCheckpoints(t *testing.T) { forBackends(t, testWalkCheckpoints) }

func testWalkCheckpoints(t *testing.T) {
	h := buildHistory(t)
	r := open(t, h.dir)
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	type state struct {
		commit Hash
		files  string
		whole  bool
	}
	walk := func(points ...string) []state {
		var out []state
		var cps []model.Date
		for _, p := range points {
			d, _ := model.ParseDate(p)
			cps = append(cps, d)
		}
		err := r.Walk(head, WalkOptions{Checkpoints: cps}, func(s *State) error {
			whole := len(s.Changes) == len(s.Files())
			for _, c := range s.Changes {
				whole = whole && c.Old == nil
			}
			out = append(out, state{s.Commit.Hash, fingerprint(s), whole})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	all := walk()
	if len(all) != 5 {
		t.Fatalf("%d states in the whole walk, want 5", len(all))
	}
	at := map[Hash]state{}
	for _, s := range all {
		at[s.commit] = s
	}
	for _, c := range []struct {
		points []string
		want   []Hash
	}{
		{[]string{"2026-10-09", "2026-10-20"}, []Hash{h.c2, h.c4, h.c7}},
		{[]string{"2026-10-09"}, []Hash{h.c2, h.c7}},
		{[]string{"2026-09-01"}, []Hash{h.c7}},
		{[]string{"2026-10-01", "2026-10-08", "2026-10-15", "2026-10-21", "2026-10-22"}, []Hash{h.c1, h.c2, h.c4, h.c6, h.c7}},
		{[]string{"2026-12-01"}, []Hash{h.c7}},
	} {
		got := walk(c.points...)
		want := c.want
		if len(got) != len(want) {
			t.Fatalf("checkpoints %v: %d states, want %d", c.points, len(got), len(want))
		}
		for k, w := range want {
			if got[k].commit != w || got[k].files != at[w].files {
				t.Errorf("checkpoints %v, state %d: %s\n%s\nwant %s\n%s", c.points, k, got[k].commit, got[k].files, w, at[w].files)
			}
		}
		if !got[0].whole {
			t.Errorf("checkpoints %v: the first state is not the whole workspace", c.points)
		}
	}
}
