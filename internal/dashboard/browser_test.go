//go:build unix

package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/report"
	"golang.org/x/net/html"
)

// browsers are the names Chromium goes by; OKR_CHROMIUM overrides them.
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

func findBrowser() string {
	if p := os.Getenv("OKR_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range browsers {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// chromiumTimeout bounds each browser run, so a stalled browser fails the
// test instead of hanging it.
const chromiumTimeout = 90 * time.Second

// consoleLine is a message the page wrote to the console, as
// --enable-logging=stderr prints it.
var consoleLine = regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)

// chromiumFlags are the flags of every headless run: the ones this
// machine's closed network needs (without them Chromium stalls on update
// checks, QUIC and sync), a new empty profile, and console messages on
// standard error.
func chromiumFlags(profile string) []string {
	return []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
	}
}

// headless runs Chromium headless on the page with args and
// chromiumFlags, and returns standard output. Console messages (script
// errors included) fail the test.
func headless(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), chromiumTimeout)
	defer cancel()
	profile, err := os.MkdirTemp(t.TempDir(), "profile")
	if err != nil {
		t.Fatal(err)
	}
	all := append(chromiumFlags(profile), args...)
	cmd := exec.CommandContext(ctx, bin, all...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Chromium starts helper processes: put them in one group, killed
	// together when the deadline passes.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("chromium did not finish within %s (stalled?): %v\nstderr:\n%s", chromiumTimeout, err, stderr.String())
	}
	if err != nil {
		t.Fatalf("chromium %s: %v\nstderr:\n%s", strings.Join(args, " "), err, stderr.String())
	}
	for _, line := range consoleLine.FindAllString(stderr.String(), -1) {
		t.Errorf("console message: %s", line)
	}
	return stdout.Bytes()
}

func fileURL(path string, fragment string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), Fragment: fragment}
	return u.String()
}

// expectShown counts what the page should show with the owner, status
// and tag filters, from the page's data: the objectives the owner owns or
// owns a key result of, tagged with the tag, with a key result in the
// status, and their key results in the status. The page is the example's,
// which has no objective in two teams' filters, so the team filter is not
// needed.
func expectShown(p *Page, owner, status, tag string) (objectives, keyResults int) {
	var walk func([]*Node)
	walk = func(ns []*Node) {
		for _, n := range ns {
			krs := 0
			for _, k := range n.KeyResults {
				if status == "" || k.Status == status {
					krs++
				}
			}
			if (owner == "" || strings.Contains(" "+n.Owners+" ", " "+owner+" ")) && (status == "" || krs > 0) && (tag == "" || slices.Contains(n.Tags, tag)) {
				objectives++
				keyResults += krs
			}
			walk(n.Children)
		}
	}
	walk(p.Roots)
	return objectives, keyResults
}

// laterVar, set by .ci/run around .ci/test, skips TestBrowser in the
// race-detector run of the whole suite: .ci/run runs it right after,
// verbosely, and on 2 cores running it twice is slow.
const laterVar = "OKR_BROWSER_TEST_LATER"

