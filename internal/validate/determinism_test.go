package validate

import (
	"reflect"
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
	// Many files, each with findings, so completion order would show.
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"} {
		files["objectives/"+n+"/x.yaml"] = "id: " + n + "\ntitle: X\ncycle: q9\nowner: nobody\naligns_to: [top, ghost]\nextra: 1\n"
	}
	writeWorkspace(t, dir, files)
	var first *Result
	for _, workers := range []int{1, 2, 3, 8} {
		res, err := Run(dir, Options{Today: today, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Diagnostics) != 12*4 {
			t.Fatalf("workers=%d: %d diagnostics, want 48", workers, len(res.Diagnostics))
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
