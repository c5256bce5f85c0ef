package history

import (
	"context"
	"fmt"
	"math/rand"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/model"
)

// TestCheckpointsMatchWholeWalk is the oracle of the merged walk: on
// random histories whose commit dates go back and forth across zones,
// with commits that do not touch the workspace, commits that touch only a
// file okr does not read, and changes reverted within one interval, a walk
// with checkpoints gives, with either backend, exactly the last state of
// each run of consecutive whole-walk states dated in one interval: its
// commit, its files, and as changes the files that differ from the state
// before (every file, new, first).
func TestCheckpointsMatchWholeWalk(t *testing.T) { forBackends(t, testCheckpointsMatchWholeWalk) }

func testCheckpointsMatchWholeWalk(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		rng := rand.New(rand.NewSource(seed))
		dir, start := randomHistory(t, rng)
		r := open(t, dir)
		head, err := r.Head()
		if err != nil {
			t.Fatal(err)
		}
		whole := walkStates(t, r, head, nil)
		for trial := 0; trial < 6; trial++ {
			var cps []model.Date
			for _, d := range rng.Perm(45)[:1+rng.Intn(6)] {
				cps = append(cps, model.DateOf(start.AddDate(0, 0, d-2)))
			}
			slices.SortFunc(cps, func(a, b model.Date) int {
				if a.Before(b) {
					return -1
				}
				if b.Before(a) {
					return 1
				}
				return 0
			})
			// The expected states: the last of each run of whole-walk
			// states in one interval, with the paths that differ from the
			// state before.
			var want []walkState
			for k, s := range whole {
				if k+1 < len(whole) && interval(cps, whole[k+1].commit) == interval(cps, s.commit) {
					continue
				}
				w := walkState{commit: s.commit, files: s.files}
				var before map[string]string
				if len(want) > 0 {
					before = want[len(want)-1].files
				}
				for p, f := range s.files {
					if g, ok := before[p]; !ok || g != f {
						w.changes = append(w.changes, p)
					}
				}
				for p := range before {
					if _, ok := s.files[p]; !ok {
						w.changes = append(w.changes, p)
					}
				}
				slices.Sort(w.changes)
				want = append(want, w)
			}
			got := walkStates(t, r, head, cps)
			show := func(ss []walkState) string {
				var b strings.Builder
				for _, s := range ss {
					fmt.Fprintf(&b, "  %s %s %v\n", s.commit.Short(), s.commit.Date(), s.changes)
				}
				return b.String()
			}
			if len(got) != len(want) {
				t.Fatalf("seed %d, checkpoints %v: %d states, want %d\ngot\n%swant\n%s", seed, cps, len(got), len(want), show(got), show(want))
			}
			for k := range want {
				if got[k].commit.Hash != want[k].commit.Hash || !slices.Equal(got[k].changes, want[k].changes) || fmt.Sprint(got[k].files) != fmt.Sprint(want[k].files) {
					t.Fatalf("seed %d, checkpoints %v: state %d differs\ngot\n%swant\n%s", seed, cps, k, show(got), show(want))
				}
			}
		}
	}
}

// randomHistory builds a repository of 40 commits made by rng: dates back
// and forth over 40 days from the returned start, in four zones; commits
// outside the workspace, of a file in it okr does not read, of a
// target changed or set back to the one before, and of a file added and
// removed.
func randomHistory(t *testing.T, rng *rand.Rand) (string, time.Time) {
	b := newBuilder(t)
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	zones := []*time.Location{time.UTC, time.FixedZone("", -10*3600), time.FixedZone("", 14*3600), time.FixedZone("", 5*3600+1800)}
	when := func() time.Time {
		return start.Add(time.Duration(rng.Intn(40*24)) * time.Hour).In(zones[rng.Intn(len(zones))])
	}
	b.commitAt(when(), "start", "Ann", map[string]string{"README.md": "0\n", "okrs/okr.yaml": okrYAML, "okrs/org.yaml": orgYAML,
		"okrs/cycles.yaml": cyclesYAML, "okrs/objectives/a.yaml": ship("100")})
	target, prev, docs := 100, 100, false
	for i := 1; i < 40; i++ {
		files := map[string]string{}
		switch rng.Intn(6) {
		case 0:
			files["README.md"] = fmt.Sprint(i, "\n") // outside the workspace
		case 1:
			files["okrs/notes.txt"] = fmt.Sprint(i, "\n") // in it, but no okr file
		case 2:
			target, prev = prev, target // back to the target before
			files["okrs/objectives/a.yaml"] = ship(fmt.Sprint(target))
		case 3:
			if docs {
				files["okrs/objectives/docs.yaml"] = ""
			} else {
				files["okrs/objectives/docs.yaml"] = docsYAML
			}
			docs = !docs
		default:
			prev, target = target, 100+i
			files["okrs/objectives/a.yaml"] = ship(fmt.Sprint(target))
		}
		b.commitAt(when(), fmt.Sprint("commit ", i), "Ann", files)
	}
	return b.dir, start
}

