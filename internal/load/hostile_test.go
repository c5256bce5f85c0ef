package load

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/okrkit/okr/internal/diag"
	"go.yaml.in/yaml/v3"
)

func diagLines(ds []diag.Diagnostic) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return strings.Join(out, "\n")
}

// TestSpecialFilesAndBrokenLinks: FIFOs, sockets and devices are findings
// and never opened (a FIFO would hang the read); dangling links and link
// loops are findings; the other files are still read.
func TestSpecialFilesAndBrokenLinks(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"okr.yaml": "version: 1\n", "objectives/ok.yaml": "id: ok\n"})
	obj := filepath.Join(dir, "objectives")
	if err := syscall.Mkfifo(filepath.Join(obj, "fifo.yaml"), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "org.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink("missing.yaml", filepath.Join(obj, "dangling.yaml")))
	must(os.Symlink("loop-b.yaml", filepath.Join(obj, "loop-a.yaml")))
	must(os.Symlink("loop-a.yaml", filepath.Join(obj, "loop-b.yaml")))
	must(os.Symlink("fifo.yaml", filepath.Join(obj, "to-fifo.yaml")))
	// A socket, where the path is short enough to bind.
	if l, err := net.Listen("unix", filepath.Join(obj, "sock.yaml")); err == nil {
		defer l.Close()
	}
	res, err := Load(dir, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	got := diagLines(res.Diagnostics)
	for _, want := range []string{
		"objectives/dangling.yaml:1:1: error: symbolic link points to a file that does not exist; okr cannot read it [broken-link]",
		"objectives/fifo.yaml:1:1: error: fifo.yaml is a named pipe (FIFO), not a regular file; okr reads only regular files and did not open it [special-file]",
		"objectives/loop-a.yaml:1:1: error: symbolic link is part of a loop of links; okr cannot read it [broken-link]",
		"objectives/loop-b.yaml:1:1: error: symbolic link is part of a loop of links; okr cannot read it [broken-link]",
		"objectives/to-fifo.yaml:1:1: error: to-fifo.yaml is a named pipe (FIFO), not a regular file; okr reads only regular files and did not open it [special-file]",
		"org.yaml:1:1: error: org.yaml is a named pipe (FIFO), not a regular file; okr reads only regular files and did not open it [special-file]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if _, err := os.Stat(filepath.Join(obj, "sock.yaml")); err == nil && !strings.Contains(got, "sock.yaml is a socket") {
		t.Errorf("socket not reported:\n%s", got)
	}
	if len(res.Workspace.Objectives) != 1 || res.Workspace.Objectives[0].ID != "ok" {
		t.Errorf("objectives = %v, want only ok", res.Workspace.Objectives)
	}
	// ReadFiles (the export path) refuses them the same way.
	raw, err := ReadFiles(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, f := range raw {
		if f.Refused != nil {
			refused++
		}
	}
	if refused < 6 {
		t.Errorf("ReadFiles refused %d files, want at least 6", refused)
	}
}

// TestBrokenWorkspaceFileStops: an okr.yaml the loader refuses stops the
// run with its own finding only.
func TestBrokenWorkspaceFileStops(t *testing.T) {
	for name, body := range map[string]string{
		"empty": "",
		"bomb":  "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"okr.yaml": body, "objectives/x.yaml": "nonsense: [\n", "org.yaml": "people: 3\n"})
			res, err := Load(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Stopped || len(res.Diagnostics) != 1 || res.Diagnostics[0].File != "okr.yaml" {
				t.Errorf("stopped=%v diagnostics:\n%s", res.Stopped, diagLines(res.Diagnostics))
			}
		})
	}
}

// TestExactMessages pins the loader's messages for hostile shapes.
func TestExactMessages(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	many := &strings.Builder{}
	for i := range 60 {
		many.WriteString("k" + strings.Repeat("x", i%3) + itoa(i) + ": 1\n")
	}
	for _, c := range []struct {
		name, data string
		maxNodes   int
		want       string
	}{
		{"depth", "a: " + deep + "\n", 0, "x.yaml:1:204: error: lists and mappings nest more than 200 levels deep; refusing to check the file [too-many-nodes]"},
		{"nodes", many.String(), 50, "x.yaml:25:6: error: file holds more than 50 YAML nodes (keys, values and list items; limits.max_nodes in okr.yaml); refusing to check it [too-many-nodes]"},
		{"alias key dup", "a: &k x\nx: 1\n*k : 2\n", 0, `x.yaml:3:1: error: key "x" is already defined at line 2 [duplicate-key]`},
		{"complex key", "? [a]\n: 1\n", 0, "x.yaml:1:3: error: a list is used as a mapping key (a complex key); okr reads only plain text keys [yaml-syntax]"},
		{"complex flow key", "{[a]: 1}\n", 0, "x.yaml:1:2: error: a list is used as a mapping key (a complex key); okr reads only plain text keys [yaml-syntax]"},
		{"nul line 2", "id: x\ntitle: a\x00b\n", 0, "x.yaml:2:9: error: invalid YAML: control character U+0000 is not allowed in YAML text [yaml-syntax]"},
		{"lone cr", "id: x\rtitle: a\rbad: \x01\r", 0, "x.yaml:3:6: error: invalid YAML: control character U+0001 is not allowed in YAML text [yaml-syntax]"},
		{"u2028 lines", "title: \"a\u2028b\u2029c\u0085d\"\nid: x\nid: y\n", 0, `x.yaml:3:1: error: key "id" is already defined at line 2 [duplicate-key]`},
		{"binary tag", "id: x\ntitle: !!binary aGVsbG8=\n", 0, "x.yaml:2:8: error: explicit tag !!binary is not allowed; okr reads only the YAML core tags (!!str, !!int, !!float, !!bool, !!null, !!timestamp, !!seq, !!map) [schema]"},
		{"invalid utf8 after cr", "id: x\rt: \xff\n", 0, "x.yaml:2:4: error: file is not valid UTF-8 text (okr reads UTF-8 only) [not-utf8]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, ds := parse("x.yaml", KindObjective, []byte(c.data), false, nil, c.maxNodes)
			if got := diagLines(ds); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
	// A U+2028 in a value survives parsing unchanged.
	doc, ds := Parse("x.yaml", KindObjective, []byte("title: \"a\u2028b\"\nnote: x\u0085y\n"))
	if len(ds) != 0 || doc.Root.Content[1].Value != "a\u2028b" || doc.Root.Content[3].Value != "x\u0085y" {
		t.Errorf("values %q %q, diagnostics %v", doc.Root.Content[1].Value, doc.Root.Content[3].Value, ds)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestNodeCapSamePlace: the fast parser's early stop at the node cap and
// the scanner's count over yaml.v3's tree refuse a file at the same node,
// for every cap below the node count of every example file.
func TestNodeCapSamePlace(t *testing.T) {
	files, _ := filepath.Glob("../../examples/objectives/*/*/*.yaml")
	if len(files) < 5 {
		t.Fatalf("found %d example files", len(files))
	}
	checked := 0
	for _, f := range files[:min(len(files), 20)] {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var root yaml.Node
		if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
			continue
		}
		for limit := 1; ; limit++ {
			c := scanner{path: f, budget: 1 << 30, maxNodes: limit}
			c.scan(root.Content[0], 0, false)
			_, ok, over := parseFastIn(nil, data, false, limit+1)
			if !c.tooMany {
				if over != nil {
					t.Errorf("%s cap %d: fast path stopped at %d:%d, scanner did not", f, limit, over.Line, over.Column)
				}
				break
			}
			if ok || over == nil {
				// Not in the fast subset: yaml.v3 and the scanner decide.
				break
			}
			if over.Line != c.bombAt.Line || over.Column != c.bombAt.Column {
				t.Errorf("%s cap %d: fast path stops at %d:%d, scanner at %d:%d", f, limit, over.Line, over.Column, c.bombAt.Line, c.bombAt.Column)
				break
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("compared only %d caps", checked)
	}
}
