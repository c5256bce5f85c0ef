// Package diff compares two states of an okr workspace (or two saved
// reports) and writes the result for a pull-request comment (markdown), for
// programs (json) and for a terminal (text).
//
// It is pure: the dates each side is scored as of are passed in, nothing
// reads the clock or the disk, and the writers write only to the io.Writer
// they are given. Objectives and key results are matched by id, never by
// path, so a file moved with `git mv` is a move, not a removal and an
// addition. A key result moved to another objective is reported as removed
// from the one and added to the other.
package diff

import (
	"math"
	"slices"
	"strings"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
)

// Version is the version of the JSON diff shape. It changes only when a
// field is removed or changes meaning. 2: a goalpost's author is the
// org.yaml person's name when the commit author matches one (author_id and
// author_email added), and the working tree's goalposts no longer carry
// " (uncommitted)" in author (their commit is empty).
const Version = 2

// The kinds of change of an objective or key result.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Ref names one end of a comparison.
type Ref struct {
	// Label is what the side is called, e.g. "main", "working tree" or
	// "snapshot 2026-10-01".
	Label string `json:"label"`
	// Commit is the full commit hash, "" for the working tree or a report.
	Commit string `json:"commit,omitempty"`
	// Date is the day (YYYY-MM-DD) the side is scored as of.
	Date string `json:"date"`
}

// Options controls Compare.
type Options struct {
	// Base and Head name the two sides; an empty Date is filled from the
	// side's as-of date.
	Base, Head Ref
	// BaseAsOf and HeadAsOf are the days each side is scored as of. Goalposts
	// count as moved when the key result's cycle contains HeadAsOf.
	BaseAsOf, HeadAsOf model.Date
}

// Diff is the comparison of two workspaces or two reports.
type Diff struct {
	// Display is okr.yaml's display setting, how the text and Markdown
	// show scores (decimal 0.72, or percent 72%); JSON carries numbers.
	Display string `json:"-"`
	// Version is the shape version (the Version constant).
	Version int     `json:"version"`
	Base    Ref     `json:"base"`
	Head    Ref     `json:"head"`
	Summary Summary `json:"summary"`
	// Objectives holds the objectives that changed in some way, sorted by id.
	Objectives []ObjectiveChange `json:"objectives"`
	// Goalposts holds the key results whose goalposts moved, sorted by
	// objective, key result and field.
	Goalposts []Goalpost `json:"goalposts"`
}

// Summary counts what changed.
type Summary struct {
	ObjectivesAdded   int `json:"objectives_added"`
	ObjectivesRemoved int `json:"objectives_removed"`
	// ObjectivesChanged counts objectives present on both sides that
	// changed, including those that only moved.
	ObjectivesChanged int `json:"objectives_changed"`
	// ObjectivesMoved counts objectives whose file changed.
	ObjectivesMoved   int `json:"objectives_moved"`
	KeyResultsAdded   int `json:"key_results_added"`
	KeyResultsRemoved int `json:"key_results_removed"`
	KeyResultsChanged int `json:"key_results_changed"`
	// NewCheckins counts the check-ins in head that base does not have,
	// those of added key results included.
	NewCheckins int `json:"new_checkins"`
	// StatusChanges counts key results present on both sides whose status
	// differs.
	StatusChanges int `json:"status_changes"`
	Goalposts     int `json:"goalposts"`
}

// ObjectiveChange is how one objective changed.
type ObjectiveChange struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Change is "added", "removed" or "changed".
	Change string `json:"change"`
	Cycle  string `json:"cycle"`
	// OldFile and NewFile are the objective's file on each side ("" where
	// absent); they differ when the objective moved.
	OldFile string `json:"old_file"`
	NewFile string `json:"new_file"`
	// Fields are the changes of the objective's own fields. An added
	// objective lists every field it sets; a removed one lists none.
	Fields     []FieldChange     `json:"fields"`
	KeyResults []KeyResultChange `json:"key_results"`
	// OldScore and NewScore are the rollup scores on each side; nil where
	// the objective is absent or has nothing to score.
	OldScore *float64 `json:"old_score"`
	NewScore *float64 `json:"new_score"`
}

