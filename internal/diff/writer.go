package diff

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/okrkit/okr/internal/format"
	"github.com/okrkit/okr/internal/numfmt"
)

// Writer prints a diff in one format.
type Writer interface {
	Write(w io.Writer, d *Diff) error
}

// writers are the output formats, one file each.
var writers = format.New(map[string]Writer{"text": textWriter{}, "json": jsonWriter{}, "markdown": markdownWriter{}})

// Formats returns the names of the output formats, sorted.
func Formats() []string { return writers.Names() }

// NewWriter returns the writer of format name.
func NewWriter(name string) (Writer, error) { return writers.Get(name) }

// scoreText formats a 0..1 score as display asks (numfmt.Score: 0.72 or
// 72%), "–" when absent.
func scoreText(p *float64, display string) string {
	if p == nil {
		return "–"
	}
	return numfmt.Score(*p, display)
}

// scoreDelta formats a score change as "0.42 → 0.55" or "42% → 55%" (arrow
// as given, display as okr.yaml asks); one more decimal is shown when the
// usual ones would hide the change. A side that is absent is left out.
func scoreDelta(old, new *float64, arrow, display string) string {
	switch {
	case old == nil && new == nil:
		return ""
	case old == nil:
		return scoreText(new, display)
	case new == nil:
		return scoreText(old, display)
	}
	a, b := scoreText(old, display), scoreText(new, display)
	if a == b && math.Abs(*old-*new) >= scoreEpsilon {
		if display == "percent" {
			a, b = fmt.Sprintf("%.1f%%", *old*100), fmt.Sprintf("%.1f%%", *new*100)
		} else {
			a, b = fmt.Sprintf("%.3f", *old), fmt.Sprintf("%.3f", *new)
		}
	}
	if a == b {
		return a
	}
	return a + arrow + b
}

// textDelta formats a change of two rendered values: "a → b", the one side
// present, or the value when equal.
func textDelta(old, new, arrow string) string {
	switch {
	case old == new || old == "":
		return new
	case new == "":
		return old
	}
	return old + arrow + new
}

func optValue(v *float64) string {
	if v == nil {
		return ""
	}
	return number(*v)
}

// plural returns n with the singular or plural noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// summaryOf returns d's summary, computed from its content when d was
// built by hand without one.
func summaryOf(d *Diff) Summary {
	if d.Summary == (Summary{}) && !d.Empty() {
		return summarize(d)
	}
	return d.Summary
}

// summaryText is the short summary of s, e.g. "2 objectives changed, 1
// added; 5 new check-ins; 1 status change".
func summaryText(s Summary) string {
	group := func(one, many string, counts []int, verbs []string) string {
		var out []string
		for i, n := range counts {
			switch {
			case n == 0:
			case len(out) == 0:
				out = append(out, plural(n, one, many)+" "+verbs[i])
			default:
				out = append(out, strconv.Itoa(n)+" "+verbs[i])
			}
		}
		return strings.Join(out, ", ")
	}
	var parts []string
	for _, p := range []string{
		group("objective", "objectives", []int{s.ObjectivesChanged, s.ObjectivesAdded, s.ObjectivesRemoved, s.ObjectivesMoved},
			[]string{"changed", "added", "removed", "moved"}),
		group("key result", "key results", []int{s.KeyResultsChanged, s.KeyResultsAdded, s.KeyResultsRemoved},
			[]string{"changed", "added", "removed"}),
		group("new check-in", "new check-ins", []int{s.NewCheckins}, []string{""}),
		group("status change", "status changes", []int{s.StatusChanges}, []string{""}),
		group("goalpost moved", "goalposts moved", []int{s.Goalposts}, []string{""}),
	} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "no counted changes"
	}
	return strings.Join(parts, "; ")
}

// checkinDetails renders what a check-in says besides its date, e.g.
// "1580000, confidence 0.7, status on_track, by sam".
func checkinDetails(c Checkin) string {
	s := checkinValue(c.Value, c.IsBool)
	if c.Confidence != nil {
		s += ", confidence " + number(*c.Confidence)
	}
	if c.Status != "" {
		s += ", status " + c.Status
	}
	if c.Author != "" {
		s += ", by " + c.Author
	}
	return s
}

// AuthorLabel is how a commit author is shown: "Sam Lee (sam)" when the
// author is the org.yaml person with id, else the name alone.
func AuthorLabel(name, id string) string {
	switch {
	case id == "":
		return name
	case name == "":
		return id
	}
	return name + " (" + id + ")"
}

// goalpostSource renders where a goalpost moved: "in abc1234 by Sam Lee
// (sam) at file:12" with the parts known, each passed through quote; "in
// the working tree" when it has an author but no commit.
func goalpostSource(g Goalpost, quote func(string) string) string {
	var parts []string
	if c := short(g.Commit); c != "" {
		parts = append(parts, "in "+quote(c))
	} else if g.Author != "" || g.AuthorID != "" {
		parts = append(parts, "in the working tree")
	}
	if a := AuthorLabel(g.Author, g.AuthorID); a != "" {
		parts = append(parts, "by "+quote(a))
	}
	if g.File != "" {
		parts = append(parts, "at "+quote(g.File+":"+strconv.Itoa(g.Line)))
	}
	return strings.Join(parts, " ")
}

// terminalSafe replaces control characters (line breaks, escape sequences)
// with Go escapes, so workspace text cannot move the cursor or recolour a
// terminal.
func terminalSafe(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
