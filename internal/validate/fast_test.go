package validate

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/load"
	"go.yaml.in/yaml/v3"
)

// TestFastSchemaCompiles keeps every file kind on the fast path: a schema
// keyword the fast path does not know fails here, not silently in speed.
func TestFastSchemaCompiles(t *testing.T) {
	if _, err := schemas(); err != nil {
		t.Fatal(err)
	}
	for _, k := range []load.Kind{load.KindWorkspace, load.KindOrg, load.KindCycles, load.KindObjective} {
		if fast[k] == nil {
			t.Errorf("kind %s has no fast schema check", k)
		}
	}
}

// agree checks that the fast path and jsonschema judge data the same way
// when parsed as each file kind. The fast path may never accept what
// jsonschema rejects (findings would be lost); it may reject what
// jsonschema accepts only for the shapes it leaves to the full path on
// purpose (duplicate keys, large mappings, unique lists of non-scalars).
func agree(t *testing.T, name string, data []byte) {
	t.Helper()
	all, err := schemas()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []load.Kind{load.KindWorkspace, load.KindOrg, load.KindCycles, load.KindObjective} {
		doc, ds := load.Parse("x.yaml", k, data)
		if doc.Root == nil {
			continue
		}
		full := all[k].Validate(any(doc.JSON())) == nil
		quick := fast[k].valid(doc.Root)
		if quick && !full {
			t.Fatalf("%s as %s: fast path accepts what jsonschema rejects: %v", name, k, all[k].Validate(any(doc.JSON())))
		}
		if full && !quick && len(ds) == 0 && !bigMapping(doc.Root) {
			t.Fatalf("%s as %s: fast path rejects a valid document", name, k)
		}
	}
}

func bigMapping(n *yaml.Node) bool {
	if n.Kind == yaml.MappingNode && len(n.Content) > 64 {
		return true
	}
	for _, c := range n.Content {
		if bigMapping(c) {
			return true
		}
	}
	return n.Kind == yaml.AliasNode && n.Alias != nil && bigMapping(n.Alias)
}

func exampleFiles(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	_ = filepath.WalkDir("../../examples", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") && d.Type()&fs.ModeSymlink == 0 {
			if b, err := os.ReadFile(p); err == nil {
				out[p] = b
			}
		}
		return nil
	})
	if len(out) < 100 {
		t.Fatalf("found only %d example files", len(out))
	}
	return out
}

var fastCases = []string{
	"version: 1\n",
	"version: 1.0\n",
	"version: 1.5\n",
	"version: '1'\n",
	"id: a\ntitle: T\ncycle: q\nweight: 1e3\n",
	"id: a\ntitle: T\ncycle: q\nweight: .inf\n",
	"id: a\ntitle: T\ncycle: q\nweight: 0x10\n",
	"id: A\ntitle: T\ncycle: q\n",
	"id: a\ntitle: ''\ncycle: q\n",
	"id: a\ntitle: T\ncycle: q\ntags: [x, x]\n",
	"id: a\ntitle: T\ncycle: q\ncontributors: [b, c]\n",
	"id: a\ntitle: T\ncycle: q\naligns_to: [b, {objective: c, weight: 2}, {objective: d, extra: 1}]\n",
	"id: a\ntitle: T\ncycle: q\nlevel: squad\n",
	"id: a\ntitle: T\ncycle: q\nkey_results: [{id: k, title: K, type: milestone, checkins: [{date: 2026-02-30, value: true}]}]\n",
	"id: a\ntitle: T\ncycle: q\nkey_results: [{id: k, title: K, type: milestone, checkins: [{date: 2026-02-28, value: yes}]}]\n",
	"id: a\ntitle: T\ncycle: q\nkey_results: [{id: k, title: K, type: at_least, score: 1.5}]\n",
	"id: a\ntitle: T\ncycle: q\nkey_results: [{id: k, title: K, type: at_least, checkins: [{date: 2026-01-01, value: 1, answers: {Q: x}}]}]\n",
	"id: a\ntitle: T\ncycle: q\ninitiatives: [{title: I, link: 'not a uri'}, {title: J, link: 'https://x.example/1'}]\n",
	"people: [{id: a, name: A, email: a@x.example}, {id: b, name: B, email: nope}]\n",
	"people: [{id: a, name: A, git: [x, 1]}]\n",
	"cycles: [{id: '2026', start: 2026-01-01, end: 2026-12-31, cadence: daily}]\n",
	"cycles: [{id: 2026, start: 2026-01-01, end: 2026-12-31}]\n",
	"version: 1\nprogress_cap: null\nconfidence_scale: {min: 1, max: 10}\nscore_bands: []\n",
	"version: 1\nunits: [&u {id: a}, *u]\n",
	"version: 1\nlimits: {max_file_bytes: 0}\n",
	"id: a\ntitle: T\ncycle: q\n<<: {x: 1}\n",
	"id: a\ntitle: T\ncycle: q\nweight: !!int NaN\n",
	"id: a\ntitle: T\ncycle: q\nweight: !!int inf\n",
	"id: a\ntitle: T\ncycle: q\nkey_results: [{id: k, title: K, type: at_least, threshold: 1, score: !!int NaN}]\n",
	"id: a\ntitle: T\ncycle: q\nowner: &o ann\ncontributors: [*o, bob]\n",
}

func TestFastSchemaAgrees(t *testing.T) {
	for p, b := range exampleFiles(t) {
		agree(t, p, b)
	}
	for i, c := range fastCases {
		agree(t, "case "+strconv.Itoa(i), []byte(c))
	}
}

// FuzzFastSchema looks for documents on which the fast path and jsonschema
// disagree.
func FuzzFastSchema(f *testing.F) {
	for _, b := range exampleFiles(f) {
		f.Add(b)
	}
	for _, c := range fastCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) { agree(t, "input", data) })
}
