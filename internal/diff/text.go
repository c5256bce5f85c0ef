package diff

import (
	"bufio"
	"io"
	"strconv"
)

// textWriter prints a compact changelog for a terminal: one "! goalpost"
// line per moved goalpost, then per objective a "+", "-" or "~" line with
// its fields, score and key results indented below, and a summary line
// last. Control characters in workspace text are escaped.
type textWriter struct{}

const arrow = " -> "

func marker(change string) string {
	switch change {
	case Added:
		return "+"
	case Removed:
		return "-"
	}
	return "~"
}

// textField renders a field change: "field: old -> new", or one value
// when a side is absent in an added or removed entity, "(none)" otherwise.
func textField(indent string, f FieldChange, change string) string {
	old, new := terminalSafe(f.Old), terminalSafe(f.New)
	switch {
	case change == Added:
		return indent + f.Field + ": " + new + "\n"
	case old == "":
		old = "(none)"
	case new == "":
		new = "(none)"
	}
	return indent + f.Field + ": " + old + arrow + new + "\n"
}

func (textWriter) Write(w io.Writer, d *Diff) error {
	bw := bufio.NewWriter(w)
	if d.Empty() {
		bw.WriteString("no OKR changes between " + terminalSafe(describe(d.Base)) + " and " + terminalSafe(describe(d.Head)) + "\n")
		return bw.Flush()
	}
	for _, g := range d.Goalposts {
		line := "! goalpost: " + terminalSafe(g.KeyResult) + " in " + terminalSafe(g.Objective) + ": " + terminalSafe(g.Reason)
		if src := goalpostSource(g, terminalSafe); src != "" {
			line += " (" + src + ")"
		}
		bw.WriteString(line + "\n")
	}
	for i := range d.Objectives {
		writeTextObjective(bw, &d.Objectives[i], d.Display)
	}
	bw.WriteString(terminalSafe(describe(d.Base)) + arrow + terminalSafe(describe(d.Head)) + ": " + summaryText(summaryOf(d)) + "\n")
	return bw.Flush()
}

func writeTextObjective(bw *bufio.Writer, o *ObjectiveChange, display string) {
	file := o.NewFile
	switch {
	case o.Moved():
		file = o.OldFile + arrow + o.NewFile
	case file == "":
		file = o.OldFile
	}
	line := marker(o.Change) + " objective " + terminalSafe(o.ID)
	if file != "" {
		line += " (" + terminalSafe(file) + ")"
	}
	bw.WriteString(line + "\n")
	for _, f := range o.Fields {
		bw.WriteString(textField("  ", f, o.Change))
	}
	if s := scoreDelta(o.OldScore, o.NewScore, arrow, display); o.Change != Removed && !sameScore(o.OldScore, o.NewScore) && s != "" {
		bw.WriteString("  score: " + s + "\n")
	}
	for _, k := range o.KeyResults {
		bw.WriteString("  " + marker(k.Change) + " key result " + terminalSafe(k.ID) + "\n")
		for _, f := range k.Fields {
			bw.WriteString(textField("    ", f, k.Change))
		}
		if k.Change == Removed {
			continue
		}
		if !sameScore(k.OldScore, k.NewScore) {
			bw.WriteString("    score: " + scoreDelta(k.OldScore, k.NewScore, arrow, display) + "\n")
		}
		if k.OldStatus != k.NewStatus {
			bw.WriteString("    status: " + terminalSafe(textDelta(k.OldStatus, k.NewStatus, arrow)) + "\n")
		}
		if !sameValue(k.OldValue, k.NewValue) {
			bw.WriteString("    value: " + textDelta(optValue(k.OldValue), optValue(k.NewValue), arrow) + "\n")
		}
		for _, c := range k.NewCheckins {
			bw.WriteString("    + check-in " + textCheckin(c) + "\n")
		}
		for _, c := range k.RemovedCheckins {
			bw.WriteString("    - check-in " + textCheckin(c) + "\n")
		}
	}
}

// textCheckin renders a check-in as "2026-11-02 value 1580000, confidence
// 0.7, by sam: note".
func textCheckin(c Checkin) string {
	s := c.Date + " value " + checkinDetails(c)
	if c.Note != "" {
		s += ": " + strconv.Quote(c.Note)
	}
	return terminalSafe(s)
}
