// Package trend computes progress over time, the data behind a
// progress-over-time chart: one key result's check-ins, each scored with
// the key result's definition in force when it was made (from history),
// and the weekly series of every objective's score and the status counts
// over a cycle. It writes them as a terminal sparkline view, csv and json,
// one file per format. It reads no clock and no disk.
package trend

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/okrkit/okr/internal/format"
	"github.com/okrkit/okr/internal/numfmt"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/score"
)

// Version is the version of the JSON shapes.
const Version = 2

// Definition is a key result as one commit left it, for scoring the
// check-ins made while it was in force.
type Definition struct {
	// Since is the date the definition took effect (its commit's date);
	// zero for the oldest known one, which also covers earlier dates.
	Since model.Date
	// Commit is the abbreviated hash that made it, "" when unknown.
	Commit string
	// By is who made it: the org's person as "Name (id)" when the
	// commit's author is one (model.Workspace.PersonByGit), else the name
	// git recorded; "" when unknown.
	By string
	KR *model.KeyResult
}

// Point is one check-in of a key result.
type Point struct {
	Date       string   `json:"date"`
	Value      float64  `json:"value"`
	Progress   float64  `json:"progress"`
	Expected   float64  `json:"expected"`
	Confidence *float64 `json:"confidence"`
	Status     string   `json:"status,omitempty"`
	Note       string   `json:"note,omitempty"`
	// Goal is the definition's goal the progress was computed against
	// ("target 300", "threshold 99.9", ...).
	Goal string `json:"goal"`
	// Commit is the commit whose definition scored the point, when history
	// was read, and GoalBy who made that commit (Definition.By).
	Commit string `json:"commit,omitempty"`
	GoalBy string `json:"goal_by,omitempty"`
}

// KRSeries is the trend of one key result.
type KRSeries struct {
	Version   int     `json:"version"`
	KeyResult string  `json:"key_result"`
	Title     string  `json:"title"`
	Objective string  `json:"objective"`
	Type      string  `json:"type"`
	Unit      string  `json:"unit,omitempty"`
	Cycle     string  `json:"cycle"`
	Points    []Point `json:"points"`
	// Definitions counts the definitions seen in history (1 when the goal
	// never changed or history was not read).
	Definitions int `json:"definitions"`
}

// KeyResult builds the trend of kr (of objective obj, in cycle) from its
// check-ins. defs are its definitions from history, oldest first; each
// check-in is scored with the latest one in force on its date (the oldest
// for check-ins older than all). With no defs, kr's own is used.
func KeyResult(opts score.Options, obj *model.Objective, kr *model.KeyResult, cycle *model.Cycle, defs []Definition) *KRSeries {
	if len(defs) == 0 {
		defs = []Definition{{KR: kr}}
	}
	s := &KRSeries{Version: Version, KeyResult: kr.ID, Title: kr.Title, Objective: obj.ID, Type: kr.Type, Unit: kr.Unit,
		Cycle: cycle.ID, Points: []Point{}, Definitions: len(defs)}
	for ix := range kr.Checkins {
		ci := &kr.Checkins[ix]
		d := defs[0]
		for _, cand := range defs[1:] {
			if !cand.Since.After(ci.Date) {
				d = cand
			}
		}
		p := Point{Date: ci.Date.String(), Value: ci.Value, Expected: score.Expected(cycle, ci.Date), Confidence: ci.Confidence(),
			Status: ci.Status(), Note: ci.Note(), Goal: Goal(d.KR), Commit: d.Commit, GoalBy: d.By}
		if raw, ok := score.RawProgress(d.KR, ci.Value); ok {
			p.Progress = opts.Clamp(raw)
		}
		s.Points = append(s.Points, p)
	}
	return s
}

// Goal describes what a key result's progress is measured against.
func Goal(kr *model.KeyResult) string {
	return numfmt.GoalWith(kr, func(v float64) string {
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", v), "0"), ".")
	})
}

