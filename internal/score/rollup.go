package score

import (
	"math"

	"github.com/okrkit/okr/internal/model"
)

// Rollup modes.
const (
	ModeKRs      = "krs"
	ModeChildren = "children"
	ModeBoth     = "both"
)

// Rollup scores objectives with their rollup modes, and teams over the org
// tree, for one workspace as of one date. Results are memoized; a Rollup is
// not safe for concurrent use.
type Rollup struct {
	opts       Options
	asOf       model.Date
	objectives map[string]*model.Objective
	children   map[string][]child
	memo       map[string]result
	busy       map[string]bool

	teamParent model.TeamParents
	personTeam map[string]string
	ws         *model.Workspace
}

type child struct {
	obj    *model.Objective
	weight float64
}

type result struct {
	score float64
	ok    bool
}

// NewRollup prepares the alignment and org indexes of ws for scoring as of
// asOf.
func (o Options) NewRollup(ws *model.Workspace, asOf model.Date) *Rollup {
	r := &Rollup{opts: o, asOf: asOf, ws: ws,
		objectives: map[string]*model.Objective{}, children: map[string][]child{},
		memo: map[string]result{}, busy: map[string]bool{},
		teamParent: ws.TeamParents(), personTeam: map[string]string{}}
	for _, obj := range ws.Objectives {
		if _, dup := r.objectives[obj.ID]; !dup {
			r.objectives[obj.ID] = obj
		}
	}
	for _, obj := range ws.Objectives {
		for _, a := range obj.AlignsTo {
			r.children[a.Objective] = append(r.children[a.Objective], child{obj, a.Weight})
		}
	}
	for _, p := range ws.People {
		r.personTeam[p.ID] = p.Team
	}
	return r
}

// Mode returns the rollup mode that applies to obj.
func (r *Rollup) Mode(obj *model.Objective) string {
	switch {
	case obj.Rollup != "":
		return obj.Rollup
	case r.opts.Rollup != "":
		return r.opts.Rollup
	}
	return ModeKRs
}

// Objective returns the score of the objective with id:
//
//   - krs: sum(w_k * s_k) / sum(w_k) over its key results;
//   - children: sum(l_c * s_c) / sum(l_c) over the objectives aligned to it
//     whose cycle lies within its own (model.Cycle.Within: a quarter under
//     its year counts, next quarter under this quarter does not), l_c being
//     each child's link weight to this parent;
//   - both: (sum(w_k * s_k) + sum(l_c * s_c)) / (sum(w_k) + sum(l_c)).
//
// An objective aligned to several parents counts in each, with that link's
// weight. Terms without a score (a child with nothing to score) and zero
// weights are left out; ok is false when nothing is left. An alignment loop
// (which validation reports) scores the looping child as absent.
func (r *Rollup) Objective(id string) (score float64, ok bool) {
	if res, done := r.memo[id]; done {
		return res.score, res.ok
	}
	obj := r.objectives[id]
	if obj == nil || r.busy[id] {
		return 0, false
	}
	r.busy[id] = true
	defer delete(r.busy, id)

	var sum, weights float64
	mode := r.Mode(obj)
	if mode != ModeChildren {
		for _, kr := range obj.KeyResults {
			if kr.Weight > 0 {
				sum += kr.Weight * r.opts.KeyResult(kr, r.asOf).Score
				weights += kr.Weight
			}
		}
	}
	if mode == ModeChildren || mode == ModeBoth {
		for _, c := range r.children[id] {
			if c.weight <= 0 || !r.ws.CycleWithin(c.obj.Cycle, obj.Cycle) {
				continue
			}
			if s, ok := r.Objective(c.obj.ID); ok {
				sum += c.weight * s
				weights += c.weight
			}
		}
	}
	res := result{}
	if v := sum / weights; weights > 0 && !math.IsNaN(v) && !math.IsInf(v, 0) {
		res = result{v, true}
	}
	r.memo[id] = res
	return res.score, res.ok
}

// TeamOf returns the team an objective counts for: its owner when the
// owner is a team, the owner's home team when a person, else "".
func (r *Rollup) TeamOf(obj *model.Objective) string {
	if _, ok := r.teamParent[obj.Owner]; ok {
		return obj.Owner
	}
	return r.personTeam[obj.Owner]
}

// Within reports whether team is ancestor or equal to sub in the org tree.
func (r *Rollup) Within(sub, team string) bool { return r.teamParent.Within(sub, team) }

// Team returns the weighted mean of the scores of the objectives that count
// for team or any of its sub-teams, each weighted by its objective weight,
// optionally only those for which include returns true (a cycle filter, say).
func (r *Rollup) Team(team string, include func(*model.Objective) bool) (score float64, ok bool) {
	return r.Average(r.ws.Objectives, func(obj *model.Objective) bool {
		return (include == nil || include(obj)) && r.Within(r.TeamOf(obj), team)
	})
}

// Average is okr's one "average score" (docs/scoring.md): the mean of the
// scores of objs, each weighted by its objective weight, over the objectives
// that have a score and a positive weight, optionally only those for which
// include returns true. trend, stats, status, report and the dashboard all
// show this figure. ok is false when no objective counts.
func (r *Rollup) Average(objs []*model.Objective, include func(*model.Objective) bool) (score float64, ok bool) {
	var sum, weights float64
	for _, obj := range objs {
		if obj.Weight <= 0 || (include != nil && !include(obj)) {
			continue
		}
		if s, ok := r.Objective(obj.ID); ok {
			sum += obj.Weight * s
			weights += obj.Weight
		}
	}
	v := sum / weights
	if weights == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false // weights past float64 (validation refuses them: number-range)
	}
	return v, true
}

// Replace swaps one objective of the workspace for another version of it
// (old nil: added; new nil: removed) and forgets the memoized scores that
// could depend on it: its own, and those of every objective it aligned or
// aligns to, transitively. Scores asked for afterwards are computed again,
// so a caller replaying a history one changed file at a time re-scores
// only what the change reaches. It returns the ids it forgot, the
// objective's own first. The Rollup's workspace slice (used by Team) is
// not updated.
func (r *Rollup) Replace(old, new *model.Objective) (forgot []string) {
	var stale []string
	if old != nil {
		if r.objectives[old.ID] == old {
			delete(r.objectives, old.ID)
		}
		for _, a := range old.AlignsTo {
			cs := r.children[a.Objective]
			kept := cs[:0]
			for _, c := range cs {
				if c.obj != old {
					kept = append(kept, c)
				}
			}
			r.children[a.Objective] = kept
			stale = append(stale, a.Objective)
		}
		stale = append(stale, old.ID)
	}
	if new != nil {
		if _, dup := r.objectives[new.ID]; !dup {
			r.objectives[new.ID] = new
		}
		for _, a := range new.AlignsTo {
			r.children[a.Objective] = append(r.children[a.Objective], child{new, a.Weight})
			stale = append(stale, a.Objective)
		}
	}
	if new != nil {
		stale = append(stale, new.ID)
	}
	seen := map[string]bool{}
	for len(stale) > 0 {
		id := stale[len(stale)-1]
		stale = stale[:len(stale)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		delete(r.memo, id)
		forgot = append(forgot, id)
		if obj := r.objectives[id]; obj != nil {
			for _, a := range obj.AlignsTo {
				stale = append(stale, a.Objective)
			}
		}
	}
	return forgot
}
