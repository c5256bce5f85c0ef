package edit

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// A flow collection ({a: 1} or [a, b]) takes no new lines, so before an
// edit adds to one (a check-in to a key result written as a flow mapping,
// or to a flow list of check-ins) it is rewritten in block style, one
// entry per line, each entry's text as it was written. Only the lines of
// that collection change, and the result is checked to hold the same data
// and comments as before, or the edit is refused with ErrUnsupported.

// blockValue rewrites the value of key in block mapping m in block style
// when it is a flow collection. m and the nodes under it are stale after
// a rewrite: look them up again.
func (d *Doc) blockValue(m *yaml.Node, key string) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Value != key || !isFlow(v) {
			continue
		}
		if m.Style&yaml.FlowStyle != 0 || k.Line != v.Line {
			return fmt.Errorf("%s:%d: %w: %q is a flow collection okr cannot rewrite", d.Path, v.Line, ErrUnsupported, key)
		}
		return d.blockify(v, k.Column-1, false)
	}
	return nil
}

// blockItem rewrites item i of block sequence seq in block style when it
// is a flow collection.
func (d *Doc) blockItem(seq *yaml.Node, i int) error {
	it := seq.Content[i]
	if !isFlow(it) {
		return nil
	}
	dash, err := d.itemIndent(it)
	if err != nil {
		return err
	}
	return d.blockify(it, dash, true)
}

