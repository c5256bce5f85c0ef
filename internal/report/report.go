// Package report builds the data behind okr's reports: the scores and
// statuses of one cycle's objectives and key results as of a date, the
// cycle's stats and alignment tree, and saved snapshots of a report.
// Package render writes them; the packages that only compute with a
// report (diff, trend, the dashboard) use this one alone. It reads the
// model and takes the date as input; it does no I/O but a snapshot's
// encoding to the writer it is given.
package report

import (
	"slices"
	"sort"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/numfmt"
	"github.com/okrkit/okr/internal/score"
)

// Version is the version of the JSON report shape. It changes when a field
// is removed or changes meaning, or when the shape grows in a way a reader
// should be able to ask for: version 2 added each key result's goal (start,
// target, threshold, low, high, steps, due, goal), the units, and the
// objectives' description, category, tags and initiatives (docs/report.md).
const Version = 2

// Report is one cycle's objectives and key results, scored as of a date.
type Report struct {
	Version   int    `json:"version"`
	Workspace string `json:"workspace,omitempty"`
	Cycle     Cycle  `json:"cycle"`
	// AsOf is the date the report is computed for (YYYY-MM-DD).
	AsOf string `json:"as_of"`
	// Expected is the share of the cycle elapsed at AsOf, 0 to 1.
	Expected float64 `json:"expected"`
	// Counts counts key results by status (on_track, at_risk, off_track,
	// done).
	Counts map[string]int `json:"counts"`
	// AverageScore is okr's one average score (score.Rollup.Average): the
	// cycle's own objectives' scores weighted by objective weight; nil
	// when none has a score.
	AverageScore *float64 `json:"average_score"`
	// Units are the units the key results use, by id, as okr.yaml defines
	// them: how their numbers display. Omitted when no key result has a
	// unit okr.yaml defines.
	Units      map[string]Unit `json:"units,omitempty"`
	Objectives []Objective     `json:"objectives"`
	// Display is okr.yaml's display setting, how human formats show
	// scores (numfmt.Score); JSON and CSV carry numbers.
	Display string `json:"-"`
}

// Unit is how a unit's numbers display (okr.yaml units:).
type Unit struct {
	Name   string `json:"name,omitempty"`
	Symbol string `json:"symbol,omitempty"`
	// Decimals is how many decimals numbers show; nil when okr.yaml does
	// not say.
	Decimals *int `json:"decimals,omitempty"`
}

// Cycle identifies the reported cycle.
type Cycle struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// Objective is one objective's row.
type Objective struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Level       string `json:"level"`
	Owner       string `json:"owner,omitempty"`
	Category    string `json:"category,omitempty"`
	// Tags are the objective's tags in file order.
	Tags []string `json:"tags,omitempty"`
	// Weight is the objective's weight in averages and team rollups.
	Weight float64 `json:"weight"`
	// Parents are the ids the objective aligns to.
	Parents []string `json:"parents,omitempty"`
	// Rollup is the mode the score was computed with.
	Rollup string `json:"rollup"`
	// Score is nil when the objective has nothing to score.
	Score      *float64    `json:"score"`
	Band       string      `json:"band,omitempty"`
	File       string      `json:"file"`
	KeyResults []KeyResult `json:"key_results"`
	// Initiatives are the work behind the key results, in file order.
	Initiatives []Initiative `json:"initiatives,omitempty"`
	// Cycle is set when the objective is of another cycle than the
	// report's: a quarter's objective aligned to one of the year's, shown
	// in the year's report (Members).
	Cycle string `json:"cycle,omitempty"`
}

// Initiative is a piece of work done for an objective.
type Initiative struct {
	// ID is empty when the file gives the initiative none.
	ID     string `json:"id,omitempty"`
	Title  string `json:"title"`
	Status string `json:"status,omitempty"`
	Owner  string `json:"owner,omitempty"`
	Link   string `json:"link,omitempty"`
	// Due is the initiative's due date (YYYY-MM-DD), if any.
	Due string `json:"due,omitempty"`
	// KeyResult is the id of the key result it serves, if it names one.
	KeyResult string `json:"key_result,omitempty"`
}