// Moved reports whether the objective is on both sides in different files.
func (o *ObjectiveChange) Moved() bool {
	return o.OldFile != "" && o.NewFile != "" && o.OldFile != o.NewFile
}

// KeyResultChange is how one key result changed.
type KeyResultChange struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Change is "added", "removed" or "changed".
	Change string `json:"change"`
	// Fields are the changes of the key result's fields (check-ins apart:
	// an existing check-in edited in place shows as a "checkins" field).
	// An added key result lists every field it sets; a removed one none.
	Fields []FieldChange `json:"fields"`
	// NewCheckins are the check-ins in head but not in base, in head's
	// order; RemovedCheckins those in base but not in head (a history
	// rewrite), in base's order. A removed key result lists none.
	NewCheckins     []Checkin `json:"new_checkins"`
	RemovedCheckins []Checkin `json:"removed_checkins"`
	// OldScore and NewScore are the key result's scores; nil where absent.
	OldScore *float64 `json:"old_score"`
	NewScore *float64 `json:"new_score"`
	// OldStatus and NewStatus are the statuses against the objective's
	// cycle; "" where absent or when the cycle is unknown.
	OldStatus string `json:"old_status"`
	NewStatus string `json:"new_status"`
	// OldValue and NewValue are the current values; nil before the first
	// check-in or where absent.
	OldValue *float64 `json:"old_value"`
	NewValue *float64 `json:"new_value"`
}

// Checkin is a check-in as a diff shows it.
type Checkin struct {
	Date  string  `json:"date"`
	Value float64 `json:"value"`
	// IsBool is set for a milestone's true/false value (Value 1 or 0).
	IsBool     bool     `json:"is_bool,omitempty"`
	Confidence *float64 `json:"confidence,omitempty"`
	Status     string   `json:"status,omitempty"`
	Note       string   `json:"note,omitempty"`
	Author     string   `json:"author,omitempty"`
}

// FieldChange is the change of one field. Values are rendered compactly:
// "" for absent, numbers without trailing zeros, lists as "[a, b]".
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Goalpost is a key result whose bar moved while its cycle ran.
type Goalpost struct {
	Objective string `json:"objective"`
	KeyResult string `json:"key_result"`
	Field     string `json:"field"`
	Old       string `json:"old"`
	New       string `json:"new"`
	// Reason says what moved, e.g. "target lowered from 2000000 to 1500000
	// (easier)".
	Reason string `json:"reason"`
	// File, Line and Column point at the changed field in the head file, or
	// at the key result when the field is gone.
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Commit, Author, AuthorID and AuthorEmail are filled by the caller
	// that knows the history. Commit is the full hash of the commit that
	// moved the goalpost, "" for the working tree. Author is who moved it
	// as a display name: the org.yaml person's name when the commit author
	// is a person (model.Workspace.PersonByGit), else the name git
	// recorded (the e-mail when there is none). AuthorID is that person's
	// id, AuthorEmail the git author e-mail.
	Commit      string `json:"commit,omitempty"`
	Author      string `json:"author,omitempty"`
	AuthorID    string `json:"author_id,omitempty"`
	AuthorEmail string `json:"author_email,omitempty"`
}

// side is one workspace being compared, with its scoring state.
type side struct {
	asOf   model.Date
	opts   score.Options
	rollup *score.Rollup
	objs   map[string]*model.Objective
	cycles map[string]*model.Cycle
}

func newSide(ws *model.Workspace, asOf model.Date) *side {
	s := &side{asOf: asOf, opts: score.FromSettings(ws.Settings), objs: objectivesByID(ws), cycles: map[string]*model.Cycle{}}
	s.rollup = s.opts.NewRollup(ws, asOf)
	for _, c := range ws.Cycles {
		if _, dup := s.cycles[c.ID]; !dup {
			s.cycles[c.ID] = c
		}
	}
	return s
}

// objectivesByID indexes ws's objectives by id; of duplicates (which
// validation reports) the first wins, as in scoring.
func objectivesByID(ws *model.Workspace) map[string]*model.Objective {
	m := make(map[string]*model.Objective, len(ws.Objectives))
	for _, o := range ws.Objectives {
		if _, dup := m[o.ID]; !dup {
			m[o.ID] = o
		}
	}
	return m
}

