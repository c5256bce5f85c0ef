// Package numfmt formats numbers for people: digit grouping (281,000), at
// most four decimals without trailing zeros, and a unit's symbol and
// precision ($281,000, 12.5%, 380 ms). Human outputs (the dashboard,
// trend's text, values in diff and log text) use it; JSON and CSV keep
// plain numbers.
package numfmt

import (
	"math"
	"strconv"
	"strings"

	"github.com/okrkit/okr/internal/model"
)

// Plain formats v with at most four decimals, trailing zeros dropped, and
// the whole part grouped by thousands with commas: 1234567.5 -> 1,234,567.5.
func Plain(v float64) string { return format(v, -1) }

// Decimals formats v with exactly d decimals (grouped); d < 0 means Plain.
func Decimals(v float64, d int) string { return format(v, d) }

func format(v float64, d int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	var s string
	if d < 0 {
		s = strconv.FormatFloat(v, 'f', 4, 64)
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	} else {
		s = strconv.FormatFloat(v, 'f', d, 64)
	}
	if s == "-0" {
		s = "0"
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Score writes a score (0 to 1, or above when progress is uncapped) the way
// okr.yaml's display setting asks, in every human output: "decimal" (the
// default) as 0.72, "percent" as 72%.
func Score(v float64, display string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if display == "percent" {
		return format(math.Round(v*100), 0) + "%"
	}
	return format(v, 2)
}

// currency lists the symbols written before the number.
var currency = map[string]bool{"$": true, "€": true, "£": true, "¥": true, "₹": true, "₩": true, "₽": true, "R$": true, "CHF": false}

// Unit formats v in unit u (nil: Plain): with the unit's decimals when it
// sets them, a currency symbol before the number ($281,000; -$5), "%"
// right after it (12.5%), another symbol after a space (380 ms).
func Unit(u *model.Unit, v float64) string {
	if u == nil {
		return Plain(v)
	}
	d := -1
	if u.Has("decimals") {
		d = u.Decimals
	}
	n := format(v, d)
	switch {
	case u.Symbol == "":
		return n
	case currency[u.Symbol]:
		if strings.HasPrefix(n, "-") {
			return "-" + u.Symbol + n[1:]
		}
		return u.Symbol + n
	case u.Symbol == "%":
		return n + "%"
	}
	return n + " " + u.Symbol
}

// Find returns the unit with id in ws's settings, nil when there is none.
func Find(ws *model.Workspace, id string) *model.Unit {
	if ws == nil || id == "" {
		return nil
	}
	for _, u := range ws.Settings.Units {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// Goal says what key result kr aims for, numbers in its unit: "from $0
// to $450,000", "at most 300 ms", "between 60% and 70%", "5 steps",
// "done".
func Goal(ws *model.Workspace, kr *model.KeyResult) string {
	u := Find(ws, kr.Unit)
	return GoalWith(kr, func(v float64) string { return Unit(u, v) })
}

// GoalWith says what kr aims for, each number written by num ("?" for a
// number the key result lacks).
func GoalWith(kr *model.KeyResult, num func(float64) string) string {
	n := func(p *float64) string {
		if p == nil {
			return "?"
		}
		return num(*p)
	}
	switch kr.Type {
	case model.Increase, model.Decrease:
		return "from " + n(kr.Start) + " to " + n(kr.Target)
	case model.AtLeast:
		return "at least " + n(kr.Threshold)
	case model.AtMost:
		return "at most " + n(kr.Threshold)
	case model.Range:
		return "between " + n(kr.Low) + " and " + n(kr.High)
	case model.Milestone:
		if k := len(kr.Steps); k == 1 {
			return "1 step"
		} else if k > 1 {
			return strconv.Itoa(k) + " steps"
		}
		return "done"
	}
	return kr.Type
}