func isFlow(n *yaml.Node) bool {
	return (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle != 0
}

// offset returns the byte offset of the node position (line, col); col
// counts characters, as yaml.Node's Column does.
func (d *Doc) offset(line, col int) int {
	start := d.lineStart(line)
	s := d.line(line)
	i := 0
	for c := 1; c < col && i < len(s); c++ {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return start + i
}

// blockify rewrites flow collection n in block style. With item, n is a
// sequence item whose "-" is at column indent; else n is the value of a
// key at column indent, on the key's line. Entries go at indent+2.
func (d *Doc) blockify(n *yaml.Node, indent int, item bool) error {
	unsupported := func(why string) error {
		return fmt.Errorf("%s:%d: %w: a flow collection %s", d.Path, n.Line, ErrUnsupported, why)
	}
	// Where each entry starts, and where quoted scalars start (their
	// text may hold brackets and commas).
	var starts []int
	quoted := map[int]byte{}
	bad := ""
	var walk func(x *yaml.Node)
	walk = func(x *yaml.Node) {
		switch {
		case x.Kind == yaml.AliasNode || x.Anchor != "" || x.Style&yaml.TaggedStyle != 0:
			bad = "with an anchor, alias or tag"
		case x.Kind == yaml.ScalarNode && x.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
			q := byte('\'')
			if x.Style&yaml.DoubleQuotedStyle != 0 {
				q = '"'
			}
			quoted[d.offset(x.Line, x.Column)] = q
		}
		for _, c := range x.Content {
			walk(c)
		}
	}
	walk(n)
	if bad != "" {
		return unsupported(bad)
	}
	step := 1
	if n.Kind == yaml.MappingNode {
		step = 2
	}
	for i := 0; i < len(n.Content); i += step {
		starts = append(starts, d.offset(n.Content[i].Line, n.Content[i].Column))
	}
	if len(starts) == 0 {
		return unsupported("that is empty")
	}
	src := d.src
	open := d.offset(n.Line, n.Column)
	if open >= len(src) || (src[open] != '{' && src[open] != '[') {
		return unsupported("that okr cannot find in the file")
	}
	// Split the collection at its top-level commas.
	var entries []string
	depth, from, end := 0, open+1, -1
scan:
	for i := open; i < len(src); i++ {
		c := src[i]
		if q, ok := quoted[i]; ok {
			j := i + 1
			for ; j < len(src); j++ {
				if q == '"' && src[j] == '\\' {
					j++
					continue
				}
				if src[j] == q {
					if q == '\'' && j+1 < len(src) && src[j+1] == '\'' {
						j++
						continue
					}
					break
				}
			}
			i = j
			continue
		}
		switch c {
		case '#':
			if i > 0 && strings.ContainsRune(" \t\n\r", rune(src[i-1])) {
				return unsupported("with a comment inside")
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				entries = append(entries, string(src[from:i]))
				end = i + 1
				break scan
			}
		case ',':
			if depth == 1 {
				entries = append(entries, string(src[from:i]))
				from = i + 1
			}
		}
	}
	if end < 0 {
		return unsupported("that does not end")
	}
	// Entries as written, their starts checked against the parsed tree.
	var texts []string
	pos := open + 1
	for _, e := range entries {
		lead := len(e) - len(strings.TrimLeft(e, " \t\r\n"))
		t := strings.TrimSpace(e)
		if t != "" {
			if len(texts) >= len(starts) || pos+lead != starts[len(texts)] {
				return unsupported("okr cannot split into entries")
			}
			texts = append(texts, t)
		}
		pos += len(e) + 1
	}
	if len(texts) != len(starts) {
		return unsupported("okr cannot split into entries")
	}
	// The rest of the closing line: nothing, or a comment.
	lineEnd := end
	for lineEnd < len(src) && src[lineEnd] != '\n' {
		lineEnd++
	}
	rest := strings.TrimSpace(strings.TrimSuffix(string(src[end:lineEnd]), "\r"))
	if rest != "" && !strings.HasPrefix(rest, "#") {
		return unsupported("followed by more on its line")
	}
	if rest != "" {
		rest = " " + rest
	}
	prefix := ""
	if n.Kind == yaml.SequenceNode {
		prefix = "- "
	}
	pad := strings.Repeat(" ", indent+2)
	var b strings.Builder
	from = open
	if !item {
		// After "key:", the entries on the lines below.
		for from > 0 && (src[from-1] == ' ' || src[from-1] == '\t') {
			from--
		}
		if from == 0 || src[from-1] != ':' {
			return unsupported("not after its key")
		}
		b.WriteString(rest)
	}
	for i, t := range texts {
		if i == 1 && item && !strings.Contains(texts[0], "\n") {
			b.WriteString(rest) // "- first: entry # the comment"
			rest = ""
		}
		if i > 0 || !item {
			b.WriteString("\n" + pad)
		}
		b.WriteString(prefix)
		// Continuation lines of an entry go under it, two spaces in.
		lines := strings.Split(t, "\n")
		for j, l := range lines {
			if j > 0 {
				l = strings.TrimSpace(l)
				b.WriteString("\n")
				if l != "" {
					b.WriteString(pad + strings.Repeat(" ", len(prefix)+2))
				}
			}
			b.WriteString(strings.TrimRight(l, " \t\r"))
		}
	}
	if item {
		b.WriteString(rest)
	}
	old := d.src
	text := b.String()
	if crlf(old) {
		// CRLF on every new line, and on the last one, whose "\r" went
		// with the flow collection's line.
		text = strings.ReplaceAll(text, "\n", "\r\n")
		if lineEnd < len(old) && old[lineEnd] == '\n' && !strings.HasSuffix(text, "\r") {
			text += "\r"
		}
	}
	out := make([]byte, 0, len(old)+len(text))
	out = append(out, old[:from]...)
	out = append(out, text...)
	out = append(out, old[lineEnd:]...)
	if sameContent(old, out) != nil || d.reset(out) != nil {
		return unsupported("okr cannot rewrite in block style without changing what it holds")
	}
	return nil
}

// atomically runs change, and puts the document back as it was when
// change fails, so a refused edit leaves the bytes untouched even when it
// got part of the way (a flow collection rewritten, the insert refused).
func (d *Doc) atomically(change func() error) error {
	old := d.src
	err := change()
	if err != nil {
		if rerr := d.reset(old); rerr != nil {
			return rerr
		}
	}
	return err
}

// pathTo returns the Content indexes that lead from the root to n, so n
// can be found again after a change that keeps the tree's shape (as
// blockify does); false when n is not in the tree.
func (d *Doc) pathTo(n *yaml.Node) ([]int, bool) {
	var path []int
	var find func(x *yaml.Node) bool
	find = func(x *yaml.Node) bool {
		if x == n {
			return true
		}
		for i, c := range x.Content {
			path = append(path, i)
			if find(c) {
				return true
			}
			path = path[:len(path)-1]
		}
		return false
	}
	return path, find(d.root)
}

// at follows a path from pathTo, nil when the tree has no such node.
func (d *Doc) at(path []int, ok bool) *yaml.Node {
	if !ok {
		return nil
	}
	x := d.root
	for _, i := range path {
		if i >= len(x.Content) {
			return nil
		}
		x = x.Content[i]
	}
	return x
}