// kr returns the score, status and current value of kr of obj.
func (s *side) kr(obj *model.Objective, kr *model.KeyResult) (sc *float64, status string, value *float64) {
	st := s.opts.KeyResult(kr, s.asOf)
	v := st.Score
	sc = &v
	if st.Latest != nil {
		cur := st.Current
		value = &cur
		status = st.Latest.Status()
	}
	if c := s.cycles[obj.Cycle]; status == "" && c != nil {
		status, _ = s.opts.StatusOf(st, c, s.asOf)
	}
	return sc, status, value
}

func (s *side) objective(id string) *float64 {
	if v, ok := s.rollup.Objective(id); ok {
		return &v
	}
	return nil
}

// Compare compares two workspaces (models decoded by internal/load), each
// scored as of its own date. Either may be nil, meaning empty.
func Compare(base, head *model.Workspace, opts Options) *Diff {
	if base == nil {
		base = &model.Workspace{}
	}
	if head == nil {
		head = &model.Workspace{}
	}
	d := &Diff{Version: Version, Base: withDate(opts.Base, opts.BaseAsOf.String()), Head: withDate(opts.Head, opts.HeadAsOf.String())}
	bs, hs := newSide(base, opts.BaseAsOf), newSide(head, opts.HeadAsOf)
	for _, id := range unionIDs(bs.objs, hs.objs) {
		if oc, ok := compareObjective(bs, hs, bs.objs[id], hs.objs[id]); ok {
			d.Objectives = append(d.Objectives, oc)
		}
	}
	d.Goalposts = Goalposts(base, head, opts.HeadAsOf)
	d.Summary = summarize(d)
	d.Display = head.Settings.Display
	return d
}

func withDate(r Ref, date string) Ref {
	if r.Date == "" {
		r.Date = date
	}
	return r
}

