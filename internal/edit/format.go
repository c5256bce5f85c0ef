package edit

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrUnsafeFormat is returned by Format when the canonical layout would
// change what the file means or drop a comment; the file is then left as
// it is. It does not happen on files okr itself writes.
var ErrUnsafeFormat = errors.New("formatting would change the file's content")

// Format returns data in okr's canonical layout: two-space indentation at
// every level, sequences indented under their key, one space after "key:"
// and "-", no trailing whitespace, at most one blank line in a row, none
// at the start or end, and one final newline. It changes layout only:
// comments stay where they are (indented like the line they stand
// before), and quoting, flow collections, block scalars and key order are
// kept as written. Format is idempotent, and it checks its own work: the
// result must parse to the same data with the same comments, or it returns
// ErrUnsafeFormat.
func Format(path string, data []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	src := strings.Split(strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n"), "\n")
	f := &formatter{src: src, shift: map[int]int{}, verbatim: map[int]bool{}, rewrite: map[int]string{}, comment: map[int]string{}}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		f.visit(doc.Content[0], 0)
	}
	out := f.render()
	if err := sameContent(data, out); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrUnsafeFormat, err)
	}
	return out, nil
}

type formatter struct {
	src      []string       // lines, 0-based (line n is src[n-1])
	shift    map[int]int    // line -> indentation change, for lines a node starts
	verbatim map[int]bool   // block scalar content: trailing spaces kept
	rewrite  map[int]string // line -> its text with inner spacing fixed
	comment  map[int]string // line -> the line comment that ends it
}

func (f *formatter) text(n int) string {
	if n-1 < len(f.src) {
		return f.src[n-1]
	}
	return ""
}

// startsLine reports whether the node at (line, col) is the first thing on
// its line.
func (f *formatter) startsLine(line, col int) bool {
	in, blank := indentOf(f.text(line))
	return !blank && in == col-1
}

// visit lays out node n, which should start at column want (0-based) when
// it starts a line.
func (f *formatter) visit(n *yaml.Node, want int) {
	f.noteComment(n)
	switch n.Kind {
	case yaml.MappingNode:
		if n.Style&yaml.FlowStyle != 0 {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if f.startsLine(k.Line, k.Column) {
				f.shift[k.Line] = want - (k.Column - 1)
			}
			f.noteComment(k)
			f.noteComment(v)
			f.tightenKey(k, v)
			f.value(v, want, k.Line)
		}
	case yaml.SequenceNode:
		if n.Style&yaml.FlowStyle != 0 {
			return
		}
		for _, it := range n.Content {
			// Work on the line as already rewritten, where the item
			// starts moved bytes to the left of where it was parsed.
			line := f.rewriteOr(it.Line)
			col := it.Column - 1 - (len(f.text(it.Line)) - len(line))
			dash := -1
			for c := col - 1; c >= 0 && c < len(line); c-- {
				if line[c] == '-' {
					dash = c
					break
				}
				if line[c] != ' ' {
					break
				}
			}
			if dash < 0 {
				// "-" alone on its line, the item below it.
				f.value(it, want, it.Line-1)
				continue
			}
			if in, _ := indentOf(line); in == dash {
				f.shift[it.Line] = want - dash
			}
			if col > dash+2 {
				f.rewrite[it.Line] = line[:dash+1] + " " + line[col:]
			}
			f.noteComment(it)
			f.value(it, want, it.Line)
		}
	}
}

// value lays out v, the value of a key (or a sequence item) whose own line
// is owner and whose children go at column parent+2.
func (f *formatter) value(v *yaml.Node, parent, owner int) {
	switch {
	case v.Kind == yaml.ScalarNode && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		f.blockScalar(v, parent+2, owner)
	case v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode:
		// A collection whose first entry is on the owner's line: a mapping
		// opened on a "- " line, or a sequence in a sequence. (An anchor
		// or tag alone on that line puts the node there, not its entries:
		// those go below, at parent+2.) Flow collections are not laid out.
		if len(v.Content) > 0 && v.Content[0].Line == owner {
			col := v.Column
			if v.Kind == yaml.MappingNode {
				col = v.Content[0].Column // past an anchor or tag of the mapping
			}
			moved := len(f.text(owner)) - len(f.rewriteOr(owner))
			f.visit(v, col-1-moved+f.shift[owner])
			return
		}
		f.visit(v, parent+2)
	}
}

