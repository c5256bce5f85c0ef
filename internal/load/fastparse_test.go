package load

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/okrkit/okr/internal/generate"
	"go.yaml.in/yaml/v3"
)

// decodeV3 decodes data the way Parse does with yaml.v3, and fails unless
// it holds exactly one document.
func decodeV3(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("more than one document or junk after it: %v", err)
	}
	return &root, nil
}

// diffNodes compares the trees the way parseFast promises: Kind, Style,
// Tag, Value, Anchor, Alias, Line, Column and Content, recursively, but not
// comments. It returns "" when they are equal, else the first difference.
func diffNodes(want, got *yaml.Node, path string) string {
	switch {
	case want == nil && got == nil:
		return ""
	case want == nil || got == nil:
		return fmt.Sprintf("%s: want %v, got %v", path, want, got)
	}
	at := fmt.Sprintf("%s (want %s %q at %d:%d)", path, kindStr(want.Kind), want.Value, want.Line, want.Column)
	if want.Kind != got.Kind {
		return fmt.Sprintf("%s: kind %s, got %s", at, kindStr(want.Kind), kindStr(got.Kind))
	}
	if want.Style != got.Style {
		return fmt.Sprintf("%s: style %d, got %d", at, want.Style, got.Style)
	}
	if want.Tag != got.Tag {
		return fmt.Sprintf("%s: tag %q, got %q", at, want.Tag, got.Tag)
	}
	if want.Value != got.Value {
		return fmt.Sprintf("%s: value %q, got %q", at, want.Value, got.Value)
	}
	if want.Anchor != got.Anchor || (want.Alias == nil) != (got.Alias == nil) {
		return fmt.Sprintf("%s: anchor %q alias %v, got %q %v", at, want.Anchor, want.Alias != nil, got.Anchor, got.Alias != nil)
	}
	if want.Line != got.Line || want.Column != got.Column {
		return fmt.Sprintf("%s: position %d:%d, got %d:%d", at, want.Line, want.Column, got.Line, got.Column)
	}
	if len(want.Content) != len(got.Content) {
		return fmt.Sprintf("%s: %d children, got %d", at, len(want.Content), len(got.Content))
	}
	for i := range want.Content {
		if d := diffNodes(want.Content[i], got.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

func kindStr(k yaml.Kind) string {
	switch k {
	case yaml.DocumentNode:
		return "document"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.MappingNode:
		return "mapping"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.AliasNode:
		return "alias"
	}
	return fmt.Sprintf("kind(%d)", k)
}

// noComments reports a node of got's tree that carries a comment, anchor or
// alias, which parseFast never sets.
func noComments(n *yaml.Node, path string) string {
	if n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" || n.Anchor != "" || n.Alias != nil {
		return path + ": comment, anchor or alias set"
	}
	for i, c := range n.Content {
		if d := noComments(c, fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkFast parses data with parseFast (panics not recovered) and, when it
// accepts, checks that yaml.v3 gives the identical tree. It reports whether
// parseFast accepted.
func checkFast(t testing.TB, name string, data []byte) bool {
	t.Helper()
	got, ok := parseFastUnsafe(nil, data)
	// The same parse into a pooled arena, reused across every input the
	// tests and the fuzzer give: a tree from recycled nodes must be
	// identical too, and the arena must refuse what the slabs refuse.
	a := arenas.Get().(*fastArena)
	inArena, arenaOK := parseFastUnsafe(a, data)
	if arenaOK != ok {
		t.Errorf("%s: accepted %v with an arena, %v without", name, arenaOK, ok)
	}
	if ok && arenaOK {
		if d := diffNodes(got, inArena, "doc"); d != "" {
			t.Errorf("%s: the arena's tree differs at %s", name, d)
		}
	}
	a.release()
	if !ok {
		if got != nil {
			t.Errorf("%s: refused but returned a tree", name)
		}
		return false
	}
	want, err := decodeV3(data)
	if err != nil {
		t.Errorf("%s: parseFast accepted what yaml.v3 refuses (%v):\n%s", name, err, data)
		return true
	}
	if d := diffNodes(want, got, "doc"); d != "" {
		t.Errorf("%s: trees differ at %s\ninput:\n%s", name, d, data)
	}
	if d := noComments(got, "doc"); d != "" {
		t.Errorf("%s: %s", name, d)
	}
	if len(got.Content) != 1 || got.Content[0].Kind != yaml.MappingNode {
		t.Errorf("%s: accepted a document whose top level is not a mapping", name)
	}
	return true
}

// exampleFiles returns the YAML files under examples/, by path.
func exampleFiles(t testing.TB) map[string][]byte {
	files := map[string][]byte{}
	root := filepath.Join("..", "..", "examples")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && isYAML(p) {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[p] = b
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("found only %d example files", len(files))
	}
	return files
}

// checkCorpus checks every file, and that parseFast accepts at least 99 %
// of those yaml.v3 reads as a mapping without anchors, aliases or tags
// (which are outside the subset by design).
func checkCorpus(t *testing.T, what string, files map[string][]byte) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var eligible, accepted, total int
	var refused, outside []string
	for _, name := range names {
		data := files[name]
		ok := checkFast(t, name, data)
		total++
		if ok {
			accepted++
		}
		switch {
		case !inSubsetByDesign(data):
			outside = append(outside, name)
		case ok:
			eligible++
		default:
			eligible++
			refused = append(refused, name)
		}
	}
	share := 100 * float64(eligible-len(refused)) / float64(max(eligible, 1))
	t.Logf("%s: parseFast accepted %d of %d files (%.1f%%); %d of %d (%.1f%%) plain YAML mappings", what,
		accepted, total, 100*float64(accepted)/float64(total), eligible-len(refused), eligible, share)
	if len(outside) > 0 {
		t.Logf("%s: not plain YAML mappings (invalid, or with anchors, aliases or tags): %s", what, strings.Join(outside, ", "))
	}
	if len(refused) > 0 {
		t.Logf("%s: refused plain mappings: %s", what, strings.Join(refused, ", "))
	}
	if share < 99 {
		t.Errorf("%s: parseFast accepted only %.1f%% of the mappings", what, share)
	}
}

// inSubsetByDesign reports whether yaml.v3 reads data as a mapping with no
// anchors, aliases or tags.
func inSubsetByDesign(data []byte) bool {
	root, err := decodeV3(data)
	if err != nil || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return false
	}
	var plain func(n *yaml.Node) bool
	plain = func(n *yaml.Node) bool {
		if n.Anchor != "" || n.Kind == yaml.AliasNode || n.Style&yaml.TaggedStyle != 0 {
			return false
		}
		for _, c := range n.Content {
			if !plain(c) {
				return false
			}
		}
		return true
	}
	return plain(root)
}

func TestFastParseExamples(t *testing.T) {
	checkCorpus(t, "examples", exampleFiles(t))
}

func TestFastParseGenerated(t *testing.T) {
	dir := t.TempDir()
	if err := generate.Write(dir, generate.Spec{Objectives: 300, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && isYAML(p) {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[p] = b
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 300 {
		t.Fatalf("generated only %d files", len(files))
	}
	checkCorpus(t, "generated workspace", files)
}

// historyFiles returns the YAML files of a generated history's fast-import
// stream, every version of every file, keyed by path and commit.
func historyFiles(t testing.TB, s generate.HistorySpec) map[string][]byte {
	var stream bytes.Buffer
	if _, err := generate.WriteHistory(&stream, s); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	r := bufio.NewReader(&stream)
	commit := 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break
		}
		if strings.HasPrefix(line, "commit ") {
			commit++
		}
		path, ok := strings.CutPrefix(line, "M 100644 inline ")
		if !ok {
			continue
		}
		path = strings.TrimSuffix(path, "\n")
		header, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(header, "data "), "\n"))
		if err != nil {
			t.Fatalf("bad data header %q", header)
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(r, data); err != nil {
			t.Fatal(err)
		}
		if isYAML(path) {
			files[fmt.Sprintf("%s@%d", path, commit)] = data
		}
	}
	if len(files) == 0 {
		t.Fatal("no YAML files in the history stream")
	}
	return files
}

func TestFastParseHistory(t *testing.T) {
	files := historyFiles(t, generate.HistorySpec{Workspace: generate.Spec{Objectives: 40, Seed: 3}, Commits: 600, Seed: 5})
	checkCorpus(t, "history", files)
}

// fastCases are tricky inputs: each must either parse exactly as yaml.v3
// parses it or be refused. accept says which the current subset does
// (true: must be accepted), so that a change of coverage is noticed.
var fastCases = []struct {
	in     string
	accept bool
}{
	{"a: 'it''s'\n", true},
	{"a: ''''\n", true},
	{"a: ''\n", true},
	{"a: \"\"\n", true},
	{`a: "x\"y"` + "\n", true},
	{`a: "tab\there\\ \x41 \u00e9 \U0001F600 \N \_ \L \P \0 \e \a \b \v \f \r \n \/"` + "\n", false}, // \/ is unknown to libyaml
	{`a: "tab\there\\ \x41 \u00e9 \U0001F600 \N \_ \L \P \0 \e \a \b \v \f \r \n \ "` + "\n", true},
	{`a: "\ud800"` + "\n", false},
	{`a: "\U00110000"` + "\n", false},
	{`a: "\xZZ"` + "\n", false},
	{"a: \"x\\\n  y\"\n", false},
	{"a: \"x\n  y\"\n", false},
	{"a: 'x\n  y'\n", false},
	{"a: b: c\n", false},
	{"a: b:\n", false},
	{"a: b:c\n", true},
	{"a: [1, 2\n", false},
	{"a: [1, 2]]\n", false},
	{"a: [1, 2,]\n", false},
	{"a: [1, [2]]\n", false},
	{"a: [a:b, c]\n", true},
	{"a: [a: b]\n", false},
	{"a: [https://x.example/a, 12:30]\n", true},
	{"a: [C#, x#y]\n", true},
	{"a: [x #c]\n", false},
	{"a: []\n", true},
	{"a: [ ]\n", true},
	{"a: {}\n", true},
	{"a: { }\n", true},
	{"a: {b: 1, c: \"x\", d: 'y'}\n", true},
	{"a: {b:1}\n", false},
	{"a: {b: }\n", false},
	{"a: {b: [1]}\n", false},
	{"a: [ -1, -.5, 'x' , \"y\" ]  # c\n", true},
	{"a: [é, b, \"ü\", c, 🚀]\n", true},
	{"a: [a]#c\n", false},
	{"a: [a] #c\n", true},
	{"a: #c\n", true},
	{"a: #c\nb: 1\n", true},
	{"a: x #c\n", true},
	{"a: x#c\n", true},
	{"a: x  #  c  \n", true},
	{"a: -1\n", true},
	{"a: -\n", false},
	{"a: - b\n", false},
	{"a: -b\n", true},
	{"a: --b\n", true},
	{"- a\n", false},
	{"a\n", false},
	{"~\n", false},
	{"", false},
	{"# only a comment\n", false},
	{"\n\n", false},
	{"a:\n  - b\n  -c\n", false},
	{"a:\n  - b\n  - c\n", true},
	{"a:\n- b\n- c\nd: 1\n", true},
	{"a:\n- b\n  - c\n", false},
	{"a:\n  - b\n - c\n", false},
	{"a:\n  b: 1\n c: 2\n", false},
	{"a:\n  b: 1\n   c: 2\n", false},
	{"a:\n    b: 1\n  c: 2\n", false},
	{"a: 1\n b: 2\n", false},
	{"a: x\n  y\n", false},
	{"a: x\n\n  y\n", false},
	{"a: x\n  # c\nb: y\n", true},
	{"a:\n  b\n", false},
	{"- a\n- b\n", false},
	{"a: 1\n- b\n", false},
	{"a:\n  - b: 1\n    c: 2\n  - d\n", true},
	{"a:\n  - b: 1\n   c: 2\n", false},
	{"a:\n  - b: 1\n  c: 2\n", false},
	{"a:\n  -\n    b: 1\n  - \n  -  # c\n  -   x\n", true},
	{"a:\n  - - b\n", false},
	{"a:\n  -\n    - b\n", true},
	{"a:\n  - b:\n    - c\n    d: 1\n", true},
	{"a:\n  - b:\n      c: 1\n", true},
	{"a: |\n  x\n\n  y\n", true},
	{"a: |-\n  x\n", true},
	{"a: |+\n  x\n\n\n", true},
	{"a: |\n  x", true},
	{"a: |\n", true},
	{"a: |", true},
	{"a: |\nb: 1\n", true},
	{"a: |  # c\n  x\n  # not a comment\nb: 1\n", true},
	{"a: |\n    x\n  y\n", false},
	{"a: |\n  x\n    y\n   z\n\n     \n  w\nb: 1\n", true},
	{"a: |\n     \n  x\n", false},
	{"a: |2\n  x\n", false},
	{"a: |x\n  x\n", false},
	{"a: >\n  a\n  b\n\n  c\n   d\n  e\n", true},
	{"a: >-\n  a\n   b\n  c\n\n\n", true},
	{"a: >+\n  a\n\n", true},
	{"- a: |\n    x\n  b: 1\n", false},
	{"a:\n  - |\n    x\n  - >\n   y\n", true},
	{"a:\n- |\n  x\n- y\n", true},
	{"a:\n- |\n x\n", true},
	{"key : 1\n", false},
	{"key  :  1\n", false},
	{"a:    b   \n", true},
	{"a:    b   \nc:\td\n", false},
	{"a: b\r\n", false},
	{"\ufeffa: b\n", false},
	{"---\na: b\n", false},
	{"a: b\n...\n", false},
	{"a: b\n---\nc: d\n", false},
	{"%YAML 1.2\n---\na: b\n", false},
	{"a: &x b\n", false},
	{"a: *x\n", false},
	{"a: !!str b\n", false},
	{"? a\n: b\n", false},
	{"a: ?b\n", false},
	{"a: :b\n", false},
	{"a: @b\n", false},
	{"a: `b`\n", false},
	{"a: %b\n", false},
	{"\"a\": b\n", false},
	{"a b: c\n", false},
	{"1: x\n2.5: y\ntrue: z\nnull: w\n~: v\n", false},
	{"1: x\n2.5: y\ntrue: z\nnull: w\n.inf: v\n2026-01-02: u\n0x1F: t\n", true},
	{"key: 2026-10-05\n", true},
	{"key: 2026-02-29\n", true},
	{"key: 2024-02-29\n", true},
	{"key: 0000-02-29\n", true},
	{"key: 2026-13-01\n", true},
	{"key: 2026-1-5\n", true},
	{"key: 2026-10-05T10:20:30Z\n", true},
	{"key: 2026-10-05 10:20:30\n", true},
	{"key: 2026-10-05t10:20:30.5+02:00\n", true},
	{"key: \"2026-10-05\"\n", true},
	{"key: 1.0\n", true},
	{"key: 1e3\n", true},
	{"key: 1E3\n", true},
	{"key: 1.5e-3\n", true},
	{"key: 0x10\n", true},
	{"key: 0o17\n", true},
	{"key: -0o17\n", true},
	{"key: 0b101\n", true},
	{"key: -0b101\n", true},
	{"key: 0777\n", true},
	{"key: 09\n", true},
	{"key: 0.5\n", true},
	{"key: .5\n", true},
	{"key: 5.\n", true},
	{"key: +1\n", true},
	{"key: +.5\n", true},
	{"key: 1_000\n", true},
	{"key: 1__0\n", true},
	{"key: _1\n", true},
	{"key: 9223372036854775807\n", true},
	{"key: 9223372036854775808\n", true},
	{"key: 18446744073709551616\n", true},
	{"key: -9223372036854775809\n", true},
	{"key: 1e400\n", true},
	{"key: 123456789012345678901234567890.5\n", true},
	{"key: .inf\n", true},
	{"key: -.Inf\n", true},
	{"key: +.INF\n", true},
	{"key: .NaN\n", true},
	{"key: .nAn\n", true},
	{"key: .\n", true},
	{"key: ..\n", true},
	{"key: yes\n", true},
	{"key: No\n", true},
	{"key: on\n", true},
	{"key: OFF\n", true},
	{"key: y\n", true},
	{"key: True\n", true},
	{"key: tRUE\n", true},
	{"key: ~\n", true},
	{"key: null\n", true},
	{"key: NULL\n", true},
	{"key: nULL\n", true},
	{"key: <<\n", true},
	{"<<: x\n", false},
	{"key: 12:30:45\n", true},
	{"key: $12M\n", true},
	{"key: 50%\n", true},
	{"key: a [b] {c}, d\n", true},
	{"key: http://x.example/a?b=c#d\n", true},
	{"title: Crème brûlée — ünïcode\n", true},
	{"title: 🚀 Launch 🚀 now\nnext: [🚀, x]\n", true},
	{"title: \"Crème\" \n", true},
	{"title: 'ü' # ü\n", true},
	{"a: b\u2028c\n", false},
	{"a: b\u0085c\n", false},
	{"a: b\x00c\n", false},
	{"a: b\xffc\n", false},
	{"a: b\u00a0c\n", true},
	{"  a: 1\n  b: 2\n", true},
	{"  a: 1\nb: 2\n", false},
	{"# yaml-language-server: $schema=x\n\n# c\n  # d\na: 1 # e\n\n# f\n", true},
	{"a.b: 1\n$ref: 2\n/p: 3\n_x: 4\nx-y: 5\n", true},
	{"a: 1\na: 2\n", true},
	{"a: [x]y\n", false},
	{"a: 'x' y\n", false},
	{"a: 'x'#c\n", false},
	{"a: \"x\"  # c\n", true},
	{"a: b\n\n\n", true},
	{"a: b\n  \n \n", true},
	{"a:\n\n  b: 1\n", true},
	{"a:\n  # c\n  b: 1\n", true},
	{"a:\n# c\n  b: 1\n", true},
	{"a:\n  - b\n# c\n  - c\n", true},
	{"a:\n  - {x: 1}\n  - [y]\n  - 'z'\n", true},
	{"a: |\n  x\n# c\nb: 1\n", true},
	{"a: |\n\n  x", true},
	{"a: >\n\n  x\n  y\n\n\n  z\n   w\n\n  v\n", true},
	{"a:\n  b: |\n    x\n  c: 1\n", true},
	{"a: |\n  x\n b: 1\n", false},
	{"a: |-", true},
	{"a: |+\n", true},
	{"a: >-\n  \n  x\n  \n", true},
	{"a: ~ # c\n", true},
	{"a:\n  -    x\n", true},
	{"a:\n  -\tx\n", false},
	{"a:\n  -\n  - x\n", true},
	{"1_000: x\n0x_1F: y\n", true},
	{"a: 0x_1F\n", true},
	{"a: 1:2\n", true},
	{"a: '#'\n", true},
	{"a: \"# \\\" #\" # c\n", true},
	{"a: {x: y:z}\n", true},
	{"a: [a:/b, 'c:d']\n", true},
	{"a: [a, b]  \n", true},
	{"a: [\"x\",'y']\n", true},
	{"a: [\"x\" , 'y' ]\n", true},
	{"a: {x: \"y\",z: 'w'}\n", true},
	{"a: {x: [y]}\n", false},
	{"a: [{x: y}]\n", false},
	{"a: [x, y\n  ]\n", false},
	{"- a: 1\n  b: 2\n", false},
	{"a:\n  - b: 1\n\n    c: 2\n  -\n    d: 3\n", true},
	{strings.Repeat("k", 200) + ": 1\n", false},
	{"a:\n" + strings.Repeat(" ", 2) + "b:\n" + strings.Repeat(" ", 4) + "c:\n" + strings.Repeat(" ", 6) + "- d\n", true},
	// Plain scalars around the resolver's shortcuts: timestamps need a
	// month digit after the year, integers strconv's characters alone.
	{"a: [2026-q4, 2026-, 2026-1-2, 2026-10-04, 2026-10-4t1:2:3Z, 2026-1-2 3:4:5, 2026-x1]\n", true},
	{"a: [0x_1F, 1_000, +0b101, -0b11, 0o17, -0o17, 0xG, 12e3, 1e, 0b, +, 9223372036854775808, 18446744073709551616, 0x8000000000000000]\n", true},
	{"a: [1-2, 12ab, 1.5.2, 3d, 0xff_ff, 1__0, '12']\n", true},
}

func TestFastParseCases(t *testing.T) {
	for _, c := range fastCases {
		accepted := checkFast(t, fmt.Sprintf("%q", c.in), []byte(c.in))
		if accepted != c.accept {
			_, err := decodeV3([]byte(c.in))
			t.Errorf("%q: accepted=%v, want %v (yaml.v3 error: %v)", c.in, accepted, c.accept, err)
		}
	}
}

// TestFastParseDeep checks that deep nesting falls back instead of
// recursing without bound.
func TestFastParseDeep(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 500; i++ {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	if _, ok := parseFast([]byte(b.String())); ok {
		t.Error("accepted 500 levels of nesting")
	}
}

// TestFastParseRandomDocs checks documents built at random from the
// subset's grammar and from tricky scalars, with random comments, blank
// lines and indentation slips, so the accepting paths are exercised far
// more than byte-level fuzzing does.
func TestFastParseRandomDocs(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	if v, err := strconv.Atoi(os.Getenv("OKR_FASTPARSE_DOCS")); err == nil {
		n = v // for long runs
	}
	r := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for i := 0; i < n; i++ {
		doc := randomDoc(r)
		if checkFast(t, fmt.Sprintf("random doc %d", i), []byte(doc)) {
			accepted++
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("accepted %d of %d random documents", accepted, n)
	if accepted < n/3 {
		t.Errorf("accepted only %d of %d random documents: the generator misses the subset", accepted, n)
	}
}

// The random document pools: the first of each pair is in the subset, the
// second mostly not (or not always equal in yaml.v3), picked rarely.
var (
	randKeys    = []string{"id", "title", "a", "b.c", "$ref", "x-y", "_", "/p", "1", "2.5", "true", "null", "NULL", ".inf", "0x1F", "2026-01-02", "y", "on", "key_results", "k9"}
	randBadKeys = []string{"é", "~", "<<", "a b", "-a", "\"k\"", "? k", "&a k", "k :"}
	randPlain   = []string{"x", "hello world", "a:b", "a#b", "x #c", "-1", "+1", "1_000", "0o17", "0x1F", "0b101", "-0b101",
		"1e3", ".5", "5.", "09", "0777", "2026-10-05", "2026-02-30", "2026-1-5", "2026-10-05T10:00:00Z", "2026-10-05 10:00:00",
		"yes", "no", "on", "off", "true", "True", "tRUE", "false", "null", "Null", "~", ".inf", "-.inf", ".nan", "<<",
		"Crème brûlée — ünïcode", "🚀 launch", "a [b] {c}, d", "http://x.y/z?q=1", "5%", "$12M", "9223372036854775808",
		"18446744073709551616", "1e400", "0x", "0b", "12:30", "0.75", "108.2", "-3", "1.0", "1234567890123456789", "a  b",
		".", "...", "-x", "--", "a,b", "a'b", "a\"b", "a]", "}", "x y"}
	randBadPlain = []string{"-", "- x", "a: b", "?x", ":x", "&a", "*a", "!t", "@x", "x:", "x\ty", "---", "[a", "{a", "|", ">", "%x", "`x`"}
	randQuoted   = []string{"", "x", "it's", "say \\\"hi\\\"", `\"`, `\\`, `\n`, `\t`, `\x41`, `\u00e9`, `\U0001F600`, `\_`,
		`\N`, `\L`, `\0`, "#", ": ", "ü", "  spaced  ", "a # b", "[x]"}
	randBadQuoted = []string{`\/`, `\`, `\ud800`, `\xZ1`, `\q`}
	randFlow      = []string{"a", "b c", "-1", "0.5", "é", "x:y", "C#", "'q'", "\"d\"", "''", "http://h/p", "a'b", "-.5", "~"}
	randBadFlow   = []string{"x: y", "[a]", "a #b", "", "?", "-", "{a: b}", "a?", ":", "&a", "\"x"}
)

// choose picks from good, and now and then from bad.
func choose(r *rand.Rand, good, bad []string) string {
	if r.IntN(30) == 0 {
		return pick(r, bad)
	}
	return pick(r, good)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// randomDoc returns a document that is mostly, not always, in the subset.
func randomDoc(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteString("# yaml-language-server: $schema=x\n")
	}
	top := 0
	if r.IntN(20) == 0 {
		top = 1 + r.IntN(3)
	}
	randomMapping(r, &b, top, 0, false)
	if r.IntN(4) == 0 {
		b.WriteString(strings.Repeat(" ", r.IntN(4)) + "# end\n")
	}
	s := b.String()
	if r.IntN(3) == 0 && len(s) > 0 {
		s = strings.TrimSuffix(s, "\n")
	}
	return s
}

// slip sometimes shifts an indentation by one.
func slip(r *rand.Rand, indent int) int {
	if r.IntN(100) == 0 {
		return max(0, indent+r.IntN(3)-1)
	}
	return indent
}

func filler(r *rand.Rand, b *strings.Builder, indent int) {
	switch r.IntN(12) {
	case 0:
		b.WriteString("\n")
	case 1:
		b.WriteString(strings.Repeat(" ", r.IntN(8)) + "\n")
	case 2:
		b.WriteString(strings.Repeat(" ", max(0, indent+r.IntN(5)-2)) + "# note: x\n")
	}
}

func randomMapping(r *rand.Rand, b *strings.Builder, indent, depth int, inline bool) {
	n := 1 + r.IntN(5)
	for i := 0; i < n; i++ {
		if !(inline && i == 0) {
			filler(r, b, indent)
			b.WriteString(strings.Repeat(" ", slip(r, indent)))
		}
		b.WriteString(choose(r, randKeys, randBadKeys) + ":")
		randomValue(r, b, indent, depth, true)
	}
}

func randomSequence(r *rand.Rand, b *strings.Builder, indent, depth int) {
	n := 1 + r.IntN(4)
	for i := 0; i < n; i++ {
		filler(r, b, indent)
		b.WriteString(strings.Repeat(" ", slip(r, indent)) + "-")
		if r.IntN(3) == 0 && depth < 4 {
			// A mapping starting on the entry's line.
			sp := 1 + r.IntN(2)
			b.WriteString(strings.Repeat(" ", sp))
			randomMapping(r, b, indent+1+sp, depth+1, true)
			continue
		}
		randomValue(r, b, indent, depth, false)
	}
}

// randomValue writes what follows a key's ':' or an entry's '-'.
func randomValue(r *rand.Rand, b *strings.Builder, indent, depth int, inMap bool) {
	sp := " "
	if r.IntN(10) == 0 {
		sp = "   "
	}
	comment := func() {
		if r.IntN(6) == 0 {
			b.WriteString(choose(r, []string{" # c", "  #c", " #", " # x: [y"}, []string{"#c"}))
		}
		b.WriteString("\n")
	}
	k := r.IntN(12)
	if depth >= 4 && k >= 8 {
		k = r.IntN(8)
	}
	switch k {
	case 0, 1, 2:
		b.WriteString(sp + choose(r, randPlain, randBadPlain))
		comment()
	case 3:
		q := choose(r, randQuoted, randBadQuoted)
		if r.IntN(2) == 0 {
			b.WriteString(sp + "'" + strings.ReplaceAll(q, "'", "''") + "'")
		} else {
			b.WriteString(sp + "\"" + q + "\"")
		}
		comment()
	case 4:
		b.WriteString(sp + "[")
		for i, m := 0, r.IntN(4); i < m; i++ {
			if i > 0 {
				b.WriteString(choose(r, []string{",", ", ", " , "}, []string{",,", ", ,"}))
			}
			b.WriteString(choose(r, randFlow, randBadFlow))
		}
		b.WriteString("]")
		comment()
	case 5:
		b.WriteString(sp + "{")
		for i, m := 0, r.IntN(4); i < m; i++ {
			if i > 0 {
				b.WriteString(choose(r, []string{",", ", ", " , "}, []string{",,", ", ,"}))
			}
			b.WriteString(choose(r, randKeys, randBadKeys) + choose(r, []string{": ", ":  "}, []string{":", " :"}) + choose(r, randFlow, randBadFlow))
		}
		b.WriteString("}")
		comment()
	case 6:
		// Empty.
		if r.IntN(2) == 0 {
			b.WriteString(" ")
		}
		comment()
	case 7:
		// A block scalar.
		b.WriteString(sp + choose(r, []string{"|", "|-", "|+", ">", ">-", ">+", "| # c", ">+  # c"}, []string{"|2", "|#c", "|-1", "|x"}) + "\n")
		in := indent + 1 + r.IntN(3)
		if !inMap {
			in = indent + 2
		}
		for i, m := 0, r.IntN(6); i < m; i++ {
			switch r.IntN(6) {
			case 0:
				b.WriteString("\n")
			case 1:
				b.WriteString(strings.Repeat(" ", r.IntN(in+1)) + "\n")
			case 2:
				b.WriteString(strings.Repeat(" ", in+1+r.IntN(2)) + "more " + pick(r, randPlain) + "\n")
			case 3:
				b.WriteString(strings.Repeat(" ", in+r.IntN(3)) + "# not a comment " + pick(r, randQuoted) + "\n")
			default:
				b.WriteString(strings.Repeat(" ", slip(r, in)) + pick(r, randPlain) + "\n")
			}
		}
	case 8, 9:
		// A nested mapping on the next lines.
		comment()
		randomMapping(r, b, indent+1+r.IntN(3), depth+1, false)
	default:
		// A sequence on the next lines, indentless or indented.
		comment()
		in := indent + r.IntN(3)
		if !inMap {
			in = indent + 1 + r.IntN(2)
		}
		randomSequence(r, b, in, depth+1)
	}
}

// FuzzFastParse checks the promise parseFast makes: when it accepts, yaml.v3
// decodes the same bytes without error into one document, and the trees are
// identical, positions, styles and tags included. It must never panic.
func FuzzFastParse(f *testing.F) {
	for _, b := range exampleFiles(f) {
		f.Add(b)
	}
	for _, c := range fastCases {
		f.Add([]byte(c.in))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 50; i++ {
		f.Add([]byte(randomDoc(r)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast(t, "input", data)
	})
}

// benchObjective returns a representative objective file: the history
// generator's objective version closest to 4.6 KB.
func benchObjective(b *testing.B) []byte {
	files := historyFiles(b, generate.HistorySpec{Workspace: generate.Spec{Objectives: 20, Seed: 1}, Commits: 400, Seed: 1})
	var best []byte
	for name, data := range files {
		if !strings.Contains(name, "/objectives/") {
			continue
		}
		if best == nil || abs(len(data)-4600) < abs(len(best)-4600) {
			best = data
		}
	}
	if _, ok := parseFast(best); !ok {
		b.Fatal("parseFast refuses the benchmark file")
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func BenchmarkParseFast(b *testing.B) {
	data := benchObjective(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok := parseFast(data); !ok {
			b.Fatal("refused")
		}
	}
}

func BenchmarkParseYAMLv3(b *testing.B) {
	data := benchObjective(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var n yaml.Node
		if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&n); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFastTextOK checks the word-at-a-time text check against a simple one,
// for every byte at every offset of a word.
func TestFastTextOK(t *testing.T) {
	simple := func(data []byte) (ascii, ok bool) {
		ascii = true
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			i += size
			switch {
			case r == utf8.RuneError && size == 1:
				return false, false
			case r == '\n' || r >= ' ' && r < 0x7f:
			case r < 0xa0 || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff:
				return false, false
			default:
				ascii = false
			}
		}
		return ascii, true
	}
	check := func(data []byte) {
		a1, ok1 := fastTextOK(data)
		a2, ok2 := simple(data)
		if ok1 != ok2 || ok1 && a1 != a2 {
			t.Fatalf("fastTextOK(%q) = %v, %v; want %v, %v", data, a1, ok1, a2, ok2)
		}
	}
	for b := 0; b < 256; b++ {
		for at := 0; at < 17; at++ {
			data := bytes.Repeat([]byte{'a'}, 17)
			data[at] = byte(b)
			check(data)
			data[(at+5)%17] = '\n'
			check(data)
		}
	}
	for _, s := range []string{"é", "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\ufffd", "🚀", "\xed\xa0\x80", "\xc3", "\xf4\x90\x80\x80"} {
		for at := 0; at < 9; at++ {
			check([]byte(strings.Repeat("x", at) + s + "\nabcdefgh"))
		}
	}
}

// FuzzFastTextSkipsChecks holds the shortcut in parse: text fastTextOK
// accepts is valid UTF-8, has nothing nonPrintable refuses, and holds none
// of the breaks swapBreaks replaces, so parse skips those three passes.
func FuzzFastTextSkipsChecks(f *testing.F) {
	for _, s := range []string{"id: x\n", "a: \u00e9\n", "a: \u2028\n", "a: \u0085\n", "a: \x7f\n", "a: \t\n", "a: \r\n", "a: \xff\n",
		"a: \ufeff\n", "a: \ufffe\n", "a: \ue028\n", "a: \xed\xa0\x80\n", "a: \u009f\n", "a: \u00a0\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, ok := fastTextOK(data); !ok {
			return
		}
		if !utf8.Valid(data) {
			t.Fatalf("fastTextOK accepts invalid UTF-8 %q", data)
		}
		if i := nonPrintable(data); i >= 0 {
			t.Fatalf("fastTextOK accepts %q, which nonPrintable refuses at %d", data, i)
		}
		if out, swapped := swapBreaks(bytes.Clone(data)); swapped || !bytes.Equal(out, data) {
			t.Fatalf("fastTextOK accepts %q, in which swapBreaks replaces breaks", data)
		}
	})
}
