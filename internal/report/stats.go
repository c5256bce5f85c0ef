package report

import (
	"sort"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
)

// Stats holds the manager-dashboard figures of a cycle as of a date, for
// the whole workspace and for every team (sub-teams included).
type Stats struct {
	Version int    `json:"version"`
	Cycle   Cycle  `json:"cycle"`
	AsOf    string `json:"as_of"`
	// StatusNames are the display names of the statuses (a setting).
	StatusNames map[string]string `json:"status_names"`
	All         Figures           `json:"all"`
	Teams       []TeamFigures     `json:"teams"`
	// Display is okr.yaml's display setting for scores in the table and
	// Markdown (numfmt.Score).
	Display string `json:"-"`
}

// Figures are the dashboard numbers of one scope. Rates are nil when their
// denominator is 0.
type Figures struct {
	Objectives int `json:"objectives"`
	KeyResults int `json:"key_results"`
	// Counts counts key results by status.
	Counts map[string]int `json:"counts"`
	// CompletionRate is key results with progress >= 1 / key results.
	CompletionRate *float64 `json:"completion_rate"`
	// AlignmentRate is objectives below company level that align to a
	// parent / objectives below company level.
	AlignmentRate *float64 `json:"alignment_rate"`
	// CheckinRate is key results checked in within the cycle's cadence
	// window (the last 7, 14 or 31 days up to the date) / key results.
	CheckinRate *float64 `json:"checkin_rate"`
	// AverageScore is the mean objective score, weighted by objective
	// weight, over objectives that have a score.
	AverageScore *float64 `json:"average_score"`
}

// TeamFigures are the figures of one team and its sub-teams.
type TeamFigures struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	// Depth is 0 for a top-level team (a department), 1 below it, ...
	Depth int `json:"depth"`
	Figures
}

// BuildStats computes the dashboard figures of cycle as of asOf.
func BuildStats(ws *model.Workspace, cycle *model.Cycle, asOf model.Date) *Stats {
	return BuildTaggedStats(ws, cycle, asOf, "")
}

// BuildTaggedStats computes the figures over the cycle's objectives that
// carry tag ("" for all): okr stats --tag. Scores are those of the whole
// workspace; the tag chooses which objectives count.
func BuildTaggedStats(ws *model.Workspace, cycle *model.Cycle, asOf model.Date, tag string) *Stats {
	opts := score.FromSettings(ws.Settings)
	r := opts.NewRollup(ws, asOf)
	s := &Stats{Version: Version, AsOf: asOf.String(), StatusNames: ws.Settings.StatusNames, Display: ws.Settings.Display,
		Cycle: Cycle{ID: cycle.ID, Name: cycle.Name, Start: cycle.Start.String(), End: cycle.End.String()}}
	var objs []*model.Objective
	for _, o := range ws.Objectives {
		if o.Cycle == cycle.ID && (Filter{Tag: tag}).Tagged(o) {
			objs = append(objs, o)
		}
	}
	window := cycle.PeriodDays()
	figures := func(include func(*model.Objective) bool) Figures {
		f := Figures{Counts: map[string]int{score.OnTrack: 0, score.AtRisk: 0, score.OffTrack: 0, score.Done: 0}}
		var done, belowCompany, aligned, checkedIn int
		for _, o := range objs {
			if !include(o) {
				continue
			}
			f.Objectives++
			if o.Level != "company" {
				belowCompany++
				if len(o.AlignsTo) > 0 {
					aligned++
				}
			}
			for _, kr := range o.KeyResults {
				f.KeyResults++
				st := opts.KeyResult(kr, asOf)
				status, _ := opts.StatusOf(st, cycle, asOf)
				f.Counts[status]++
				if st.Progress >= 1 {
					done++
				}
				if st.Latest != nil && asOf.Time().Sub(st.Latest.Date.Time()).Hours() < float64(24*window) {
					checkedIn++
				}
			}
		}
		f.CompletionRate = ratio(done, f.KeyResults)
		f.AlignmentRate = ratio(aligned, belowCompany)
		f.CheckinRate = ratio(checkedIn, f.KeyResults)
		if avg, ok := r.Average(objs, include); ok {
			f.AverageScore = &avg
		}
		return f
	}
	s.All = figures(func(*model.Objective) bool { return true })
	parent := map[string]string{}
	for _, t := range ws.Teams {
		parent[t.ID] = t.Parent
	}
	depth := func(id string) int {
		d := 0
		seen := map[string]bool{id: true}
		for t := parent[id]; t != "" && !seen[t]; t = parent[t] {
			seen[t] = true
			d++
		}
		return d
	}
	for _, t := range ws.Teams {
		team := t.ID
		s.Teams = append(s.Teams, TeamFigures{ID: t.ID, Name: t.Name, Parent: t.Parent, Depth: depth(t.ID),
			Figures: figures(func(o *model.Objective) bool { return r.Within(r.TeamOf(o), team) })})
	}
	s.Teams = sortTeams(s.Teams)
	if s.Teams == nil {
		s.Teams = []TeamFigures{}
	}
	return s
}

// sortTeams orders teams as a tree: each department, then its sub-teams,
// by id at each level; teams caught in a parent loop (a validation error)
// come last, by id.
func sortTeams(teams []TeamFigures) []TeamFigures {
	ids := map[string]bool{}
	for _, t := range teams {
		ids[t.ID] = true
	}
	kids := map[string][]TeamFigures{}
	for _, t := range teams {
		p := t.Parent
		if !ids[p] {
			p = ""
		}
		kids[p] = append(kids[p], t)
	}
	var out []TeamFigures
	seen := map[string]bool{}
	var walk func(p string)
	walk = func(p string) {
		ks := kids[p]
		sort.Slice(ks, func(i, j int) bool { return ks[i].ID < ks[j].ID })
		for _, k := range ks {
			if !seen[k.ID] {
				seen[k.ID] = true
				out = append(out, k)
				walk(k.ID)
			}
		}
	}
	walk("")
	var rest []TeamFigures
	for _, t := range teams {
		if !seen[t.ID] {
			rest = append(rest, t)
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].ID < rest[j].ID })
	return append(out, rest...)
}

func ratio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	r := float64(n) / float64(d)
	return &r
}