// TestBrowser renders the example workspace's dashboard in headless
// Chromium and checks the DOM the page's script leaves: it ran without
// errors, the tree holds every objective, every key result has a chart,
// the counts are shown, and the filters hide rows, from the URL fragment
// (--dump-dom) and from the controls (driven over the DevTools protocol).
// It saves a screenshot under $OKR_SCREENSHOT_DIR (default: okr-dashboard
// in the system's temporary folder, as .ci/run says) and logs its path.
// Without Chromium it is skipped, saying so.
func TestBrowser(t *testing.T) {
	if os.Getenv(laterVar) != "" {
		t.Skip("skipped here (" + laterVar + " is set): .ci/run runs TestBrowser next, verbosely, in its own step")
	}
	bin := findBrowser()
	if bin == "" {
		t.Skip("SKIPPED: the browser test needs Chromium and none was found (" + strings.Join(browsers, ", ") +
			"; or set OKR_CHROMIUM); install it with 'apt-get install chromium'. The dashboard was NOT checked in a browser.")
	}
	if testing.Short() {
		t.Skip("SKIPPED: the browser test does not run with -short")
	}
	dir := t.TempDir()
	ws := loadWorkspace(t, "../../examples")
	page := filepath.Join(dir, "dashboard.html")
	if err := os.WriteFile(page, render(t, Input{Workspace: ws}), 0o644); err != nil {
		t.Fatal(err)
	}
	want := Build(Input{Workspace: ws, Cycle: report.ActiveCycle(ws, day), AsOf: day})

	t.Run("dom", func(t *testing.T) {
		doc := parse(t, headless(t, bin, "--dump-dom", fileURL(page, "")))
		root := findAll(doc, "html", "")[0]
		ready(t, root)
		objs := findAll(doc, "li", "obj")
		if len(objs) != want.Objectives {
			t.Errorf("%d objectives in the tree, want %d", len(objs), want.Objectives)
		}
		for _, o := range objs {
			if hasAttr(o, "hidden") {
				t.Errorf("objective %s hidden without a filter", attr(o, "id"))
			}
		}
		nested := 0
		for _, ul := range findAll(findAll(doc, "ul", "tree")[0], "ul", "") {
			nested += len(findAll(ul, "li", "obj"))
		}
		if nested == 0 {
			t.Error("no objective is nested under another: the tree is flat")
		}
		krs := findAll(doc, "tr", "kr")
		if len(krs) != want.KeyResults {
			t.Errorf("%d key-result rows, want %d", len(krs), want.KeyResults)
		}
		for _, kr := range krs {
			charts := findAll(kr, "svg", "chart")
			if len(charts) != 1 || len(findAll(charts[0], "path", "expected")) != 1 {
				t.Errorf("key result %s: %d charts with an expected-progress line, want 1", attr(kr, "id"), len(charts))
			}
		}
		for _, c := range want.Counts {
			got := ""
			for _, card := range findAll(doc, "div", "card") {
				if attr(card, "data-count") == c.Status {
					got = text(findAll(card, "span", "n")[0])
				}
			}
			if got != strconv.Itoa(c.N) {
				t.Errorf("%s count shows %q, want %d", c.Status, got, c.N)
			}
		}
		if got, w := text(byID(t, doc, "shown")), fmt.Sprintf("%d objectives, %d key results.", want.Objectives, want.KeyResults); got != w {
			t.Errorf("#shown = %q, want %q", got, w)
		}
	})

	t.Run("filter", func(t *testing.T) {
		atRisk := 0
		for _, c := range want.Counts {
			if c.Status == "at_risk" {
				atRisk = c.N
			}
		}
		if atRisk == 0 || atRisk == want.KeyResults {
			t.Fatalf("the example has %d at-risk key results: the filter test needs some, not all", atRisk)
		}
		doc := parse(t, headless(t, bin, "--dump-dom", fileURL(page, "status=at_risk")))
		root := findAll(doc, "html", "")[0]
		ready(t, root)
		if v := byID(t, doc, "filter-status"); selected(v) != "at_risk" {
			t.Errorf("status filter shows %q, want at_risk", selected(v))
		}
		shown, hiddenObjs := 0, 0
		for _, kr := range findAll(doc, "tr", "kr") {
			at := attr(kr, "data-status") == "at_risk"
			if at == hasAttr(kr, "hidden") {
				t.Errorf("key result %s (%s): hidden=%v", attr(kr, "id"), attr(kr, "data-status"), hasAttr(kr, "hidden"))
			}
			if at {
				shown++
			}
		}
		for _, o := range findAll(doc, "li", "obj") {
			if hasAttr(o, "hidden") {
				hiddenObjs++
			}
		}
		if shown != atRisk || attr(root, "data-shown-key-results") != strconv.Itoa(atRisk) {
			t.Errorf("%d at-risk rows shown (page says %s), want %d", shown, attr(root, "data-shown-key-results"), atRisk)
		}
		if hiddenObjs == 0 {
			t.Error("the status filter hid no objective")
		}
		if got := text(byID(t, doc, "shown")); !strings.HasPrefix(got, "Showing ") {
			t.Errorf("#shown = %q", got)
		}

		// A team filter keeps the team's objectives and their ancestors
		// (dimmed, as context).
		doc = parse(t, headless(t, bin, "--dump-dom", fileURL(page, "team=platform")))
		ready(t, findAll(doc, "html", "")[0])
		for _, o := range findAll(doc, "li", "obj") {
			in := strings.Contains(" "+attr(o, "data-team")+" ", " platform ")
			context := strings.Contains(attr(o, "class"), "context")
			if in && (hasAttr(o, "hidden") || context) || !in && !hasAttr(o, "hidden") && !context {
				t.Errorf("team filter: objective %s (teams %q) hidden=%v context=%v", attr(o, "id"), attr(o, "data-team"), hasAttr(o, "hidden"), context)
			}
		}

		// An owner filter keeps the objectives the person owns or owns
		// a key result of, with all their key results.
		const owner = "ravi-iyer"
		wantObjs, wantKRs := expectShown(want, owner, "", "")
		if wantObjs != 1 {
			t.Fatalf("%s owns (key results of) %d objectives in the example, want 1", owner, wantObjs)
		}
		doc = parse(t, headless(t, bin, "--dump-dom", fileURL(page, "owner="+owner)))
		root = findAll(doc, "html", "")[0]
		ready(t, root)
		checkOwner(t, doc, owner, wantObjs, wantKRs)

		// A tag filter from the fragment.
		doc = parse(t, headless(t, bin, "--dump-dom", fileURL(page, "tag=board")))
		ready(t, findAll(doc, "html", "")[0])
		checkTag(t, doc, "board", want)
	})

	// The controls: choosing in a filter's select (a change event, as a
	// reader's choice fires), Clear, the fragment changing while the page
	// is open, and Expand all and Collapse all.
	t.Run("controls", func(t *testing.T) {
		const owner, tag = "ravi-iyer", "reliability"
		d := openDevtools(t, bin, fileURL(page, ""))
		d.waitReady()
		choose := func(id, value string) {
			t.Helper()
			d.eval(fmt.Sprintf(`(function () {
				var s = document.getElementById(%q);
				s.value = %q;
				if (s.value !== %[2]q) throw new Error("no option " + %[2]q + " in #" + %[1]q);
				s.dispatchEvent(new Event("change", {bubbles: true}));
			})()`, id, value), nil)
		}
		state := func() (objs, krs, hash string) {
			t.Helper()
			var v []string
			d.eval(`(function () {
				var r = document.documentElement;
				return [r.getAttribute("data-shown-objectives"), r.getAttribute("data-shown-key-results"), location.hash];
			})()`, &v)
			return v[0], v[1], v[2]
		}
		check := func(what, owner, status, tag, hash string) {
			t.Helper()
			o, k := expectShown(want, owner, status, tag)
			gotO, gotK, gotHash := state()
			if gotO != strconv.Itoa(o) || gotK != strconv.Itoa(k) || gotHash != hash {
				t.Errorf("%s: shows %s objectives and %s key results, fragment %q; want %d, %d, %q", what, gotO, gotK, gotHash, o, k, hash)
			}
		}

		choose("filter-owner", owner)
		check("owner chosen", owner, "", "", "#owner="+owner)
		wantObjs, wantKRs := expectShown(want, owner, "", "")
		checkOwner(t, parse(t, d.html()), owner, wantObjs, wantKRs)

		// Ravi's key results are done: with at_risk too nothing is
		// left; back to all owners, the at-risk ones are.
		if o, _ := expectShown(want, owner, "at_risk", ""); o != 0 {
			t.Errorf("%s has %d objectives with an at-risk key result, want 0", owner, o)
		}
		choose("filter-status", "at_risk")
		check("owner and status chosen", owner, "at_risk", "", "#owner="+owner+"&status=at_risk")
		choose("filter-owner", "")
		check("status chosen", "", "at_risk", "", "#status=at_risk")

		// A tag: only the objectives tagged with it match; their
		// ancestors stay as context, the rest is hidden.
		choose("filter-status", "")
		choose("filter-tag", tag)
		check("tag chosen", "", "", tag, "#tag="+tag)
		checkTag(t, parse(t, d.html()), tag, want)
		choose("filter-status", "at_risk")
		check("tag and status chosen", "", "at_risk", tag, "#status=at_risk&tag="+tag)

		d.eval(`document.getElementById("filter-clear").click()`, nil)
		check("cleared", "", "", "", "")
		var values []string
		d.eval(`["filter-team", "filter-owner", "filter-status", "filter-tag"].map(function (id) { return document.getElementById(id).value; })`, &values)
		if strings.Join(values, ",") != ",,," {
			t.Errorf("after Clear the filters are %q, want all empty", values)
		}

		// A link to a filtered view followed from the open page.
		var team string
		d.eval(`new Promise(function (resolve) {
			window.addEventListener("hashchange", function () { resolve(document.getElementById("filter-team").value); }, {once: true});
			location.hash = "team=platform";
		})`, &team)
		if team != "platform" {
			t.Errorf("after #team=platform the team filter is %q", team)
		}
		doc := parse(t, d.html())
		for _, o := range findAll(doc, "li", "obj") {
			in := strings.Contains(" "+attr(o, "data-team")+" ", " platform ")
			if in == hasAttr(o, "hidden") && !strings.Contains(attr(o, "class"), "context") {
				t.Errorf("team filter from hashchange: objective %s (teams %q) hidden=%v", attr(o, "id"), attr(o, "data-team"), hasAttr(o, "hidden"))
			}
		}

		var open []int
		openCount := `(function () {
			var all = document.querySelectorAll("#tree details");
			return [document.querySelectorAll("#tree details[open]").length, all.length];
		})()`
		d.eval(`document.getElementById("collapse-all").click()`, nil)
		d.eval(openCount, &open)
		if open[0] != 0 || open[1] != want.Objectives {
			t.Errorf("after Collapse all %d of %d objectives open, want 0 of %d", open[0], open[1], want.Objectives)
		}
		d.eval(`document.getElementById("expand-all").click()`, nil)
		d.eval(openCount, &open)
		if open[0] != want.Objectives {
			t.Errorf("after Expand all %d of %d objectives open", open[0], open[1])
		}
		ready(t, findAll(parse(t, d.html()), "html", "")[0])
	})

	// The hostile workspace of TestEscaping: its text stays text in a
	// real browser too, and the page's script runs without errors.
	t.Run("escaping", func(t *testing.T) {
		hostile := filepath.Join(dir, "hostile.html")
		if err := os.WriteFile(hostile, render(t, Input{Workspace: loadWorkspace(t, writeHostile(t))}), 0o644); err != nil {
			t.Fatal(err)
		}
		doc := parse(t, headless(t, bin, "--dump-dom", fileURL(hostile, "")))
		ready(t, findAll(doc, "html", "")[0])
		if n := len(findAll(doc, "script", "")); n != 1 {
			t.Errorf("%d script elements, want 1", n)
		}
		if n := len(findAll(doc, "img", "")); n != 0 {
			t.Errorf("%d img elements, want 0", n)
		}
		if h1 := findAll(doc, "h1", ""); len(h1) != 1 || !strings.Contains(text(h1[0]), "<script>alert(6)</script>") {
			t.Error("the hostile cycle name is not shown as text in the heading")
		}

		// Tags holding spaces, quotes and markup filter as written: the
		// page keeps them as JSON in data-tags.
		for _, tt := range []struct{ tag, shown string }{
			{"two words", "evil child"},
			{`"><b>x</b>`, "evil"},
		} {
			doc := parse(t, headless(t, bin, "--dump-dom", fileURL(hostile, "tag="+tt.tag)))
			ready(t, findAll(doc, "html", "")[0])
			if v := byID(t, doc, "filter-tag"); selected(v) != tt.tag {
				t.Errorf("tag filter shows %q, want %q", selected(v), tt.tag)
			}
			var shown []string
			for _, o := range findAll(doc, "li", "obj") {
				if !hasAttr(o, "hidden") && !strings.Contains(attr(o, "class"), "context") {
					shown = append(shown, strings.TrimPrefix(attr(o, "id"), "o-"))
				}
			}
			if strings.Join(shown, " ") != tt.shown {
				t.Errorf("tag %q shows objectives %q, want %q", tt.tag, shown, tt.shown)
			}
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		out := os.Getenv("OKR_SCREENSHOT_DIR")
		if out == "" {
			out = filepath.Join(os.TempDir(), "okr-dashboard")
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		shot, err := filepath.Abs(filepath.Join(out, "dashboard-example.png"))
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(shot)
		headless(t, bin, "--screenshot="+shot, "--window-size=1280,2400", fileURL(page, ""))
		b, err := os.ReadFile(shot)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) || len(b) < 20000 {
			t.Errorf("screenshot %s is not a plausible PNG (%d bytes)", shot, len(b))
		}
		t.Logf("screenshot of the example dashboard: %s (%d bytes)", shot, len(b))
	})
}

// checkOwner checks a page filtered on owner: the objectives the owner
// owns or owns a key result of are shown with all their key results,
// their ancestors dimmed, the others hidden, and the counts say so.
func checkOwner(t *testing.T, doc *html.Node, owner string, wantObjs, wantKRs int) {
	t.Helper()
	root := findAll(doc, "html", "")[0]
	if v := byID(t, doc, "filter-owner"); selected(v) != owner {
		t.Errorf("owner filter shows %q, want %s", selected(v), owner)
	}
	objs, krs := 0, 0
	for _, o := range findAll(doc, "li", "obj") {
		in := strings.Contains(" "+attr(o, "data-owner")+" ", " "+owner+" ")
		context := strings.Contains(attr(o, "class"), "context")
		if in && (hasAttr(o, "hidden") || context) || !in && !hasAttr(o, "hidden") && !context {
			t.Errorf("owner filter: objective %s (owners %q) hidden=%v context=%v", attr(o, "id"), attr(o, "data-owner"), hasAttr(o, "hidden"), context)
		}
		if !in {
			continue
		}
		objs++
		for _, kr := range findAll(findAll(o, "table", "krs")[0], "tr", "kr") {
			if hasAttr(kr, "hidden") {
				t.Errorf("owner filter: key result %s of objective %s hidden", attr(kr, "id"), attr(o, "id"))
			} else {
				krs++
			}
		}
	}
	if objs != wantObjs || krs != wantKRs {
		t.Errorf("owner filter: %d objectives and %d key results shown, want %d and %d", objs, krs, wantObjs, wantKRs)
	}
	if attr(root, "data-shown-objectives") != strconv.Itoa(wantObjs) || attr(root, "data-shown-key-results") != strconv.Itoa(wantKRs) {
		t.Errorf("owner filter: the page counts %s objectives and %s key results, want %d and %d",
			attr(root, "data-shown-objectives"), attr(root, "data-shown-key-results"), wantObjs, wantKRs)
	}
	if got, w := text(byID(t, doc, "shown")), fmt.Sprintf("Showing %d of ", wantObjs); !strings.HasPrefix(got, w) {
		t.Errorf("#shown = %q, want it to start %q", got, w)
	}
}

// checkTag checks a page filtered on tag: the objectives tagged with it
// are shown, not dimmed; the others are hidden, or dimmed when a tagged
// objective is below them; the counts say so. The tag must select some
// objectives of the page, not all, and leave one untagged as context and
// one hidden.
func checkTag(t *testing.T, doc *html.Node, tag string, want *Page) {
	t.Helper()
	root := findAll(doc, "html", "")[0]
	if v := byID(t, doc, "filter-tag"); selected(v) != tag {
		t.Errorf("tag filter shows %q, want %s", selected(v), tag)
	}
	tagged := map[string]bool{}
	var walk func([]*Node)
	walk = func(ns []*Node) {
		for _, n := range ns {
			tagged["o-"+n.ID] = slices.Contains(n.Tags, tag)
			walk(n.Children)
		}
	}
	walk(want.Roots)
	shown, context, hidden := 0, 0, 0
	for _, o := range findAll(doc, "li", "obj") {
		id := attr(o, "id")
		isContext := strings.Contains(attr(o, "class"), "context")
		below := false
		for _, c := range findAll(o, "li", "obj") {
			if tagged[attr(c, "id")] {
				below = true
			}
		}
		switch {
		case tagged[id]:
			if hasAttr(o, "hidden") || isContext {
				t.Errorf("tag filter %s: tagged objective %s hidden=%v context=%v", tag, id, hasAttr(o, "hidden"), isContext)
			}
			if !strings.Contains(attr(o, "data-tags"), strconv.Quote(tag)) {
				t.Errorf("tag filter %s: objective %s is tagged but its data-tags is %q", tag, id, attr(o, "data-tags"))
			}
			shown++
		case below:
			if hasAttr(o, "hidden") || !isContext {
				t.Errorf("tag filter %s: objective %s above a tagged one hidden=%v context=%v, want dimmed", tag, id, hasAttr(o, "hidden"), isContext)
			}
			context++
		default:
			if !hasAttr(o, "hidden") {
				t.Errorf("tag filter %s: untagged objective %s (tags %q) is visible", tag, id, attr(o, "data-tags"))
			}
			hidden++
		}
	}
	wantObjs, wantKRs := expectShown(want, "", "", tag)
	if shown != wantObjs || shown == 0 || hidden == 0 {
		t.Errorf("tag filter %s: %d tagged objectives shown (want %d), %d dimmed, %d hidden: the tag should select some, not all", tag, shown, wantObjs, context, hidden)
	}
	if attr(root, "data-shown-objectives") != strconv.Itoa(wantObjs) || attr(root, "data-shown-key-results") != strconv.Itoa(wantKRs) {
		t.Errorf("tag filter %s: the page counts %s objectives and %s key results, want %d and %d",
			tag, attr(root, "data-shown-objectives"), attr(root, "data-shown-key-results"), wantObjs, wantKRs)
	}
}

func ready(t *testing.T, root *html.Node) {
	t.Helper()
	if attr(root, "data-ready") != "1" {
		t.Error("the page's script did not finish (no data-ready on <html>)")
	}
	if e := attr(root, "data-errors"); e != "0" {
		t.Errorf("the page recorded script errors: data-errors=%q", e)
	}
}

// selected is the value of a select's selected option, as the DOM dump
// shows it (the selected attribute is not serialised, so the page mirrors
// the filter in data-value).
func selected(sel *html.Node) string { return attr(sel, "data-value") }
