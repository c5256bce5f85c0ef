package dashboard

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/trend"
)

// The chart's drawing area, in SVG user units: x runs over the cycle's
// days, y over progress from 0 (bottom) to Top (1, or more when
// overachievement is shown uncapped).
const (
	chartW   = 240
	chartH   = 64
	padTop   = 6
	padBot   = 4
	plotH    = chartH - padTop - padBot
	chartMax = 4 // the highest progress drawn, for an uncapped workspace
)

// Chart is one key result's progress over time: its check-ins, each
// scored against the goal in force on its day, the expected-progress line
// from the cycle's start (0) to its end (100%), the goal line (100%) cut
// where history shows the goal changed, and the as-of day. The check-ins
// are one polyline (its vertices drawn by a shared marker) and one
// tooltip listing them all, so a large page holds few elements per chart.
type Chart struct {
	// Title is the tooltip and accessible name: a heading line, then one
	// line per check-in (Checkins).
	Title    string
	Checkins []string
	// Expected is the path of the expected-progress line.
	Expected string
	// Line is the polyline through the check-ins.
	Line string
	// Goals are the segments of the goal line, one per goal in force.
	Goals []GoalSegment
	// Today is the x of the as-of day, "" when outside the cycle.
	Today string
	// Top labels the highest gridline (100%, or more when uncapped).
	Top string
}

// GoalSegment is the goal line while one goal was in force.
type GoalSegment struct {
	X1, X2, Y string
	// Mark is set on a segment that starts with a change of goal.
	Mark  bool
	Label string
}

// chart draws points (the check-ins up to asOf, scored by trend) within
// cycle, values formatted by format; defs are the goals in force during it, oldest first (none: the
// key result's own goal throughout).
func chart(cycle *model.Cycle, asOf model.Date, points []trend.Point, defs []trend.Definition, format func(float64) string, goal func(*model.KeyResult) string, id string) Chart {
	span := cycle.End.Time().Sub(cycle.Start.Time()).Hours() / 24
	if span <= 0 {
		span = 1
	}
	xOf := func(d model.Date) float64 {
		x := d.Time().Sub(cycle.Start.Time()).Hours() / 24 / span * chartW
		return min(max(x, 0), chartW)
	}
	top := 1.0
	for _, p := range points {
		top = max(top, min(p.Progress, chartMax))
	}
	yOf := func(p float64) float64 {
		p = min(max(p, 0), top)
		return padTop + (1-p/top)*plotH
	}
	c := Chart{
		Expected: "M" + coord(xOf(cycle.Start)) + " " + coord(yOf(0)) + "L" + coord(xOf(cycle.End)) + " " + coord(yOf(1)),
		Top:      fmt.Sprintf("%.0f%%", top*100),
	}
	if cycle.Contains(asOf) {
		c.Today = coord(xOf(asOf))
	}
	var line []string
	for _, p := range points {
		d, err := model.ParseDate(p.Date)
		if err != nil {
			continue
		}
		x, y := coord(xOf(d)), coord(yOf(p.Progress))
		line = append(line, x+","+y)
		label := fmt.Sprintf("%s: %s (%.0f%%, expected %.0f%%)", p.Date, format(p.Value), p.Progress*100, p.Expected*100)
		if len(defs) > 1 {
			label += ", goal " + p.Goal
		}
		if p.Confidence != nil {
			label += ", confidence " + number(*p.Confidence)
		}
		if p.Note != "" {
			label += ". " + p.Note
		}
		c.Checkins = append(c.Checkins, label)
	}
	c.Line = strings.Join(line, " ")
	y1 := coord(yOf(1))
	for i, d := range defs {
		from := cycle.Start
		if i > 0 {
			from = d.Since
		}
		to := cycle.End
		if i+1 < len(defs) {
			to = defs[i+1].Since
		}
		label := "goal " + goal(d.KR)
		if i > 0 {
			label += " from " + d.Since.String()
			if d.Commit != "" {
				label += " (" + d.Commit + ")"
			}
		}
		c.Goals = append(c.Goals, GoalSegment{X1: coord(xOf(from)), X2: coord(xOf(to)), Y: y1, Mark: i > 0, Label: label})
	}
	if len(defs) == 0 {
		c.Goals = []GoalSegment{{X1: coord(xOf(cycle.Start)), X2: coord(xOf(cycle.End)), Y: y1, Label: "goal"}}
	}
	c.Title = fmt.Sprintf("Progress of %s: %d check-ins", id, len(c.Checkins))
	if len(c.Checkins) == 1 {
		c.Title = fmt.Sprintf("Progress of %s: 1 check-in", id)
	}
	if len(c.Checkins) > 0 {
		c.Title += "\n" + strings.Join(c.Checkins, "\n")
	}
	return c
}

// coord formats a coordinate with at most one decimal.
func coord(v float64) string {
	return strconv.FormatFloat(float64(int64(v*10+0.5))/10, 'f', -1, 64)
}
