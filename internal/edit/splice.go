package edit

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Doc is one YAML file being edited: its bytes and the tree parsed from
// them. Every change splices new text into the bytes and parses them again,
// so the tree always matches the bytes and everything the change does not
// touch stays as it was, byte for byte.
type Doc struct {
	// Path names the file in error messages.
	Path string
	src  []byte
	root *yaml.Node // the document's top node
}

// Parse reads data as an editable document. It fails on a YAML syntax error
// or a document that is not a mapping.
func Parse(path string, data []byte) (*Doc, error) {
	d := &Doc{Path: path}
	if err := d.reset(data); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Doc) reset(data []byte) error {
	if line, name := oddLineBreak(data); line > 0 {
		return fmt.Errorf("%s:%d: %w: %s", d.Path, line, ErrLineBreak, name)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", d.Path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return fmt.Errorf("%s: the file is not a YAML mapping", d.Path)
	}
	d.src, d.root = data, doc.Content[0]
	return nil
}

// Bytes returns the document's current bytes.
func (d *Doc) Bytes() []byte { return d.src }

// Root returns the top mapping. It is replaced by every change: look nodes
// up again after one.
func (d *Doc) Root() *yaml.Node { return d.root }

// Get returns the value of key in mapping m, nil when absent.
func Get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Find returns the first mapping in seq whose key "id" is id, nil if none.
func Find(seq *yaml.Node, id string) *yaml.Node {
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	for _, it := range seq.Content {
		if v := Get(it, "id"); v != nil && v.Value == id {
			return it
		}
	}
	return nil
}

// ErrUnsupported is returned for a layout the splicer does not edit: an
// anchor, alias or tag on the edited node, a flow collection with a
// comment inside, a value that is not on its key's line. Flow collections
// that take new entries are rewritten in block style first (see blockify);
// the error is returned when even that cannot be done safely. `okr fmt`
// does not change such layouts: they are for a person to rewrite.
var ErrUnsupported = errors.New("layout not supported for editing")

// ErrLineBreak is returned by Parse for a file holding a line break other
// than "\n" and "\r\n": U+2028, U+2029, U+0085 or a lone "\r". YAML counts
// them as line breaks, so node positions would not match the lines the
// editor finds, and an edit could land in the wrong place.
var ErrLineBreak = errors.New("unusual line break")

// oddLineBreak returns the 1-based line (counting "\n" only) and a name of
// the first line break in data that is neither "\n" nor "\r\n", or 0.
func oddLineBreak(data []byte) (line int, name string) {
	line = 1
	for i := 0; i < len(data); i++ {
		switch b := data[i]; {
		case b == '\n':
			line++
		case b == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
			return line, `a lone carriage return ("\r")`
		case b == 0xE2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9):
			if data[i+2] == 0xA8 {
				return line, "a line separator (U+2028)"
			}
			return line, "a paragraph separator (U+2029)"
		case b == 0xC2 && i+1 < len(data) && data[i+1] == 0x85:
			return line, "a next-line character (U+0085)"
		}
	}
	return 0, ""
}

// lines helpers. Line numbers are 1-based like yaml.Node's.

// lineStart returns the byte offset of line n (len(src) past the end).
func (d *Doc) lineStart(n int) int {
	off := 0
	for l := 1; l < n; l++ {
		i := bytes.IndexByte(d.src[off:], '\n')
		if i < 0 {
			return len(d.src)
		}
		off += i + 1
	}
	return off
}

// line returns line n without its newline.
func (d *Doc) line(n int) string {
	s := d.lineStart(n)
	if s >= len(d.src) {
		return ""
	}
	e := bytes.IndexByte(d.src[s:], '\n')
	if e < 0 {
		return string(d.src[s:])
	}
	return string(d.src[s : s+e])
}

func (d *Doc) lineCount() int {
	n := bytes.Count(d.src, []byte{'\n'})
	if len(d.src) > 0 && d.src[len(d.src)-1] != '\n' {
		n++
	}
	return n
}

