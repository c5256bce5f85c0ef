package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"go.yaml.in/yaml/v3"
)

func TestTeamParents(t *testing.T) {
	ws := &Workspace{Teams: []*Team{
		{ID: "eng"}, {ID: "platform", Parent: "eng"}, {ID: "sre", Parent: "platform"},
		{ID: "sales"}, {ID: "a", Parent: "b"}, {ID: "b", Parent: "a"}, // a loop
	}}
	p := ws.TeamParents()
	chains := []struct {
		team string
		want []string
	}{
		{"sre", []string{"sre", "platform", "eng"}},
		{"eng", []string{"eng"}},
		{"a", []string{"a", "b"}},
		{"nobody", []string{"nobody"}},
		{"", nil},
	}
	for _, c := range chains {
		if got := p.Chain(c.team); !slices.Equal(got, c.want) {
			t.Errorf("Chain(%q) = %v, want %v", c.team, got, c.want)
		}
	}
	within := []struct {
		sub, team string
		want      bool
	}{
		{"sre", "eng", true},
		{"sre", "sre", true},
		{"eng", "sre", false},
		{"sales", "eng", false},
		{"a", "b", true},
		{"a", "eng", false},
	}
	for _, c := range within {
		if got := p.Within(c.sub, c.team); got != c.want {
			t.Errorf("Within(%q, %q) = %v, want %v", c.sub, c.team, got, c.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string // "" for an error
	}{
		{"2026-10-01", "2026-10-01"},
		{"0001-01-01", "0001-01-01"},
		{"0000-10-01", ""}, // the zero Date means no date
		{"2026-02-30", ""},
		{"26-10-01", ""},
	} {
		d, err := ParseDate(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseDate(%q) = %v, want an error", tt.in, d)
			}
			continue
		}
		if err != nil || d.String() != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", tt.in, d, err, tt.want)
		}
	}
}

func TestPersonByGit(t *testing.T) {
	ws := &Workspace{People: []*Person{
		{ID: "ada", Name: "Ada Okafor", Email: "ada@acme.example", Git: []string{"ada@users.noreply.github.com", "adao"}},
		{ID: "bob", Name: "Bob Acme", Git: []string{"Bob@Old.Example"}},
		{ID: "sam1", Name: "Sam Lee"},
		{ID: "sam2", Name: "sam lee", Email: "sam2@acme.example"},
		{ID: "kim", Name: "Kim Park", Git: []string{"kimp", "Kim Park"}},
		{ID: "dup", Name: "Dup", Email: "bob@old.example"},
	}}
	cases := []struct {
		name, author, email, want string
	}{
		{"email field", "Whoever", "ada@acme.example", "ada"},
		{"email case and space", "Whoever", "  ADA@Acme.Example ", "ada"},
		{"git email", "", "ada@users.noreply.github.com", "ada"},
		{"git email case", "x", "bob@old.example", "bob"},
		{"email wins over name", "Ada Okafor", "bob@old.example", "bob"},
		{"first in org order on a shared email", "", "BOB@old.example", "bob"},
		{"name", "Bob Acme", "bob@elsewhere.example", "bob"},
		{"name case and space", " bob ACME ", "", "bob"},
		{"git name", "adao", "ada@home.example", "ada"},
		{"git name is not an email", "", "adao", ""},
		{"git email is not a name", "Bob@Old.Example", "", ""},
		{"name twice in one person", "Kim Park", "", "kim"},
		{"ambiguous name", "Sam Lee", "sam@home.example", ""},
		{"ambiguous name, email decides", "Sam Lee", "sam2@acme.example", "sam2"},
		{"unknown", "Eve Unknown", "eve@example.com", ""},
		{"empty", "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ""
			if p := ws.PersonByGit(c.author, c.email); p != nil {
				got = p.ID
			}
			if got != c.want {
				t.Errorf("PersonByGit(%q, %q) = %q, want %q", c.author, c.email, got, c.want)
			}
		})
	}
	var nilWS *Workspace
	if p := nilWS.PersonByGit("Bob Acme", "bob@old.example"); p != nil {
		t.Errorf("nil workspace matched %q", p.ID)
	}
}

