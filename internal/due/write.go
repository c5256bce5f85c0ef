package due

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats are the output formats of Write; the first is the default.
var Formats = []string{"text", "markdown", "json"}

// Write prints r in format: text, markdown or json.
func Write(w io.Writer, r *Report, format string) error {
	switch format {
	case "text":
		return writeText(w, r)
	case "markdown":
		return writeMarkdown(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

func keyResults(n int) string {
	if n == 1 {
		return "1 key result"
	}
	return fmt.Sprintf("%d key results", n)
}

func overdue(it Item) string {
	last := "no check-in yet"
	if it.LastCheckin != "" {
		last = "last check-in " + it.LastCheckin
	}
	return fmt.Sprintf("%s, %s, due since %s (%s)", last, it.Cadence, it.DueSince, days(it.DaysOverdue))
}

func days(n int) string {
	switch n {
	case 0:
		return "due today"
	case 1:
		return "1 day overdue"
	}
	return fmt.Sprintf("%d days overdue", n)
}

// writeText prints one block per owner, one compiler-style line per key
// result.
func writeText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	if r.Total == 0 {
		fmt.Fprintf(bw, "No check-ins due as of %s.\n", r.AsOf)
		return bw.Flush()
	}
	fmt.Fprintf(bw, "Check-ins due as of %s: %s\n", r.AsOf, keyResults(r.Total))
	for _, o := range r.Owners {
		head := o.Name
		if o.ID != "" && o.ID != o.Name {
			head += " (" + o.ID + ")"
		}
		fmt.Fprintf(bw, "\n%s: %s\n", head, keyResults(len(o.Items)))
		for _, it := range o.Items {
			fmt.Fprintf(bw, "  %s:%d:%d: %s %q in %s: %s\n", it.File, it.Line, it.Column, it.ID, it.Title, it.Objective, overdue(it))
		}
	}
	return bw.Flush()
}

// writeMarkdown prints an issue body: a heading, then per owner a
// checklist, the owner's handle mentioned so the code host notifies them.
func writeMarkdown(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "## Check-ins due as of %s\n\n", r.AsOf)
	if r.Total == 0 {
		fmt.Fprintln(bw, "Nothing is due.")
		return bw.Flush()
	}
	fmt.Fprintf(bw, "%s overdue for a check-in by their cycle's cadence. Record one with `okr checkin`.\n", keyResults(r.Total))
	for _, o := range r.Owners {
		head := md(o.Name)
		if o.Handle != "" {
			head += " (" + md(o.Handle) + ")"
		}
		fmt.Fprintf(bw, "\n### %s\n\n", head)
		for _, it := range o.Items {
			fmt.Fprintf(bw, "- [ ] **%s** %s (objective `%s`, `%s:%d`): %s\n", md(it.ID), md(it.Title), it.Objective, it.File, it.Line, overdue(it))
		}
	}
	return bw.Flush()
}

// md escapes the characters that would start Markdown or HTML markup.
func md(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]<>()#+!|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