// indentOf returns the indentation of a line and whether it is blank.
func indentOf(s string) (int, bool) {
	t := strings.TrimLeft(s, " ")
	return len(s) - len(t), strings.TrimSpace(t) == ""
}

// spanEnd returns the last line of the block that starts on line start and
// owns every following line indented more than indent (blank lines inside
// it included, blank lines after it not). With seqIndent >= 0, lines at
// exactly seqIndent that start a sequence item also belong (the items of an
// indentless sequence).
func (d *Doc) spanEnd(start, indent, seqIndent int) int {
	last, n := start, d.lineCount()
	for l := start + 1; l <= n; l++ {
		s := d.line(l)
		in, blank := indentOf(s)
		if blank {
			continue
		}
		if in > indent || (in == seqIndent && isItem(s[in:])) {
			last = l
			continue
		}
		break
	}
	return last
}

func isItem(s string) bool { return s == "-" || strings.HasPrefix(s, "- ") }

// itemIndent returns the column (0-based) of the "-" that introduces the
// sequence item n.
func (d *Doc) itemIndent(n *yaml.Node) (int, error) {
	s := d.line(n.Line)
	for c := n.Column - 2; c >= 0; c-- {
		if c < len(s) && s[c] == '-' {
			return c, nil
		}
		if c < len(s) && s[c] != ' ' {
			break
		}
	}
	return 0, fmt.Errorf("%s:%d: %w: sequence item not in block style", d.Path, n.Line, ErrUnsupported)
}

// splice replaces bytes [from, to) with text and parses the result.
func (d *Doc) splice(from, to int, text string) error {
	// A file written with CRLF line ends gets them on every new line too.
	if crlf(d.src) {
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
	}
	out := make([]byte, 0, len(d.src)+len(text))
	out = append(out, d.src[:from]...)
	out = append(out, text...)
	out = append(out, d.src[to:]...)
	old := d.src
	if err := d.reset(out); err != nil {
		d.src = old
		return fmt.Errorf("edit produced invalid YAML (a bug in okr, please report it): %w", err)
	}
	return nil
}

// crlf reports whether src ends its first line with "\r\n".
func crlf(src []byte) bool {
	i := bytes.IndexByte(src, '\n')
	return i > 0 && src[i-1] == '\r'
}

// insertLines inserts text (whole lines) before line n.
func (d *Doc) insertLines(n int, text string) error {
	at := d.lineStart(n)
	if at == len(d.src) && len(d.src) > 0 && d.src[len(d.src)-1] != '\n' {
		text = "\n" + text
	}
	return d.splice(at, at, text)
}

// render encodes v as block YAML with two-space indentation and indents
// every line by indent spaces.
func render(v *yaml.Node, indent int) (string, error) {
	var b bytes.Buffer
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(v); err != nil {
		return "", err
	}
	if err := e.Close(); err != nil {
		return "", err
	}
	pad := strings.Repeat(" ", indent)
	var out strings.Builder
	text := strings.TrimSuffix(b.String(), "\n")
	for _, l := range strings.Split(text, "\n") {
		if l != "" {
			out.WriteString(pad)
		}
		out.WriteString(l)
		out.WriteByte('\n')
	}
	return out.String(), nil
}

// keyIndent returns the indentation (0-based column) of mapping m's keys.
func keyIndent(m *yaml.Node) int {
	if len(m.Content) > 0 {
		return m.Content[0].Column - 1
	}
	return m.Column - 1
}

// mappingEnd returns the last line of block mapping m.
func (d *Doc) mappingEnd(m *yaml.Node) int {
	in := keyIndent(m)
	last := m.Line
	if len(m.Content) > 0 {
		last = m.Content[len(m.Content)-2].Line
	}
	return d.spanEnd(last, in, in)
}

