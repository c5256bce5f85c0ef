package dashboard

import (
	"github.com/okrkit/okr/internal/history"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/trend"
)

// Goals holds, by key-result id, the key result's definitions as history
// shows them, oldest first: a new one each time a commit changed its goal
// (type, start, target, threshold, range or steps).
type Goals map[string][]trend.Definition

// ReadGoals walks the first-parent history of head once, uncommitted
// changes included (dated today), and collects every key result's goals.
func ReadGoals(repo *history.Repo, head *history.Commit, today model.Date) (Goals, error) {
	g := Goals{}
	err := repo.Walk(head, history.WalkOptions{Worktree: true}, func(st *history.State) error {
		g.apply(st, today)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// apply records the goals of the key results of the files st changed.
func (g Goals) apply(st *history.State, today model.Date) {
	since, commit := today, ""
	if st.Commit != nil {
		since, commit = st.Commit.Date(), st.Commit.Short()
	}
	for _, c := range st.Changes {
		if c.New == nil {
			continue
		}
		for _, o := range c.New.Part.Objectives {
			for _, kr := range o.KeyResults {
				defs := g[kr.ID]
				if n := len(defs); n > 0 && sameGoal(defs[n-1].KR, kr) {
					continue
				}
				g[kr.ID] = append(defs, trend.Definition{Since: since, Commit: commit, KR: kr})
			}
		}
	}
}

func sameGoal(a, b *model.KeyResult) bool {
	return a.Type == b.Type && trend.Goal(a) == trend.Goal(b)
}