// TestSourceTable records several entities of one file, with known and
// unknown keys and lists, into one table and checks each Source alone,
// and against NewSource of the same node.
func TestSourceTable(t *testing.T) {
	var root yaml.Node
	src := `id: o
tags: [a, b]
x-custom: 1
key_results:
  - id: kr1
    zz: [1, 2, 3]
    target: 3
  - {id: kr2, steps: [s1, s2], zz: 9}
  - []
`
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		t.Fatal(err)
	}
	top := root.Content[0]
	krs := valueNode(top, "key_results").Content
	var tab SourceTable
	o := nodeSource(&tab, "objectives/o.yaml", top)
	k1 := nodeSource(&tab, "objectives/o.yaml", krs[0])
	k2 := nodeSource(&tab, "objectives/o.yaml", krs[1])
	empty := nodeSource(&tab, "objectives/o.yaml", krs[2])
	none := nodeSource(&tab, "objectives/o.yaml", nil)
	tab.Done()
	// The table is reused for another file; the Sources above keep theirs.
	other := nodeSource(&tab, "objectives/p.yaml", krs[1])
	tab.Done()

	tests := []struct {
		name      string
		s         Source
		keys      []string
		pos       Pos
		at, keyAt map[string]Pos
		items     map[string][]Pos
	}{
		{"objective", o, []string{"id", "tags", "x-custom", "key_results"}, Pos{1, 1},
			map[string]Pos{"id": {1, 5}, "x-custom": {3, 11}, "key_results": {5, 3}, "target": {1, 1}},
			map[string]Pos{"tags": {2, 1}, "x-custom": {3, 1}},
			map[string][]Pos{"tags": {{2, 8}, {2, 11}}, "id": nil, "zz": nil}},
		{"kr1", k1, []string{"id", "zz", "target"}, Pos{5, 5},
			map[string]Pos{"zz": {6, 9}, "target": {7, 13}, "tags": {5, 5}},
			map[string]Pos{"zz": {6, 5}},
			map[string][]Pos{"zz": {{6, 10}, {6, 13}, {6, 16}}, "target": nil}},
		{"kr2", k2, []string{"id", "steps", "zz"}, Pos{8, 5},
			map[string]Pos{"zz": {8, 36}, "id": {8, 10}},
			map[string]Pos{"steps": {8, 15}},
			map[string][]Pos{"steps": {{8, 23}, {8, 27}}, "zz": nil}},
		{"other file", other, []string{"id", "steps", "zz"}, Pos{8, 5},
			map[string]Pos{"zz": {8, 36}}, nil,
			map[string][]Pos{"steps": {{8, 23}, {8, 27}}}},
		{"not a mapping", empty, []string{}, Pos{9, 5}, map[string]Pos{"id": {9, 5}}, nil, map[string][]Pos{"id": nil}},
		{"nil", none, []string{}, Pos{1, 1}, map[string]Pos{"id": {1, 1}}, map[string]Pos{"id": {1, 1}}, nil},
	}
	for _, tt := range tests {
		if got := tt.s.Keys(); !slices.Equal(got, tt.keys) {
			t.Errorf("%s: Keys() = %v, want %v", tt.name, got, tt.keys)
		}
		if got := tt.s.Pos(); got != tt.pos {
			t.Errorf("%s: Pos() = %v, want %v", tt.name, got, tt.pos)
		}
		for k, want := range tt.at {
			if got := tt.s.At(k); got != want {
				t.Errorf("%s: At(%q) = %v, want %v", tt.name, k, got, want)
			}
			if got := tt.s.Has(k); got != slices.Contains(tt.keys, k) {
				t.Errorf("%s: Has(%q) = %v", tt.name, k, got)
			}
		}
		for k, want := range tt.keyAt {
			if got := tt.s.KeyAt(k); got != want {
				t.Errorf("%s: KeyAt(%q) = %v, want %v", tt.name, k, got, want)
			}
		}
		for k, want := range tt.items {
			if got := tt.s.Items(k); !slices.Equal(got, want) {
				t.Errorf("%s: Items(%q) = %v, want %v", tt.name, k, got, want)
			}
		}
	}
	// NewSource records the same as a table.
	for i, n := range []*yaml.Node{top, krs[0], krs[1]} {
		want := []Source{o, k1, k2}[i]
		var own SourceTable
		got := nodeSource(&own, "objectives/o.yaml", n)
		own.Done()
		if !slices.Equal(got.Keys(), want.Keys()) || got.At("zz") != want.At("zz") || !slices.Equal(got.Items("tags"), want.Items("tags")) {
			t.Errorf("NewSource of node %d differs from the table's Source", i)
		}
	}
}

