package validate

import (
	"reflect"
	"strconv"
	"testing"
)

// TestDeterministicAcrossWorkers checks that findings do not depend on how
// many workers read the files.
func TestDeterministicAcrossWorkers(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for k, v := range base {
		files[k] = v
	}
	// Many files, each with findings, so completion order would show; more
	// than 256 objectives, so the per-objective rules run in parallel too.
	const n = 300
	for i := 0; i < n; i++ {
		id := "o" + strconv.Itoa(i)
		files["objectives/"+id[:2]+"/"+id+".yaml"] = "id: " + id + "\ntitle: X\ncycle: q9\nowner: nobody\naligns_to: [top, ghost]\nextra: 1\n"
	}
	writeWorkspace(t, dir, files)
	var first *Result
	for _, workers := range []int{1, 2, 3, 8} {
		res, err := Run(dir, Options{Today: today, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Diagnostics) != n*4 {
			t.Fatalf("workers=%d: %d diagnostics, want %d", workers, len(res.Diagnostics), n*4)
		}
		if first == nil {
			first = res
			continue
		}
		if !reflect.DeepEqual(first.Diagnostics, res.Diagnostics) || !reflect.DeepEqual(first.Files, res.Files) {
			t.Fatalf("workers=%d: output differs from workers=1", workers)
		}
	}
}
