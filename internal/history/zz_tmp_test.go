package history

import (
	"testing"
	"time"
)

func TestZZLog(t *testing.T) {
	ws := "/tmp/hrepo/okrs"
	for i := 0; i < 5; i++ {
		t0 := time.Now()
		r, err := OpenWith(t.Context(), ws, BackendGit)
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		head, _ := r.Head()
		t2 := time.Now()
		hw, _ := r.workspaceTree(head)
		p, _, _, _ := r.locate(hw, "obj-0946")
		t3 := time.Now()
		vs, err := r.Versions(head, "obj-0946", false)
		t4 := time.Now()
		r.Close()
		t.Logf("open %v head %v locate %v (%s) versions %v (%d)", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), p, t4.Sub(t3), len(vs))
	}
}