// noteComment records the line comment of a one-line scalar.
func (f *formatter) noteComment(n *yaml.Node) {
	if n.LineComment != "" && n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		f.comment[n.Line] = strings.TrimRight(n.LineComment, " \t")
	}
}

// tightenKey makes "key:   value" read "key: value".
func (f *formatter) tightenKey(k, v *yaml.Node) {
	if v.Line != k.Line || k.Style != 0 {
		return
	}
	line := f.rewriteOr(k.Line)
	start := k.Column - 1
	// A rewrite of a "-   key" line moved the key left.
	if r, ok := f.rewrite[k.Line]; ok {
		start -= len(f.text(k.Line)) - len(r)
	}
	end := start + len(k.Value)
	if end > len(line) || line[start:end] != k.Value || !strings.HasPrefix(line[end:], ":") {
		return
	}
	vs := end + 1
	for vs < len(line) && line[vs] == ' ' {
		vs++
	}
	if vs > end+2 && vs < len(line) {
		f.rewrite[k.Line] = line[:end] + ": " + line[vs:]
	}
}

func (f *formatter) rewriteOr(n int) string {
	if r, ok := f.rewrite[n]; ok {
		return r
	}
	return f.text(n)
}

// blockScalar indents the content of a literal or folded scalar at want,
// keeping its lines' relative indentation and their trailing spaces.
// owner is the line of its key or "-".
func (f *formatter) blockScalar(v *yaml.Node, want, owner int) {
	header := f.text(v.Line)
	explicit := strings.ContainsAny(header[min(v.Column-1, len(header)):], "123456789")
	headerIn := scalarParentIndent(header)
	if v.Line != owner {
		// The header alone on its line, below its key or "-": the
		// content goes past the key (or the "-"), not past the header.
		headerIn = ownerIndent(f.text(owner))
	}
	last := v.Line
	minIn := -1
	for l := v.Line + 1; l <= len(f.src); l++ {
		in, blank := indentOf(f.text(l))
		if blank {
			continue
		}
		if minIn < 0 {
			minIn = in // the first content line sets the indentation
		}
		if in <= headerIn || in < minIn {
			break
		}
		last = l
	}
	for l := v.Line + 1; l <= last; l++ {
		f.verbatim[l] = true
		if explicit {
			// The indicator fixes the content's indentation relative to
			// its parent: move it with the header's line.
			f.shift[l] = f.shift[v.Line]
		} else {
			f.shift[l] = want - minIn
		}
	}
}

// scalarParentIndent returns the indentation that a block scalar's content
// must go past, from the scalar's header line: the column of its key
// ("  - key: |" gives 4, not the line's 2), or of the "-" when the scalar
// is a sequence item itself ("  - |" gives 2). YAML ends the scalar at the
// first line not indented past it.
func scalarParentIndent(header string) int {
	p, dash := 0, -1
	for {
		for p < len(header) && header[p] == ' ' {
			p++
		}
		if p+1 < len(header) && header[p] == '-' && (header[p+1] == ' ' || header[p+1] == '\t') {
			dash = p
			p++
			continue
		}
		if p+1 == len(header) && header[p] == '-' {
			dash = p
			p++
			continue
		}
		break
	}
	if p < len(header) && (header[p] == '|' || header[p] == '>') && dash >= 0 {
		return dash
	}
	return p
}

