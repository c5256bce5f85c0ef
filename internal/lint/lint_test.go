package lint

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
)

// today is the date the end-to-end tests pin with OKR_TODAY.
var today = model.Date{Year: 2026, Month: 11, Day: 23}

func run(t *testing.T, root string) []diag.Diagnostic {
	t.Helper()
	res, err := validate.Run(root, validate.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	return Run(res.Workspace, Options{Today: today})
}

// TestExamplesClean checks that the shipped example workspace trips no
// lint rule.
func TestExamplesClean(t *testing.T) {
	if ds := run(t, "../../examples"); len(ds) > 0 {
		for _, d := range ds {
			t.Error(d)
		}
	}
}

// TestEveryRuleFires checks that each rule has a case in testdata/<code>,
// a workspace that passes okr validate and trips that rule, that switching
// the rule off in okr.yaml silences it, and that raising or lowering it
// makes it fire with the new severity.
func TestEveryRuleFires(t *testing.T) {
	for _, r := range Rules() {
		t.Run(r.Code, func(t *testing.T) {
			dir := filepath.Join("testdata", r.Code)
			res, err := validate.Run(dir, validate.Options{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range res.Diagnostics {
				t.Errorf("testdata/%s does not validate: %s", r.Code, d)
			}
			ds := run(t, dir)
			for _, d := range ds {
				t.Log(d)
			}
			if !slices.ContainsFunc(ds, func(d diag.Diagnostic) bool { return d.Code == r.Code && d.Severity == r.Severity }) {
				t.Fatalf("testdata/%s does not trip %s; it gives %v", r.Code, r.Code, ds)
			}
			for _, d := range ds {
				if d.Code != r.Code {
					t.Errorf("testdata/%s trips another rule too: %s", r.Code, d)
				}
			}
			// Switched off, the rule is silent.
			tmp := t.TempDir()
			copyDir(t, dir, tmp)
			appendFile(t, filepath.Join(tmp, "okr.yaml"), "lint:\n  rules:\n    "+r.Code+": off\n")
			for _, d := range run(t, tmp) {
				if d.Code == r.Code {
					t.Errorf("with %s: off, still %s", r.Code, d)
				}
			}
			// Raised or lowered, it takes the new severity.
			tmp = t.TempDir()
			copyDir(t, dir, tmp)
			other := map[diag.Severity]string{diag.Error: "warning", diag.Warning: "error"}[r.Severity]
			appendFile(t, filepath.Join(tmp, "okr.yaml"), "lint:\n  rules:\n    "+r.Code+": "+other+"\n")
			fired := false
			for _, d := range run(t, tmp) {
				if d.Code != r.Code {
					continue
				}
				if d.Severity.String() != other {
					t.Errorf("with %s: %s, got %s", r.Code, other, d)
				}
				fired = true
			}
			if !fired {
				t.Errorf("with %s: %s, the rule no longer fires", r.Code, other)
			}
		})
	}
}

// TestSchemaListsEveryRule checks that okr.yaml's schema takes exactly
// the lint codes under lint.rules and lint.ignore.
func TestSchemaListsEveryRule(t *testing.T) {
	data, err := os.ReadFile("../../schema/workspace.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties struct {
			Lint struct {
				Properties map[string]struct {
					Properties map[string]any `json:"properties"`
				} `json:"properties"`
			} `json:"lint"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range Rules() {
		codes = append(codes, r.Code)
		if _, clash := diag.Lookup(r.Code); clash {
			t.Errorf("lint code %s is also a validate code", r.Code)
		}
	}
	for _, key := range []string{"rules", "ignore"} {
		listed := slices.Sorted(maps.Keys(schema.Properties.Lint.Properties[key].Properties))
		if !slices.Equal(listed, codes) {
			t.Errorf("schema lint.%s lists %v, rules are %v", key, listed, codes)
		}
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
