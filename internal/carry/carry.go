// Package carry moves unfinished work from one cycle to the next, the way
// hosted OKR tools "carry over" objectives: it plans which objectives and
// key results are unfinished at the end of a cycle, writes each one's
// continuation as a new objective file in the next cycle (start = the last
// value reached, no check-ins), and links old to new with carried_to and
// carried_from, editing the originals in place.
package carry

import (
	"bytes"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
	"go.yaml.in/yaml/v3"
)

// Item is one objective to carry, with the key results that go with it.
type Item struct {
	Objective *model.Objective
	// NewID is the continuation's id; File its workspace-relative path.
	NewID, File string
	KeyResults  []KR
	// Initiatives maps the ids of the initiatives that go along (not
	// done, serving no key result or a carried one) to their new ids.
	Initiatives map[string]string
	// Links says what becomes of each of the objective's alignments, in
	// the order written.
	Links []Link
	// Dues says what becomes of each due date that goes along (of a
	// carried key result or initiative), in file order.
	Dues []Due
}

// Link is what carrying does to one alignment of an objective. A carried
// objective aligns to the carried copy of its parent when the parent is
// carried too (or was carried before into the new cycle); else to the
// same parent when that parent's cycle contains the new cycle (a year
// objective); else the link is dropped (Parent ""), since a parent in
// another cycle would count the copy in its rollup (docs/scoring.md,
// "Alignment across cycles").
type Link struct {
	// Old is the parent the original aligns to; Parent what the copy
	// aligns to ("" when the link is dropped).
	Old, Parent string
	// Why says, in a few words, why the link became what it is.
	Why string
}

// Due is what carrying does to one due date: Old is the date in the
// original, New the copy's (zero when dropped). What names the key result
// or initiative ("kr ID" or "initiative ID", or the initiative's title when
// it has no id).
type Due struct {
	What     string
	Old, New model.Date
	// Clamped is set when a shifted date fell after the new cycle's end
	// and was moved back to it.
	Clamped bool
}

// Due-date policies (Options.Due).
const (
	// DueShift moves each due date by the distance between the two
	// cycles' starts, clamped into the new cycle. The default.
	DueShift = "shift"
	// DueDrop removes due dates from the copies.
	DueDrop = "drop"
	// DueKeep keeps them as they are (validation refuses a date outside
	// the new cycle).
	DueKeep = "keep"
)

// DuePolicies lists the values of Options.Due, the default first.
var DuePolicies = []string{DueShift, DueDrop, DueKeep}

// Options tune a plan.
type Options struct {
	// Due is what happens to the due dates of carried work: DueShift (the
	// default when empty), DueDrop or DueKeep.
	Due string
}

// KR is one unfinished key result and its continuation.
type KR struct {
	KeyResult *model.KeyResult
	NewID     string
	// Start is the new start: the last value reached (nil when the type
	// has no start).
	Start *float64
}

