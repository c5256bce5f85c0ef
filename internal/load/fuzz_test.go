package load

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the parser as an objective file. It must
// never panic, and every refusal must name the file.
func FuzzParse(f *testing.F) {
	root := filepath.Join("..", "..", "examples")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isYAML(p) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	for _, c := range badInputs {
		f.Add([]byte(c.data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, ds := Parse("objectives/fuzz.yaml", KindObjective, data)
		if doc == nil {
			t.Fatal("nil document")
		}
		for _, d := range ds {
			if d.File != "objectives/fuzz.yaml" || d.Line < 1 || d.Col < 1 || d.Code == "" || d.Message == "" {
				t.Fatalf("diagnostic does not name the file and position: %+v", d)
			}
		}
		if doc.Root == nil && len(ds) == 0 {
			t.Fatal("refused without a diagnostic")
		}
		if doc.Root != nil && doc.JSON() == nil {
			t.Fatal("parsed mapping without a value")
		}
		if doc.Root != nil {
			_ = decodeObjective(doc.Path, doc.Root)
		}
	})
}

// aliasBomb is the classic "billion laughs" document.
var aliasBomb = func() string {
	var b strings.Builder
	b.WriteString("id: x\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(n + ": &" + n + " [")
		for i := 0; i < 9; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = n
	}
	return b.String()
}()

var badInputs = []struct {
	name, data, code string
	line, col        int
}{
	{"syntax", "id: x\ntitle: [\n", "yaml-syntax", 2, 1},
	{"list", "- a\n- b\n", "not-mapping", 1, 1},
	{"scalar", "hello\n", "not-mapping", 1, 1},
	{"empty", "", "not-mapping", 1, 1},
	{"comment only", "# nothing\n", "not-mapping", 1, 1},
	{"null", "~\n", "not-mapping", 1, 1},
	{"duplicate key", "id: a\ntitle: x\nid: b\n", "duplicate-key", 3, 1},
	{"nested duplicate", "key_results:\n  - id: a\n    id: b\n", "duplicate-key", 3, 5},
	{"not utf8", "id: a\ntitle: caf\xe9\n", "not-utf8", 2, 11},
	{"alias bomb", aliasBomb, "alias-bomb", 0, 0},
	{"two documents", "id: a\n---\nid: b\n", "yaml-syntax", 2, 1},
	{"complex key holding a duplicate", "? &m {q: x, q: y}\n: 1\nanswers: *m\n", "yaml-syntax", 1, 3},
}

func TestParseRefusals(t *testing.T) {
	for _, c := range badInputs {
		t.Run(c.name, func(t *testing.T) {
			_, ds := Parse("objectives/x.yaml", KindObjective, []byte(c.data))
			if len(ds) == 0 {
				t.Fatalf("no diagnostic, want %s", c.code)
			}
			d := ds[len(ds)-1]
			if d.Code != c.code || d.File != "objectives/x.yaml" {
				t.Fatalf("got %s, want code %s in objectives/x.yaml", d, c.code)
			}
			if c.line > 0 && (d.Line != c.line || d.Col != c.col) {
				t.Errorf("got %d:%d, want %d:%d (%s)", d.Line, d.Col, c.line, c.col, d)
			}
		})
	}
}

func TestParseScalars(t *testing.T) {
	doc, ds := Parse("okr.yaml", KindWorkspace, []byte(`a: 1
b: 1.5
c: true
d: ~
e: 2026-01-02
f: "7"
g: 0x10
h: 1_000
i: .inf
k:
  1: x
`))
	if len(ds) != 0 {
		t.Fatal(ds)
	}
	value := doc.JSON()
	want := map[string]any{"a": int64(1), "b": 1.5, "c": true, "d": nil, "e": "2026-01-02", "f": "7", "g": int64(16), "h": int64(1000), "i": ".inf"}
	for k, v := range want {
		if value[k] != v {
			t.Errorf("%s = %#v, want %#v", k, value[k], v)
		}
	}
	if m, ok := value["k"].(map[string]any); !ok || m["1"] != "x" {
		t.Errorf("k = %#v, want map with string key \"1\"", value["k"])
	}
}
