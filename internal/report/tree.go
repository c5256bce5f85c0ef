package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/numfmt"
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

// TreeFormats are the formats of `okr tree`.
var TreeFormats = []string{"dot", "mermaid", "text"}

// WriteTree prints t in format (text, mermaid or dot).
func WriteTree(w io.Writer, t *Tree, format string) error {
	bw := bufio.NewWriter(w)
	switch format {
	case "text":
		treeText(bw, t)
	case "mermaid":
		treeMermaid(bw, t)
	case "dot":
		treeDOT(bw, t)
	default:
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(TreeFormats, ", "))
	}
	return bw.Flush()
}

// mark is " [CYCLE]" for a node of another cycle than the map's.
func (t *Tree) mark(n TreeNode) string {
	if n.Cycle == t.Cycle {
		return ""
	}
	return cycleMark(n.Cycle)
}

func (n TreeNode) label(display string) string {
	s := n.Title
	if n.Score != nil {
		s += fmt.Sprintf(" (%s)", numfmt.Score(*n.Score, display))
	}
	return s
}

// treeText draws the map as an indented tree. Roots are objectives without
// a parent in the map; an objective with several parents appears under
// each, and the repeat says so instead of repeating its subtree.
func treeText(w *bufio.Writer, t *Tree) {
	nodes := map[string]TreeNode{}
	for _, n := range t.Nodes {
		nodes[n.ID] = n
	}
	kids := map[string][]TreeLink{}
	hasParent := map[string]bool{}
	for _, l := range t.Links {
		kids[l.Parent] = append(kids[l.Parent], l)
		hasParent[l.Child] = true
	}
	drawn := map[string]bool{}
	var draw func(id, prefix string, path map[string]bool)
	draw = func(id, prefix string, path map[string]bool) {
		ks := kids[id]
		for i, l := range ks {
			branch, next := "├── ", "│   "
			if i == len(ks)-1 {
				branch, next = "└── ", "    "
			}
			n := nodes[l.Child]
			weight := ""
			if l.Weight != 1 {
				weight = fmt.Sprintf(" [link %s]", number(l.Weight))
			}
			switch {
			case path[n.ID]:
				fmt.Fprintf(w, "%s%s%s  %s (alignment loop)\n", prefix, branch, n.ID, n.Title)
			case drawn[n.ID]:
				fmt.Fprintf(w, "%s%s%s  %s%s (shown above)\n", prefix, branch, n.ID, n.Title, weight)
			default:
				drawn[n.ID] = true
				fmt.Fprintf(w, "%s%s%s  %s%s%s\n", prefix, branch, n.ID, n.label(t.Display), weight, t.mark(n))
				path[n.ID] = true
				draw(n.ID, prefix+next, path)
				delete(path, n.ID)
			}
		}
	}
	for _, n := range t.Nodes {
		if hasParent[n.ID] {
			continue
		}
		drawn[n.ID] = true
		fmt.Fprintf(w, "%s  %s%s\n", n.ID, n.label(t.Display), t.mark(n))
		draw(n.ID, "", map[string]bool{n.ID: true})
	}
}

// mermaidText escapes a label for a quoted Mermaid node label.
var mermaidText = inertReplacer{strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " "), false}

// treeMermaid prints a Mermaid flowchart, which GitHub renders in Markdown
// inside a ```mermaid block. Node ids are n0, n1, ... so any objective id
// is safe.
func treeMermaid(w *bufio.Writer, t *Tree) {
	ids := map[string]string{}
	w.WriteString("flowchart TD\n")
	for i, n := range t.Nodes {
		ids[n.ID] = fmt.Sprintf("n%d", i)
		fmt.Fprintf(w, "  %s[\"%s<br/>%s\"]\n", ids[n.ID], mermaidText.Replace(n.ID), mermaidText.Replace(n.label(t.Display)+t.mark(n)))
	}
	for _, l := range t.Links {
		if l.Weight != 1 {
			fmt.Fprintf(w, "  %s -->|%s| %s\n", ids[l.Parent], number(l.Weight), ids[l.Child])
		} else {
			fmt.Fprintf(w, "  %s --> %s\n", ids[l.Parent], ids[l.Child])
		}
	}
}

// dotText escapes a Graphviz quoted string.
var dotText = inertReplacer{strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " "), true}

// treeDOT prints a Graphviz digraph.
func treeDOT(w *bufio.Writer, t *Tree) {
	fmt.Fprintf(w, "digraph okr {\n  rankdir=TB;\n  node [shape=box];\n")
	for _, n := range t.Nodes {
		fmt.Fprintf(w, "  \"%s\" [label=\"%s\\n%s\"];\n", dotText.Replace(n.ID), dotText.Replace(n.ID), dotText.Replace(n.label(t.Display)+t.mark(n)))
	}
	for _, l := range t.Links {
		attr := ""
		if l.Weight != 1 {
			attr = fmt.Sprintf(" [label=\"%s\"]", number(l.Weight))
		}
		fmt.Fprintf(w, "  \"%s\" -> \"%s\"%s;\n", dotText.Replace(l.Parent), dotText.Replace(l.Child), attr)
	}
	w.WriteString("}\n")
}
