// Package audience decides which objectives a person or a team may view,
// from the objectives' visible_to and hidden_from lists, and narrows a
// workspace to what an audience may see, so that every report built from
// it leaves the rest out. docs/visibility.md states the rule.
package audience

import (
	"fmt"
	"slices"
	"strings"

	"github.com/okrkit/okr/internal/model"
)

// Audience is who a report is for: one person, or every member of a team
// and its sub-teams.
type Audience struct {
	// Person is a person id; empty for a team audience.
	Person string
	// Team is a team id; empty for a person audience.
	Team string
}

// String returns the audience as written on the command line: PERSON or
// team:ID.
func (a Audience) String() string {
	if a.Team != "" {
		return "team:" + a.Team
	}
	return a.Person
}

// Parse reads "PERSON" or "team:ID" and checks that it names a person or
// team of ws.
func Parse(spec string, ws *model.Workspace) (Audience, error) {
	if id, ok := strings.CutPrefix(spec, "team:"); ok {
		if !slices.ContainsFunc(ws.Teams, func(t *model.Team) bool { return t.ID == id }) {
			return Audience{}, fmt.Errorf("%q is not a team in org.yaml", id)
		}
		return Audience{Team: id}, nil
	}
	if !slices.ContainsFunc(ws.People, func(p *model.Person) bool { return p.ID == spec }) {
		if slices.ContainsFunc(ws.Teams, func(t *model.Team) bool { return t.ID == spec }) {
			return Audience{}, fmt.Errorf("%q is a team; write team:%s", spec, spec)
		}
		return Audience{}, fmt.Errorf("%q is not a person in org.yaml", spec)
	}
	return Audience{Person: spec}, nil
}

// Rules answers visibility questions about one workspace.
type Rules struct {
	teamParent model.TeamParents
	personTeam map[string]string
	teams      map[string]bool
}

// NewRules indexes the organisation of ws.
func NewRules(ws *model.Workspace) *Rules {
	r := &Rules{teamParent: ws.TeamParents(), personTeam: map[string]string{}, teams: map[string]bool{}}
	for _, t := range ws.Teams {
		r.teams[t.ID] = true
	}
	for _, p := range ws.People {
		r.personTeam[p.ID] = p.Team
	}
	return r
}

// within reports whether team sub is team or one of its sub-teams.
func (r *Rules) within(sub, team string) bool { return r.teamParent.Within(sub, team) }

// covers reports whether the list entry id (a person or a team, sub-teams
// included) takes in every member of the audience.
func (r *Rules) covers(id string, a Audience) bool {
	if a.Team != "" {
		return r.teams[id] && r.within(a.Team, id)
	}
	if id == a.Person {
		return true
	}
	return r.teams[id] && r.within(r.personTeam[a.Person], id)
}

// touches reports whether the list entry id takes in any member of the
// audience: for a team audience, the team, a team above it, a sub-team of
// it, or a person in it or a sub-team.
func (r *Rules) touches(id string, a Audience) bool {
	if a.Team == "" {
		return r.covers(id, a)
	}
	if r.teams[id] {
		return r.within(a.Team, id) || r.within(id, a.Team)
	}
	return r.within(r.personTeam[id], a.Team)
}

// CanView reports whether the audience may view obj. A person may view it
// unless hidden_from names them or a team they are in (sub-teams count as
// in their parents); when visible_to is given, they must also be its
// owner, be named in it, or be in a team it names. A team audience may
// view only what every member may: visible_to must name the team or a
// team above it (or the team must own the objective), and hidden_from may
// name no one in it. Hidden beats visible.
func (r *Rules) CanView(a Audience, obj *model.Objective) bool {
	for _, id := range obj.HiddenFrom {
		if r.touches(id, a) {
			return false
		}
	}
	if len(obj.VisibleTo) == 0 {
		return true
	}
	if obj.Owner != "" && r.covers(obj.Owner, a) {
		return true
	}
	for _, id := range obj.VisibleTo {
		if r.covers(id, a) {
			return true
		}
	}
	return false
}

// Filter returns ws narrowed to what the audience may view: the objectives
// it may not view are left out, and so are the alignments of the others
// to them, so no report built from the result can show a hidden
// objective's id, title, key results or check-ins. Scores are computed
// from what is left: a parent scored from its children counts only the
// visible ones. ws itself is not changed.
func Filter(ws *model.Workspace, a Audience) *model.Workspace {
	r := NewRules(ws)
	hidden, hiddenKRs := map[string]bool{}, map[string]bool{}
	for _, o := range ws.Objectives {
		if !r.CanView(a, o) {
			hidden[o.ID] = true
			for _, kr := range o.KeyResults {
				hiddenKRs[kr.ID] = true
			}
		}
	}
	out := *ws
	out.Objectives = make([]*model.Objective, 0, len(ws.Objectives))
	for _, o := range ws.Objectives {
		if hidden[o.ID] {
			continue
		}
		if slices.ContainsFunc(o.AlignsTo, func(al *model.Alignment) bool { return hidden[al.Objective] }) {
			c := *o
			c.AlignsTo = nil
			for _, al := range o.AlignsTo {
				if !hidden[al.Objective] {
					c.AlignsTo = append(c.AlignsTo, al)
				}
			}
			o = &c
		}
		o = dropCarried(o, hidden, hiddenKRs)
		out.Objectives = append(out.Objectives, o)
	}
	return &out
}

// dropCarried clears carried_from and carried_to links (okr carry) that
// name hidden objectives or their key results, copying what it changes.
func dropCarried(o *model.Objective, hidden, hiddenKRs map[string]bool) *model.Objective {
	krLeaks := slices.ContainsFunc(o.KeyResults, func(kr *model.KeyResult) bool {
		return hiddenKRs[kr.CarriedFrom] || hiddenKRs[kr.CarriedTo]
	})
	if !hidden[o.CarriedFrom] && !hidden[o.CarriedTo] && !krLeaks {
		return o
	}
	c := *o
	if hidden[c.CarriedFrom] {
		c.CarriedFrom = ""
	}
	if hidden[c.CarriedTo] {
		c.CarriedTo = ""
	}
	if krLeaks {
		c.KeyResults = make([]*model.KeyResult, len(o.KeyResults))
		for i, kr := range o.KeyResults {
			k := *kr
			if hiddenKRs[k.CarriedFrom] {
				k.CarriedFrom = ""
			}
			if hiddenKRs[k.CarriedTo] {
				k.CarriedTo = ""
			}
			c.KeyResults[i] = &k
		}
	}
	return &c
}