// AppendKey adds key: value as the last entry of block mapping m. value is
// rendered in block style under the key.
func (d *Doc) AppendKey(m *yaml.Node, key string, value *yaml.Node) error {
	if m.Style&yaml.FlowStyle != 0 {
		return fmt.Errorf("%s:%d: %w: flow mapping", d.Path, m.Line, ErrUnsupported)
	}
	if Get(m, key) != nil {
		return fmt.Errorf("%s:%d: key %q already exists", d.Path, m.Line, key)
	}
	pair := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: key}, value}}
	text, err := render(pair, keyIndent(m))
	if err != nil {
		return err
	}
	return d.insertLines(d.mappingEnd(m)+1, text)
}

// SetScalar sets key in block mapping m to a scalar: it rewrites the value
// of an existing single-line scalar in place, or appends the key.
func (d *Doc) SetScalar(m *yaml.Node, key string, value *yaml.Node) error {
	old := Get(m, key)
	if old == nil {
		return d.AppendKey(m, key, value)
	}
	if old.Kind != yaml.ScalarNode || old.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || old.Anchor != "" {
		return fmt.Errorf("%s:%d: %w: the value of %q is not a one-line scalar", d.Path, old.Line, ErrUnsupported, key)
	}
	text, err := render(value, 0)
	if err != nil {
		return err
	}
	text = strings.TrimSuffix(text, "\n")
	if strings.Contains(text, "\n") {
		return fmt.Errorf("%s:%d: %w: a multi-line value for %q", d.Path, old.Line, ErrUnsupported, key)
	}
	start := d.lineStart(old.Line) + old.Column - 1
	end, err := d.scalarEnd(old, start)
	if err != nil {
		return err
	}
	return d.splice(start, end, text)
}

// scalarEnd finds where the one-line scalar starting at byte start ends:
// before a line comment or the end of the line.
func (d *Doc) scalarEnd(n *yaml.Node, start int) (int, error) {
	rest := d.src[start:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if i := quoteEnd(rest, 0, rest[0]); i < len(rest) {
			return start + i + 1, nil
		}
		return 0, fmt.Errorf("%s:%d: %w: a quoted value over several lines", d.Path, n.Line, ErrUnsupported)
	}
	end := len(rest)
	if i := bytes.Index(rest, []byte(" #")); i >= 0 {
		end = i
	}
	return start + len(bytes.TrimRight(rest[:end], " \t")), nil
}

// Insert adds item to the sequence under key in block mapping m, at index
// (len for the end). A missing key, or an empty flow sequence ("key: []"),
// becomes a block sequence holding the item. New items copy the
// indentation of the existing ones.
func (d *Doc) Insert(m *yaml.Node, key string, index int, item *yaml.Node) error {
	return d.atomically(func() error { return d.insert(m, key, index, item) })
}

func (d *Doc) insert(m *yaml.Node, key string, index int, item *yaml.Node) error {
	seq := Get(m, key)
	if seq == nil || (seq.Kind == yaml.ScalarNode && seq.Tag == "!!null") {
		if seq != nil {
			return d.replaceEmpty(m, key, seq, item)
		}
		return d.AppendKey(m, key, &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item}})
	}
	if seq.Kind != yaml.SequenceNode {
		return fmt.Errorf("%s:%d: %q is not a list", d.Path, seq.Line, key)
	}
	if len(seq.Content) == 0 {
		return d.replaceEmpty(m, key, seq, item)
	}
	if seq.Style&yaml.FlowStyle != 0 {
		// A flow list ([a, b]) becomes a block list first, its items
		// as they were written.
		path, ok := d.pathTo(m)
		if err := d.blockValue(m, key); err != nil {
			return err
		}
		if m = d.at(path, ok); m == nil {
			return fmt.Errorf("%s: %w: %q moved while it was rewritten", d.Path, ErrUnsupported, key)
		}
		seq = Get(m, key)
	}
	if index < 0 || index > len(seq.Content) {
		index = len(seq.Content)
	}
	dash, err := d.itemIndent(seq.Content[0])
	if err != nil {
		return err
	}
	text, err := render(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item}}, dash)
	if err != nil {
		return err
	}
	if index == len(seq.Content) {
		last := seq.Content[len(seq.Content)-1]
		return d.insertLines(d.spanEnd(last.Line, dash, -1)+1, text)
	}
	// Before item index, and before the comment lines that head it.
	at := seq.Content[index].Line
	for at > 1 {
		s := d.line(at - 1)
		in, blank := indentOf(s)
		if blank || in != dash || !strings.HasPrefix(s[in:], "#") {
			break
		}
		at--
	}
	return d.insertLines(at, text)
}