// TestSourceTablePositions records every mapping of documents that need
// the table's wide form (values on another line, non-ASCII and quoted keys,
// long lines, hundreds of distinct unknown keys) and checks every key and
// value position against the YAML tree.
func TestSourceTablePositions(t *testing.T) {
	var many, long strings.Builder
	for i := range 300 {
		fmt.Fprintf(&many, "k%d: %d\n", i, i)
	}
	long.WriteString("wide: {")
	for i := range 9000 {
		fmt.Fprintf(&long, "id%d: v, ", i)
	}
	long.WriteString("id: last}\n")
	docs := map[string]string{
		"next line":  "id: o\nkey_results:\n- id: kr\n  target:\n    3\n",
		"non-ASCII":  "é: 1\nnote: ünïcode\n\"quoted\":   2\n'single': x\nid:      far\n",
		"flow":       "{id: a, title: \"b\", tags: [x, y]}\n",
		"many keys":  many.String(),
		"long line":  long.String(),
		"big gap":    "id:" + strings.Repeat(" ", 300) + "x\n",
		"deep lines": strings.Repeat("# comment\n", 70000) + "id: late\nnote: later\n",
		// Keys more than 255 lines below their entity's first, before
		// and after ones within.
		"after a long list": "id: o\nkey_results:\n" + strings.Repeat("- {id: k}\n", 300) + "owner: x\nnote: y\n",
		// Values on the next line: near their key's column, and not.
		"next line far": "a:\n" + strings.Repeat(" ", 64) + "- x\nb:\n" + strings.Repeat(" ", 63) + "- y\nc:\n\n  - z\nd:\n  e:\n    - 1\n",
		"deep indent":   "a:\n" + strings.Repeat(" ", 260) + "b: 1\n" + strings.Repeat(" ", 260) + "c: 2\nd: 3\n",
		// Entities written alike share their fields (share); ones
		// alike but for a gap, a list or a wide field do not.
		"alike": "checkins:\n- date: 2026-11-02\n  value: 1\n- date: 2026-11-09\n  value: 2\n- date:  2026-11-16\n  value: 3\n" +
			"- date: 2026-11-23\n  value: 4\n- {date: 1, value: 2}\n- {date: 1, value: 2}\n- {date: 1, tags: [a, b]}\n- {date: 1, tags: [a, b]}\n" +
			"- {date: 1," + strings.Repeat(" ", 260) + "k: 2}\n- {date: 1," + strings.Repeat(" ", 260) + "k: 2}\n",
	}
	for name, text := range docs {
		var root yaml.Node
		if err := yaml.Unmarshal([]byte(text), &root); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var maps []*yaml.Node
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.MappingNode {
				maps = append(maps, n)
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(&root)
		var tab SourceTable
		srcs := make([]Source, len(maps))
		for i, m := range maps {
			srcs[i] = nodeSource(&tab, "f.yaml", m)
		}
		tab.Done()
		checked := 0
		for i, m := range maps {
			s := srcs[i]
			var keys []string
			for j := 0; j+1 < len(m.Content); j += 2 {
				k, v := m.Content[j], m.Content[j+1]
				keys = append(keys, k.Value)
				if got, want := s.KeyAt(k.Value), (Pos{k.Line, k.Column}); got != want {
					t.Errorf("%s: KeyAt(%q) = %v, want %v", name, k.Value, got, want)
				}
				if got, want := s.At(k.Value), (Pos{v.Line, v.Column}); got != want {
					t.Errorf("%s: At(%q) = %v, want %v", name, k.Value, got, want)
				}
				checked++
			}
			if !slices.Equal(s.Keys(), keys) {
				t.Errorf("%s: Keys() = %v, want %v", name, s.Keys(), keys)
			}
		}
		if checked == 0 {
			t.Errorf("%s: no fields checked", name)
		}
	}
}

// TestSourceTableShares checks that entities of one file written alike
// share one run of fields, and that others keep their own: a list's or a
// wide field's index stays its entity's.
func TestSourceTableShares(t *testing.T) {
	text := "- {date: 1, value: 2}\n- {date: 3, value: 4}\n- {date: 5,  value: 6}\n- {date: 1, tags: [a]}\n- {date: 1, tags: [a]}\n" +
		"- {date: 1," + strings.Repeat(" ", 260) + "k: 2}\n- {date: 1," + strings.Repeat(" ", 260) + "k: 2}\n- {date: 7, value: 8}\n"
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(text), &root); err != nil {
		t.Fatal(err)
	}
	var tab SourceTable
	var srcs []Source
	for _, m := range root.Content[0].Content {
		srcs = append(srcs, nodeSource(&tab, "f.yaml", m))
	}
	tab.Done()
	off := func(i int) uint32 { return srcs[i].off }
	if off(1) != off(0) || off(7) != off(0) {
		t.Errorf("alike entities at fields %d, %d, %d, want one run", off(0), off(1), off(7))
	}
	for _, p := range [][2]int{{0, 2}, {3, 4}, {5, 6}} {
		if off(p[0]) == off(p[1]) {
			t.Errorf("entities %d and %d share fields %d", p[0], p[1], off(p[0]))
		}
	}
	// 2 fields shared, 2 of the wider gap, 2 for each list entity and wide one.
	if n := len(srcs[0].tab.fields); n != 12 {
		t.Errorf("table holds %d fields, want 12", n)
	}
	if got := srcs[4].Items("tags"); len(got) != 1 || got[0] != (Pos{5, 20}) {
		t.Errorf("Items(tags) of entity 4 = %v, want [5:20]", got)
	}
	if got := srcs[6].KeyAt("k"); got != (Pos{7, 272}) {
		t.Errorf("wide key of entity 6 at %v, want 7:272", got)
	}
}

