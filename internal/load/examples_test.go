package load

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamplesHaveSchemaLines checks that every YAML file under examples/
// starts with a yaml-language-server line pointing at the schema of its
// kind, so editors complete and check it.
func TestExamplesHaveSchemaLines(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "# yaml-language-server: $schema="
	checked := 0
	err = filepath.WalkDir(filepath.Join(repo, "examples"), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&os.ModeSymlink != 0 || d.IsDir() || !isYAML(d.Name()) {
			return nil
		}
		root, err := FindRoot(filepath.Dir(path))
		if err != nil {
			t.Errorf("%s is outside any workspace", path)
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		var kind Kind
		switch {
		case rel == MarkerFile:
			kind = KindWorkspace
		case rel == OrgFile:
			kind = KindOrg
		case rel == CyclesFile:
			kind = KindCycles
		case strings.HasPrefix(rel, ObjectivesDir+"/"):
			kind = KindObjective
		default:
			t.Errorf("%s is not a workspace file", path)
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		first, _ := bufio.NewReader(f).ReadString('\n')
		first = strings.TrimSuffix(first, "\n")
		if !strings.HasPrefix(first, prefix) {
			t.Errorf("%s: first line is %q, want %s...", path, first, prefix)
			return nil
		}
		target := filepath.Join(filepath.Dir(path), filepath.FromSlash(strings.TrimPrefix(first, prefix)))
		want := filepath.Join(repo, "schema", string(kind)+".schema.json")
		if target != want {
			t.Errorf("%s: schema line points at %s, want %s", path, target, want)
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d example files", checked)
	}
}
