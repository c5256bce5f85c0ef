package history

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/generate"
)

// TestCancelWalkMidway cancels walks and a version search midway (run it
// under -race): each returns the context's error, no object reader of the
// walk is left open when it returns, and after Close no goroutine the
// repository started is left (git cat-file processes are reaped by Close).
func TestCancelWalkMidway(t *testing.T) {
	dir, info := cancelHistory(t, 300)
	forBackends(t, func(t *testing.T) {
		before := runtime.NumGoroutine()
		r, head, cancel := openCancellable(t, dir)
		defer cancel()
		states := 0
		err := r.Walk(head, WalkOptions{}, func(*State) error {
			states++
			if states == 5 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Walk after cancel: %v, want context.Canceled", err)
		}
		if states >= info.WorkspaceCommits {
			t.Errorf("the walk ran to the end (%d states) after the cancel", states)
		}
		if n := r.live.Load(); n != 0 {
			t.Errorf("%d readers of the walk still open after it returned", n)
		}
		// Already cancelled: the next walks stop at once.
		if _, err := r.Versions(head, info.Objectives[0], false); !errors.Is(err, context.Canceled) {
			t.Errorf("Versions after cancel: %v, want context.Canceled", err)
		}
		if _, err := r.At(head, far); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("At after cancel: %v", err)
		}
		if n := r.live.Load(); n != 0 {
			t.Errorf("%d readers still open", n)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		noGoroutinesLeft(t, before)
	})
}

// TestCancelVersionsMidway cancels a version search while its goroutines
// read the chain and the trees (with go-git, the tree readers read ahead
// of the comparison; run it under -race): it returns the context's error,
// or its answer when it ended first, and leaves no reader open and no
// goroutine behind.
func TestCancelVersionsMidway(t *testing.T) {
	dir, info := cancelHistory(t, 600)
	forBackends(t, func(t *testing.T) {
		before := runtime.NumGoroutine()
		r, head, cancel := openCancellable(t, dir)
		defer cancel()
		// Cancel once the search has its readers open (go-git: the
		// chain's and the tree readers'; the git backend reads through
		// git log and may end first).
		done, polled := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(polled)
			for r.live.Load() < 2 {
				select {
				case <-done:
					return
				case <-time.After(50 * time.Microsecond):
				}
			}
			cancel()
		}()
		vs, err := r.Versions(head, info.Objectives[0], false)
		close(done)
		<-polled
		t.Logf("Versions: %d versions, error %v", len(vs), err)
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("Versions cancelled midway: %v, want context.Canceled", err)
		}
		if err == nil && len(vs) == 0 {
			t.Fatal("Versions ended without versions or error")
		}
		if n := r.live.Load(); n != 0 {
			t.Errorf("%d readers of the search still open after it returned", n)
		}
		cancel()
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		noGoroutinesLeft(t, before)
	})
}

// cancelHistory builds a generated history of commits commits to cancel
// walks of.
func cancelHistory(t *testing.T, commits int) (string, generate.HistoryInfo) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: cannot build the history to walk")
	}
	dir := t.TempDir()
	info, err := generate.BuildHistory(dir, generate.HistorySpec{Workspace: generate.Spec{Objectives: 20}, Commits: commits})
	if err != nil {
		t.Fatal(err)
	}
	return dir, info
}

// noGoroutinesLeft fails when more goroutines run than before. Goroutines
// end asynchronously after their last channel operation: it waits for the
// count to come back (a bound on a hang, not a speed check).
func noGoroutinesLeft(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before Open, %d after Close:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

// openCancellable opens the generated history in dir with a context the
// caller cancels, and reads its HEAD.
func openCancellable(t *testing.T, dir string) (*Repo, *Commit, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r, err := OpenContext(ctx, filepath.Join(dir, generate.DefaultHistoryDir))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	head, err := r.Head()
	if err != nil {
		cancel()
		r.Close()
		t.Fatal(err)
	}
	return r, head, cancel
}
