package validate

import (
	"os"
	"regexp"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

// TestFormatDocExample builds a workspace from the complete examples in
// docs/format.md (each YAML block preceded by <!-- file: PATH -->) and
// checks that it validates without a single finding, so the page cannot
// drift from what okr accepts.
func TestFormatDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/format.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)<!-- file: ([^ ]+) -->\n```yaml\n(.*?)```")
	files := map[string]string{}
	for _, m := range block.FindAllStringSubmatch(string(doc), -1) {
		files[m[1]] = m[2]
	}
	for _, want := range []string{"okr.yaml", "org.yaml", "cycles.yaml"} {
		if _, ok := files[want]; !ok {
			t.Fatalf("docs/format.md has no complete example of %s", want)
		}
	}
	if len(files) < 5 {
		t.Fatalf("found %d example files, want at least 5", len(files))
	}
	dir := t.TempDir()
	writeWorkspace(t, dir, files)
	res, err := Run(dir, Options{Today: model.Date{Year: 2026, Month: 11, Day: 23}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != len(files) {
		t.Errorf("validated %d files, want %d", len(res.Files), len(files))
	}
	for _, d := range res.Diagnostics {
		t.Errorf("docs/format.md example: %s", d)
	}
}