// TestCheckinText checks that check-ins' text recorded into their file's
// table reads back as given, copied out of the file's bytes, and that
// SetText changes one check-in alone, also where the table overflows
// (more names than a table numbers, more answers than a count holds).
func TestCheckinText(t *testing.T) {
	src := "- {date: 2026-11-02, note: n}\n- {date: 2026-11-09}\n- {}\n- x\n"
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		t.Fatal(err)
	}
	items := root.Content[0].Content
	answers := func(n int, prefix string) []Answer {
		as := make([]Answer, n)
		for i := range as {
			as[i] = Answer{Question: fmt.Sprint("q", i%3), Text: fmt.Sprint(prefix, i), At: Pos{Line: i + 1, Col: 2}}
		}
		return as
	}
	texts := []CheckinText{
		{Status: "on_track", Note: "first", Author: "ada", Answers: answers(2, "a")},
		{Status: "at_risk", Author: "ada"},
		{Note: "third", Answers: answers(1, "c")},
		{},
	}
	// The names of other check-ins of the file, enough to fill its table.
	many := 1<<16 + 10
	var tab SourceTable
	cs := make([]Checkin, len(texts)+many+1)
	for i, ct := range texts {
		cs[i] = Checkin{Source: nodeSource(&tab, "f.yaml", items[i]), Value: float64(i)}
		if ct.Note != "" {
			// The note in the file's bytes, overwritten once recorded.
			buf := []byte(ct.Note)
			ct.Note = unsafe.String(&buf[0], len(buf))
			tab.CheckinText(&cs[i], ct)
			clear(buf)
			continue
		}
		tab.CheckinText(&cs[i], ct)
	}
	for i := range many {
		c := &cs[len(texts)+i]
		*c = Checkin{Source: nodeSource(&tab, "f.yaml", items[0])}
		tab.CheckinText(c, CheckinText{Author: fmt.Sprint("p", i), Note: fmt.Sprint("n", i)})
		tab.Confidence(c, float64(i)/8) // more numbers than a table holds
	}
	tab.Confidence(&cs[0], 0.5)
	tab.Confidence(&cs[1], 0.5)
	last := &cs[len(cs)-1]
	*last = Checkin{Source: nodeSource(&tab, "f.yaml", items[1])}
	tab.CheckinText(last, CheckinText{Status: "done", Answers: answers(1<<16+1, "z")})
	tab.Done()

	check := func(what string, c *Checkin, want CheckinText) {
		t.Helper()
		if got := c.Text(); got.Status != want.Status || got.Note != want.Note || got.Author != want.Author ||
			!slices.Equal(got.Answers, want.Answers) {
			t.Errorf("%s: %+v, want %+v", what, got, want)
		}
		if c.Status() != want.Status || c.Note() != want.Note || c.Author() != want.Author || len(c.Answers()) != len(want.Answers) {
			t.Errorf("%s: accessors disagree with Text", what)
		}
	}
	for i, want := range texts {
		check(fmt.Sprint("check-in ", i), &cs[i], want)
	}
	for _, i := range []int{0, 1, many - 1} {
		check(fmt.Sprint("name ", i), &cs[len(texts)+i], CheckinText{Author: fmt.Sprint("p", i), Note: fmt.Sprint("n", i)})
	}
	check("many answers", last, CheckinText{Status: "done", Answers: answers(1<<16+1, "z")})
	for _, i := range []int{0, 1, many - 1} {
		if p := cs[len(texts)+i].Confidence(); p == nil || *p != float64(i)/8 {
			t.Errorf("name %d: confidence %v, want %v", i, p, float64(i)/8)
		}
	}
	if cs[0].Confidence() != cs[1].Confidence() || *cs[0].Confidence() != 0.5 || cs[2].Confidence() != nil || last.Confidence() != nil {
		t.Error("confidences: want 0.5 shared by the first two check-ins, none for the others")
	}
	if got := cs[0].At("note"); got != (Pos{Line: 1, Col: 28}) {
		t.Errorf("note at %v, want 1:28", got)
	}
	if as := cs[0].Answers(); cap(as) != len(as) {
		t.Errorf("Answers has room to append into the next check-in's: len %d cap %d", len(as), cap(as))
	}
	if !cs[0].Answered("q1") || cs[0].Answered("q2") {
		t.Error("Answered: want q1 and not q2")
	}

	// A copy changed alone, keeping its Source.
	cc := cs[0]
	cc.SetText(CheckinText{Note: "changed"})
	check("changed copy", &cc, CheckinText{Note: "changed"})
	if p := cc.Confidence(); p == nil || *p != 0.5 {
		t.Errorf("SetText lost the confidence: %v", p)
	}
	half := 0.25
	cc.SetConfidence(&half)
	check("confidence changed", &cc, CheckinText{Note: "changed"})
	if *cc.Confidence() != 0.25 || *cs[0].Confidence() != 0.5 || *cs[1].Confidence() != 0.5 {
		t.Error("SetConfidence changed another check-in's, or not its own")
	}
	if cc.SetConfidence(nil); cc.Confidence() != nil {
		t.Error("SetConfidence(nil) left a confidence")
	}
	check("original", &cs[0], texts[0])
	check("next", &cs[1], texts[1])
	if cc.At("note") != cs[0].At("note") || cc.Value != cs[0].Value {
		t.Error("SetText changed the check-in's Source or value")
	}
	// One built in an expression, with no Source.
	c := (&Checkin{Value: 3}).WithText(texts[0])
	check("built", c, texts[0])
	if c.Has("note") || c.Pos() != (Pos{Line: 1, Col: 1}) {
		t.Error("a check-in built without a Source has fields")
	}
}

