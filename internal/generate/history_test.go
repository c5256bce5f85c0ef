package generate

import (
	"bufio"
	"bytes"
	"io"
	"math"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
)

func writeHistory(t *testing.T, s HistorySpec) ([]byte, HistoryInfo) {
	t.Helper()
	var b bytes.Buffer
	info, err := WriteHistory(&b, s)
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), info
}

func TestWriteHistoryDeterministic(t *testing.T) {
	s := HistorySpec{Workspace: Spec{Objectives: 30, Seed: 4}, Commits: 300, Seed: 9}
	a, ia := writeHistory(t, s)
	b, ib := writeHistory(t, s)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs of the same spec wrote different streams")
	}
	if ia.Commits != ib.Commits || ia.WorkspaceCommits != ib.WorkspaceCommits || ia.Last != ib.Last {
		t.Fatalf("two runs gave different info: %+v and %+v", ia, ib)
	}
	s.Seed++
	if c, _ := writeHistory(t, s); bytes.Equal(a, c) {
		t.Error("another seed wrote the same stream")
	}
}

func TestHistorySpecErrors(t *testing.T) {
	for name, s := range map[string]HistorySpec{
		"share above 1":  {WorkspaceShare: 1.5},
		"dir outside":    {Dir: "../okrs"},
		"absolute dir":   {Dir: "/okrs"},
		"git dir":        {Dir: ".git/okrs"},
		"start too late": {Start: model.NewDate(2026, time.November, 22)},
		"too many a day": {Start: model.NewDate(2026, time.November, 20), Commits: 50000},
	} {
		if _, err := WriteHistory(io.Discard, s); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := BuildHistory(dir, HistorySpec{Commits: 3}); err == nil {
		t.Error("BuildHistory into a folder that is not empty: no error")
	}
}

// streamCommit is a commit read back from a fast-import stream.
type streamCommit struct {
	time    int64
	message string
	files   []streamFile
}

type streamFile struct {
	path string
	data []byte
}

// parseStream reads the subset of the fast-import format WriteHistory
// writes.
func parseStream(t *testing.T, stream []byte) []streamCommit {
	t.Helper()
	r := bufio.NewReader(bytes.NewReader(stream))
	line := func() string {
		s, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ends early: %v", err)
		}
		return strings.TrimSuffix(s, "\n")
	}
	data := func() []byte {
		l := line()
		n, err := strconv.Atoi(strings.TrimPrefix(l, "data "))
		if !strings.HasPrefix(l, "data ") || err != nil {
			t.Fatalf("want a data line, got %q", l)
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	if l := line(); l != "feature done" {
		t.Fatalf("first line %q", l)
	}
	var out []streamCommit
	for {
		l := line()
		switch {
		case l == "":
		case l == "done":
			if rest, _ := io.ReadAll(r); len(rest) > 0 {
				t.Fatalf("%d bytes after done", len(rest))
			}
			return out
		case l == "commit refs/heads/main":
			var c streamCommit
			for _, role := range []string{"author ", "committer "} {
				l := line()
				if !strings.HasPrefix(l, role) || !strings.HasSuffix(l, " +0000") {
					t.Fatalf("want %sline, got %q", role, l)
				}
				f := strings.Fields(l)
				ts, err := strconv.ParseInt(f[len(f)-2], 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				c.time = ts
			}
			c.message = strings.TrimSuffix(string(data()), "\n")
			out = append(out, c)
		case strings.HasPrefix(l, "M 100644 inline "):
			c := &out[len(out)-1]
			c.files = append(c.files, streamFile{strings.TrimPrefix(l, "M 100644 inline "), data()})
		default:
			t.Fatalf("unexpected line %q", l)
		}
	}
}

func validateAt(t *testing.T, root string, today model.Date) {
	t.Helper()
	res, err := validate.Run(root, validate.Options{Today: today, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("today %s: %s", today, d)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// TestHistoryEveryStateValid replays the stream of several histories into
// a folder and validates the workspace after every commit that changes it,
// with the commit's day as today, so a check-in dated after its commit
// would be caught.
func TestHistoryEveryStateValid(t *testing.T) {
	for name, s := range map[string]HistorySpec{
		"default-share": {Workspace: Spec{Objectives: 12, Seed: 1}, Commits: 150, Seed: 2},
		"root-dir-mid-year": {Workspace: Spec{Objectives: 10, KRsPerObjective: 6, CheckinsPerKR: 3}, Commits: 120,
			Dir: ".", Start: model.NewDate(2026, time.May, 10), Seed: 3},
		"one-objective-crowded": {Workspace: Spec{Objectives: 1, KRsPerObjective: 1, People: 1, Teams: 1},
			Commits: 80, WorkspaceShare: 1, Start: model.NewDate(2026, time.November, 1)},
		"last-year-nested-dir": {Workspace: Spec{Objectives: 15, CheckinsPerKR: -1}, Commits: 100,
			Dir: "src/okr", Start: model.NewDate(2025, time.February, 1), WorkspaceShare: 0.5},
	} {
		t.Run(name, func(t *testing.T) {
			stream, info := writeHistory(t, s)
			commits := parseStream(t, stream)
			if len(commits) != info.Commits {
				t.Fatalf("%d commits in the stream, info says %d", len(commits), info.Commits)
			}
			dir := s.Dir
			if dir == "" {
				dir = DefaultHistoryDir
			}
			repo := t.TempDir()
			root := filepath.Join(repo, filepath.FromSlash(dir))
			inDir := func(p string) bool {
				return dir == "." && (p == "okr.yaml" || p == "org.yaml" || p == "cycles.yaml" || strings.HasPrefix(p, "objectives/")) ||
					strings.HasPrefix(p, dir+"/")
			}
			ws, touched := 0, map[string]int{}
			byPath := map[string]string{}
			for id, p := range info.Paths {
				byPath[p] = id
			}
			start := s.Start
			if start.IsZero() {
				start = HistoryStart
			}
			var prev int64
			for i, c := range commits {
				if c.time <= prev {
					t.Fatalf("commit %d (%s): time %d not after %d", i, c.message, c.time, prev)
				}
				prev = c.time
				day := model.DateOf(time.Unix(c.time, 0).UTC())
				if day.After(Today) || i == 0 && day != start {
					t.Fatalf("commit %d dated %s", i, day)
				}
				if i > 0 && len(c.files) != 1 {
					t.Fatalf("commit %d (%s) changes %d files", i, c.message, len(c.files))
				}
				if date, ok := strings.CutPrefix(c.message, "checkin: "); ok && !strings.HasSuffix(date, " "+day.String()) {
					t.Fatalf("commit %d of %s: %q", i, day, c.message)
				}
				changed := false
				for _, f := range c.files {
					p := filepath.Join(repo, filepath.FromSlash(f.path))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, f.data, 0o644); err != nil {
						t.Fatal(err)
					}
					if inDir(f.path) {
						changed = true
					}
					if id, ok := byPath[f.path]; ok {
						touched[id]++
					}
				}
				if changed {
					ws++
					validateAt(t, root, day)
				}
				if i == len(commits)-1 && day != info.Last {
					t.Errorf("last commit dated %s, info says %s", day, info.Last)
				}
			}
			if ws != info.WorkspaceCommits {
				t.Errorf("%d commits change the workspace, info says %d", ws, info.WorkspaceCommits)
			}
			for _, id := range info.Objectives {
				if touched[id] != info.Touched[id] {
					t.Errorf("%s: changed by %d commits, info says %d", id, touched[id], info.Touched[id])
				}
			}
			res, err := validate.Run(root, validate.Options{Today: info.Last})
			if err != nil {
				t.Fatal(err)
			}
			checkins, aligned := 0, 0
			for _, o := range res.Workspace.Objectives {
				aligned += len(o.AlignsTo)
				for _, kr := range o.KeyResults {
					checkins += len(kr.Checkins)
					if len(kr.Checkins) > MaxCheckinsPerKR {
						t.Errorf("%s has %d check-ins", kr.ID, len(kr.Checkins))
					}
				}
			}
			if checkins == 0 || len(res.Workspace.Objectives) > 1 && aligned == 0 {
				t.Errorf("%d check-ins and %d alignments at the end", checkins, aligned)
			}
		})
	}
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = gitEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestBuildHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("SKIPPED: the git CLI is not installed, so BuildHistory is not tested")
	}
	s := HistorySpec{Workspace: Spec{Objectives: 20}, Commits: 120, Seed: 5}
	repo := filepath.Join(t.TempDir(), "repo")
	info, err := BuildHistory(repo, s)
	if err != nil {
		t.Fatal(err)
	}
	if n := git(t, repo, "rev-list", "--count", "HEAD"); n != strconv.Itoa(info.Commits) || info.Commits != 121 {
		t.Errorf("%s commits, info says %d", n, info.Commits)
	}
	if h := git(t, repo, "rev-parse", "refs/heads/main"); h != info.Head || len(h) < 40 {
		t.Errorf("main is %s, info says %q", h, info.Head)
	}
	if b := git(t, repo, "symbolic-ref", "HEAD"); b != "refs/heads/main" {
		t.Errorf("HEAD is %s", b)
	}
	ws := len(lines(git(t, repo, "log", "--format=%H", "--", DefaultHistoryDir)))
	if ws != info.WorkspaceCommits {
		t.Errorf("%d commits touch %s, info says %d", ws, DefaultHistoryDir, info.WorkspaceCommits)
	}
	if share := float64(ws-1) / float64(s.Commits); math.Abs(share-DefaultWorkspaceShare) > 0.02 {
		t.Errorf("%.3f of the commits touch the workspace, want %.3f", share, DefaultWorkspaceShare)
	}
	id := info.Objectives[len(info.Objectives)/2]
	for _, o := range info.Objectives {
		if info.Touched[o] > info.Touched[id] {
			id = o
		}
	}
	if n := len(lines(git(t, repo, "log", "--format=%H", "--", info.Paths[id]))); n != info.Touched[id] || n < 2 {
		t.Errorf("%d commits touch %s, info says %d", n, info.Paths[id], info.Touched[id])
	}
	if st := git(t, repo, "status", "--porcelain"); st != "" {
		t.Errorf("git status after BuildHistory:\n%s", st)
	}
	// Repacked as after an import: one pack whose deltas git chose, where
	// most files' newest versions are stored whole. fast-import stores
	// each blob as a delta of the blob written before it: 2 to 8 of 20
	// files at head were whole in its packs (seeds 1, 2, 3 and 5; 120 and
	// 300 commits), 15 to 20 after the repack.
	counts := lines(git(t, repo, "count-objects", "-v"))
	if !slices.Contains(counts, "count: 0") || !slices.Contains(counts, "packs: 1") {
		t.Errorf("git count-objects -v after BuildHistory: %q", counts)
	}
	var heads []string
	for _, l := range lines(git(t, repo, "ls-tree", "-r", "HEAD", DefaultHistoryDir+"/objectives")) {
		if f := strings.Fields(l); len(f) >= 3 {
			heads = append(heads, f[2])
		}
	}
	cmd := exec.Command("git", "-C", repo, "cat-file", "--batch-check=%(deltabase)")
	cmd.Stdin = strings.NewReader(strings.Join(heads, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	whole := 0
	for _, base := range strings.Fields(string(out)) {
		if strings.Trim(base, "0") == "" {
			whole++
		}
	}
	if len(heads) < 10 || 3*whole < 2*len(heads) {
		t.Errorf("%d of the %d objective files at head are stored whole; a repacked history stores most so", whole, len(heads))
	}
	root := git(t, repo, "rev-list", "--max-parents=0", "HEAD")
	var hash string
	files := map[string]int{}
	for _, l := range lines(git(t, repo, "log", "--format=commit %H", "--name-only", "--no-renames", "HEAD")) {
		if h, ok := strings.CutPrefix(l, "commit "); ok {
			hash = h
			files[hash] = 0
		} else if l != "" {
			files[hash]++
		}
	}
	for h, n := range files {
		if h != root && n != 1 {
			t.Errorf("commit %s changes %d files", h, n)
		}
	}
	if len(files) != info.Commits {
		t.Errorf("git log lists %d commits", len(files))
	}

	ws0 := filepath.Join(repo, DefaultHistoryDir)
	validateAt(t, ws0, info.Last)
	early := lines(git(t, repo, "rev-list", "--reverse", "HEAD"))[12]
	git(t, repo, "-c", "advice.detachedHead=false", "checkout", "--quiet", early)
	validateAt(t, ws0, info.Last)
}

// TestBuildHistoryForBench builds the history benchmark repository into
// $OKR_HIST_DIR: $OKR_HIST_OBJECTIVES objectives (default 1,000) of 4 key
// results and $OKR_HIST_COMMITS commits (default 20,000), two thirds of
// them changing the workspace. It logs the objective changed by the most
// commits as "bench-objective ID PATH TOUCHES". Without OKR_HIST_DIR it is
// skipped.
func TestBuildHistoryForBench(t *testing.T) {
	dir := os.Getenv("OKR_HIST_DIR")
	if dir == "" {
		t.Skip("set OKR_HIST_DIR to build the history benchmark repository")
	}
	env := func(name string, def int) int {
		v := os.Getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q is not a positive number", name, v)
		}
		return n
	}
	s := HistorySpec{
		Workspace: Spec{Objectives: env("OKR_HIST_OBJECTIVES", 1000), KRsPerObjective: 4},
		Commits:   env("OKR_HIST_COMMITS", 20000),
	}
	begin := time.Now()
	info, err := BuildHistory(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d commits (%d touching the workspace) in %s", info.Commits, info.WorkspaceCommits, time.Since(begin).Round(time.Millisecond))
	t.Logf("bench-workspace %s", path.Join(filepath.ToSlash(dir), DefaultHistoryDir))
	best := info.Objectives[0]
	for _, id := range info.Objectives {
		if info.Touched[id] > info.Touched[best] {
			best = id
		}
	}
	t.Logf("bench-objective %s %s %d", best, info.Paths[best], info.Touched[best])
}

// BenchmarkWriteHistory writes the stream of the benchmark history (1,000
// objectives, 20,000 commits) to io.Discard.
func BenchmarkWriteHistory(b *testing.B) {
	s := HistorySpec{Workspace: Spec{Objectives: 1000, KRsPerObjective: 4}, Commits: 20000}
	var n countingWriter
	for b.Loop() {
		n = 0
		if _, err := WriteHistory(&n, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/1e6, "MB/stream")
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
