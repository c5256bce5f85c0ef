package history

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/okrkit/okr/internal/generate"
	"github.com/okrkit/okr/internal/model"
)

// benchRepo returns the workspace folder of the history to measure:
// $OKR_HIST_REPO (a repository built by generate.BuildHistory, e.g. with
// TestBuildHistoryForBench), else a small generated one.
func benchRepo(b *testing.B) (ws string, info generate.HistoryInfo) {
	b.Helper()
	if dir := os.Getenv("OKR_HIST_REPO"); dir != "" {
		return filepath.Join(dir, generate.DefaultHistoryDir), generate.HistoryInfo{}
	}
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed: cannot build a history to measure")
	}
	dir := b.TempDir()
	info, err := generate.BuildHistory(dir, generate.HistorySpec{Workspace: generate.Spec{Objectives: 100}, Commits: 1500})
	if err != nil {
		b.Fatal(err)
	}
	return filepath.Join(dir, generate.DefaultHistoryDir), info
}

// far is a date after every check-in: a commit's state is scored with
// every check-in it holds.
var far = model.Date{Year: 9999, Month: 12, Day: 31}

// BenchmarkStates measures the state of the workspace at every commit that
// touched it, scored: each state's changed objectives are re-scored with
// their rollup ancestors (score.Rollup.Replace), so every objective's score
// is current at every state.
func BenchmarkStates(b *testing.B) {
	ws, _ := benchRepo(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, head := openHead(b, ws)
		states := 0
		sc := NewScorer(far)
		err := r.Walk(head, WalkOptions{}, func(s *State) error {
			states++
			sc.Apply(s)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
		b.ReportMetric(float64(states), "states")
	}
}

// BenchmarkLog measures okr log's engine: every version of one objective
// (the one changed most often) along the whole history.
func BenchmarkLog(b *testing.B) {
	ws, info := benchRepo(b)
	id := os.Getenv("OKR_HIST_ID")
	if id == "" {
		most := 0
		for _, o := range info.Objectives {
			if info.Touched[o] > most {
				id, most = o, info.Touched[o]
			}
		}
	}
	if id == "" {
		b.Skip("set OKR_HIST_ID with OKR_HIST_REPO")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, head := openHead(b, ws)
		vs, err := r.Versions(head, id, false)
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
		b.ReportMetric(float64(len(vs)), "versions")
	}
}

// openHead opens the repository of workspace ws and reads its HEAD.
func openHead(b *testing.B, ws string) (*Repo, *Commit) {
	b.Helper()
	r, err := Open(ws)
	if err != nil {
		b.Fatal(err)
	}
	head, err := r.Head()
	if err != nil {
		b.Fatal(err)
	}
	return r, head
}

// BenchmarkSnapshotAt measures okr snapshot --at's engine: the last
// first-parent commit on or before a day 3,000 commits back (or halfway
// back in a small history), and the workspace loaded at it.
func BenchmarkSnapshotAt(b *testing.B) {
	ws, _ := benchRepo(b)
	r, head := openHead(b, ws)
	chain, err := r.FirstParents(head, nil)
	if err != nil {
		b.Fatal(err)
	}
	r.Close()
	day := chain[min(3000, len(chain)/2)].Date()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, head := openHead(b, ws)
		c, err := r.At(head, day)
		if err != nil || c == nil {
			b.Fatalf("At(%s): %v %v", day, c, err)
		}
		res, err := r.Load(c)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Workspace.Objectives)), "objectives")
		r.Close()
	}
}