// TestSourceFile checks that a Source's file is its table's, that a
// table passed another file completes the last one's first, and that
// SetFile moves one Source alone.
func TestSourceFile(t *testing.T) {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte("a: 1\nb: {c: 2}\n"), &root); err != nil {
		t.Fatal(err)
	}
	m := root.Content[0]
	var tab SourceTable
	a := nodeSource(&tab, "a.yaml", m)
	a2 := nodeSource(&tab, "a.yaml", m.Content[3])
	b := nodeSource(&tab, "b.yaml", m) // a.yaml is done
	none := nodeSource(&tab, "b.yaml", nil)
	tab.Done()
	for _, c := range []struct {
		s    Source
		file string
		at   Pos
	}{{a, "a.yaml", Pos{2, 4}}, {a2, "a.yaml", Pos{2, 8}}, {b, "b.yaml", Pos{2, 4}}, {none, "b.yaml", Pos{1, 1}}} {
		key := "b"
		if c.s == a2 {
			key = "c"
		}
		if c.s.File() != c.file || c.s.At(key) != c.at {
			t.Errorf("%s: File %q At(%q) %v, want %q %v", c.file, c.s.File(), key, c.s.At(key), c.file, c.at)
		}
	}
	moved := a
	moved.SetFile("c.yaml")
	if moved.File() != "c.yaml" || a.File() != "a.yaml" || a2.File() != "a.yaml" || moved.At("b") != a.At("b") {
		t.Errorf("SetFile: moved %q, a %q, a2 %q; positions %v, %v", moved.File(), a.File(), a2.File(), moved.At("b"), a.At("b"))
	}
	if (Source{}).File() != "" || NewSource("x.yaml").File() != "x.yaml" {
		t.Error("a zero Source has a file, or NewSource lost its file")
	}
}

