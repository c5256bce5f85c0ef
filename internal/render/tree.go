package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/okrkit/okr/internal/numfmt"
	"github.com/okrkit/okr/internal/report"
)

// TreeFormats are the formats of `okr tree`.
var TreeFormats = []string{"dot", "mermaid", "text"}

// WriteTree prints t in format (text, mermaid or dot).
func WriteTree(w io.Writer, t *report.Tree, format string) error {
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
func treeMark(t *report.Tree, n report.TreeNode) string {
	if n.Cycle == t.Cycle {
		return ""
	}
	return cycleMark(n.Cycle)
}

func nodeLabel(n report.TreeNode, display string) string {
	s := n.Title
	if n.Score != nil {
		s += fmt.Sprintf(" (%s)", numfmt.Score(*n.Score, display))
	}
	return s
}

// treeText draws the map as an indented tree. Roots are objectives without
// a parent in the map; an objective with several parents appears under
// each, and the repeat says so instead of repeating its subtree.
func treeText(w *bufio.Writer, t *report.Tree) {
	nodes := map[string]report.TreeNode{}
	for _, n := range t.Nodes {
		nodes[n.ID] = n
	}
	kids := map[string][]report.TreeLink{}
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
				fmt.Fprintf(w, "%s%s%s  %s%s%s\n", prefix, branch, n.ID, nodeLabel(n, t.Display), weight, treeMark(t, n))
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
		fmt.Fprintf(w, "%s  %s%s\n", n.ID, nodeLabel(n, t.Display), treeMark(t, n))
		draw(n.ID, "", map[string]bool{n.ID: true})
	}
}

// mermaidText escapes a label for a quoted Mermaid node label.
var mermaidText = inertReplacer{strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " "), false}

// treeMermaid prints a Mermaid flowchart, which GitHub renders in Markdown
// inside a ```mermaid block. Node ids are n0, n1, ... so any objective id
// is safe.
func treeMermaid(w *bufio.Writer, t *report.Tree) {
	ids := map[string]string{}
	w.WriteString("flowchart TD\n")
	for i, n := range t.Nodes {
		ids[n.ID] = fmt.Sprintf("n%d", i)
		fmt.Fprintf(w, "  %s[\"%s<br/>%s\"]\n", ids[n.ID], mermaidText.Replace(n.ID), mermaidText.Replace(nodeLabel(n, t.Display)+treeMark(t, n)))
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
func treeDOT(w *bufio.Writer, t *report.Tree) {
	fmt.Fprintf(w, "digraph okr {\n  rankdir=TB;\n  node [shape=box];\n")
	for _, n := range t.Nodes {
		fmt.Fprintf(w, "  \"%s\" [label=\"%s\\n%s\"];\n", dotText.Replace(n.ID), dotText.Replace(n.ID), dotText.Replace(nodeLabel(n, t.Display)+treeMark(t, n)))
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