// unionIDs returns the keys of a and b, sorted.
func unionIDs[V any](a, b map[string]V) []string {
	ids := make([]string, 0, len(a)+len(b))
	for id := range a {
		ids = append(ids, id)
	}
	for id := range b {
		if _, ok := a[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func changeOf(oldPresent, newPresent bool) string {
	switch {
	case !oldPresent:
		return Added
	case !newPresent:
		return Removed
	}
	return Changed
}

func compareObjective(bs, hs *side, old, new *model.Objective) (ObjectiveChange, bool) {
	either := new
	if either == nil {
		either = old
	}
	oc := ObjectiveChange{ID: either.ID, Title: either.Title, Cycle: either.Cycle, Change: changeOf(old != nil, new != nil)}
	if old != nil {
		oc.OldFile, oc.OldScore = old.File(), bs.objective(old.ID)
	}
	if new != nil {
		oc.NewFile, oc.NewScore = new.File(), hs.objective(new.ID)
		oc.Fields = appendObjectiveFields(nil, old, new)
	}
	var oldKRs, newKRs []*model.KeyResult
	if old != nil {
		oldKRs = old.KeyResults
	}
	if new != nil {
		newKRs = new.KeyResults
	}
	for _, p := range pairKeyResults(oldKRs, newKRs) {
		if kc, ok := compareKeyResult(bs, hs, old, new, p.old, p.new); ok {
			oc.KeyResults = append(oc.KeyResults, kc)
		}
	}
	changed := oc.Change != Changed || len(oc.Fields) > 0 || len(oc.KeyResults) > 0 ||
		!sameScore(oc.OldScore, oc.NewScore) || oc.OldFile != oc.NewFile
	return oc, changed
}

func compareKeyResult(bs, hs *side, oldObj, newObj *model.Objective, old, new *model.KeyResult) (KeyResultChange, bool) {
	either := new
	if either == nil {
		either = old
	}
	kc := KeyResultChange{ID: either.ID, Title: either.Title, Change: changeOf(old != nil, new != nil)}
	if old != nil {
		kc.OldScore, kc.OldStatus, kc.OldValue = bs.kr(oldObj, old)
	}
	if new != nil {
		kc.NewScore, kc.NewStatus, kc.NewValue = hs.kr(newObj, new)
		kc.Fields = appendKeyResultFields(nil, "", old, new, false)
		var oldCheckins []model.Checkin
		if old != nil {
			oldCheckins = old.Checkins
		}
		m := matchCheckins(oldCheckins, new.Checkins)
		for _, c := range m.removed {
			kc.RemovedCheckins = append(kc.RemovedCheckins, checkinOf(c))
		}
		for _, e := range m.edited {
			kc.Fields = append(kc.Fields, FieldChange{Field: "checkins", Old: checkinString(e[0]), New: checkinString(e[1])})
		}
		for _, c := range m.added {
			kc.NewCheckins = append(kc.NewCheckins, checkinOf(c))
		}
	}
	changed := kc.Change != Changed || len(kc.Fields) > 0 || len(kc.NewCheckins) > 0 || len(kc.RemovedCheckins) > 0 ||
		!sameScore(kc.OldScore, kc.NewScore) || kc.OldStatus != kc.NewStatus || !sameValue(kc.OldValue, kc.NewValue)
	return kc, changed
}

func checkinOf(c *model.Checkin) Checkin {
	return Checkin{Date: c.Date.String(), Value: c.Value, IsBool: c.IsBool(), Confidence: c.Confidence(), Status: c.Status(), Note: c.Note(), Author: c.Author()}
}

// scoreEpsilon is how far apart two scores must be to count as different,
// so that floating-point noise in a rollup is not a change.
const scoreEpsilon = 1e-9

func sameScore(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < scoreEpsilon
}

func sameValue(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// krPair is a key result on either side of a comparison.
type krPair struct{ old, new *model.KeyResult }

// pairKeyResults matches key results by id: the n-th key result with an id
// in old pairs with the n-th with that id in new. Pairs come in new's order,
// then the unmatched ones of old in old's order.
func pairKeyResults(old, new []*model.KeyResult) []krPair {
	out := make([]krPair, 0, max(len(old), len(new)))
	// Fast path: the same ids in the same order.
	if len(old) == len(new) {
		same := true
		for i := range old {
			if old[i].ID != new[i].ID {
				same = false
				break
			}
		}
		if same {
			for i := range old {
				out = append(out, krPair{old[i], new[i]})
			}
			return out
		}
	}
	byID := map[string][]int{}
	for i, k := range old {
		byID[k.ID] = append(byID[k.ID], i)
	}
	used := make([]bool, len(old))
	for _, k := range new {
		p := krPair{new: k}
		if q := byID[k.ID]; len(q) > 0 {
			p.old, used[q[0]] = old[q[0]], true
			byID[k.ID] = q[1:]
		}
		out = append(out, p)
	}
	for i, k := range old {
		if !used[i] {
			out = append(out, krPair{old: k})
		}
	}
	return out
}

func summarize(d *Diff) Summary {
	var s Summary
	for i := range d.Objectives {
		o := &d.Objectives[i]
		switch o.Change {
		case Added:
			s.ObjectivesAdded++
		case Removed:
			s.ObjectivesRemoved++
		default:
			s.ObjectivesChanged++
		}
		if o.Moved() {
			s.ObjectivesMoved++
		}
		for _, k := range o.KeyResults {
			switch k.Change {
			case Added:
				s.KeyResultsAdded++
			case Removed:
				s.KeyResultsRemoved++
			default:
				s.KeyResultsChanged++
				if k.OldStatus != k.NewStatus && k.OldStatus != "" && k.NewStatus != "" {
					s.StatusChanges++
				}
			}
			s.NewCheckins += len(k.NewCheckins)
		}
	}
	s.Goalposts = len(d.Goalposts)
	return s
}

// Empty reports whether the diff holds no change at all.
func (d *Diff) Empty() bool { return len(d.Objectives) == 0 && len(d.Goalposts) == 0 }

// describe names a ref for a message: its label, with the short commit.
func describe(r Ref) string {
	label := r.Label
	if label == "" {
		label = "?"
	}
	if c := short(r.Commit); c != "" {
		label += " (" + c + ")"
	}
	return label
}

// short returns the 7-character abbreviation of a commit hash.
func short(commit string) string {
	if len(commit) > 7 {
		return commit[:7]
	}
	return commit
}

// oneLine replaces line breaks with spaces.
var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