// Plan lists the objectives of cycle from that have an unfinished key
// result at the end of from (or at asOf, if earlier), and have not been
// carried yet. A key result is finished when its progress reached 1 or
// its latest check-in says done. New ids swap a trailing "-FROM" for
// "-TO", or append "-TO", made unique against the workspace. Each item's
// Links and Dues say what becomes of its alignments and due dates.
func Plan(ws *model.Workspace, from, to *model.Cycle, asOf model.Date, opts Options) *Result {
	p := &Result{}
	at := from.End
	if asOf.Before(at) {
		at = asOf
	}
	taken := map[string]bool{}
	files := map[string]bool{}
	for _, o := range ws.Objectives {
		taken[o.ID] = true
		files[o.File()] = true
		for _, kr := range o.KeyResults {
			taken[kr.ID] = true
		}
		for _, in := range o.Initiatives {
			taken[in.ID] = true
		}
	}
	var out []Item
	for _, o := range ws.Objectives {
		if o.Cycle != from.ID || o.CarriedTo != "" {
			continue
		}
		it := Item{Objective: o}
		for _, kr := range o.KeyResults {
			if kr.CarriedTo != "" || finished(kr, at) {
				continue
			}
			k := KR{KeyResult: kr, NewID: newID(kr.ID, from.ID, to.ID, taken)}
			if kr.Type == model.Increase || kr.Type == model.Decrease {
				v := 0.0
				if kr.Start != nil {
					v = *kr.Start
				}
				if c := score.Latest(kr, at); c != nil {
					v = c.Value
				}
				k.Start = &v
			}
			it.KeyResults = append(it.KeyResults, k)
		}
		if len(it.KeyResults) == 0 {
			continue
		}
		if !weighted(it.KeyResults) {
			// A copy of only zero-weight key results would have no score
			// (the rule zero-weights): they go along only with weighted
			// work. Say so rather than drop them silently.
			p.Skipped = append(p.Skipped, Skip{Objective: o, Why: "its unfinished key results all have weight 0"})
			continue
		}
		it.NewID = newID(o.ID, from.ID, to.ID, taken)
		carried := map[string]bool{}
		for _, k := range it.KeyResults {
			carried[k.KeyResult.ID] = true
		}
		it.Initiatives = map[string]string{}
		for _, in := range o.Initiatives {
			if in.ID != "" && in.Status != "done" && in.Status != "cancelled" && (in.KeyResult == "" || carried[in.KeyResult]) {
				it.Initiatives[in.ID] = newID(in.ID, from.ID, to.ID, taken)
			}
		}
		it.File = newFile(o.File(), it.NewID, from.ID, to.ID, files)
		it.Dues = dues(it, o, from, to, opts.Due)
		out = append(out, it)
	}
	copies := map[string]string{}
	for _, it := range out {
		copies[it.Objective.ID] = it.NewID
	}
	for i := range out {
		out[i].Links = links(ws, out[i].Objective, to, copies)
	}
	p.Items = out
	return p
}

// Result is a carry plan: the objectives to carry, and those with
// unfinished work that are not carried, with the reason.
type Result struct {
	Items   []Item
	Skipped []Skip
}

// Skip is an objective with unfinished work that a carry leaves where it is.
type Skip struct {
	Objective *model.Objective
	Why       string
}

// weighted reports whether any of krs has a positive weight.
func weighted(krs []KR) bool {
	for _, k := range krs {
		if k.KeyResult.Weight > 0 {
			return true
		}
	}
	return false
}

// links decides what each alignment of o becomes in its copy in cycle to.
func links(ws *model.Workspace, o *model.Objective, to *model.Cycle, copies map[string]string) []Link {
	byID := map[string]*model.Objective{}
	for _, p := range ws.Objectives {
		if _, dup := byID[p.ID]; !dup {
			byID[p.ID] = p
		}
	}
	var out []Link
	for _, a := range o.AlignsTo {
		l := Link{Old: a.Objective}
		p := byID[a.Objective]
		switch {
		case copies[a.Objective] != "":
			l.Parent, l.Why = copies[a.Objective], "its carried copy"
		case p != nil && p.CarriedTo != "" && byID[p.CarriedTo] != nil && byID[p.CarriedTo].Cycle == to.ID:
			l.Parent, l.Why = p.CarriedTo, "its copy carried before"
		case p != nil && ws.CycleWithin(to.ID, p.Cycle):
			l.Parent, l.Why = p.ID, "cycle "+p.Cycle+" contains "+to.ID
		case p == nil:
			l.Why = "no such objective"
		default:
			l.Why = "cycle " + p.Cycle + " does not contain " + to.ID
		}
		out = append(out, l)
	}
	return out
}

// dues decides what becomes of the due dates of the key results and
// initiatives that go along with it.
func dues(it Item, o *model.Objective, from, to *model.Cycle, policy string) []Due {
	var out []Due
	add := func(what string, d model.Date) {
		if d.IsZero() {
			return
		}
		out = append(out, moveDue(what, d, from, to, policy))
	}
	for _, k := range it.KeyResults {
		add("kr "+k.KeyResult.ID, k.KeyResult.Due)
	}
	for _, in := range o.Initiatives {
		if !goesAlong(it, in) {
			continue
		}
		what := "initiative " + in.ID
		if in.ID == "" {
			what = "initiative " + strconv.Quote(in.Title)
		}
		add(what, in.Due)
	}
	return out
}

