package history

import (
	"context"
	"errors"
	"os/exec"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestGitStreamRepliesAfterCancel: a stream cancelled midway still replies
// to every value it is given until its input is closed, with the
// context's error, so a walk's parser never waits on a blob nobody reads.
// (It once returned at the cancel, leaving the values still queued
// without a reply: a walk cancelled or stopped early could hang.)
func TestGitStreamRepliesAfterCancel(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	h := buildHistory(t)
	t.Setenv("OKR_GIT", BackendGit)
	r := open(t, h.dir)
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	ws, err := r.workspaceTree(head)
	if err != nil {
		t.Fatal(err)
	}
	es, err := r.entries(ws)
	if err != nil {
		t.Fatal(err)
	}
	var blob Hash
	for _, e := range es {
		if _, _, isFile := entryKind(&e); isFile {
			blob = e.Hash
		}
	}
	if blob.IsZero() {
		t.Fatal("no blob in the workspace")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 100
	in := make(chan Hash, n)
	in <- blob
	var replies, failed int
	first := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		gitStream(ctx, r.b.(*gitBackend), plumbing.BlobObject, -1, in, func(h Hash) Hash { return h }, func(_ Hash, data []byte, _ int64, err error) bool {
			replies++
			if replies == 1 {
				if err != nil || len(data) == 0 {
					t.Errorf("first reply: %d bytes, %v", len(data), err)
				}
				cancel()
				close(first)
			} else if errors.Is(err, context.Canceled) {
				failed++
			}
			return true
		})
	}()
	<-first
	for i := 1; i < n; i++ {
		in <- blob
	}
	close(in)
	<-done
	if replies != n || failed == 0 {
		t.Errorf("%d replies (%d with the cancel's error) to %d values, want every one", replies, failed, n)
	}
}
