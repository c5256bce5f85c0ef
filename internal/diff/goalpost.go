package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/okrkit/okr/internal/model"
)

// Goalposts returns the key results whose goalposts moved between the old
// and new versions of a workspace while the key result's cycle was active
// on day (cycle.Start <= day <= cycle.End, the cycle being the one the
// objective names in new, looked up in new and then in old). A goalpost
// moved when:
//
//   - the type changed (then nothing else is checked for that key result);
//   - the start changed, was set or was removed;
//   - the target was made easier: lowered for increase, raised for decrease;
//   - the threshold was made easier: lowered for at_least, raised for at_most;
//   - a range was widened: low lowered or high raised;
//   - milestone steps were removed (renamed steps count as removed).
//
// Key results are matched by objective and key-result id; one moved to
// another objective is not compared. Changes that make a goal harder, and
// changes outside the cycle's dates, are not goalposts. Commit and Author
// are left empty for the caller. The result is sorted by objective, key
// result and field.
func Goalposts(old, new *model.Workspace, day model.Date) []Goalpost {
	if old == nil || new == nil {
		return nil
	}
	oldObjs, newObjs := objectivesByID(old), objectivesByID(new)
	cycles := map[string]*model.Cycle{}
	for _, ws := range [...]*model.Workspace{new, old} {
		for _, c := range ws.Cycles {
			if _, dup := cycles[c.ID]; !dup {
				cycles[c.ID] = c
			}
		}
	}
	var out []Goalpost
	for _, n := range new.Objectives {
		o := oldObjs[n.ID]
		if o == nil || newObjs[n.ID] != n {
			continue
		}
		if c := cycles[n.Cycle]; c == nil || !c.Contains(day) {
			continue
		}
		for _, p := range pairKeyResults(o.KeyResults, n.KeyResults) {
			if p.old != nil && p.new != nil {
				out = appendGoalposts(out, n.ID, p.old, p.new)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Goalpost) int {
		return cmp.Or(cmp.Compare(a.Objective, b.Objective), cmp.Compare(a.KeyResult, b.KeyResult), cmp.Compare(a.Field, b.Field))
	})
	return out
}

// appendGoalposts appends the goalposts moved between two versions of one
// key result of objective obj.
func appendGoalposts(out []Goalpost, obj string, o, n *model.KeyResult) []Goalpost {
	add := func(field, old, new, reason string) {
		pos := n.At(field)
		out = append(out, Goalpost{Objective: obj, KeyResult: n.ID, Field: field, Old: old, New: new, Reason: reason,
			File: n.File(), Line: pos.Line, Column: pos.Col})
	}
	if o.Type != n.Type && o.Type != "" && n.Type != "" {
		add("type", o.Type, n.Type, "type changed from "+o.Type+" to "+n.Type)
		return out
	}
	switch {
	case o.Start != nil && n.Start != nil && !sameFloat(*o.Start, *n.Start):
		add("start", number(*o.Start), number(*n.Start), "start changed from "+number(*o.Start)+" to "+number(*n.Start))
	case o.Start == nil && n.Start != nil:
		add("start", "", number(*n.Start), "start set to "+number(*n.Start))
	case o.Start != nil && n.Start == nil:
		add("start", number(*o.Start), "", "start removed (was "+number(*o.Start)+")")
	}
	// easier adds a goalpost when field moved in the easier direction: down
	// when lower is easier, else up.
	easier := func(field string, a, b *float64, lower bool, why string) {
		if a == nil || b == nil || (lower && !(*b < *a)) || (!lower && !(*b > *a)) {
			return
		}
		verb := "raised"
		if lower {
			verb = "lowered"
		}
		add(field, number(*a), number(*b), field+" "+verb+" from "+number(*a)+" to "+number(*b)+" ("+why+")")
	}
	switch n.Type {
	case model.Increase:
		easier("target", o.Target, n.Target, true, "easier")
	case model.Decrease:
		easier("target", o.Target, n.Target, false, "easier")
	case model.AtLeast:
		easier("threshold", o.Threshold, n.Threshold, true, "easier")
	case model.AtMost:
		easier("threshold", o.Threshold, n.Threshold, false, "easier")
	case model.Range:
		easier("high", o.High, n.High, false, "range widened")
		easier("low", o.Low, n.Low, true, "range widened")
	case model.Milestone:
		if gone := removedSteps(o.Steps, n.Steps); len(gone) > 0 {
			add("steps", listString(o.Steps), listString(n.Steps), "steps removed: "+strings.Join(gone, ", "))
		}
	}
	return out
}

// removedSteps returns the steps of old that new lacks, counting repeats.
func removedSteps(old, new []string) []string {
	left := map[string]int{}
	for _, s := range new {
		left[s]++
	}
	var gone []string
	for _, s := range old {
		if left[s] > 0 {
			left[s]--
			continue
		}
		gone = append(gone, s)
	}
	return gone
}

// GoalpostSteps attributes goalposts to the step of a history that moved
// them: Step records, for each step from one version to the next, the
// goalposts it moved and who made it; Credit then keeps, of a comparison's
// goalposts, those a step moved (a change made while the cycle was not
// running is planning, and a change undone before head is gone), credited
// to the last step that moved each. The zero value is ready to use.
type GoalpostSteps struct {
	moved map[string]Goalpost // objective/key result/field -> the last step's
}

// Step records the goalposts moved from prev to cur by a step made on day
// by author (name and e-mail as git recorded them) in commit ("" for the
// working tree).
func (s *GoalpostSteps) Step(prev, cur *model.Workspace, day model.Date, commit, name, email string) {
	for _, g := range Goalposts(prev, cur, day) {
		if s.moved == nil {
			s.moved = map[string]Goalpost{}
		}
		g.Commit, g.Author, g.AuthorEmail = commit, name, email
		s.moved[goalpostKey(g)] = g
	}
}

// Credit keeps the goalposts of d that a recorded step moved, with that
// step's commit and author (who turns the git name and e-mail into the
// display name and person id), and counts them in d's summary.
func (s *GoalpostSteps) Credit(d *Diff, who func(name, email string) (display, id string)) {
	kept := d.Goalposts[:0]
	for _, g := range d.Goalposts {
		if m, ok := s.moved[goalpostKey(g)]; ok {
			g.Commit, g.AuthorEmail = m.Commit, m.AuthorEmail
			g.Author, g.AuthorID = who(m.Author, m.AuthorEmail)
			kept = append(kept, g)
		}
	}
	d.Goalposts = kept
	d.Summary.Goalposts = len(kept)
}

func goalpostKey(g Goalpost) string { return g.Objective + "/" + g.KeyResult + "/" + g.Field }
