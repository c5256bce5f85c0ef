package edit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/golden"
	"github.com/okrkit/okr/internal/model"
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
	d, err := Parse("o.yaml", []byte("id: o\nkey_results:\n  - id: k\n    checkins: [{date: 2026-11-01, value: 1}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = d.AddCheckin("k", Checkin{Date: model.Date{Year: 2026, Month: 11, Day: 2}, Value: 2})
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("flow list: err = %v, want ErrUnsupported", err)
	}
	if err := d.AddCheckin("nope", Checkin{}); err == nil || !strings.Contains(err.Error(), `no key result "nope"`) {
		t.Errorf("unknown key result: err = %v", err)
	}
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
