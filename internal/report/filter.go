package report

import (
	"slices"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
)

// Filter narrows a report. Empty fields match everything.
type Filter struct {
	// Team keeps objectives that count for the team or one of its
	// sub-teams (owned by it, or by a person whose home team it is).
	Team string
	// Owner keeps objectives owned by this person or team.
	Owner string
	// Involving keeps objectives this person or team is involved in:
	// owns, owns a key result of, or contributes to; for a person, also
	// those owned by their home team.
	Involving string
	// Category and Level keep objectives with that category or level.
	Category, Level string
	// Status keeps key results with that status (stated or computed) and
	// the objectives that have one.
	Status string
	// Tag keeps objectives carrying this tag (tags: in the file).
	Tag string
}

// Empty reports whether f matches everything.
func (f Filter) Empty() bool { return f == Filter{} }

// objective reports whether obj passes the objective-level filters.
// home maps a person to their home team.
func (f Filter) objective(r *score.Rollup, home map[string]string, obj *model.Objective) bool {
	if f.Team != "" && !r.Within(r.TeamOf(obj), f.Team) {
		return false
	}
	if f.Category != "" && obj.Category != f.Category {
		return false
	}
	if f.Level != "" && obj.Level != f.Level {
		return false
	}
	if !f.Tagged(obj) {
		return false
	}
	if f.Owner != "" && obj.Owner != f.Owner {
		return false
	}
	if f.Involving != "" && !involves(home, obj, f.Involving) {
		return false
	}
	return true
}

// Tagged reports whether obj passes the tag filter: it carries f.Tag, or
// there is no tag filter.
func (f Filter) Tagged(obj *model.Objective) bool {
	return f.Tag == "" || slices.Contains(obj.Tags, f.Tag)
}

// involves reports whether who (a person or team) owns obj, owns one of
// its key results or contributes to it, or is a person whose home team
// owns it.
func involves(home map[string]string, obj *model.Objective, who string) bool {
	if obj.Owner == who || slices.Contains(obj.Contributors, who) {
		return true
	}
	for _, kr := range obj.KeyResults {
		if kr.Owner == who {
			return true
		}
	}
	return home[who] != "" && obj.Owner == home[who]
}

// Apply returns r narrowed by f: objectives failing the objective-level
// filters are dropped, key results failing the status filter are dropped
// (and objectives left without key results with them), and the status
// counts are recomputed over what is left.
func (f Filter) Apply(ws *model.Workspace, asOf model.Date, r *Report) *Report {
	if f.Empty() {
		return r
	}
	roll := score.FromSettings(ws.Settings).NewRollup(ws, asOf)
	home := map[string]string{}
	for _, p := range ws.People {
		home[p.ID] = p.Team
	}
	byID := map[string]*model.Objective{}
	for _, o := range ws.Objectives {
		if _, dup := byID[o.ID]; !dup {
			byID[o.ID] = o
		}
	}
	out := *r
	out.Objectives = []Objective{}
	kept := map[string]bool{}
	out.Counts = map[string]int{score.OnTrack: 0, score.AtRisk: 0, score.OffTrack: 0, score.Done: 0}
	for _, o := range r.Objectives {
		if obj := byID[o.ID]; obj == nil || !f.objective(roll, home, obj) {
			continue
		}
		if f.Status != "" {
			var krs []KeyResult
			for _, k := range o.KeyResults {
				if k.Status == f.Status {
					krs = append(krs, k)
				}
			}
			if len(krs) == 0 {
				continue
			}
			o.KeyResults = krs
		}
		for _, k := range o.KeyResults {
			out.Counts[k.Status]++
		}
		kept[o.ID] = true
		out.Objectives = append(out.Objectives, o)
	}
	// The average is over the objectives left (of the report's own cycle),
	// whole: a status filter narrows key results, not objective scores.
	out.AverageScore = nil
	if avg, ok := roll.Average(ws.Objectives, func(obj *model.Objective) bool {
		return obj.Cycle == r.Cycle.ID && kept[obj.ID]
	}); ok {
		out.AverageScore = &avg
	}
	return &out
}
