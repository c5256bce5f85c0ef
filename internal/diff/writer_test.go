package diff

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/golden"
)

func render(t *testing.T, format string, d *Diff) []byte {
	t.Helper()
	w, err := NewWriter(format)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// goldenDiff is the sample comparison with its goalpost attributed, as the
// history engine would.
func goldenDiff(t *testing.T) *Diff {
	d := compareSample(t)
	g := &d.Goalposts[0]
	g.Commit, g.Author, g.AuthorID, g.AuthorEmail = "89abcdef0123456789abcdef0123456789abcdef", "Lin Zhou", "lin", "lin@acme.example"
	return d
}

func TestGoalpostSource(t *testing.T) {
	const hash = "89abcdef0123456789abcdef0123456789abcdef"
	at := Goalpost{File: "objectives/p.yaml", Line: 12}
	with := func(commit, author, id string) Goalpost {
		g := at
		g.Commit, g.Author, g.AuthorID = commit, author, id
		return g
	}
	cases := []struct {
		name  string
		g     Goalpost
		quote func(string) string
		want  string
	}{
		{"person", with(hash, "Lin Zhou", "lin"), terminalSafe, "in 89abcde by Lin Zhou (lin) at objectives/p.yaml:12"},
		{"unmatched author", with(hash, "lin z", ""), terminalSafe, "in 89abcde by lin z at objectives/p.yaml:12"},
		{"working tree", with("", "Lin Zhou", "lin"), terminalSafe, "in the working tree by Lin Zhou (lin) at objectives/p.yaml:12"},
		{"working tree, unmatched", with("", "lz@home.example", ""), terminalSafe, "in the working tree by lz@home.example at objectives/p.yaml:12"},
		{"no history (saved reports)", at, terminalSafe, "at objectives/p.yaml:12"},
		{"markdown", with(hash, "Lin Zhou", "lin"), code, "in `89abcde` by `Lin Zhou (lin)` at `objectives/p.yaml:12`"},
		{"hostile name, markdown", with(hash, "a`b\nc", "lin"), code, "in `89abcde` by `a'b c (lin)` at `objectives/p.yaml:12`"},
		{"control character, markdown", with(hash, "a\x1b[2Jb", ""), code, "in `89abcde` by `a\\u001b[2Jb` at `objectives/p.yaml:12`"},
		{"hostile name, text", with(hash, "a\x1b[2Jb", ""), terminalSafe, `in 89abcde by a\x1b[2Jb at objectives/p.yaml:12`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := goalpostSource(c.g, c.quote); got != c.want {
				t.Errorf("goalpostSource = %q, want %q", got, c.want)
			}
		})
	}
	for _, c := range []struct{ name, id, want string }{
		{"Lin Zhou", "lin", "Lin Zhou (lin)"}, {"lin", "", "lin"}, {"", "lin", "lin"}, {"", "", ""},
	} {
		if got := AuthorLabel(c.name, c.id); got != c.want {
			t.Errorf("AuthorLabel(%q, %q) = %q, want %q", c.name, c.id, got, c.want)
		}
	}
}

var ext = map[string]string{"markdown": "md", "json": "json", "text": "txt"}

func TestFormats(t *testing.T) {
	if got := Formats(); !reflect.DeepEqual(got, []string{"json", "markdown", "text"}) {
		t.Errorf("formats %v", got)
	}
	_, err := NewWriter("html")
	if err == nil || err.Error() != `unknown format "html" (want one of json, markdown, text)` {
		t.Errorf("unknown format: %v", err)
	}
}

func TestGolden(t *testing.T) {
	d := goldenDiff(t)
	empty := Compare(nil, nil, Options{Base: Ref{Label: "main", Commit: "0123456789abcdef"}, Head: Ref{Label: "working tree"}, BaseAsOf: day, HeadAsOf: day})
	for _, format := range Formats() {
		golden.Check(t, filepath.Join("testdata", "sample."+ext[format]), render(t, format, d))
		golden.Check(t, filepath.Join("testdata", "empty."+ext[format]), render(t, format, empty))
	}
}

