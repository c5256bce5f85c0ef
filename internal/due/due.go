// Package due finds the key results whose check-in is overdue by their
// cycle's cadence as of a date, grouped by owner, and writes the list as
// text, Markdown (for an issue body) or JSON.
package due

import (
	"cmp"
	"slices"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
)

// Version is the version of the JSON shape. It changes only when a field is
// removed or changes meaning.
const Version = 1

// Running reports whether cycle c expects check-ins on day: it contains
// the day and is not marked planning, closed or archived.
func Running(c *model.Cycle, day model.Date) bool {
	return c.Contains(day) && c.State != "planning" && c.State != "closed" && c.State != "archived"
}

// Report lists the overdue key results.
type Report struct {
	Version int    `json:"version"`
	AsOf    string `json:"as_of"`
	// Total is the number of overdue key results.
	Total  int     `json:"total"`
	Owners []Owner `json:"owners"`
}

// Owner is one person or team with overdue key results. ID is "" for key
// results nobody owns.
type Owner struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Handle string `json:"handle,omitempty"`
	Items  []Item `json:"key_results"`
}

// Item is one overdue key result.
type Item struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Objective string `json:"objective"`
	Cycle     string `json:"cycle"`
	Cadence   string `json:"cadence"`
	// LastCheckin is the date of the latest check-in on or before the
	// report date, "" when there is none.
	LastCheckin string `json:"last_checkin,omitempty"`
	// DueSince is the day the next check-in was due: the last check-in
	// (or the cycle's start) plus one cadence period.
	DueSince    string `json:"due_since"`
	DaysOverdue int    `json:"days_overdue"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
}

// Overdue reports whether kr, in objective obj of running cycle c, is due
// for a check-in on day, and since when. A key result with a manual score,
// a stated done status or full progress on a one-way goal (increase,
// decrease, milestone) needs no more check-ins.
func Overdue(opts score.Options, c *model.Cycle, kr *model.KeyResult, day model.Date) (since model.Date, last *model.Checkin, due bool) {
	st := opts.KeyResult(kr, day)
	if kr.Score != nil || st.Latest != nil && st.Latest.Status() == score.Done {
		return model.Date{}, st.Latest, false
	}
	if st.Latest != nil && st.Progress >= 1 && (kr.Type == model.Increase || kr.Type == model.Decrease || kr.Type == model.Milestone) {
		return model.Date{}, st.Latest, false
	}
	from := c.Start
	if st.Latest != nil && st.Latest.Date.After(from) {
		from = st.Latest.Date
	}
	since = model.DateOf(from.Time().AddDate(0, 0, c.PeriodDays()))
	return since, st.Latest, !day.Before(since)
}

// Build lists the key results of ws overdue on day, in the cycles running
// then.
func Build(ws *model.Workspace, day model.Date) *Report {
	opts := score.FromSettings(ws.Settings)
	owners := map[string]*Owner{}
	rep := &Report{Version: Version, AsOf: day.String(), Owners: []Owner{}}
	for _, o := range ws.Objectives {
		c := ws.Cycle(o.Cycle)
		if c == nil || c.Start.IsZero() || !Running(c, day) {
			continue
		}
		for _, kr := range o.KeyResults {
			since, last, due := Overdue(opts, c, kr, day)
			if !due {
				continue
			}
			owner := cmp.Or(kr.Owner, o.Owner)
			ow := owners[owner]
			if ow == nil {
				ow = &Owner{ID: owner}
				owners[owner] = ow
			}
			pos := kr.Pos()
			it := Item{ID: kr.ID, Title: kr.Title, Objective: o.ID, Cycle: c.ID, Cadence: cmp.Or(c.Cadence, "weekly"),
				DueSince: since.String(), DaysOverdue: int(day.Time().Sub(since.Time()).Hours() / 24),
				File: kr.File(), Line: pos.Line, Column: pos.Col}
			if last != nil {
				it.LastCheckin = last.Date.String()
			}
			ow.Items = append(ow.Items, it)
			rep.Total++
		}
	}
	for _, ow := range owners {
		ow.Name = ow.ID
		for _, p := range ws.People {
			if p.ID == ow.ID {
				ow.Name, ow.Handle = cmp.Or(p.Name, p.ID), p.Handle
			}
		}
		for _, t := range ws.Teams {
			if t.ID == ow.ID {
				ow.Name, ow.Handle = cmp.Or(t.Name, t.ID), t.Handle
			}
		}
		if ow.ID == "" {
			ow.Name = "No owner"
		}
		slices.SortFunc(ow.Items, func(a, b Item) int {
			return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column), cmp.Compare(a.ID, b.ID))
		})
		rep.Owners = append(rep.Owners, *ow)
	}
	// Owners by id; key results nobody owns last.
	slices.SortFunc(rep.Owners, func(a, b Owner) int {
		if (a.ID == "") != (b.ID == "") {
			if a.ID == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return rep
}