// ownerIndent returns the indentation that a block scalar's content must go
// past when its header is on a line of its own below line: the column of
// the key on line ("  - key:" gives 4), or of the last "-" when line holds
// only dashes ("  -" gives 2).
func ownerIndent(line string) int {
	p, dash := 0, -1
	for {
		for p < len(line) && line[p] == ' ' {
			p++
		}
		if p < len(line) && line[p] == '-' && (p+1 == len(line) || line[p+1] == ' ' || line[p+1] == '\t') {
			dash = p
			p++
			continue
		}
		break
	}
	if p >= len(line) && dash >= 0 {
		return dash
	}
	return p
}

// render writes the lines with their new indentation.
func (f *formatter) render() []byte {
	var out bytes.Buffer
	blank := true // at the start, blank lines are dropped
	n := len(f.src)
	// origIn -> new indentation of the latest structural line at origIn.
	var stack []struct{ orig, now int }
	carry := 0 // the shift of the latest structural line, for continuations
	for l := 1; l <= n; l++ {
		line := f.rewriteOr(l)
		in, isBlank := indentOf(line)
		if isBlank && !f.verbatim[l] {
			if !blank {
				out.WriteByte('\n')
				blank = true
			}
			continue
		}
		d, structural := f.shift[l]
		trimmed := strings.TrimSpace(line)
		switch {
		case f.verbatim[l]:
		case structural:
			carry = d
			for len(stack) > 0 && stack[len(stack)-1].orig >= in {
				stack = stack[:len(stack)-1]
			}
			stack = append(stack, struct{ orig, now int }{in, in + d})
		case strings.HasPrefix(trimmed, "#"):
			d = f.commentShift(l, in, stack)
		default:
			d = carry
		}
		if !f.verbatim[l] {
			line = strings.TrimRight(line, " \t")
			// One space before a line comment.
			if c := f.comment[l]; c != "" && strings.HasSuffix(line, c) {
				if code := strings.TrimRight(line[:len(line)-len(c)], " \t"); len(code) > in {
					line = code + " " + c
				}
			}
		}
		newIn := max(in+d, 0)
		if isBlank {
			out.WriteString(strings.TrimLeft(line, " ")) // keeps spaces past the indentation
		} else {
			out.WriteString(strings.Repeat(" ", newIn))
			out.WriteString(line[in:])
		}
		out.WriteByte('\n')
		blank = false
	}
	b := out.Bytes()
	for bytes.HasSuffix(b, []byte("\n\n")) {
		b = b[:len(b)-1]
	}
	return b
}

// commentShift indents a comment line like the next structural line,
// unless that line closes the block the comment is in (it is less indented
// than the line before the comment): then like the innermost enclosing
// block at the comment's indentation.
func (f *formatter) commentShift(l, in int, stack []struct{ orig, now int }) int {
	prev := -1
	if len(stack) > 0 {
		prev = stack[len(stack)-1].orig
	}
	for m := l + 1; m <= len(f.src); m++ {
		d, ok := f.shift[m]
		if !ok || f.verbatim[m] {
			continue
		}
		if nin, _ := indentOf(f.text(m)); nin >= prev || nin >= in {
			return d + nin - in
		}
		break
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].orig <= in {
			return stack[i].now - stack[i].orig
		}
	}
	return -in
}

// sameContent checks that two versions of a file hold the same data and
// the same comments.
func sameContent(a, b []byte) error {
	var va, vb any
	if err := yaml.Unmarshal(a, &va); err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, &vb); err != nil {
		return fmt.Errorf("the result does not parse: %v", err)
	}
	if !reflect.DeepEqual(va, vb) {
		return errors.New("the data differs")
	}
	ca, cb := comments(a), comments(b)
	if !reflect.DeepEqual(ca, cb) {
		return errors.New("the comments differ")
	}
	return nil
}

// comments lists the comments of a file, sorted: the text after each "#"
// that yaml.v3 reads as a comment.
func comments(data []byte) []string {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return nil
	}
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
			for _, l := range strings.Split(c, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					out = append(out, l)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	sort.Strings(out)
	return out
}
