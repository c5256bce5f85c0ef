package report

import (
	"sort"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
)

// Tree is the alignment map of a cycle: its objectives, and the objectives
// of other cycles they align to, with the links between them.
type Tree struct {
	Cycle string
	// Display is okr.yaml's display setting for scores (numfmt.Score).
	Display string
	Nodes   []TreeNode // sorted by level, then id
	Links   []TreeLink // sorted by parent, then child
}

// TreeNode is one objective in the map.
type TreeNode struct {
	ID, Title, Level, Owner, Cycle string
	// Score is nil when the objective has nothing to score.
	Score *float64
}

// TreeLink is an alignment from Child to Parent with its link weight.
type TreeLink struct {
	Parent, Child string
	Weight        float64
}

// BuildTree returns the alignment map of cycle as of asOf: every objective
// of the cycle, the objectives of cycles within it aligned to them (a
// year's view shows its quarters' objectives under the year's), and the
// ancestors they align to in cycles containing theirs (a year's objective
// above its quarter's). Links across cycles that do not contain one
// another are left out, as they are of rollups (docs/scoring.md).
func BuildTree(ws *model.Workspace, cycle *model.Cycle, asOf model.Date) *Tree {
	return BuildTaggedTree(ws, cycle, asOf, "")
}

// BuildTaggedTree is BuildTree of the cycle's objectives that carry tag
// ("" for all), with the ancestors they align to for context: okr tree
// --tag.
func BuildTaggedTree(ws *model.Workspace, cycle *model.Cycle, asOf model.Date, tag string) *Tree {
	r := score.FromSettings(ws.Settings).NewRollup(ws, asOf)
	byID := map[string]*model.Objective{}
	for _, o := range ws.Objectives {
		if _, dup := byID[o.ID]; !dup {
			byID[o.ID] = o
		}
	}
	in := map[string]bool{}
	var add func(o *model.Objective)
	add = func(o *model.Objective) {
		if in[o.ID] {
			return
		}
		in[o.ID] = true
		for _, a := range o.AlignsTo {
			if p := byID[a.Objective]; p != nil && ws.CycleWithin(o.Cycle, p.Cycle) {
				add(p)
			}
		}
	}
	for _, o := range Members(ws, cycle) {
		if (Filter{Tag: tag}).Tagged(o) {
			add(o)
		}
	}
	t := &Tree{Cycle: cycle.ID, Display: ws.Settings.Display}
	for id := range in {
		o := byID[id]
		n := TreeNode{ID: o.ID, Title: o.Title, Level: o.Level, Owner: o.Owner, Cycle: o.Cycle}
		if s, ok := r.Objective(o.ID); ok {
			n.Score = &s
		}
		t.Nodes = append(t.Nodes, n)
		for _, a := range o.AlignsTo {
			if p := byID[a.Objective]; in[a.Objective] && p != nil && ws.CycleWithin(o.Cycle, p.Cycle) {
				t.Links = append(t.Links, TreeLink{Parent: a.Objective, Child: o.ID, Weight: a.Weight})
			}
		}
	}
	sort.Slice(t.Nodes, func(i, j int) bool {
		a, b := t.Nodes[i], t.Nodes[j]
		if la, lb := levelRank[a.Level], levelRank[b.Level]; la != lb {
			return la < lb
		}
		return a.ID < b.ID
	})
	sort.Slice(t.Links, func(i, j int) bool {
		a, b := t.Links[i], t.Links[j]
		if a.Parent != b.Parent {
			return a.Parent < b.Parent
		}
		return a.Child < b.Child
	})
	return t
}
