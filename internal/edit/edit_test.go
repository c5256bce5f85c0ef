package edit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/golden"
	"github.com/okrkit/okr/internal/model"
	"go.yaml.in/yaml/v3"
)

func date(t *testing.T, s string) model.Date {
	t.Helper()
	d, err := model.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// onlyInserted checks that after is before with whole lines inserted and
// returns the inserted lines: every line of before is still there, in
// order and byte-identical.
func onlyInserted(t *testing.T, before, after string) []string {
	t.Helper()
	b, a := strings.SplitAfter(before, "\n"), strings.SplitAfter(after, "\n")
	var added []string
	i := 0
	for _, l := range a {
		if i < len(b) && l == b[i] {
			i++
			continue
		}
		added = append(added, l)
	}
	if i != len(b) {
		t.Fatalf("line %d of the original (%q) was changed or removed", i+1, b[i])
	}
	return added
}

func TestAddCheckinGolden(t *testing.T) {
	src, err := os.ReadFile("../../examples/objectives/engineering/platform/reliability.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse("reliability.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	conf := 8.0
	steps := []struct {
		kr string
		c  Checkin
	}{
		// The last key result of the file's first: before a comment that
		// heads the next key result.
		{"p99-latency", Checkin{Date: date(t, "2026-11-27"), Value: 380, Confidence: &conf, Author: "priya-nair",
			Note: "Replica live for dashboards.\nSecond line: with a colon.", Answers: []Answer{{"progress", "p99 at 380 ms #win"}}}},
		// Between two existing check-ins: date order is kept.
		{"availability", Checkin{Date: date(t, "2026-10-20"), Value: 99.9, Status: "at_risk"}},
	}
	for _, s := range steps {
		if err := d.AddCheckin(s.kr, s.c); err != nil {
			t.Fatalf("AddCheckin(%s): %v", s.kr, err)
		}
	}
	got := d.Bytes()
	added := onlyInserted(t, string(src), string(got))
	if len(added) != 12 {
		t.Errorf("inserted %d lines, want 12:\n%s", len(added), strings.Join(added, ""))
	}
	golden.Check(t, "testdata/reliability-checkins.yaml", got)
	// The edited file reads back with the new check-ins in place.
	kr := d.FindKeyResult("availability")
	seq := Get(kr, "checkins")
	if v := Get(seq.Content[3], "date").Value; v != "2026-10-20" {
		t.Errorf("availability check-in 4 is dated %s, want 2026-10-20", v)
	}
}

func TestInsertShapes(t *testing.T) {
	c := Checkin{Date: model.Date{Year: 2026, Month: 11, Day: 2}, Value: 1, IsBool: true}
	tests := []struct {
		name, src, want string
	}{
		{"no checkins key", `id: o
key_results:
  - id: k
    type: milestone # done when shipped
  - id: k2
`, `id: o
key_results:
  - id: k
    type: milestone # done when shipped
    checkins:
      - date: 2026-11-02
        value: true
  - id: k2
`},
		{"empty flow list keeps its comment", `id: o
key_results:
  - id: k
    checkins: [] # none yet

    type: milestone
`, `id: o
key_results:
  - id: k
    checkins: # none yet
      - date: 2026-11-02
        value: true

    type: milestone
`},
		{"indentless list and a block scalar", `id: o
key_results:
- id: k
  checkins:
  - date: 2026-11-01
    value: false
    note: |
      line one

      line three
# trailing comment
`, `id: o
key_results:
- id: k
  checkins:
  - date: 2026-11-01
    value: false
    note: |
      line one

      line three
  - date: 2026-11-02
    value: true
# trailing comment
`},
		{"no final newline", "id: o\nkey_results:\n  - id: k\n    checkins:\n      - {date: 2026-11-01, value: false}", "id: o\nkey_results:\n  - id: k\n    checkins:\n      - {date: 2026-11-01, value: false}\n      - date: 2026-11-02\n        value: true\n"},
		{"earlier date goes first, before its head comment", `id: o
key_results:
  - id: k
    checkins:
      # the first one
      - date: 2026-11-05
        value: false
`, `id: o
key_results:
  - id: k
    checkins:
      - date: 2026-11-02
        value: true
      # the first one
      - date: 2026-11-05
        value: false
`},
		{"empty list as the item's first key", `id: o
key_results:
  - checkins: [] # none yet
    id: k
`, `id: o
key_results:
  - checkins: # none yet
      - date: 2026-11-02
        value: true
    id: k
`},
		{"empty key as the item's first key", `id: o
key_results:
  - checkins:
    id: k
`, `id: o
key_results:
  - checkins:
      - date: 2026-11-02
        value: true
    id: k
`},
		{"flow item with an empty list first", `id: o
key_results:
  - {checkins: [], id: k}
`, `id: o
key_results:
  - checkins:
      - date: 2026-11-02
        value: true
    id: k
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("o.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if err := d.AddCheckin("k", c); err != nil {
				t.Fatal(err)
			}
			if got := string(d.Bytes()); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestInsertUnsupported(t *testing.T) {
	c := Checkin{Date: model.Date{Year: 2026, Month: 11, Day: 2}, Value: 2}
	for _, src := range []string{
		// A comment inside the flow collection would be lost.
		"id: o\nkey_results:\n  - id: k\n    checkins: [{date: 2026-11-01, value: 1}, # why\n      ]\n",
		"id: o\nkey_results:\n  - {id: k, # why\n     type: increase}\n",
		// Anchors, aliases and tags inside.
		"id: o\nkey_results:\n  - {id: k, start: &s 1, target: *s}\n",
		"id: o\nkey_results:\n  - id: k\n    checkins: !!seq [{date: 2026-11-01, value: 1}]\n",
		// The list is not on its key's line.
		"id: o\nkey_results:\n  - id: k\n    checkins:\n      [{date: 2026-11-01, value: 1}]\n",
	} {
		d, err := Parse("o.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if err := d.AddCheckin("k", c); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%q: err = %v, want ErrUnsupported", src, err)
		}
		if string(d.Bytes()) != src {
			t.Errorf("%q: the refused edit changed the bytes to:\n%s", src, d.Bytes())
		}
	}
	d, err := Parse("o.yaml", []byte("id: o\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.AddCheckin("nope", Checkin{}); err == nil || !strings.Contains(err.Error(), `no key result "nope"`) {
		t.Errorf("unknown key result: err = %v", err)
	}
}

// TestAddCheckinFlow checks that a check-in goes into a key result written
// as a flow mapping, or a flow list of check-ins, by rewriting just that
// collection in block style: its entries as written, one per line, and
// every other line byte-identical.
func TestAddCheckinFlow(t *testing.T) {
	c := Checkin{Date: model.Date{Year: 2026, Month: 11, Day: 2}, Value: 5}
	tests := []struct{ name, src, want string }{
		{"flow key result", `id: o
key_results:
  - {id: k, title: "K, quoted", type: increase, start: 0, target: 10} # the one
  - {id: other, type: milestone}
`, `id: o
key_results:
  - id: k # the one
    title: "K, quoted"
    type: increase
    start: 0
    target: 10
    checkins:
      - date: 2026-11-02
        value: 5
  - {id: other, type: milestone}
`},
		{"flow list of check-ins, in date order", `id: o
key_results:
  - id: k
    checkins: [{date: 2026-10-01, value: 1}, {date: 2026-12-01, value: 9},] # two
    type: increase
`, `id: o
key_results:
  - id: k
    checkins: # two
      - {date: 2026-10-01, value: 1}
      - date: 2026-11-02
        value: 5
      - {date: 2026-12-01, value: 9}
    type: increase
`},
		{"flow list of key results holding a flow list", `id: o
key_results: [{id: a, type: milestone}, {id: k, checkins: [{date: 2026-10-01, value: 1}]}]
tags: [x]
`, `id: o
key_results:
  - {id: a, type: milestone}
  - id: k
    checkins:
      - {date: 2026-10-01, value: 1}
      - date: 2026-11-02
        value: 5
tags: [x]
`},
		{"over several lines, with quotes", `id: o
key_results:
  - {id: k,
     title: 'it''s [not] a list, really',
     note: rock 'n roll,
     checkins: [
       {date: 2026-10-01, value: 1},
     ]}
`, `id: o
key_results:
  - id: k
    title: 'it''s [not] a list, really'
    note: rock 'n roll
    checkins:
      - {date: 2026-10-01, value: 1}
      - date: 2026-11-02
        value: 5
`},
		{"indentless, non-ASCII before", `id: o
key_results:
- {id: k, title: Café – ünïcode, unit: "€"}
`, `id: o
key_results:
- id: k
  title: Café – ünïcode
  unit: "€"
  checkins:
    - date: 2026-11-02
      value: 5
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("o.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if err := d.AddCheckin("k", c); err != nil {
				t.Fatal(err)
			}
			if got := string(d.Bytes()); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// FuzzAddCheckin checks, on random files, that an added check-in either
// goes in, leaving the file's data as it was but for the new check-in, or
// is refused with the bytes untouched, and never panics.
func FuzzAddCheckin(f *testing.F) {
	f.Add([]byte("id: o\nkey_results:\n  - {id: k, title: \"a, b\", checkins: [{date: 2026-10-01, value: 1}]} # c\n"))
	f.Add([]byte("key_results: [{id: k, n: 'x''y'}, {id: z}]\n"))
	f.Add([]byte("key_results:\n- id: k\n  checkins: [\n    {date: 2026-12-01, value: 2},\n    3]\n"))
	f.Add([]byte("id: o\r\nkey_results:\r\n  - {id: k, type: increase} # c\r\n"))
	f.Add([]byte("key_results:\r\n  - id: k\r\n    checkins: [{date: 2026-10-01, value: 1}]\r\n"))
	f.Add([]byte("key_results: [{id: k,0}]"))                                           // rewritten, then refused: put back
	f.Add([]byte("A: A\nkey_results:\n- {id: k,0: 00,00000000: [{0000000000000000}]}")) // keys that are not strings
	c := Checkin{Date: model.Date{Year: 2026, Month: 11, Day: 2}, Value: 5}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("f.yaml", src)
		if err != nil {
			return
		}
		var before map[string]any
		if yaml.Unmarshal(src, &before) != nil {
			return
		}
		if err := d.AddCheckin("k", c); err != nil {
			if string(d.Bytes()) != string(src) {
				t.Fatalf("refused (%v) but changed the bytes:\n%q\n->\n%q", err, src, d.Bytes())
			}
			return
		}
		var after map[string]any
		if err := yaml.Unmarshal(d.Bytes(), &after); err != nil {
			t.Fatalf("the result does not parse: %v\n%q\n->\n%q", err, src, d.Bytes())
		}
		// Take the new check-in out again: the rest must be as before.
		found := false
		for _, kr := range after["key_results"].([]any) {
			if found {
				break
			}
			if mm, ok := kr.(map[any]any); ok && mm["id"] == "k" {
				return // the key result edited has keys that are not all strings: not compared
			}
			m, ok := kr.(map[string]any)
			if !ok || m["id"] != "k" {
				continue
			}
			found = true
			list, _ := m["checkins"].([]any)
			kept := []any{}
			removed := false
			for _, x := range list {
				if cm, ok := x.(map[string]any); ok && !removed && len(cm) == 2 && cm["value"] == 5 &&
					(fmt.Sprint(cm["date"]) == "2026-11-02" || fmt.Sprint(cm["date"]) == "2026-11-02 00:00:00 +0000 UTC") {
					removed = true
					continue
				}
				kept = append(kept, x)
			}
			if len(kept) == len(list) {
				t.Fatalf("no new check-in:\n%q\n->\n%q", src, d.Bytes())
			}
			if len(kept) == 0 {
				if _, had := findKR(before, "k")["checkins"]; !had {
					delete(m, "checkins")
				} else {
					m["checkins"] = findKR(before, "k")["checkins"]
				}
			} else {
				m["checkins"] = kept
			}
		}
		if !found {
			return // a key result with keys that are not all strings: not compared
		}
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("data changed beyond the new check-in:\n%q\n->\n%q", src, d.Bytes())
		}
	})
}

func findKR(doc map[string]any, id string) map[string]any {
	list, _ := doc["key_results"].([]any)
	for _, kr := range list {
		if m, ok := kr.(map[string]any); ok && m["id"] == id {
			return m
		}
	}
	return nil
}

func TestSetScalar(t *testing.T) {
	src := "id: o # keep me\ntitle: 'It''s here' # and me\nstate: open\n"
	d, err := Parse("o.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"title", "New: title"}, {"state", "closed"}, {"carried_to", "o2"}} {
		if err := d.SetScalar(d.Root(), kv[0], Scalar(kv[1])); err != nil {
			t.Fatal(err)
		}
	}
	want := "id: o # keep me\ntitle: 'New: title' # and me\nstate: closed\ncarried_to: o2\n"
	if got := string(d.Bytes()); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteFileFailureKeepsOriginal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "o.yaml")
	if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("power cut")
	beforeRename = func(string) error { return boom }
	defer func() { beforeRename = func(string) error { return nil } }()
	if err := WriteFile(path, []byte("new\n")); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the injected failure", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("file = %q after a failed write, want the original", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	beforeRename = func(string) error { return nil }
	if err := WriteFile(path, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != "new\n" || fi.Mode().Perm() != 0o600 {
		t.Errorf("file = %q mode %v, want the new bytes and the old mode", b, fi.Mode().Perm())
	}
}

func TestInsertAfter(t *testing.T) {
	src := `id: o
title: O
cycle: q3 # the old one

# key results
key_results:
  - id: k
    title: K
    # type comment
    type: milestone
  - {id: f, title: F, type: milestone}
`
	d, err := Parse("o.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.InsertAfter(d.Root(), "cycle", "carried_to", Scalar("o-q4")); err != nil {
		t.Fatal(err)
	}
	if err := d.InsertAfter(d.FindKeyResult("k"), "title", "carried_to", Scalar("k-q4")); err != nil {
		t.Fatal(err)
	}
	if err := d.InsertAfter(d.FindKeyResult("f"), "title", "carried_to", Scalar("f-q4")); err != nil {
		t.Fatal(err)
	}
	want := `id: o
title: O
cycle: q3 # the old one
carried_to: o-q4

# key results
key_results:
  - id: k
    title: K
    carried_to: k-q4
    # type comment
    type: milestone
  - {id: f, title: F, type: milestone, carried_to: f-q4}
`
	if got := string(d.Bytes()); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestParseRefusesOddLineBreaks: YAML counts U+2028, U+2029, U+0085 and a
// lone "\r" as line breaks, the editor's lines do not, so a file holding one
// is refused instead of edited in the wrong place; "\r\n" is fine.
func TestParseRefusesOddLineBreaks(t *testing.T) {
	base := "id: o\ntitle: \"Get the team%sgoals in\"\nkey_results:\n  - id: k\n"
	for _, tt := range []struct {
		sep, want string
	}{
		{"\u2028", "o.yaml:2: unusual line break: a line separator (U+2028)"},
		{"\u2029", "o.yaml:2: unusual line break: a paragraph separator (U+2029)"},
		{"\u0085", "o.yaml:2: unusual line break: a next-line character (U+0085)"},
		{"\r", `o.yaml:2: unusual line break: a lone carriage return ("\r")`},
	} {
		_, err := Parse("o.yaml", []byte(fmt.Sprintf(base, tt.sep)))
		if !errors.Is(err, ErrLineBreak) || err.Error() != tt.want {
			t.Errorf("Parse with %q: err = %v, want %q", tt.sep, err, tt.want)
		}
	}
	crlf := strings.ReplaceAll(fmt.Sprintf(base, " "), "\n", "\r\n")
	if _, err := Parse("o.yaml", []byte(crlf)); err != nil {
		t.Errorf("Parse of a CRLF file: %v", err)
	}
}

// TestAddCheckinCRLF: in a file with CRLF line ends the edit writes CRLF
// too, and changes what it changes in the LF file, line for line.
func TestAddCheckinCRLF(t *testing.T) {
	c := Checkin{Date: model.Date{Year: 2026, Month: 11, Day: 2}, Value: 5, Note: "two\nlines"}
	for _, src := range []string{
		"id: o # top\nkey_results:\n  - id: k\n    type: increase\n    checkins:\n      - date: 2026-10-01\n        value: 1\n",
		"id: o\nkey_results:\n  - {id: k, type: increase} # flow\n  - id: z\n",
		"id: o\nkey_results:\n  - id: k\n    checkins: [{date: 2026-10-01, value: 1}]\n",
		"id: o\nkey_results:\n  - checkins: []\n    id: k\n",
		"id: o\nkey_results:\n  - id: k",
	} {
		lf, err := Parse("o.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if err := lf.AddCheckin("k", c); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		cr, err := Parse("o.yaml", []byte(strings.ReplaceAll(src, "\n", "\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		if err := cr.AddCheckin("k", c); err != nil {
			t.Fatalf("%q as CRLF: %v", src, err)
		}
		want := strings.ReplaceAll(string(lf.Bytes()), "\n", "\r\n")
		if got := string(cr.Bytes()); got != want {
			t.Errorf("%q as CRLF:\ngot  %q\nwant %q", src, got, want)
		}
	}
}
