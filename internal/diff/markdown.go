package diff

import (
	"bufio"
	"io"
	"strings"

	"github.com/okrkit/okr/internal/inert"
)

// Marker is the hidden first line of a markdown diff, by which a CI bot
// finds its own pull-request comment to update it.
const Marker = "<!-- okr-diff -->"

// markdownWriter prints GitHub-flavoured Markdown for a pull-request
// comment: the marker, a heading and a one-paragraph summary, the moved
// goalposts, then one collapsed <details> block per objective. Workspace
// text is escaped so it cannot break a table or inject HTML.
type markdownWriter struct{}

var mdEscaper = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "\r\n", " ", "\n", " ", "\r", " ",
	"`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)

// md escapes workspace text for Markdown, tables included.
func md(s string) string { return inert.String(mdEscaper.Replace(s)) }

var htmlEscaper = strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;", `"`, "&quot;", "\r\n", " ", "\n", " ", "\r", " ")

// html escapes workspace text for an HTML element such as <summary>,
// where Markdown escapes would show.
func html(s string) string { return htmlEscaper.Replace(s) }

var codeEscaper = strings.NewReplacer("`", "'", "|", `\|`, "\r\n", " ", "\n", " ", "\r", " ")

// code formats an id, path or name as inline code, safe inside a table.
func code(s string) string { return "`" + inert.String(codeEscaper.Replace(s)) + "`" }

func (markdownWriter) Write(w io.Writer, d *Diff) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(Marker + "\n### OKR changes\n\n")
	if d.Empty() {
		bw.WriteString("No OKR changes between " + md(describe(d.Base)) + " and " + md(describe(d.Head)) + ".\n")
		return bw.Flush()
	}
	bw.WriteString("Comparing " + mdRef(d.Base) + " with " + mdRef(d.Head) + ": " + summaryText(summaryOf(d)) + ".\n")
	if len(d.Goalposts) > 0 {
		bw.WriteString("\n#### ⚠️ Goalpost moved\n\n")
		for _, g := range d.Goalposts {
			line := "- " + code(g.KeyResult) + " in " + code(g.Objective) + ": " + md(g.Reason)
			if src := goalpostSource(g, code); src != "" {
				line += ", " + src
			}
			bw.WriteString(line + "\n")
		}
	}
	for i := range d.Objectives {
		writeMarkdownObjective(bw, &d.Objectives[i], d.Display)
	}
	return bw.Flush()
}

// mdRef renders a side as "**main** (`abc1234`, as of 2026-11-23)".
func mdRef(r Ref) string {
	s := "**" + md(r.Label) + "**"
	var parts []string
	if c := short(r.Commit); c != "" {
		parts = append(parts, code(c))
	}
	if r.Date != "" {
		parts = append(parts, "as of "+md(r.Date))
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

func writeMarkdownObjective(bw *bufio.Writer, o *ObjectiveChange, display string) {
	state := o.Change
	if o.Moved() {
		state += ", moved"
	}
	if s := scoreDelta(o.OldScore, o.NewScore, " → ", display); s != "" {
		state += ", score " + s
	}
	bw.WriteString("\n<details><summary><b>" + html(o.Title) + "</b> (<code>" + html(o.ID) + "</code>): " + html(state) + "</summary>\n\n")
	if o.Moved() {
		bw.WriteString("Moved from " + code(o.OldFile) + " to " + code(o.NewFile) + ".\n\n")
	}
	var rows [][3]string
	for _, f := range o.Fields {
		rows = append(rows, [3]string{code(f.Field), md(f.Old), md(f.New)})
	}
	for _, k := range o.KeyResults {
		for _, f := range k.Fields {
			rows = append(rows, [3]string{code(k.ID + "." + f.Field), md(f.Old), md(f.New)})
		}
	}
	if len(rows) > 0 {
		bw.WriteString("| Field | Before | After |\n|---|---|---|\n")
		for _, r := range rows {
			bw.WriteString("| " + r[0] + " | " + r[1] + " | " + r[2] + " |\n")
		}
		bw.WriteString("\n")
	}
	if len(o.KeyResults) > 0 {
		bw.WriteString("| Key result | Change | Score | Status | Value |\n|---|---|---|---|---|\n")
		for _, k := range o.KeyResults {
			bw.WriteString("| " + code(k.ID) + " " + md(k.Title) + " | " + k.Change +
				" | " + scoreDelta(k.OldScore, k.NewScore, " → ", display) +
				" | " + md(textDelta(k.OldStatus, k.NewStatus, " → ")) +
				" | " + md(textDelta(optValue(k.OldValue), optValue(k.NewValue), " → ")) + " |\n")
		}
		bw.WriteString("\n")
	}
	writeMarkdownCheckins(bw, "New check-ins", o.KeyResults, func(k *KeyResultChange) []Checkin { return k.NewCheckins })
	writeMarkdownCheckins(bw, "Removed check-ins", o.KeyResults, func(k *KeyResultChange) []Checkin { return k.RemovedCheckins })
	bw.WriteString("</details>\n")
}

func writeMarkdownCheckins(bw *bufio.Writer, heading string, krs []KeyResultChange, list func(*KeyResultChange) []Checkin) {
	first := true
	for i := range krs {
		for _, c := range list(&krs[i]) {
			if first {
				bw.WriteString(heading + ":\n\n")
				first = false
			}
			line := "- " + code(krs[i].ID) + " " + md(c.Date) + ": " + md(checkinDetails(c))
			if c.Note != "" {
				line += ". " + md(c.Note)
			}
			bw.WriteString(line + "\n")
		}
	}
	if !first {
		bw.WriteString("\n")
	}
}
