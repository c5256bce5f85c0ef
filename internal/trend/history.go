package trend

import (
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
)

// FromHistory builds a cycle's weekly series from the states of a walk of
// history, oldest first: each week is scored from the files in force at
// its end. Feed it every state with Apply, then call Finish.
type FromHistory struct {
	s     *Weekly
	cycle *model.Cycle
	weeks []model.Date // the week ends still to score
	// mirror holds the files in force after the last state (a walk's
	// states are valid only while it hands them over), from commit.
	mirror  map[string]*load.File
	commit  string
	started bool
}

// FileChange is a file a state changed: its new version, nil when the
// state removed it.
type FileChange struct {
	Path string
	New  *load.File
}

// NewFromHistory starts the series of cycle over the week ends weeks
// (Dates).
func NewFromHistory(cycle *model.Cycle, weeks []model.Date) *FromHistory {
	return &FromHistory{s: NewWeekly(cycle.ID, true), cycle: cycle, weeks: weeks, mirror: map[string]*load.File{}}
}

// Apply moves to the next state, made on day by commit (a short hash; ""
// for the working tree): the weeks that ended before day are scored from
// the files before it.
func (h *FromHistory) Apply(day model.Date, commit string, changes []FileChange) {
	h.flush(day, false)
	for _, c := range changes {
		if c.New == nil {
			delete(h.mirror, c.Path)
		} else {
			h.mirror[c.Path] = c.New
		}
	}
	h.commit, h.started = commit, true
}

// Finish scores the weeks left as of today and returns the series.
func (h *FromHistory) Finish(today model.Date) *Weekly {
	h.flush(today, true)
	return h.s
}

// flush scores the weeks that end before until (all of them when
// inclusive) from the files in force.
func (h *FromHistory) flush(until model.Date, inclusive bool) {
	if !h.started {
		// Weeks before the first commit of the workspace: nothing
		// existed yet.
		for len(h.weeks) > 0 && h.weeks[0].Before(until) {
			h.s.Add(&model.Workspace{}, h.cycle, h.weeks[0], "")
			h.weeks = h.weeks[1:]
		}
		return
	}
	var ws *model.Workspace
	for len(h.weeks) > 0 && (h.weeks[0].Before(until) || inclusive) {
		if ws == nil {
			files := make([]*load.File, 0, len(h.mirror))
			for _, f := range h.mirror {
				files = append(files, f)
			}
			ws = load.Assemble("", files).Workspace
		}
		h.s.Add(ws, h.cycle, h.weeks[0], h.commit)
		h.weeks = h.weeks[1:]
	}
}