// TestCheckinSize pins a check-in's size (a large workspace holds
// hundreds of thousands) and checks that IsBool survives setting the
// text, which shares its bits.
func TestCheckinSize(t *testing.T) {
	if n := unsafe.Sizeof(Checkin{}); n != 48 {
		t.Errorf("a Checkin takes %d bytes, want 48", n)
	}
	c := (&Checkin{Value: 1}).WithBool(true)
	c.SetText(CheckinText{Note: "n", Answers: []Answer{{Question: "q", Text: "a"}}})
	if !c.IsBool() || c.Note() != "n" || len(c.Answers()) != 1 || c.Answers()[0].Text != "a" {
		t.Errorf("after SetText: IsBool %v, note %q, answers %v", c.IsBool(), c.Note(), c.Answers())
	}
	var tab SourceTable
	d := Checkin{Source: nodeSource(&tab, "f.yaml", nil)}
	d.SetBool(true)
	tab.CheckinText(&d, CheckinText{Answers: []Answer{{Question: "q", Text: "x"}}})
	tab.Done()
	if !d.IsBool() || d.Note() != "" || len(d.Answers()) != 1 || d.Answers()[0].Text != "x" {
		t.Errorf("after CheckinText: IsBool %v, note %q, answers %v", d.IsBool(), d.Note(), d.Answers())
	}
	c.SetBool(false)
	if c.IsBool() || len(c.Answers()) != 1 {
		t.Errorf("after SetBool(false): IsBool %v, answers %v", c.IsBool(), c.Answers())
	}
}

