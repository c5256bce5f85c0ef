package dashboard

import (
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/trend"
)

// Goals holds, by key-result id, the key result's definitions as history
// shows them, oldest first: a new one each time a commit changed its goal
// (type, start, target, threshold, range or steps).
type Goals map[string][]trend.Definition

// Add records the goals of the key results of objectives, as a version
// dated since (by commit, a short hash; "" for the working tree) left
// them: a key result's definition is added only when its goal differs
// from the one before. Feed it the changed files of every state of a
// walk, oldest first.
func (g Goals) Add(since model.Date, commit string, objectives []*model.Objective) {
	for _, o := range objectives {
		for _, kr := range o.KeyResults {
			defs := g[kr.ID]
			if n := len(defs); n > 0 && sameGoal(defs[n-1].KR, kr) {
				continue
			}
			g[kr.ID] = append(defs, trend.Definition{Since: since, Commit: commit, KR: kr})
		}
	}
}

func sameGoal(a, b *model.KeyResult) bool {
	return a.Type == b.Type && trend.Goal(a) == trend.Goal(b)
}
