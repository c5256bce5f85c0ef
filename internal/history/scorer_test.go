package history

import (
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
)

// Scorer, a test helper of the walk tests and BenchmarkStates (no command
// needs it, and history imports no scoring), keeps every objective's
// rollup score current across the states
// of a walk without scoring the whole workspace at each one: a state that
// changed objective files re-scores those objectives and the objectives
// they align to, transitively (score.Rollup.Replace); a state that changed
// okr.yaml, org.yaml or cycles.yaml rebuilds the rollup. Scores count the
// check-ins dated up to AsOf.
type Scorer struct {
	asOf   model.Date
	rollup *score.Rollup
	files  map[string]*load.File
	// Rescored lists the ids scored again by the last Apply.
	Rescored []string
}

// NewScorer returns a Scorer that scores as of asOf.
func NewScorer(asOf model.Date) *Scorer {
	return &Scorer{asOf: asOf, files: map[string]*load.File{}}
}

// Apply moves the scorer to state st, the next state of a walk.
func (s *Scorer) Apply(st *State) {
	rebuild := s.rollup == nil
	for _, c := range st.Changes {
		if (c.New != nil && c.New.Kind != load.KindObjective) || (c.Old != nil && c.Old.Kind != load.KindObjective) {
			rebuild = true
		}
		if c.New == nil {
			delete(s.files, c.Path)
		} else {
			s.files[c.Path] = c.New
		}
	}
	s.Rescored = s.Rescored[:0]
	if rebuild {
		files := make([]*load.File, 0, len(s.files))
		for _, f := range s.files {
			files = append(files, f)
		}
		ws := load.Assemble("", files).Workspace
		s.rollup = score.FromSettings(ws.Settings).NewRollup(ws, s.asOf)
		for _, o := range ws.Objectives {
			s.Rescored = append(s.Rescored, o.ID)
		}
	} else {
		// Removals first, then additions: an objective that moved between
		// files is removed from one and added to the other in either
		// order of paths.
		for _, c := range st.Changes {
			olds, news := objectives(c.Old), objectives(c.New)
			for i, o := range olds {
				if i < len(news) && news[i].ID == o.ID {
					continue // replaced in place below
				}
				s.Rescored = append(s.Rescored, s.rollup.Replace(o, nil)...)
			}
		}
		for _, c := range st.Changes {
			olds, news := objectives(c.Old), objectives(c.New)
			for i, n := range news {
				var o *model.Objective
				if i < len(olds) && olds[i].ID == n.ID {
					o = olds[i]
				}
				s.Rescored = append(s.Rescored, s.rollup.Replace(o, n)...)
			}
		}
	}
	for _, id := range s.Rescored {
		s.rollup.Objective(id)
	}
}

func objectives(f *load.File) []*model.Objective {
	if f == nil {
		return nil
	}
	return f.Part.Objectives
}

// Objective returns the current score of the objective with id.
func (s *Scorer) Objective(id string) (float64, bool) {
	if s.rollup == nil {
		return 0, false
	}
	return s.rollup.Objective(id)
}
