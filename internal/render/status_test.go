package render

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/okrkit/okr/internal/report"
)

func TestGoldenStatus(t *testing.T) {
	ws := examples(t)
	r := report.Build(ws, report.ActiveCycle(ws, day), day)
	for _, layout := range StatusFormats {
		var buf bytes.Buffer
		if err := WriteStatus(&buf, r, layout, Style{StatusNames: ws.Settings.StatusNames}); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(buf.Bytes(), []byte("\x1b[")) {
			t.Errorf("%s: colour codes without Style.Color", layout)
		}
		golden(t, "status-q4."+layout, buf.Bytes())
	}
}

func TestStatusStyle(t *testing.T) {
	ws := examples(t)
	r := report.Build(ws, report.ActiveCycle(ws, day), day)
	var buf bytes.Buffer
	if err := WriteStatus(&buf, r, "tree", Style{Color: true, Width: 60}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "\x1b[32mon track\x1b[0m") || !strings.Contains(out, "\x1b[33mat risk") {
		t.Errorf("statuses are not coloured:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		visible := line
		for strings.Contains(visible, "\x1b[") {
			i := strings.Index(visible, "\x1b[")
			j := strings.IndexByte(visible[i:], 'm')
			visible = visible[:i] + visible[i+j+1:]
		}
		if n := utf8.RuneCountInString(visible); n > 60 {
			t.Fatalf("line of %d characters exceeds width 60: %q", n, visible)
		}
	}
}

func TestBar(t *testing.T) {
	for p, want := range map[float64]string{0: "░░░░░░░░░░", 0.47: "█████░░░░░", 1: "██████████", 1.25: "██████████", -1: "░░░░░░░░░░"} {
		if got := Bar(p); got != want {
			t.Errorf("Bar(%g) = %s, want %s", p, got, want)
		}
	}
}

// TestStatusFootnote: the footnote for the star is printed when a status is
// stated (the example workspace has some), and not when none is; one key
// result is "1 key result".
func TestStatusFootnote(t *testing.T) {
	ws := examples(t)
	full := report.Build(ws, report.ActiveCycle(ws, day), day)
	one := &report.Report{Cycle: full.Cycle, AsOf: full.AsOf, Counts: map[string]int{"on_track": 1}}
	for _, o := range full.Objectives {
		for _, k := range o.KeyResults {
			if !k.StatusStated && len(one.Objectives) == 0 {
				o.KeyResults = []report.KeyResult{k}
				one.Objectives = []report.Objective{o}
			}
		}
	}
	for _, layout := range StatusFormats {
		for _, c := range []struct {
			r    *report.Report
			note bool
		}{{full, true}, {one, false}} {
			var buf bytes.Buffer
			if err := WriteStatus(&buf, c.r, layout, Style{}); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(buf.String(), "* status stated"); got != c.note {
				t.Errorf("%s, %d objectives: footnote printed %v, want %v\n%s", layout, len(c.r.Objectives), got, c.note, buf.String())
			}
			if layout == "tree" && c.r == one && !strings.Contains(buf.String(), " 1 key result: ") {
				t.Errorf("tree of one key result does not say \"1 key result\":\n%s", buf.String())
			}
		}
	}
}