// nodeSource records the entity held by YAML node n as the loader does
// (load.SourceOf; the model itself knows no YAML).
func nodeSource(t *SourceTable, file string, n *yaml.Node) Source {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil {
		t.Start(file, 0, 0)
		return t.End()
	}
	t.Start(file, n.Line, n.Column)
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		for v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		var items []Pos
		for j, e := range v.Content {
			for e.Kind == yaml.AliasNode && e.Alias != nil {
				e = e.Alias
			}
			if v.Kind != yaml.SequenceNode || e.Kind != yaml.ScalarNode {
				items = nil // a list of scalars only
				break
			}
			items = append(items, Pos{v.Content[j].Line, v.Content[j].Column})
		}
		t.Field(k.Value, k.Line, k.Column, v.Line, v.Column, items)
	}
	return t.End()
}

func valueNode(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// FuzzParseDate holds ParseDate's fast path (plainDate) to time.Parse:
// the same date for every string time.Parse(time.DateOnly) accepts with a
// year from 1, an error for every other.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-10-04", "2024-02-29", "2023-02-29", "0000-01-01", "0001-01-01", "9999-12-31",
		"2026-13-01", "2026-00-10", "2026-04-31", "2026-4-3", "2026-q4", "", "+026-10-04", "2026-10-04T00:00:00Z", "2026/10/04", "२०२६-10-04"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s)
		tm, terr := time.Parse(time.DateOnly, s)
		switch {
		case terr != nil || tm.Year() == 0:
			if err == nil {
				t.Fatalf("ParseDate(%q) = %v, want an error (time.Parse: %v)", s, got, terr)
			}
		case err != nil:
			t.Fatalf("ParseDate(%q): %v; time.Parse gives %v", s, err, tm)
		case got != DateOf(tm):
			t.Fatalf("ParseDate(%q) = %v, time.Parse gives %v", s, got, DateOf(tm))
		}
		if _, ok := plainDate(s); ok && (terr != nil || tm.Year() == 0) {
			t.Fatalf("plainDate accepts %q, time.Parse refuses it", s)
		}
	})
}

// FuzzDateOrder holds Before and After, which compare calendar days as
// numbers, to time.Time's order of the days as Time gives them, for any
// field values: days past a month's end and the zero Date included.
func FuzzDateOrder(f *testing.F) {
	for _, s := range [][6]int{
		{2026, 10, 4, 2026, 10, 5}, {2024, 2, 29, 2024, 3, 1}, {2023, 2, 29, 2023, 3, 1}, {2100, 2, 29, 2100, 3, 1},
		{2000, 2, 29, 2000, 3, 1}, {0, 0, 0, 2026, 1, 1}, {2026, 10, 32, 2026, 11, 1}, {-1, 12, 31, 0, 1, 1},
		{-32768, 1, 1, 32767, 12, 31}, {2026, 13, 1, 2027, 1, 1}, {2026, 4, 31, 2026, 5, 1}, {2026, 1, 0, 2025, 12, 31},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5])
	}
	f.Fuzz(func(t *testing.T, y1, m1, d1, y2, m2, d2 int) {
		a := Date{int16(y1), uint8(m1), uint8(d1)}
		b := Date{int16(y2), uint8(m2), uint8(d2)}
		if got, want := a.Before(b), a.Time().Before(b.Time()); got != want {
			t.Fatalf("%+v.Before(%+v) = %v, time.Time says %v", a, b, got, want)
		}
		if got, want := a.After(b), a.Time().After(b.Time()); got != want {
			t.Fatalf("%+v.After(%+v) = %v, time.Time says %v", a, b, got, want)
		}
	})
}