// goesAlong reports whether initiative in is copied with it: not done or
// cancelled, serving no key result or a carried one, and, when it has an
// id, planned to go along.
func goesAlong(it Item, in *model.Initiative) bool {
	if in.Status == "done" || in.Status == "cancelled" {
		return false
	}
	if in.KeyResult != "" {
		ok := false
		for _, k := range it.KeyResults {
			ok = ok || k.KeyResult.ID == in.KeyResult
		}
		if !ok {
			return false
		}
	}
	return in.ID == "" || it.Initiatives[in.ID] != ""
}

// moveDue applies policy to due date d of what.
func moveDue(what string, d model.Date, from, to *model.Cycle, policy string) Due {
	u := Due{What: what, Old: d}
	switch policy {
	case DueDrop:
	case DueKeep:
		u.New = d
	default: // DueShift
		days := int(to.Start.Time().Sub(from.Start.Time()).Hours() / 24)
		n := model.DateOf(d.Time().AddDate(0, 0, days))
		if n.After(to.End) {
			n, u.Clamped = to.End, true
		}
		if n.Before(to.Start) {
			n, u.Clamped = to.Start, true
		}
		u.New = n
	}
	return u
}

func finished(kr *model.KeyResult, at model.Date) bool {
	c := score.Latest(kr, at)
	if c == nil {
		return false
	}
	if c.Status() == score.Done {
		return true
	}
	p, ok := score.RawProgress(kr, c.Value)
	return ok && p >= 1
}

func newID(id, from, to string, taken map[string]bool) string {
	base := strings.TrimSuffix(id, "-"+from) + "-" + to
	out := base
	for n := 2; taken[out]; n++ {
		out = fmt.Sprintf("%s-%d", base, n)
	}
	taken[out] = true
	return out
}

// newFile puts the continuation beside the original, or in a folder named
// after the new cycle when the original's folder is named after the old.
func newFile(old, id, from, to string, files map[string]bool) string {
	dir := path.Dir(old)
	if path.Base(dir) == from {
		dir = path.Join(path.Dir(dir), to)
	}
	p := path.Join(dir, id+".yaml")
	for n := 2; files[p]; n++ {
		p = path.Join(dir, fmt.Sprintf("%s-%d.yaml", id, n))
	}
	files[p] = true
	return p
}

// Apply carries it: given the original file's bytes, it returns the
// original with its links added and the new file's bytes. Everything else
// in the original stays byte-identical; the new file is a copy of the
// original's tree (comments included) in canonical layout, without
// check-ins, grades or finished work.
func Apply(it Item, to string, original []byte) (old, created []byte, err error) {
	d, err := edit.Parse(it.Objective.File(), original)
	if err != nil {
		return nil, nil, err
	}
	if err := d.InsertAfter(d.Root(), "cycle", "carried_to", edit.String(it.NewID)); err != nil {
		return nil, nil, err
	}
	for _, k := range it.KeyResults {
		m := d.FindKeyResult(k.KeyResult.ID)
		if m == nil {
			return nil, nil, fmt.Errorf("%s: no key result %q", it.Objective.File(), k.KeyResult.ID)
		}
		if err := d.InsertAfter(m, "title", "carried_to", edit.String(k.NewID)); err != nil {
			return nil, nil, err
		}
	}
	created, err = continuation(it, to, original)
	if err != nil {
		return nil, nil, err
	}
	return d.Bytes(), created, nil
}

// continuation builds the new objective file from the original's tree.
func continuation(it Item, to string, original []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(original, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", it.Objective.File(), err)
	}
	root := doc.Content[0]
	set(root, "id", edit.String(it.NewID))
	set(root, "cycle", edit.String(to))
	drop(root, "carried_to")
	insertAfter(root, "cycle", "carried_from", edit.String(it.Objective.ID))
	relink(root, it.Links)
	due := map[string]Due{}
	for _, u := range it.Dues {
		due[u.What] = u
	}
	newIDs := map[string]string{}
	for _, k := range it.KeyResults {
		newIDs[k.KeyResult.ID] = k.NewID
	}
	if krs := edit.Get(root, "key_results"); krs != nil {
		krs.Content = carriedKRs(it, krs.Content, newIDs, due)
	}
	if ins := edit.Get(root, "initiatives"); ins != nil {
		ins.Content = carriedInitiatives(it, ins.Content, newIDs, due)
		if len(ins.Content) == 0 {
			drop(root, "initiatives")
		}
	}
	var b bytes.Buffer
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(&doc); err != nil {
		return nil, err
	}
	if err := e.Close(); err != nil {
		return nil, err
	}
	return edit.Format(it.File, b.Bytes())
}

