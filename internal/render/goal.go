package render

import (
	"math"
	"strconv"
	"strings"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/numfmt"
	"github.com/okrkit/okr/internal/report"
)

// goalCell is the compact goal and current value of a key result, numbers
// in its unit, as the markdown and table writers show it:
//
//	$9.4M -> $12M, now $10.62M   (increase, decrease)
//	>= 110.0%, now 112.4%        (at_least; <= for at_most)
//	50.0%..80.0%, now 71.0%      (range)
//	3/5 steps                    (milestone with steps)
//	done, not done               (milestone without steps)
//
// ", due YYYY-MM-DD" follows when the key result has a due date. Before
// the first check-in there is no ", now" part; a key result of a version 1
// report (an old snapshot), which has no goal, shows "now" alone. The text
// is not escaped: unit symbols come from okr.yaml, so each writer escapes
// the cell as it escapes titles.
func goalCell(k report.KeyResult, units map[string]report.Unit) string {
	n := func(p *float64) string {
		if p == nil {
			return "?"
		}
		return compact(units, k.Unit, *p)
	}
	var goal string
	switch {
	case k.Type == model.Milestone:
		done := 0.0
		if k.Current != nil {
			done = *k.Current
		}
		switch {
		case len(k.Steps) > 0:
			goal = numfmt.Plain(done) + "/" + strconv.Itoa(len(k.Steps)) + " steps"
		case done >= 1:
			goal = "done"
		default:
			goal = "not done"
		}
	case k.Goal == "":
		// A report of version 1 (an old snapshot) has no goal.
	case k.Type == model.Increase, k.Type == model.Decrease:
		goal = n(k.Start) + " -> " + n(k.Target)
	case k.Type == model.AtLeast:
		goal = ">= " + n(k.Threshold)
	case k.Type == model.AtMost:
		goal = "<= " + n(k.Threshold)
	case k.Type == model.Range:
		goal = n(k.Low) + ".." + n(k.High)
	default:
		goal = k.Goal
	}
	parts := []string{}
	if goal != "" {
		parts = append(parts, goal)
	}
	if k.Current != nil && k.Type != model.Milestone {
		parts = append(parts, "now "+n(k.Current))
	}
	if k.Due != "" {
		parts = append(parts, "due "+k.Due)
	}
	return strings.Join(parts, ", ")
}

// compact formats v in the unit with id unit (units as the report carries
// them): tens of thousands and more shortened to k, M or B with at most two
// decimals ($12M, 450k), smaller numbers with the unit's decimals; the
// unit's symbol placed as numfmt.Unit places it ($ before, % and others
// after). A unit the report does not define shows the bare number.
func compact(units map[string]report.Unit, unit string, v float64) string {
	u, known := units[unit]
	var num string
	switch a := math.Abs(v); {
	case a >= 1e9:
		num = short(v/1e9) + "B"
	case a >= 1e6:
		num = short(v/1e6) + "M"
	case a >= 1e4:
		num = short(v/1e3) + "k"
	case known && u.Decimals != nil:
		num = numfmt.Decimals(v, *u.Decimals)
	default:
		num = numfmt.Plain(v)
	}
	if !known || u.Symbol == "" {
		return num
	}
	// numfmt.Unit places the symbol; format 0 with it and put num where
	// the 0 is. A currency symbol has no digit, so the first 0 is the
	// number's.
	pattern := numfmt.Unit(&model.Unit{Symbol: u.Symbol}, 0)
	i := strings.Index(pattern, "0")
	if i < 0 {
		return num
	}
	prefix, suffix := pattern[:i], pattern[i+1:]
	if neg := strings.HasPrefix(num, "-"); neg && prefix != "" {
		return "-" + prefix + num[1:] + suffix
	}
	return prefix + num + suffix
}

// short formats a scaled number with at most two decimals.
func short(v float64) string { return numfmt.Plain(math.Round(v*100) / 100) }