// KeyResult is one key result's row.
type KeyResult struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Type   string  `json:"type"`
	Unit   string  `json:"unit,omitempty"`
	Owner  string  `json:"owner,omitempty"`
	Weight float64 `json:"weight"`
	// Goal says in words what the key result aims at, numbers in its unit:
	// "from $9,400,000 to $12,000,000", "at most 300 ms", "5 steps".
	Goal string `json:"goal"`
	// Start and Target are set for increase and decrease, Threshold for
	// at_least and at_most, Low and High for range.
	Start     *float64 `json:"start,omitempty"`
	Target    *float64 `json:"target,omitempty"`
	Threshold *float64 `json:"threshold,omitempty"`
	Low       *float64 `json:"low,omitempty"`
	High      *float64 `json:"high,omitempty"`
	// Steps are a milestone's steps; Current counts those done.
	Steps []string `json:"steps,omitempty"`
	// Due is the key result's due date (YYYY-MM-DD), if any.
	Due string `json:"due,omitempty"`
	// Current is the latest value on or before the report date; nil
	// before the first check-in. For a milestone it is the steps done, or
	// 1 (done) or 0 without steps.
	Current  *float64 `json:"current"`
	Progress float64  `json:"progress"`
	// Score is Progress, or the manual score when Manual is set.
	Score  float64 `json:"score"`
	Manual bool    `json:"manual"`
	Status string  `json:"status"`
	// StatusStated is true when the status comes from the latest check-in
	// rather than from progress against time.
	StatusStated bool     `json:"status_stated"`
	Confidence   *float64 `json:"confidence"`
	LastCheckin  string   `json:"last_checkin,omitempty"`
	// Forecast is the least-squares value expected at the cycle's end.
	Forecast *float64 `json:"forecast"`
}

// ActiveCycle returns the cycle a report defaults to on day: among the
// cycles containing it and not closed or archived, the shortest (a quarter
// rather than its year); ties go to the earlier id.
func ActiveCycle(ws *model.Workspace, day model.Date) *model.Cycle {
	var best *model.Cycle
	for _, c := range ws.Cycles {
		if !c.Contains(day) || c.State == "closed" || c.State == "archived" {
			continue
		}
		if best == nil || length(c) < length(best) || length(c) == length(best) && c.ID < best.ID {
			best = c
		}
	}
	return best
}

func length(c *model.Cycle) float64 { return c.End.Time().Sub(c.Start.Time()).Hours() }