// carriedKRs are the key results of krs that it carries (those newIDs
// renames), each with its new id, its new start when it has one, its due
// date moved, and without check-ins, score or carried_to.
func carriedKRs(it Item, krs []*yaml.Node, newIDs map[string]string, due map[string]Due) []*yaml.Node {
	var keep []*yaml.Node
	for _, m := range krs {
		idNode := edit.Get(m, "id")
		if idNode == nil || newIDs[idNode.Value] == "" {
			continue
		}
		old := idNode.Value
		m.Style &^= yaml.FlowStyle
		set(m, "id", edit.String(newIDs[old]))
		for _, k := range it.KeyResults {
			if k.KeyResult.ID == old && k.Start != nil {
				set(m, "start", edit.Number(*k.Start))
			}
		}
		drop(m, "checkins")
		drop(m, "score")
		drop(m, "carried_to")
		redate(m, due["kr "+old])
		insertAfter(m, "title", "carried_from", edit.String(old))
		keep = append(keep, m)
	}
	return keep
}

// carriedInitiatives are the initiatives of ins that it carries: not done
// or cancelled, serving a carried key result (renamed) if any, renamed
// when it has an id, their due dates moved.
func carriedInitiatives(it Item, ins []*yaml.Node, newIDs map[string]string, due map[string]Due) []*yaml.Node {
	var keep []*yaml.Node
	for _, m := range ins {
		if s := edit.Get(m, "status"); s != nil && (s.Value == "done" || s.Value == "cancelled") {
			continue
		}
		if k := edit.Get(m, "key_result"); k != nil {
			if newIDs[k.Value] == "" {
				continue
			}
			set(m, "key_result", edit.String(newIDs[k.Value]))
		}
		what := ""
		if id := edit.Get(m, "id"); id != nil {
			if it.Initiatives[id.Value] == "" {
				continue
			}
			what = "initiative " + id.Value
			set(m, "id", edit.String(it.Initiatives[id.Value]))
		} else if t := edit.Get(m, "title"); t != nil {
			what = "initiative " + strconv.Quote(t.Value)
		}
		m.Style &^= yaml.FlowStyle
		redate(m, due[what])
		keep = append(keep, m)
	}
	return keep
}

// relink rewrites the copy's aligns_to as links say: each entry (a plain
// id or an {objective, weight} mapping) keeps its form with the new parent,
// or goes when its link is dropped; aligns_to goes when nothing is left.
func relink(root *yaml.Node, links []Link) {
	list := edit.Get(root, "aligns_to")
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	to := map[string]string{}
	for _, l := range links {
		to[l.Old] = l.Parent
	}
	var keep []*yaml.Node
	for _, n := range list.Content {
		idNode := n
		if n.Kind == yaml.MappingNode {
			idNode = edit.Get(n, "objective")
		}
		if idNode == nil || to[idNode.Value] == "" {
			continue
		}
		idNode.Value = to[idNode.Value]
		keep = append(keep, n)
	}
	list.Content = keep
	if len(keep) == 0 {
		drop(root, "aligns_to")
	}
}

// redate sets or drops a key result's or initiative's due date as u says
// (nothing when u is the zero Due: no date to move).
func redate(m *yaml.Node, u Due) {
	if u.Old.IsZero() {
		return
	}
	if u.New.IsZero() {
		drop(m, "due")
		return
	}
	n := edit.Scalar(u.New.String())
	set(m, "due", n)
}

func set(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v.LineComment = m.Content[i+1].LineComment
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, edit.Scalar(key), v)
}

func drop(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

func insertAfter(m *yaml.Node, after, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == after {
			pair := []*yaml.Node{edit.Scalar(key), v}
			m.Content = append(m.Content[:i+2], append(pair, m.Content[i+2:]...)...)
			return
		}
	}
	m.Content = append(m.Content, edit.Scalar(key), v)
}