// walkState is what a test keeps of a walk's state.
type walkState struct {
	commit  *Commit
	files   map[string]string // path -> fileprint
	changes []string          // sorted
}

// walkStates walks r from head with checkpoints cps.
func walkStates(t *testing.T, r *Repo, head *Commit, cps []model.Date) []walkState {
	t.Helper()
	var out []walkState
	err := r.Walk(head, WalkOptions{Checkpoints: cps}, func(s *State) error {
		st := walkState{commit: s.Commit, files: map[string]string{}}
		for _, f := range s.Files() {
			st.files[f.Path] = fileprint(f)
		}
		for _, c := range s.Changes {
			st.changes = append(st.changes, c.Path)
		}
		slices.Sort(st.changes)
		out = append(out, st)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWholeWalksAgree: on the random histories, the git backend's walk
// (git log, then git diff-tree streaming oldest first) and go-git's
// (commit by commit, comparing trees) give the same states.
func TestWholeWalksAgree(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	for seed := int64(1); seed <= 3; seed++ {
		dir, _ := randomHistory(t, rand.New(rand.NewSource(seed)))
		var walks [2]string
		n := 0
		for k, be := range []string{BackendGit, BackendGoGit} {
			r, head := openWithHead(t, dir, be)
			states := walkStates(t, r, head, nil)
			r.Close()
			var b strings.Builder
			for _, s := range states {
				fmt.Fprintf(&b, "%s %v %v\n", s.commit.Hash, s.changes, s.files)
			}
			walks[k], n = b.String(), len(states)
		}
		if walks[0] != walks[1] || n < 20 {
			t.Errorf("seed %d: the backends' walks differ (or are short: %d states)\ngit:\n%sgo-git:\n%s", seed, n, walks[0], walks[1])
		}
	}
}

// TestAtAgrees checks At, whose git backend lets git skip the newer
// commits first, against a plain first-parent scan with both backends, on
// histories whose commit dates go back and forth across time zones from
// -10:00 to +14:00, for every day around them.
func TestAtAgrees(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	for seed := int64(1); seed <= 3; seed++ {
		dir, start := randomHistory(t, rand.New(rand.NewSource(seed)))
		for _, be := range []string{BackendGit, BackendGoGit} {
			r, head := openWithHead(t, dir, be)
			chain, err := r.FirstParents(head, nil)
			if err != nil {
				t.Fatal(err)
			}
			found := 0
			for d := -3; d <= 45; d++ {
				day := model.DateOf(start.AddDate(0, 0, d))
				var want *Commit
				for _, c := range chain {
					if !c.Date().After(day) {
						want = c
						break
					}
				}
				got, err := r.At(head, day)
				if err != nil {
					t.Fatalf("seed %d %s: At(%s): %v", seed, be, day, err)
				}
				switch {
				case want == nil && got != nil:
					t.Errorf("seed %d %s: At(%s) = %s, want none", seed, be, day, got.Short())
				case want != nil && (got == nil || got.Hash != want.Hash):
					t.Errorf("seed %d %s: At(%s) = %v, want %s", seed, be, day, got, want.Short())
				case want != nil:
					found++
				}
			}
			if found < 20 {
				t.Errorf("seed %d %s: only %d days have a commit; the test checks little", seed, be, found)
			}
			r.Close()
		}
	}
}

// openWithHead opens the workspace of the repository in dir with backend
// be and reads its HEAD; the caller closes the Repo.
func openWithHead(t *testing.T, dir, be string) (*Repo, *Commit) {
	t.Helper()
	r, err := OpenWith(context.Background(), filepath.Join(dir, "okrs"), be)
	if err != nil {
		t.Fatal(err)
	}
	head, err := r.Head()
	if err != nil {
		r.Close()
		t.Fatal(err)
	}
	return r, head
}
