package dashboard

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/okrkit/okr/internal/golden"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/trend"
	"github.com/okrkit/okr/internal/validate"
)

var day = model.NewDate(2026, time.November, 23)

func loadWorkspace(t *testing.T, dir string) *model.Workspace {
	t.Helper()
	res, err := validate.Run(dir, validate.Options{Today: day, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 0 {
		t.Fatalf("workspace %s has findings: %v", dir, res.Diagnostics)
	}
	return res.Workspace
}

// render builds and writes the page of the workspace in dir, Q4 as of day.
func render(t *testing.T, in Input) []byte {
	t.Helper()
	if in.Cycle == nil {
		in.Cycle = report.ActiveCycle(in.Workspace, day)
	}
	in.AsOf = day
	var buf bytes.Buffer
	if err := Write(&buf, Build(in)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// inline matches the embedded style and script, which the structure
// golden leaves out (they are the asset files, reviewed as such).
var inline = regexp.MustCompile(`(?s)(<style>|<script>).*?(</style>|</script>)`)

// TestGoldenExample renders the example workspace's Q4 as of 2026-11-23
// (no history: the golden must not depend on this repository's commits)
// and compares its markup with the golden file.
func TestGoldenExample(t *testing.T) {
	ws := loadWorkspace(t, "../../examples")
	out := render(t, Input{Workspace: ws})
	structure := inline.ReplaceAll(out, []byte("$1…$2"))
	golden.Check(t, filepath.Join("testdata", "example-q4.html"), structure)

	doc := parse(t, out)
	if n := len(findAll(doc, "li", "obj")); n != 18 {
		t.Errorf("%d objectives in the tree, want 18 (the example's Q4)", n)
	}
	krs := findAll(doc, "tr", "kr")
	if len(krs) != 38 {
		t.Errorf("%d key-result rows, want 38", len(krs))
	}
	for _, kr := range krs {
		if len(findAll(kr, "svg", "chart")) != 1 {
			t.Errorf("key result %s has no chart", attr(kr, "id"))
		}
	}
	if again := render(t, Input{Workspace: ws}); !bytes.Equal(out, again) {
		t.Error("two renders of the same input differ")
	}
}

const evil = `<script>alert(1)</script>`

// writeHostile writes a valid workspace whose every free-text field is
// hostile, and returns its folder.
func writeHostile(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"okr.yaml": `version: 1
name: '<img src=x onerror=alert(1)> Inc'
units:
  - {id: usd, name: dollars, symbol: '</script><script>alert(2)</script>'}
score_bands:
  - {name: '<b>low</b>', min: 0, color: 'red;background:url(https://evil.example/x)'}
  - {name: high, min: 0.5, color: '#28a745'}
status_names: {on_track: '<i>fine</i>', at_risk: '"><svg onload=alert(3)>', off_track: off, done: done}
`,
		"org.yaml": `teams:
  - {id: red, name: '<style>body{display:none}</style>Red'}
people:
  - {id: eve, name: '"><img src=x onerror=alert(4)>', team: red}
  - {id: mal, name: "Mal' onmouseover='alert(5)", team: red}
`,
		"cycles.yaml": `cycles:
  - {id: q4, name: '<script>alert(6)</script>', start: 2026-10-01, end: 2026-12-31}
`,
		"objectives/evil.yaml": `id: evil
title: '` + evil + `'
description: "<script>alert(10)</script>\n\nsecond <b>para</b>"
cycle: q4
owner: eve
tags: ['two words', '"><b>x</b>']
initiatives:
  - {id: evil-js, title: '<img src=x onerror=alert(11)>', link: 'javascript:alert(12)', status: planned, owner: mal, key_result: evil-kr}
  - {id: evil-web, title: '<i>web</i>', link: 'https://ok.example/?q="><script>alert(13)</script>', status: done}
key_results:
  - id: evil-kr
    title: '<a href="javascript:alert(7)">click</a>'
    type: increase
    start: 0
    target: 10
    unit: usd
    owner: mal
    checkins:
      - {date: 2026-10-10, value: 2, note: '</title></circle></svg><script>alert(8)</script>'}
      - {date: 2026-11-10, value: 6, note: "it's & <fine>"}
`,
		"objectives/child.yaml": `id: child
title: 'Child ]]> <!-- comment --> {{.Title}}'
cycle: q4
owner: mal
tags: ['two words']
aligns_to: [evil]
key_results:
  - {id: child-kr, title: '&amp; already escaped', type: milestone}
`,
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestEscaping renders the hostile workspace: nothing it holds may become
// markup, an attribute or a script.
func TestEscaping(t *testing.T) {
	ws := loadWorkspace(t, writeHostile(t))
	out := render(t, Input{Workspace: ws, Note: `<b>note</b>`, Filter: report.Filter{}})
	s := string(out)
	for _, bad := range []string{"<img", "<svg onload", "<i>", "<b>", "<a href=\"javascript", "<style>body", "alert(2)</script>", "onmouseover='", "url(https://evil", "<!-- comment"} {
		if strings.Contains(s, bad) {
			t.Errorf("output holds %q unescaped", bad)
		}
	}
	if n := strings.Count(s, "<script"); n != 1 {
		t.Errorf("%d <script tags, want 1 (the page's own)", n)
	}
	if strings.Count(s, "<style") != 1 {
		t.Errorf("%d <style tags, want 1", strings.Count(s, "<style"))
	}
	// The parsed page shows the hostile text as text, where it belongs.
	doc := parse(t, out)
	titles := map[string]bool{}
	for _, n := range findAll(doc, "span", "title") {
		titles[text(n)] = true
	}
	for _, want := range []string{evil, `<a href="javascript:alert(7)">click</a>`, `Child ]]> <!-- comment --> {{.Title}}`, `&amp; already escaped`} {
		if !titles[want] {
			t.Errorf("title %q not shown as text; titles: %v", want, titles)
		}
	}
	if h1 := findAll(doc, "h1", ""); len(h1) != 1 || text(h1[0]) != "<img src=x onerror=alert(1)> Inc: <script>alert(6)</script>" {
		t.Errorf("heading = %q", text(h1[0]))
	}
	var notes []string
	for _, c := range findAll(doc, "svg", "chart") {
		if tt := findAll(c, "title", ""); len(tt) > 0 && strings.HasPrefix(text(tt[0]), "Progress of evil-kr") {
			notes = strings.Split(text(tt[0]), "\n")
		}
	}
	if len(notes) != 3 || !strings.HasSuffix(notes[1], ". </title></circle></svg><script>alert(8)</script>") || !strings.HasSuffix(notes[2], "it's & <fine>") {
		t.Errorf("check-in notes = %q", notes)
	}
	// Two links: the team's, and the one initiative whose link is https.
	if len(findAll(doc, "script", "")) != 1 || len(findAll(doc, "img", "")) != 0 || len(findAll(doc, "a", "")) != 2 {
		t.Errorf("unexpected elements: %d script, %d img, %d a", len(findAll(doc, "script", "")), len(findAll(doc, "img", "")), len(findAll(doc, "a", "")))
	}
	for _, a := range findAll(doc, "a", "") {
		if h := attr(a, "href"); strings.Contains(strings.ToLower(h), "javascript") || strings.ContainsAny(h, "<>\"") {
			t.Errorf("link %q", h)
		}
	}
	evilNode := byID(t, doc, "o-evil")
	var paras []string
	for _, p := range findAll(evilNode, "p", "") {
		if p.Parent != nil && attr(p.Parent, "class") == "description" {
			paras = append(paras, text(p))
		}
	}
	if want := []string{"<script>alert(10)</script>", "second <b>para</b>"}; !slices.Equal(paras, want) {
		t.Errorf("description paragraphs %q, want %q", paras, want)
	}
	var chips []string
	for _, c := range findAll(findAll(evilNode, "summary", "")[0], "span", "tag") {
		chips = append(chips, text(c))
	}
	if want := []string{"two words", `"><b>x</b>`}; !slices.Equal(chips, want) || attr(evilNode, "data-tags") != `["two words","\"\u003e\u003cb\u003ex\u003c/b\u003e"]` {
		t.Errorf("tags %q, data-tags %q", chips, attr(evilNode, "data-tags"))
	}
	var rows []string
	for _, tr := range findAll(evilNode, "tr", "initiative") {
		var cells []string
		for _, td := range findAll(tr, "td", "") {
			cells = append(cells, text(td))
		}
		if a := findAll(tr, "a", ""); len(a) == 1 {
			cells = append(cells, "href "+attr(a[0], "href"))
		}
		rows = append(rows, strings.Join(cells, " | "))
	}
	wantRows := []string{
		`<img src=x onerror=alert(11)> javascript:alert(12) evil-js | planned | Mal' onmouseover='alert(5) |  | <a href="javascript:alert(7)">click</a> evil-kr`,
		`<i>web</i> evil-web | done |  |  | ` + ` | href https://ok.example/?q=%22%3e%3cscript%3ealert%2813%29%3c/script%3e`,
	}
	if !slices.Equal(rows, wantRows) {
		t.Errorf("initiatives:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(wantRows, "\n"))
	}
	var mal []string
	for _, o := range findAll(byID(t, doc, "filter-owner"), "option", "") {
		if attr(o, "value") == "mal" {
			mal = append(mal, text(o))
		}
	}
	if len(mal) != 1 || mal[0] != "Mal' onmouseover='alert(5) (mal)" {
		t.Errorf("owner options for mal = %q, want one, \"Mal' onmouseover='alert(5) (mal)\"", mal)
	}
	styled := 0
	for _, sp := range findAll(doc, "span", "") {
		st := attr(sp, "style")
		if st != "" {
			styled++
		}
		if strings.Contains(st, "url(") || strings.Contains(st, "evil") {
			t.Errorf("hostile style %q", st)
		}
	}
	if styled == 0 {
		t.Error("no styled span (the bars) to check")
	}
	// The objectives' score bars: the safe band colour is used, the
	// hostile one is dropped.
	for id, want := range map[string]string{"o-evil": "width:60%;background:#28a745", "o-child": "width:0%"} {
		bars := findAll(findAll(byID(t, doc, id), "summary", "")[0], "span", "bar")
		if len(bars) != 1 || len(findAll(bars[0], "span", "")) != 1 {
			t.Errorf("objective %s: %d score bars, want 1", id, len(bars))
			continue
		}
		if got := attr(findAll(bars[0], "span", "")[0], "style"); got != want {
			t.Errorf("objective %s: score bar style %q, want %q", id, got, want)
		}
	}
}

func TestBuildFilterAndCollapse(t *testing.T) {
	ws := loadWorkspace(t, "../../examples")
	q4 := report.ActiveCycle(ws, day)
	all := Build(Input{Workspace: ws, Cycle: q4, AsOf: day})
	tests := []struct {
		name   string
		filter report.Filter
		objs   int
	}{
		{"none", report.Filter{}, 18},
		{"team", report.Filter{Team: "engineering"}, 6},
		{"status", report.Filter{Status: "at_risk"}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Build(Input{Workspace: ws, Cycle: q4, AsOf: day, Filter: tt.filter})
			if p.Objectives != tt.objs || count(p.Roots) != tt.objs {
				t.Errorf("objectives %d, in tree %d, want %d", p.Objectives, count(p.Roots), tt.objs)
			}
			if (p.Filtered == "") != (tt.filter == report.Filter{}) {
				t.Errorf("Filtered = %q", p.Filtered)
			}
		})
	}
	if all.Collapsed || !all.Roots[0].Open {
		t.Error("a small page starts collapsed")
	}
	defer func(n int) { collapseAbove = n }(collapseAbove)
	collapseAbove = 10
	if p := Build(Input{Workspace: ws, Cycle: q4, AsOf: day}); !p.Collapsed || p.Roots[0].Open {
		t.Error("a page above the threshold starts open")
	}
}

// TestAlignmentLoop builds a page from a workspace whose alignments loop
// (okr refuses to report on it, but Build must not nest it forever).
func TestAlignmentLoop(t *testing.T) {
	q := &model.Cycle{ID: "q", Start: model.Date{Year: 2026, Month: 10, Day: 1}, End: model.Date{Year: 2026, Month: 12, Day: 31}}
	obj := func(id, parent string) *model.Objective {
		return &model.Objective{ID: id, Title: id, Cycle: "q", Level: "team", Weight: 1, AlignsTo: []*model.Alignment{{Objective: parent, Weight: 1}}}
	}
	ws := &model.Workspace{Cycles: []*model.Cycle{q}, Objectives: []*model.Objective{obj("a", "b"), obj("b", "a")}}
	p := Build(Input{Workspace: ws, Cycle: q, AsOf: day})
	if len(p.Roots) != 1 || p.Roots[0].ID != "a" || len(p.Roots[0].Children) != 1 || len(p.Roots[0].Children[0].Children) != 0 {
		t.Fatalf("roots %+v", p.Roots)
	}
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), `<li class="obj`); n != 2 {
		t.Errorf("%d objectives written, want 2", n)
	}
}

// TestAlsoAlignsTo: the other parents link to the page only when they
// are on it; a parent in another cycle, or left out by a command-line
// filter, is named as text and says so.
func TestAlsoAlignsTo(t *testing.T) {
	ws := loadWorkspace(t, "../../examples")
	q4 := report.ActiveCycle(ws, day)
	find := func(t *testing.T, p *Page, id string) *Node {
		var walk func([]*Node) *Node
		walk = func(ns []*Node) *Node {
			for _, n := range ns {
				if n.ID == id {
					return n
				}
				if f := walk(n.Children); f != nil {
					return f
				}
			}
			return nil
		}
		n := walk(p.Roots)
		if n == nil {
			t.Fatalf("objective %s not in the tree", id)
		}
		return n
	}
	also := func(n *Node) string {
		var out []string
		for _, a := range n.Also {
			s := a.ID
			if !a.OnPage {
				s += " (" + a.Away + ")"
			}
			out = append(out, s)
		}
		return strings.Join(out, ", ")
	}
	tests := []struct {
		name   string
		filter report.Filter
		obj    string
		want   string
	}{
		// win-mid-market is in the cycle "2026", not on the Q4 page.
		{"another cycle", report.Filter{}, "grow-arr", "win-mid-market (another cycle)"},
		{"on the page", report.Filter{}, "eng-ship-faster", "launch-self-serve"},
		{"filtered out", report.Filter{Team: "engineering"}, "eng-ship-faster", "delight-customers (filtered out), launch-self-serve (filtered out)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Build(Input{Workspace: ws, Cycle: q4, AsOf: day, Filter: tt.filter})
			if got := also(find(t, p, tt.obj)); got != tt.want {
				t.Errorf("%s also aligns to %q, want %q", tt.obj, got, tt.want)
			}
			// Every link in the page leads to an element on it.
			var buf bytes.Buffer
			if err := Write(&buf, p); err != nil {
				t.Fatal(err)
			}
			doc := parse(t, buf.Bytes())
			ids := map[string]bool{}
			for n := range doc.Descendants() {
				if n.Type == html.ElementNode && attr(n, "id") != "" {
					ids[attr(n, "id")] = true
				}
			}
			links := 0
			for _, a := range findAll(doc, "a", "") {
				if h := attr(a, "href"); strings.HasPrefix(h, "#o-") {
					links++
					if !ids[strings.TrimPrefix(h, "#")] {
						t.Errorf("link %s (%q) leads to no element on the page", h, text(a))
					}
				}
			}
			if tt.filter == (report.Filter{}) && links == 0 {
				t.Error("no link to another objective on the page")
			}
		})
	}
}

func count(nodes []*Node) int {
	n := 0
	for _, c := range nodes {
		n += 1 + count(c.Children)
	}
	return n
}

func ptr(v float64) *float64 { return &v }

func TestChart(t *testing.T) {
	q4 := &model.Cycle{ID: "q4", Start: model.Date{Year: 2026, Month: 10, Day: 1}, End: model.Date{Year: 2026, Month: 12, Day: 31}}
	old := &model.KeyResult{ID: "k", Type: model.Increase, Start: ptr(0), Target: ptr(100)}
	lowered := &model.KeyResult{ID: "k", Type: model.Increase, Start: ptr(0), Target: ptr(60)}
	format := func(v float64) string { return number(v) + " u" }
	tests := []struct {
		name       string
		asOf       model.Date
		points     []trend.Point
		defs       []trend.Definition
		wantLine   string
		wantGoals  int
		wantToday  string
		wantTop    string
		wantLabels []string
	}{
		{name: "no check-ins", asOf: day, defs: []trend.Definition{{KR: old}}, wantGoals: 1, wantToday: "139.8", wantTop: "100%"},
		{
			name: "goal lowered mid-cycle", asOf: day,
			points: []trend.Point{
				{Date: "2026-10-02", Value: 10, Progress: 0.1, Expected: 0.011, Goal: "from 0 to 100"},
				{Date: "2026-10-26", Value: 36, Progress: 0.6, Expected: 0.275, Goal: "from 0 to 60", Note: "lowered", Confidence: ptr(0.7)},
			},
			defs:      []trend.Definition{{KR: old}, {Since: model.Date{Year: 2026, Month: 10, Day: 26}, Commit: "abc1234", KR: lowered}},
			wantLine:  "2.6,54.6 65.9,27.6",
			wantGoals: 2, wantToday: "139.8", wantTop: "100%",
			wantLabels: []string{"2026-10-02: 10 u (10%, expected 1%), goal from 0 to 100", "2026-10-26: 36 u (60%, expected 28%), goal from 0 to 60, confidence 0.7. lowered"},
		},
		{
			name: "overachieved, as of after the cycle", asOf: model.Date{Year: 2027, Month: 1, Day: 5},
			points:   []trend.Point{{Date: "2026-12-31", Value: 150, Progress: 1.5, Goal: "from 0 to 100"}},
			defs:     []trend.Definition{{KR: old}},
			wantLine: "240,6", wantGoals: 1, wantTop: "150%",
			wantLabels: []string{"2026-12-31: 150 u (150%, expected 0%)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := chart(q4, tt.asOf, tt.points, tt.defs, format, trend.Goal, "K")
			if c.Line != tt.wantLine || len(c.Goals) != tt.wantGoals || c.Today != tt.wantToday || c.Top != tt.wantTop {
				t.Errorf("line %q goals %d today %q top %q, want %q %d %q %q", c.Line, len(c.Goals), c.Today, c.Top, tt.wantLine, tt.wantGoals, tt.wantToday, tt.wantTop)
			}
			if want := "M0 60L240 6"; tt.wantTop == "150%" && c.Expected != "M0 60L240 24" || tt.wantTop == "100%" && c.Expected != want {
				t.Errorf("expected-progress line %q", c.Expected)
			}
			if strings.Join(c.Checkins, "|") != strings.Join(tt.wantLabels, "|") {
				t.Errorf("labels %q, want %q", c.Checkins, tt.wantLabels)
			}
			head := fmt.Sprintf("Progress of K: %d check-ins", len(tt.points))
			if len(tt.points) == 1 {
				head = "Progress of K: 1 check-in"
			}
			if want := strings.Join(append([]string{head}, tt.wantLabels...), "\n"); c.Title != want {
				t.Errorf("title %q, want %q", c.Title, want)
			}
			if len(c.Goals) == 2 {
				g := c.Goals[1]
				if !g.Mark || g.X1 != c.Goals[0].X2 || g.Label != "goal from 0 to 60 from 2026-10-26 (abc1234)" {
					t.Errorf("second goal segment %+v", g)
				}
			}
		})
	}
}

// TestGoalsAdd feeds versions as a walk would: a new definition only when
// the goal changes, dated by its commit (the working tree by today).
func TestGoalsAdd(t *testing.T) {
	obj := func(target float64, typ string) []*model.Objective {
		kr := &model.KeyResult{ID: "k", Type: typ, Start: ptr(0), Target: ptr(target), Threshold: ptr(target)}
		return []*model.Objective{{ID: "o", KeyResults: []*model.KeyResult{kr}}}
	}
	oct := func(d int) model.Date { return model.NewDate(2026, time.October, d) }
	g := Goals{}
	g.Add(oct(1), "c1", obj(100, model.Increase))
	g.Add(oct(5), "c5", obj(100, model.Increase))
	g.Add(oct(9), "c9", obj(60, model.Increase))
	g.Add(oct(12), "c12", nil) // the file removed
	g.Add(day, "", obj(60, model.AtLeast))
	var got []string
	for _, d := range g["k"] {
		got = append(got, d.Since.String()+" "+d.Commit+" "+trend.Goal(d.KR))
	}
	want := []string{"2026-10-01 c1 from 0 to 100", "2026-10-09 c9 from 0 to 60", "2026-11-23  at least 60"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("definitions %q, want %q", got, want)
	}
}

func TestWithUnit(t *testing.T) {
	ws := &model.Workspace{Settings: model.Settings{Units: []*model.Unit{{ID: "usd", Symbol: "$"}, {ID: "pct", Symbol: "%"}, {ID: "ms", Symbol: "ms"}, {ID: "n"}}}}
	tests := []struct {
		unit string
		v    float64
		want string
	}{
		{"usd", 1250000, "$1,250,000"}, {"usd", -5, "-$5"}, {"pct", 99.95, "99.95%"}, {"ms", 300, "300 ms"}, {"n", 3, "3"}, {"", 0.5, "0.5"},
	}
	for _, tt := range tests {
		if got := withUnit(ws, tt.unit, tt.v); got != tt.want {
			t.Errorf("withUnit(%q, %v) = %q, want %q", tt.unit, tt.v, got, tt.want)
		}
	}
}

// Helpers over golang.org/x/net/html trees.

func parse(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// byID returns the element below n with the id.
func byID(t *testing.T, n *html.Node, id string) *html.Node {
	t.Helper()
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && attr(c, "id") == id {
			return c
		}
	}
	t.Fatalf("no element #%s", id)
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// findAll returns the elements below n named tag (and with class, when
// given), in document order.
func findAll(n *html.Node, tag, class string) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && c.Data == tag && (class == "" || strings.Contains(" "+attr(c, "class")+" ", " "+class+" ")) {
			out = append(out, c)
		}
	}
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// TestWebLink: only absolute http and https URLs with a host become links.
func TestWebLink(t *testing.T) {
	tests := []struct {
		link string
		want bool
	}{
		{"https://github.com/lumen/platform/pull/1842", true},
		{"http://wiki.example/page?a=1#b", true},
		{"HTTPS://EXAMPLE.COM/", true},
		{"", false},
		{"javascript:alert(1)", false},
		{"javascript://example.com/%0Aalert(1)", false},
		{"data:text/html,<script>alert(1)</script>", false},
		{"ftp://files.example/x", false},
		{"mailto:someone@example.com", false},
		{"file:///etc/passwd", false},
		{"//evil.example/x", false},
		{"/relative/path", false},
		{"https:no-host", false},
		{"https://", false},
		{" https://example.com", false},
		{"JIRA-123", false},
	}
	for _, tt := range tests {
		if got := webLink(tt.link); got != tt.want {
			t.Errorf("webLink(%q) = %v, want %v", tt.link, got, tt.want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  \n\t\n", nil},
		{"One line.", []string{"One line."}},
		{"Wrapped\nline.\n", []string{"Wrapped\nline."}},
		{"First.\n\nSecond,\nwrapped.\n\n\n  Third, indented.  \n", []string{"First.", "Second,\nwrapped.", "  Third, indented."}},
		{"Windows\r\nline ends.\r\n\r\nNext.", []string{"Windows\nline ends.", "Next."}},
	}
	for _, tt := range tests {
		if got := paragraphs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTagsAndInitiatives builds a page from a workspace made in code: the
// nodes carry the description, the tags (once each, as written) and the
// initiatives; the tag filter offers every tag on the page, sorted, and
// only those.
func TestTagsAndInitiatives(t *testing.T) {
	q := &model.Cycle{ID: "q", Start: model.Date{Year: 2026, Month: 10, Day: 1}, End: model.Date{Year: 2026, Month: 12, Day: 31}}
	other := &model.Cycle{ID: "other", Start: model.Date{Year: 2026, Month: 7, Day: 1}, End: model.Date{Year: 2026, Month: 9, Day: 30}}
	kr := &model.KeyResult{ID: "k1", Title: "Ship it", Type: model.Milestone, Weight: 1}
	a := &model.Objective{ID: "a", Title: "A", Cycle: "q", Level: "team", Weight: 1, Owner: "ann",
		Description: "Why A.\n\nHow: carefully.", Tags: []string{"zeta", "Board", "two words", "zeta"},
		KeyResults: []*model.KeyResult{kr},
		Initiatives: []*model.Initiative{
			{ID: "i1", Title: "Web", Link: "https://x.example/1", Status: "in_progress", Owner: "ann", KeyResult: "k1", Due: model.Date{Year: 2026, Month: 11, Day: 2}},
			{ID: "i2", Title: "Ticket", Link: "JIRA-42", Status: "planned", Owner: "nobody-known", KeyResult: "gone"},
			{ID: "i3", Status: "cancelled"},
		}}
	b := &model.Objective{ID: "b", Title: "B", Cycle: "q", Level: "team", Weight: 1, Tags: []string{"alpha"}}
	c := &model.Objective{ID: "c", Title: "C", Cycle: "other", Level: "team", Weight: 1, Tags: []string{"not-on-page"}}
	ws := &model.Workspace{Cycles: []*model.Cycle{q, other}, Objectives: []*model.Objective{a, b, c},
		People: []*model.Person{{ID: "ann", Name: "Ann Lee"}}}
	p := Build(Input{Workspace: ws, Cycle: q, AsOf: day})
	if len(p.Roots) != 2 {
		t.Fatalf("roots %+v", p.Roots)
	}
	na, nb := p.Roots[0], p.Roots[1]
	if !slices.Equal(na.Description, []string{"Why A.", "How: carefully."}) || nb.Description != nil {
		t.Errorf("descriptions %q, %q", na.Description, nb.Description)
	}
	if !slices.Equal(na.Tags, []string{"zeta", "Board", "two words"}) || na.TagData != `["zeta","Board","two words"]` {
		t.Errorf("tags %q, data %q", na.Tags, na.TagData)
	}
	var opts []string
	for _, o := range p.TagOptions {
		opts = append(opts, o.Value+"="+o.Label)
	}
	if want := []string{"alpha=alpha", "Board=Board", "two words=two words", "zeta=zeta"}; !slices.Equal(opts, want) {
		t.Errorf("tag options %q, want %q", opts, want)
	}
	want := []Initiative{
		{ID: "i1", Title: "Web", Link: "https://x.example/1", Status: "in_progress", StatusName: "in progress", Owner: Ref{"ann", "Ann Lee"}, KeyResult: Ref{"k1", "Ship it"}, Due: "2026-11-02"},
		{ID: "i2", Title: "Ticket", LinkText: "JIRA-42", Status: "planned", StatusName: "planned", Owner: Ref{"nobody-known", "nobody-known"}, KeyResult: Ref{"gone", "gone"}},
		{ID: "i3", Title: "i3", Status: "cancelled", StatusName: "cancelled"},
	}
	if !slices.Equal(na.Initiatives, want) || nb.Initiatives != nil {
		t.Errorf("initiatives\n%+v\nwant\n%+v (and none for b: %+v)", na.Initiatives, want, nb.Initiatives)
	}

	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	doc := parse(t, buf.Bytes())
	if got := attr(byID(t, doc, "o-a"), "data-tags"); got != `["zeta","Board","two words"]` {
		t.Errorf("data-tags %q", got)
	}
	if got := attr(byID(t, doc, "o-b"), "data-tags"); got != `["alpha"]` {
		t.Errorf("data-tags of b %q", got)
	}
	var links []string
	for _, l := range findAll(byID(t, doc, "o-a"), "a", "") {
		links = append(links, attr(l, "href")+" "+text(l))
	}
	if !slices.Equal(links, []string{"https://x.example/1 Web"}) {
		t.Errorf("links %q", links)
	}
	var choices []string
	for _, o := range findAll(byID(t, doc, "filter-tag"), "option", "") {
		choices = append(choices, attr(o, "value"))
	}
	if want := []string{"", "alpha", "Board", "two words", "zeta"}; !slices.Equal(choices, want) {
		t.Errorf("tag filter choices %q, want %q", choices, want)
	}

	// A page without tags, descriptions or initiatives shows none of
	// their markup.
	p = Build(Input{Workspace: &model.Workspace{Cycles: []*model.Cycle{q}, Objectives: []*model.Objective{{ID: "d", Title: "D", Cycle: "q", Level: "team", Weight: 1}}}, Cycle: q, AsOf: day})
	buf.Reset()
	if err := Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	markup := string(inline.ReplaceAll(buf.Bytes(), []byte("$1…$2")))
	for _, absent := range []string{"data-tags", `class="tag"`, `class="description"`, `class="initiatives"`} {
		if strings.Contains(markup, absent) {
			t.Errorf("a page without them holds %s", absent)
		}
	}
}

// TestDisplayPercent: okr.yaml's display: percent shows the page's scores
// (average, teams, objectives, key results) as percentages; the default as
// decimals.
func TestDisplayPercent(t *testing.T) {
	ws := loadWorkspace(t, "../../examples")
	day := model.Date{Year: 2026, Month: 11, Day: 23}
	var q4 *model.Cycle
	for _, c := range ws.Cycles {
		if c.ID == "2026-q4" {
			q4 = c
		}
	}
	for _, display := range []string{"decimal", "percent"} {
		ws.Settings.Display = display
		p := Build(Input{Workspace: ws, Cycle: q4, AsOf: day})
		want := regexp.MustCompile(`^0\.[0-9][0-9]$|^1\.00$`)
		if display == "percent" {
			want = regexp.MustCompile(`^[0-9]{1,3}%$`)
		}
		var shown []string
		for _, r := range p.Rates {
			if r.Name == "Average score" {
				shown = append(shown, r.Value)
			}
		}
		for _, n := range p.Roots {
			shown = append(shown, n.Score)
			for _, k := range n.KeyResults {
				shown = append(shown, k.Score)
			}
		}
		if len(shown) < 3 {
			t.Fatalf("%s: only %d scores on the page", display, len(shown))
		}
		for _, s := range shown {
			if !want.MatchString(s) {
				t.Errorf("display %s: score shown as %q", display, s)
			}
		}
	}
}