// replaceEmpty turns "key: []" or "key:" into a block list holding item.
func (d *Doc) replaceEmpty(m *yaml.Node, key string, val, item *yaml.Node) error {
	var k *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i+1] == val {
			k = m.Content[i]
		}
	}
	if k == nil || k.Line != val.Line && val.Tag != "!!null" {
		return fmt.Errorf("%s:%d: %w: %q", d.Path, val.Line, ErrUnsupported, key)
	}
	pair := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: key}, {Kind: yaml.SequenceNode, Content: []*yaml.Node{item}}}}
	text, err := render(pair, keyIndent(m))
	if err != nil {
		return err
	}
	// Replace the key's whole line, keeping a line comment after the value.
	start := d.lineStart(k.Line)
	line := d.line(k.Line)
	comment := ""
	if i := strings.Index(line, " #"); i >= 0 {
		comment = line[i:]
	}
	first, rest, _ := strings.Cut(text, "\n")
	// What stands before the key stays: its indent, and the "- " of a list
	// item when the key is the item's first.
	if c := k.Column - 1; c > 0 && c <= len(line) && strings.TrimLeft(line[:c], " -") == "" {
		first = line[:c] + strings.TrimLeft(first, " ")
	}
	text = first + comment + "\n" + rest
	end := start + len(line)
	if end < len(d.src) {
		end++
	}
	return d.splice(start, end, text)
}

// InsertAfter adds key: value to mapping m right after the entry of key
// after (at the end when m has no such key), so related fields stay
// together. A one-line flow mapping ({a: 1, b: 2}) gets the pair before
// its closing brace.
func (d *Doc) InsertAfter(m *yaml.Node, after, key string, value *yaml.Node) error {
	if Get(m, key) != nil {
		return d.SetScalar(m, key, value)
	}
	if m.Style&yaml.FlowStyle != 0 {
		return d.appendFlow(m, key, value)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != after || i+2 >= len(m.Content) {
			continue
		}
		pair := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: key}, value}}
		text, err := render(pair, keyIndent(m))
		if err != nil {
			return err
		}
		// After the entry's last line, before what follows it.
		in := keyIndent(m)
		at := d.spanEnd(m.Content[i].Line, in, in) + 1
		return d.insertLines(at, text)
	}
	return d.AppendKey(m, key, value)
}

// appendFlow adds a pair to a flow mapping written on one line.
func (d *Doc) appendFlow(m *yaml.Node, key string, value *yaml.Node) error {
	line := d.line(m.Line)
	end := strings.LastIndexByte(line, '}')
	last := m
	if len(m.Content) > 0 {
		last = m.Content[len(m.Content)-1]
	}
	if end < 0 || last.Line != m.Line || last.Kind != yaml.ScalarNode {
		return fmt.Errorf("%s:%d: %w: a flow mapping over several lines", d.Path, m.Line, ErrUnsupported)
	}
	v, err := render(value, 0)
	if err != nil {
		return err
	}
	v = strings.TrimSuffix(v, "\n")
	if strings.ContainsAny(v, "\n,{}[]") {
		return fmt.Errorf("%s:%d: %w: the value does not fit a flow mapping", d.Path, m.Line, ErrUnsupported)
	}
	sep := ", "
	if len(m.Content) == 0 {
		sep = ""
	}
	at := d.lineStart(m.Line) + len(strings.TrimRight(line[:end], " "))
	return d.splice(at, at, sep+key+": "+v)
}
