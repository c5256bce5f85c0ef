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

// headless runs Chromium headless on the page with args, with the flags
// this machine's closed network needs (without them Chromium stalls on
// update checks, QUIC and sync) and a new empty profile, and returns
// standard output. Console messages (script errors included) fail the
// test.
func headless(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), chromiumTimeout)
	defer cancel()
	profile, err := os.MkdirTemp(t.TempDir(), "profile")
	if err != nil {
		t.Fatal(err)
	}
	all := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
	}, args...)
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

// TestBrowser renders the example workspace's dashboard in headless
// Chromium and checks the DOM the page's script leaves: it ran without
// errors, the tree holds every objective, every key result has a chart,
// the counts are shown, and a filter (from the URL fragment) hides rows.
// It saves a screenshot under $OKR_SCREENSHOT_DIR (default: the test's
// temporary folder) and logs its path. Without Chromium it is skipped,
// saying so.
func TestBrowser(t *testing.T) {
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
	})

	t.Run("screenshot", func(t *testing.T) {
		out := os.Getenv("OKR_SCREENSHOT_DIR")
		if out == "" {
			out = t.TempDir()
		} else if err := os.MkdirAll(out, 0o755); err != nil {
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

func ready(t *testing.T, root *html.Node) {
	t.Helper()
	if attr(root, "data-ready") != "1" {
		t.Error("the page's script did not finish (no data-ready on <html>)")
	}
	if e := attr(root, "data-errors"); e != "0" {
		t.Errorf("the page recorded script errors: data-errors=%q", e)
	}
}

func byID(t *testing.T, doc *html.Node, id string) *html.Node {
	t.Helper()
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && attr(n, "id") == id {
			return n
		}
	}
	t.Fatalf("no element #%s", id)
	return nil
}

// selected is the value of a select's selected option, as the DOM dump
// shows it (the selected attribute is not serialised, so the page mirrors
// the filter in data-value).
func selected(sel *html.Node) string { return attr(sel, "data-value") }