func TestMarkdownEscapes(t *testing.T) {
	out := string(render(t, "markdown", goldenDiff(t)))
	if !strings.HasPrefix(out, Marker+"\n### OKR changes\n") {
		t.Errorf("markdown does not start with the marker and heading:\n%s", out)
	}
	if !strings.Contains(out, "&lt;script&gt;") || strings.Contains(out, "<script>") || strings.Contains(out, "</script> | x") {
		t.Errorf("markdown does not escape the hostile title:\n%s", out)
	}
	if g, details := strings.Index(out, "Goalpost moved"), strings.Index(out, "<details>"); g < 0 || g > details {
		t.Errorf("the goalpost list must come before the details")
	}
	hostile := &Diff{Version: 1, Objectives: []ObjectiveChange{{ID: "o|x", Title: "a\nb", Change: Changed,
		Fields: []FieldChange{{Field: "title", Old: "x | y", New: "<img src=x onerror=alert(1)>\nz"}}}}}
	out = string(render(t, "markdown", hostile))
	for _, bad := range []string{"x | y", "<img", "\nz", "a\nb", "`o|x`"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains %q:\n%s", bad, out)
		}
	}
}

func TestTextEscapesControlCharacters(t *testing.T) {
	d := &Diff{Version: 1, Objectives: []ObjectiveChange{{ID: "o", Change: Changed,
		Fields: []FieldChange{{Field: "title", Old: "a", New: "\x1b[31mred\nline"}}}}}
	out := string(render(t, "text", d))
	if strings.Contains(out, "\x1b") || !strings.Contains(out, `\x1b[31mred\nline`) {
		t.Errorf("text output %q", out)
	}
}

func TestJSONShape(t *testing.T) {
	d := goldenDiff(t)
	out := render(t, "json", d)
	if !bytes.HasSuffix(out, []byte("}\n")) || !bytes.HasPrefix(out, []byte("{\n  \"version\": 2,")) {
		t.Errorf("json is not indented by two spaces with a trailing newline:\n%s", out)
	}
	var back Diff
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if back.Summary != d.Summary || len(back.Objectives) != len(d.Objectives) || back.Goalposts[0] != d.Goalposts[0] {
		t.Errorf("json round trip lost data")
	}
	bare := string(render(t, "json", &Diff{Version: 1, Objectives: []ObjectiveChange{{ID: "o", Change: Added,
		KeyResults: []KeyResultChange{{ID: "k", Change: Added}}}, {ID: "p", Change: Removed}}}))
	for _, list := range []string{"goalposts", "fields", "key_results", "new_checkins", "removed_checkins"} {
		if strings.Contains(bare, `"`+list+`": null`) || !strings.Contains(bare, `"`+list+`": []`) {
			t.Errorf("empty list %s must be []:\n%s", list, bare)
		}
	}
}

// TestDeterministic writes the same diff twice in every format, and
// compares twice, expecting identical bytes.
func TestDeterministic(t *testing.T) {
	for _, format := range Formats() {
		a, b := render(t, format, goldenDiff(t)), render(t, format, goldenDiff(t))
		d := goldenDiff(t)
		c, e := render(t, format, d), render(t, format, d)
		if !bytes.Equal(a, b) || !bytes.Equal(c, e) || !bytes.Equal(a, c) {
			t.Errorf("%s output differs between runs", format)
		}
	}
}

// TestScoreDeltaDisplay: score changes follow okr.yaml's display, with one
// more decimal when the usual ones would hide a change.
func TestScoreDeltaDisplay(t *testing.T) {
	v := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		old, new      *float64
		display, want string
	}{
		{v(0.2), v(0.7), "", "0.20 → 0.70"},
		{v(0.2), v(0.7), "decimal", "0.20 → 0.70"},
		{v(0.2), v(0.7), "percent", "20% → 70%"},
		{v(0.701), v(0.704), "decimal", "0.701 → 0.704"},
		{v(0.701), v(0.704), "percent", "70.1% → 70.4%"},
		{nil, v(0.5), "percent", "50%"},
		{v(0.5), nil, "decimal", "0.50"},
		{nil, nil, "decimal", ""},
	} {
		if got := scoreDelta(c.old, c.new, " → ", c.display); got != c.want {
			t.Errorf("scoreDelta(%v, %v, %q) = %q, want %q", c.old, c.new, c.display, got, c.want)
		}
	}
}