// Week is the state of a cycle at the end of one week.
type Week struct {
	Date string `json:"date"`
	// Commit is the commit the week's files come from ("" when read from
	// the working tree or without history).
	Commit string `json:"commit,omitempty"`
	// Scores maps objective ids to scores; nil for an objective with
	// nothing to score, absent for one that did not exist yet.
	Scores map[string]*float64 `json:"scores"`
	// Counts counts key results by status.
	Counts map[string]int `json:"counts"`
	// AverageScore is okr's one average score, as okr stats and okr report
	// give it for the day: the cycle's own objectives' scores weighted by
	// objective weight (docs/scoring.md); nil when none has a score.
	AverageScore *float64 `json:"average_score"`
}

// Weekly is the weekly series of a cycle.
type Weekly struct {
	Version int    `json:"version"`
	Cycle   string `json:"cycle"`
	// Objectives lists every objective id seen in any week, with its
	// latest title, sorted by id.
	Objectives []ObjectiveRef `json:"objectives"`
	Weeks      []Week         `json:"weeks"`
	// FromHistory is true when each week's files came from the commit in
	// force then, false when only today's files' check-ins were used.
	FromHistory bool `json:"from_history"`
	// Display is okr.yaml's display setting for scores in the text
	// format (numfmt.Score), from the latest week's workspace.
	Display string `json:"-"`
	titles  map[string]string
}

// ObjectiveRef names an objective of the series.
type ObjectiveRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Dates returns the week ends of cycle up to until: the cycle's start plus
// 6 days, plus 13, ..., and until itself (or the cycle's end) when it does
// not fall on a week end. Empty when until is before the start.
func Dates(cycle *model.Cycle, until model.Date) []model.Date {
	last := cycle.End
	if until.Before(last) {
		last = until
	}
	var out []model.Date
	if last.Before(cycle.Start) {
		return out
	}
	for d := cycle.Start.Time().AddDate(0, 0, 6); !model.DateOf(d).After(last); d = d.AddDate(0, 0, 7) {
		out = append(out, model.DateOf(d))
	}
	if len(out) == 0 || out[len(out)-1] != last {
		out = append(out, last)
	}
	return out
}

// NewWeekly starts the series of cycle.
func NewWeekly(cycle string, fromHistory bool) *Weekly {
	return &Weekly{Version: Version, Cycle: cycle, Weeks: []Week{}, Objectives: []ObjectiveRef{}, FromHistory: fromHistory, titles: map[string]string{}}
}

// Add appends the week ending on day, computed from ws (the files in force
// then, from commit) as of day: check-ins up to day, pace as of day.
func (w *Weekly) Add(ws *model.Workspace, cycle *model.Cycle, day model.Date, commit string) {
	if c := ws.Cycle(cycle.ID); c != nil {
		cycle = c
	}
	r := report.Build(ws, cycle, day)
	wk := Week{Date: day.String(), Commit: commit, Scores: map[string]*float64{}, Counts: r.Counts}
	wk.AverageScore = r.AverageScore
	if ws.Settings.Display != "" {
		w.Display = ws.Settings.Display
	}
	for _, o := range r.Objectives {
		wk.Scores[o.ID] = o.Score
		w.titles[o.ID] = o.Title
	}
	w.Weeks = append(w.Weeks, wk)
	w.Objectives = w.Objectives[:0]
	for _, id := range slices.Sorted(maps.Keys(w.titles)) {
		w.Objectives = append(w.Objectives, ObjectiveRef{ID: id, Title: w.titles[id]})
	}
}

// Writer writes trends in one format.
type Writer interface {
	KeyResult(w io.Writer, s *KRSeries) error
	Weekly(w io.Writer, s *Weekly) error
}

// writers are the output formats, one file each.
var writers = format.New(map[string]Writer{"text": textWriter{}, "json": jsonWriter{}, "csv": csvWriter{}})

// Formats returns the format names, sorted.
func Formats() []string { return writers.Names() }

// NewWriter returns the writer of format name.
func NewWriter(name string) (Writer, error) { return writers.Get(name) }
