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
	starts, quoted, err := d.flowStarts(n)
	if err != nil {
		return err
	}
	open := d.offset(n.Line, n.Column)
	if open >= len(d.src) || (d.src[open] != '{' && d.src[open] != '[') {
		return d.flowErr(n, "that okr cannot find in the file")
	}
	entries, end, err := d.splitFlow(n, open, quoted)
	if err != nil {
		return err
	}
	texts, err := d.entryTexts(n, entries, open, starts)
	if err != nil {
		return err
	}
	rest, lineEnd, err := d.closingRest(n, end)
	if err != nil {
		return err
	}
	from := open
	if !item {
		// After "key:", the entries on the lines below.
		for from > 0 && (d.src[from-1] == ' ' || d.src[from-1] == '\t') {
			from--
		}
		if from == 0 || d.src[from-1] != ':' {
			return d.flowErr(n, "not after its key")
		}
	}
	prefix := ""
	if n.Kind == yaml.SequenceNode {
		prefix = "- "
	}
	text := blockText(texts, rest, prefix, strings.Repeat(" ", indent+2), item)
	old := d.src
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
		return d.flowErr(n, "okr cannot rewrite in block style without changing what it holds")
	}
	return nil
}

// flowErr is blockify's refusal of flow collection n, saying why.
func (d *Doc) flowErr(n *yaml.Node, why string) error {
	return fmt.Errorf("%s:%d: %w: a flow collection %s", d.Path, n.Line, ErrUnsupported, why)
}

// flowStarts returns where each entry of flow collection n starts, and
// where its quoted scalars start, with their quote (their text may hold
// brackets and commas).
func (d *Doc) flowStarts(n *yaml.Node) (starts []int, quoted map[int]byte, err error) {
	quoted = map[int]byte{}
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
		return nil, nil, d.flowErr(n, bad)
	}
	step := 1
	if n.Kind == yaml.MappingNode {
		step = 2
	}
	for i := 0; i < len(n.Content); i += step {
		starts = append(starts, d.offset(n.Content[i].Line, n.Content[i].Column))
	}
	if len(starts) == 0 {
		return nil, nil, d.flowErr(n, "that is empty")
	}
	return starts, quoted, nil
}

// splitFlow splits the flow collection of n, which opens at offset open,
// at its top-level commas, skipping the quoted scalars; end is the offset
// after its closing bracket.
func (d *Doc) splitFlow(n *yaml.Node, open int, quoted map[int]byte) (entries []string, end int, err error) {
	src := d.src
	depth, from := 0, open+1
	for i := open; i < len(src); i++ {
		if q, ok := quoted[i]; ok {
			i = quoteEnd(src, i, q)
			continue
		}
		switch src[i] {
		case '#':
			if i > 0 && strings.ContainsRune(" \t\n\r", rune(src[i-1])) {
				return nil, 0, d.flowErr(n, "with a comment inside")
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return append(entries, string(src[from:i])), i + 1, nil
			}
		case ',':
			if depth == 1 {
				entries = append(entries, string(src[from:i]))
				from = i + 1
			}
		}
	}
	return nil, 0, d.flowErr(n, "that does not end")
}

// quoteEnd returns the offset of the quote q closing the scalar quoted at
// offset i of src (len(src) when none does).
func quoteEnd(src []byte, i int, q byte) int {
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
	return j
}

// entryTexts returns the entries as written, trimmed, their starts checked
// against the parsed tree's.
func (d *Doc) entryTexts(n *yaml.Node, entries []string, open int, starts []int) ([]string, error) {
	var texts []string
	pos := open + 1
	for _, e := range entries {
		lead := len(e) - len(strings.TrimLeft(e, " \t\r\n"))
		t := strings.TrimSpace(e)
		if t != "" {
			if len(texts) >= len(starts) || pos+lead != starts[len(texts)] {
				return nil, d.flowErr(n, "okr cannot split into entries")
			}
			texts = append(texts, t)
		}
		pos += len(e) + 1
	}
	if len(texts) != len(starts) {
		return nil, d.flowErr(n, "okr cannot split into entries")
	}
	return texts, nil
}

// closingRest returns what follows the collection ending at offset end on
// its line, nothing or a comment (as " # ..."), and where the line ends.
func (d *Doc) closingRest(n *yaml.Node, end int) (rest string, lineEnd int, err error) {
	src := d.src
	lineEnd = end
	for lineEnd < len(src) && src[lineEnd] != '\n' {
		lineEnd++
	}
	rest = strings.TrimSpace(strings.TrimSuffix(string(src[end:lineEnd]), "\r"))
	if rest != "" && !strings.HasPrefix(rest, "#") {
		return "", 0, d.flowErr(n, "followed by more on its line")
	}
	if rest != "" {
		rest = " " + rest
	}
	return rest, lineEnd, nil
}

// blockText lays out entries texts in block style, each on a line of its
// own at pad (prefix "- " for a sequence), continuation lines two spaces
// further in. rest, the closing line's comment, goes after the key (or,
// for an item, after its first entry when that is one line, else at the
// end).
func blockText(texts []string, rest, prefix, pad string, item bool) string {
	var b strings.Builder
	if !item {
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
		for j, l := range strings.Split(t, "\n") {
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
	return b.String()
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