// Build computes the report of cycle as of asOf.
func Build(ws *model.Workspace, cycle *model.Cycle, asOf model.Date) *Report {
	opts := score.FromSettings(ws.Settings)
	r := opts.NewRollup(ws, asOf)
	out := &Report{
		Version:   Version,
		Workspace: ws.Settings.Name,
		Cycle:     Cycle{ID: cycle.ID, Name: cycle.Name, Start: cycle.Start.String(), End: cycle.End.String()},
		AsOf:      asOf.String(),
		Display:   ws.Settings.Display,
		Expected:  score.Expected(cycle, asOf),
		Counts:    map[string]int{score.OnTrack: 0, score.AtRisk: 0, score.OffTrack: 0, score.Done: 0},
	}
	for _, o := range Members(ws, cycle) {
		own := cycle
		row := Objective{ID: o.ID, Title: o.Title, Description: o.Description, Level: o.Level, Owner: o.Owner,
			Category: o.Category, Tags: slices.Clone(o.Tags), Weight: o.Weight, Rollup: r.Mode(o), File: o.File(), KeyResults: []KeyResult{}}
		if o.Cycle != cycle.ID {
			row.Cycle, own = o.Cycle, ws.Cycle(o.Cycle)
		}
		for _, a := range o.AlignsTo {
			row.Parents = append(row.Parents, a.Objective)
		}
		if s, ok := r.Objective(o.ID); ok {
			row.Score = &s
			row.Band = score.Band(ws.Settings.ScoreBands, s)
		}
		for _, kr := range o.KeyResults {
			st := opts.KeyResult(kr, asOf)
			status, stated := opts.StatusOf(st, own, asOf)
			k := KeyResult{ID: kr.ID, Title: kr.Title, Type: kr.Type, Unit: kr.Unit, Owner: kr.Owner, Weight: kr.Weight,
				Goal: numfmt.Goal(ws, kr), Start: clone(kr.Start), Target: clone(kr.Target), Threshold: clone(kr.Threshold),
				Low: clone(kr.Low), High: clone(kr.High), Steps: slices.Clone(kr.Steps), Due: kr.Due.String(),
				Progress: st.Progress, Score: st.Score, Manual: st.Manual, Status: status, StatusStated: stated}
			if u := numfmt.Find(ws, kr.Unit); u != nil {
				if out.Units == nil {
					out.Units = map[string]Unit{}
				}
				out.Units[u.ID] = unitOf(u)
			}
			if k.Owner == "" {
				k.Owner = o.Owner
			}
			if st.Latest != nil {
				cur := st.Current
				k.Current, k.Confidence, k.LastCheckin = &cur, st.Latest.Confidence(), st.Latest.Date.String()
			}
			if f, ok := score.Forecast(kr, own, asOf); ok {
				k.Forecast = &f
			}
			out.Counts[status]++
			row.KeyResults = append(row.KeyResults, k)
		}
		for _, in := range o.Initiatives {
			row.Initiatives = append(row.Initiatives, Initiative{ID: in.ID, Title: in.Title, Status: in.Status, Owner: in.Owner,
				Link: in.Link, Due: in.Due.String(), KeyResult: in.KeyResult})
		}
		out.Objectives = append(out.Objectives, row)
	}
	sort.SliceStable(out.Objectives, func(i, j int) bool {
		a, b := out.Objectives[i], out.Objectives[j]
		if la, lb := levelRank[a.Level], levelRank[b.Level]; la != lb {
			return la < lb
		}
		return a.ID < b.ID
	})
	if out.Objectives == nil {
		out.Objectives = []Objective{}
	}
	if avg, ok := r.Average(ws.Objectives, func(o *model.Objective) bool { return o.Cycle == cycle.ID }); ok {
		out.AverageScore = &avg
	}
	return out
}

func clone(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// unitOf is how u's numbers display.
func unitOf(u *model.Unit) Unit {
	out := Unit{Name: u.Name, Symbol: u.Symbol}
	if u.Has("decimals") {
		d := u.Decimals
		out.Decimals = &d
	}
	return out
}

// Members returns the objectives a view of cycle shows: the cycle's own,
// and the objectives of cycles within it (a year's quarters) that align to
// them, directly or through one another, in file order. A link counts only
// when the child's cycle lies within the parent's (docs/scoring.md), so a
// quarter's view never shows another quarter's objectives.
func Members(ws *model.Workspace, cycle *model.Cycle) []*model.Objective {
	in := map[string]bool{}
	cycleOf := map[string]string{}
	for _, o := range ws.Objectives {
		if _, dup := cycleOf[o.ID]; !dup {
			cycleOf[o.ID] = o.Cycle
		}
		if o.Cycle == cycle.ID {
			in[o.ID] = true
		}
	}
	within := map[[2]string]bool{}
	inside := func(c, p string) bool {
		k := [2]string{c, p}
		v, ok := within[k]
		if !ok {
			v = ws.CycleWithin(c, p)
			within[k] = v
		}
		return v
	}
	for grew := true; grew; {
		grew = false
		for _, o := range ws.Objectives {
			if in[o.ID] || !inside(o.Cycle, cycle.ID) {
				continue
			}
			for _, a := range o.AlignsTo {
				if pc, ok := cycleOf[a.Objective]; ok && in[a.Objective] && inside(o.Cycle, pc) {
					in[o.ID], grew = true, true
					break
				}
			}
		}
	}
	var out []*model.Objective
	seen := map[string]bool{}
	for _, o := range ws.Objectives {
		switch {
		case o.Cycle == cycle.ID:
			out = append(out, o)
		case in[o.ID] && !seen[o.ID]:
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	return out
}

var levelRank = map[string]int{"company": 0, "department": 1, "team": 2, "individual": 3}
