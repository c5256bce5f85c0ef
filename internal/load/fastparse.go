package load

// A fast parser for the block-YAML subset okr files are written in.
//
// parseFast builds the same *yaml.Node tree that yaml.v3's Decoder builds:
// for every node the same Kind, Style, Tag, Value, Line, Column and Content
// (recursively), with no Anchor or Alias. Comments are accepted and skipped
// but not recorded: HeadComment, LineComment and FootComment stay empty
// (okr never reads them). Whatever is outside the subset, or anything the
// parser is not sure about, makes it answer ok=false, and the caller then
// parses with yaml.v3, which also words the error messages. The fuzz test
// FuzzFastParse checks the promise: whenever parseFast says ok, yaml.v3
// decodes the same bytes, without error, into one document with an
// identical tree.
//
// The subset:
//
//   - The input is UTF-8 text with '\n' line breaks: no '\r', no tab, no
//     other control character, no byte order mark, and none of the
//     characters libyaml treats as line breaks or refuses (U+0085, U+2028,
//     U+2029, U+FEFF, U+FFFE, U+FFFF, C1 controls). Text outside ASCII is
//     fine anywhere a character is (columns count characters, as in yaml.v3).
//   - One document whose top level is a block mapping; no "---" or "..."
//     markers, no "%" directives.
//   - Block mappings whose keys are plain, on one line and identifier-like
//     (first a letter, digit, '_', '.', '$' or '/'; then also '-'), followed
//     directly by ':' and a space or the line end.
//   - Block sequences ("- item"), also "indentless" ones at the column of
//     their parent key, whose items are scalars, flow collections, block
//     scalars, mappings starting on the item's line ("- id: x" with the
//     following keys aligned under "id"), or block collections on the
//     following lines. Nested to any depth up to fastMaxDepth.
//   - Empty values ("key:" or "-" with nothing after them), which are null.
//   - Plain scalars on one line; they may hold spaces, ':' not followed by a
//     space, '#' not preceded by a space, and so on. They may not start
//     with an indicator character (except '-' followed by a non-space).
//   - Single- and double-quoted scalars on one line, with every escape
//     sequence libyaml knows except the escaped line break.
//   - Flow sequences and flow mappings on one line, not nested, holding plain
//     or quoted scalars: [a, b, "c d"], {objective: x, weight: 0.5}. Flow
//     mapping keys are identifier-like like block keys.
//   - Literal and folded block scalars ("|", "|-", "|+", ">", ">-", ">+";
//     no explicit indentation digit), ported line for line from libyaml.
//   - Comments on their own lines and at line ends (after a space), and
//     blank lines.
//
// Everything else falls back: anchors, aliases, tags, complex keys ("? "),
// quoted or long keys, multi-line plain or quoted scalars, nested or
// multi-line flow collections, compact nested sequences ("- - a"), a top
// level that is not a mapping, empty documents, and any structure whose
// indentation does not line up exactly.
//
// Scalar tags are resolved by fastResolve, a copy of yaml.v3's resolve
// (YAML 1.1 flavoured: 0777 is an int, 09 a float, 2026-10-05 a timestamp,
// "yes" a string) with a few fast paths for the common cases.
//
// Allocation: the source is copied into one string, and keys and most
// values are substrings of it; nodes and Content slices are carved from
// slabs.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"go.yaml.in/yaml/v3"
)

const (
	// fastMaxDepth bounds block nesting; deeper documents fall back.
	fastMaxDepth = 64
	// fastMaxKey bounds key length, far below libyaml's 1024-character
	// limit on simple keys.
	fastMaxKey = 128
)

// Resolved tags, as yaml.v3 writes them in Node.Tag.
const (
	tagNull      = "!!null"
	tagBool      = "!!bool"
	tagStr       = "!!str"
	tagInt       = "!!int"
	tagFloat     = "!!float"
	tagTimestamp = "!!timestamp"
	tagMerge     = "!!merge"
	tagSeq       = "!!seq"
	tagMap       = "!!map"
)

// parseFast parses data when it is entirely within the block-YAML subset okr
// files use, returning the document's tree exactly as yaml.v3's
// Decoder.Decode would (a DocumentNode whose Content[0] is the top mapping).
// ok is false for anything outside the subset or anything it is unsure of;
// the caller then uses yaml.v3, which also produces the error messages. It
// never panics.
func parseFast(data []byte) (doc *yaml.Node, ok bool) {
	doc, ok, _ = parseFastIn(nil, data, false, 0)
	return doc, ok
}

// errFastOverCap is the panic that stops a parse passing its node cap.
var errFastOverCap = errors.New("node cap passed")

// parseFastIn is parseFast taking nodes from arena when it is not nil.
// With limit > 0 it stops once the tree passes limit nodes (the document
// node counted), before building the rest: over is then the first node
// past the cap, positioned, and ok is false. With owned, the tree's
// strings share data's bytes instead of a copy: the caller never modifies
// data afterwards.
func parseFastIn(arena *fastArena, data []byte, owned bool, limit int) (doc *yaml.Node, ok bool, over *yaml.Node) {
	ascii, good := fastTextOK(data)
	if !good {
		return nil, false, nil
	}
	return parseFastText(arena, data, ascii, owned, limit)
}

// parseFastText is parseFastIn for data fastTextOK accepts, with the
// ascii it reported.
func parseFastText(arena *fastArena, data []byte, ascii, owned bool, limit int) (doc *yaml.Node, ok bool, over *yaml.Node) {
	if len(data) == 0 {
		return nil, false, nil
	}
	p := newFastParserText(arena, data, ascii, owned)
	p.limit = limit
	defer func() {
		if r := recover(); r != nil {
			doc, ok = nil, false
			if r == errFastOverCap {
				over = p.over
			}
		}
	}()
	doc, ok = p.document()
	return doc, ok, nil
}

// parseFastUnsafe is parseFast without the recover, so tests see panics.
func parseFastUnsafe(arena *fastArena, data []byte) (*yaml.Node, bool) {
	p, ok := newFastParser(arena, data, false)
	if !ok {
		return nil, false
	}
	return p.document()
}

func newFastParser(arena *fastArena, data []byte, owned bool) (*fastParser, bool) {
	ascii, ok := fastTextOK(data)
	if len(data) == 0 || !ok {
		return nil, false
	}
	return newFastParserText(arena, data, ascii, owned), true
}

// newFastParserText is newFastParser for non-empty data fastTextOK
// accepts, with the ascii it reported.
func newFastParserText(arena *fastArena, data []byte, ascii, owned bool) *fastParser {
	// Objective files have about 2.2 nodes per line (a key and its value,
	// and the collections).
	lines := bytes.Count(data, []byte{'\n'}) + 1
	src := unsafe.String(unsafe.SliceData(data), len(data))
	if !owned {
		src = string(data)
	}
	if arena != nil {
		// The arena's parser, with the stack (and scratch) its last
		// parse grew: a parser of its own for each file is garbage.
		p := &arena.parser
		*p = fastParser{src: src, line: 1, ascii: ascii, want: lines*9/4 + 8, arena: arena, stack: p.stack[:0], buf: p.buf[:0]}
		return p
	}
	p := &fastParser{src: src, line: 1, ascii: ascii, want: lines*9/4 + 8}
	p.ptrs = make([]*yaml.Node, 0, p.want)
	p.stack = make([]*yaml.Node, 0, 64)
	return p
}

// fastTextOK reports whether data holds only characters the parser knows
// how libyaml treats: printable ASCII, '\n', and UTF-8 encoded characters
// libyaml accepts as ordinary (non-break, non-BOM) printable characters;
// and whether all of it is ASCII.
func fastTextOK(data []byte) (ascii, ok bool) {
	ascii = true
	for i := 0; i < len(data); {
		// Eight bytes at a time while they are ASCII. Within an ASCII
		// word, adding 0x60 to each byte sets its high bit exactly when
		// the byte is at least ' ', adding 1 exactly when it is DEL, and
		// adding 0x7f to the word xor '\n' exactly when it is not a '\n';
		// no byte carries into the next.
		for i+8 <= len(data) {
			w := binary.LittleEndian.Uint64(data[i:])
			const ones, highs = 0x0101010101010101, 0x8080808080808080
			if w&highs != 0 {
				break
			}
			control := ^(w + 0x60*ones) & highs
			newline := ^((w ^ '\n'*ones) + 0x7f*ones) & highs
			del := (w + ones) & highs
			if control&^newline|del != 0 {
				return false, false
			}
			i += 8
		}
		if i >= len(data) {
			break
		}
		c := data[i]
		if c < utf8.RuneSelf {
			if (c < ' ' && c != '\n') || c == 0x7f {
				return false, false
			}
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return false, false
		}
		// Below 0xA0: C1 controls and NEL; U+2028 and U+2029 are line
		// breaks to libyaml; U+FEFF is a BOM; U+FFFE and U+FFFF are not
		// printable.
		if r < 0xA0 || r == 0x2028 || r == 0x2029 || r == 0xFEFF || r == 0xFFFE || r == 0xFFFF {
			return false, false
		}
		i += size
	}
	return ascii, true
}

// fastParser is a line-oriented recursive-descent parser. Between items it
// sits at the first non-space character of the next content line (one that
// is neither blank nor only a comment), with indent set to that line's
// indentation, or -1 at the end of the input.
type fastParser struct {
	src    string
	pos    int // byte offset of the next character
	line   int // 1-based line of pos
	lstart int // byte offset of the start of line
	indent int // indentation of the current content line; -1 at the end
	depth  int
	ascii  bool // src is all ASCII, so columns are byte offsets

	nodes []yaml.Node  // node slab
	want  int          // the size of the first node slab
	ptrs  []*yaml.Node // Content slab
	stack []*yaml.Node // children of the collections being parsed
	limit int          // most nodes to make; 0: no cap
	count int          // nodes made
	over  *yaml.Node   // the first node past limit
	buf   []byte       // scratch for escaped and block scalars
	// arena, when set, supplies nodes and Content slices instead of the
	// slabs above, for a caller that gives the tree back (fastArena).
	arena *fastArena
}

// fastArena is reusable memory for parse trees. A caller that drops a tree
// right after decoding it (the history walk parses tens of thousands of
// file versions) parses into an arena from arenas and releases it after
// the decode, so the nodes are reused instead of collected: less garbage,
// and fewer fresh pages for the process to fault in.
type fastArena struct {
	// parser is the parser of the arena's trees.
	parser fastParser
	slabs  [][]yaml.Node
	slab   int // index of the slab in use
	used   int // nodes used in slabs[slab]
	pslabs [][]*yaml.Node
	pslab  int
	pused  int
}

const arenaSlab = 1024

// maxPooledSlabs bounds the arenas kept for reuse (about 10 MB of nodes).
const maxPooledSlabs = 64

var arenas = sync.Pool{New: func() any { return new(fastArena) }}

func (a *fastArena) node() *yaml.Node {
	for {
		if a.slab == len(a.slabs) {
			a.slabs = append(a.slabs, make([]yaml.Node, arenaSlab))
		}
		if a.used < len(a.slabs[a.slab]) {
			a.used++
			return &a.slabs[a.slab][a.used-1]
		}
		a.slab, a.used = a.slab+1, 0
	}
}

func (a *fastArena) ptrs(n int) []*yaml.Node {
	for {
		if a.pslab == len(a.pslabs) {
			a.pslabs = append(a.pslabs, make([]*yaml.Node, max(n, arenaSlab)))
		}
		if s := a.pslabs[a.pslab]; a.pused+n <= len(s) {
			a.pused += n
			return s[a.pused-n : a.pused : a.pused]
		}
		a.pslab, a.pused = a.pslab+1, 0
	}
}

// release clears what the arena handed out (so no string or node stays
// reachable through it) and returns it to arenas. Nothing may use the
// tree afterwards.
func (a *fastArena) release() {
	if len(a.slabs) > maxPooledSlabs || len(a.pslabs) > maxPooledSlabs {
		// Grown by an unusually large file: let it go rather than keep
		// its memory for the rest of the run.
		return
	}
	for i := 0; i <= a.slab && i < len(a.slabs); i++ {
		n := len(a.slabs[i])
		if i == a.slab {
			n = a.used
		}
		clear(a.slabs[i][:n])
	}
	for i := 0; i <= a.pslab && i < len(a.pslabs); i++ {
		n := len(a.pslabs[i])
		if i == a.pslab {
			n = a.pused
		}
		clear(a.pslabs[i][:n])
	}
	a.slab, a.used, a.pslab, a.pused = 0, 0, 0, 0
	// Keep the parser's stack and scratch, not what they point to.
	stack, buf := a.parser.stack, a.parser.buf
	clear(stack[:cap(stack)])
	if cap(buf) > 64<<10 {
		buf = nil // grown by a large block scalar: not kept with the arena
	}
	a.parser = fastParser{stack: stack[:0], buf: buf[:0]}
	arenas.Put(a)
}

// node returns a new zero node from the slab: the first slab holds the
// estimated number of nodes, later ones 64 each. Slabs are never grown in
// place, so earlier nodes keep their addresses.
func (p *fastParser) node() *yaml.Node {
	if p.limit > 0 {
		// Nodes are made in document order, the order the loader's
		// scanner counts them in; the one past the cap gets its position
		// from its caller before the next call stops the parse.
		if p.over != nil {
			panic(errFastOverCap)
		}
		if p.count++; p.count > p.limit {
			n := p.newNode()
			p.over = n
			return n
		}
	}
	return p.newNode()
}

func (p *fastParser) newNode() *yaml.Node {
	if p.arena != nil {
		return p.arena.node()
	}
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]yaml.Node, 0, max(p.want, 64))
		p.want = 0
	}
	p.nodes = p.nodes[:len(p.nodes)+1]
	return &p.nodes[len(p.nodes)-1]
}

// take pops the children pushed since base into a Content slice of exactly
// their length (nil when there are none, as yaml.v3 leaves it).
func (p *fastParser) take(base int) []*yaml.Node {
	n := len(p.stack) - base
	if n == 0 {
		return nil
	}
	if p.arena != nil {
		out := p.arena.ptrs(n)
		copy(out, p.stack[base:])
		p.stack = p.stack[:base]
		return out
	}
	if cap(p.ptrs)-len(p.ptrs) < n {
		p.ptrs = make([]*yaml.Node, 0, max(n, 64+cap(p.ptrs)/2))
	}
	l := len(p.ptrs)
	p.ptrs = p.ptrs[:l+n]
	out := p.ptrs[l : l+n : l+n]
	copy(out, p.stack[base:])
	p.stack = p.stack[:base]
	return out
}

// col returns the 1-based column of byte offset i on the current line,
// counting characters as libyaml does.
func (p *fastParser) col(i int) int {
	n := i - p.lstart + 1
	if p.ascii {
		return n
	}
	for k := p.lstart; k < i; k++ {
		if p.src[k]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// scalar returns a plain scalar node with its tag resolved.
func (p *fastParser) scalar(value string, line, column int) *yaml.Node {
	n := p.node()
	n.Kind, n.Tag, n.Value, n.Line, n.Column = yaml.ScalarNode, fastResolve(value), value, line, column
	return n
}

// null returns the empty scalar yaml.v3 makes for a missing value.
func (p *fastParser) null(line, column int) *yaml.Node {
	n := p.node()
	n.Kind, n.Tag, n.Line, n.Column = yaml.ScalarNode, tagNull, line, column
	return n
}

// endLine checks that the rest of the line holds only spaces and perhaps a
// comment (after a space), and moves to the start of the next line.
func (p *fastParser) endLine() bool {
	s, i := p.src, p.pos
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i < len(s) && s[i] == '#' {
		if i == 0 || s[i-1] != ' ' {
			return false
		}
		if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
			i += j
		} else {
			i = len(s)
		}
	}
	if i < len(s) {
		if s[i] != '\n' {
			return false
		}
		i++
		p.line++
		p.lstart = i
	}
	p.pos = i
	return true
}

// skipToContent moves from the start of a line to the first character of
// the next content line, skipping blank and comment lines, and sets indent.
// It refuses document markers.
func (p *fastParser) skipToContent() bool {
	s := p.src
	for {
		i := p.pos
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			p.pos, p.indent = len(s), -1
			return true
		}
		switch s[i] {
		case '\n':
			p.pos = i + 1
			p.line++
			p.lstart = p.pos
			continue
		case '#':
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				p.pos, p.indent = len(s), -1
				return true
			}
			p.pos = i + j + 1
			p.line++
			p.lstart = p.pos
			continue
		}
		p.pos, p.indent = i, i-p.lstart
		if p.indent == 0 && i+3 <= len(s) && (s[i:i+3] == "---" || s[i:i+3] == "...") && fastBlankz(s, i+3) {
			return false
		}
		return true
	}
}

// fastBlankz reports whether s[i] is a space, a line break or the end.
func fastBlankz(s string, i int) bool {
	return i >= len(s) || s[i] == ' ' || s[i] == '\n'
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func isKeyStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '$' || c == '/'
}

func isKeyChar(c byte) bool { return isKeyStart(c) || c == '-' }

// keyEnd returns the offset of the ':' ending an identifier-like key that
// starts at i, or -1. The ':' must be followed by a space or line end when
// block is set, by a space otherwise.
func keyEnd(s string, i int, block bool) int {
	if i >= len(s) || !isKeyStart(s[i]) {
		return -1
	}
	j := i + 1
	for j < len(s) && isKeyChar(s[j]) {
		j++
	}
	if j >= len(s) || s[j] != ':' || j-i > fastMaxKey {
		return -1
	}
	if j+1 < len(s) && s[j+1] == ' ' || block && fastBlankz(s, j+1) {
		return j
	}
	return -1
}

// isSeqEntry reports whether the parser is at a block sequence entry: '-'
// followed by a space or line end.
func (p *fastParser) isSeqEntry() bool {
	return p.pos < len(p.src) && p.src[p.pos] == '-' && fastBlankz(p.src, p.pos+1)
}

func (p *fastParser) document() (*yaml.Node, bool) {
	if !p.skipToContent() || p.indent < 0 {
		return nil, false
	}
	doc := p.node()
	doc.Kind, doc.Line, doc.Column = yaml.DocumentNode, p.line, p.indent+1
	top, ok := p.mapping(p.indent)
	if !ok || p.indent >= 0 {
		return nil, false
	}
	p.stack = append(p.stack, top)
	doc.Content = p.take(0)
	return doc, true
}

// blockNode parses the block collection on the current content line, which
// is more indented than its parent.
func (p *fastParser) blockNode() (*yaml.Node, bool) {
	if p.isSeqEntry() {
		return p.sequence(p.indent)
	}
	return p.mapping(p.indent)
}

// mapping parses a block mapping whose first key is at p.pos, at the
// 0-based column col (the text before it on its line is ASCII), and whose
// other keys start lines indented by col.
func (p *fastParser) mapping(col int) (*yaml.Node, bool) {
	if p.depth >= fastMaxDepth {
		return nil, false
	}
	p.depth++
	m := p.node()
	m.Kind, m.Tag, m.Line, m.Column = yaml.MappingNode, tagMap, p.line, col+1
	base := len(p.stack)
	for {
		s := p.src
		j := keyEnd(s, p.pos, true)
		if j < 0 {
			return nil, false
		}
		key := p.scalar(s[p.pos:j], p.line, p.col(p.pos))
		p.pos = j + 1
		val, ok := p.mapValue(col)
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, key, val)
		if p.indent != col {
			break
		}
		if p.isSeqEntry() {
			// A sequence entry at the mapping's own column after a value.
			return nil, false
		}
	}
	if p.indent > col {
		return nil, false
	}
	m.Content = p.take(base)
	p.depth--
	return m, true
}

// mapValue parses the value after a key's ':' (at p.pos-1) in a mapping at
// column col.
func (p *fastParser) mapValue(col int) (*yaml.Node, bool) {
	s := p.src
	line, after := p.line, p.col(p.pos) // an empty value sits right after the ':'
	i := skipSpaces(s, p.pos)
	if i < len(s) && s[i] != '\n' && s[i] != '#' {
		p.pos = i
		return p.inline(col)
	}
	// Nothing (or a comment) after the ':': the value is on the following
	// lines, or empty. A '#' here follows a space, since keyEnd wants one.
	p.pos = i
	if !p.endLine() || !p.skipToContent() {
		return nil, false
	}
	switch {
	case p.indent > col:
		return p.blockNode()
	case p.indent == col && p.isSeqEntry():
		// An indentless sequence: "key:\n- a".
		return p.sequence(col)
	}
	return p.null(line, after), true
}

// sequence parses a block sequence whose entries start with '-' at the
// 0-based column col, the first at p.pos.
func (p *fastParser) sequence(col int) (*yaml.Node, bool) {
	if p.depth >= fastMaxDepth {
		return nil, false
	}
	p.depth++
	seq := p.node()
	seq.Kind, seq.Tag, seq.Line, seq.Column = yaml.SequenceNode, tagSeq, p.line, col+1
	base := len(p.stack)
	for {
		s := p.src
		line := p.line
		i := skipSpaces(s, p.pos+1)
		var item *yaml.Node
		var ok bool
		switch {
		case i >= len(s) || s[i] == '\n' || s[i] == '#':
			// An empty entry; its content, if any, is on the following
			// lines. A '#' here follows a space: p.pos+1 is a blank.
			p.pos = i
			if !p.endLine() || !p.skipToContent() {
				return nil, false
			}
			if p.indent > col {
				item, ok = p.blockNode()
			} else {
				// Empty: the null sits right after the '-'.
				item, ok = p.null(line, col+2), true
			}
		case s[i] == '-' && fastBlankz(s, i+1):
			return nil, false // "- - a"
		case keyEnd(s, i, true) >= 0:
			p.pos = i
			item, ok = p.mapping(i - p.lstart)
		default:
			p.pos = i
			item, ok = p.inline(col)
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, item)
		if p.indent != col || !p.isSeqEntry() {
			break
		}
	}
	if p.indent > col {
		return nil, false
	}
	seq.Content = p.take(base)
	p.depth--
	return seq, true
}

// inline parses a value that starts on the current line at p.pos, then the
// rest of the line, and moves to the next content line. parent is the
// column of the innermost block collection (libyaml's indent).
func (p *fastParser) inline(parent int) (*yaml.Node, bool) {
	var n *yaml.Node
	var ok bool
	switch p.src[p.pos] {
	case '|', '>':
		return p.blockScalar(parent)
	case '[':
		n, ok = p.flowSeq()
	case '{':
		n, ok = p.flowMap()
	case '"':
		n, ok = p.doubleQuoted()
	case '\'':
		n, ok = p.singleQuoted()
	default:
		n, ok = p.plain()
	}
	if !ok || !p.endLine() || !p.skipToContent() {
		return nil, false
	}
	return n, true
}

// plainStart reports whether c may start a plain scalar. '-' may too when
// followed by a non-blank; callers check that.
func plainStart(c byte) bool {
	switch c {
	case ' ', '\n', '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	return true
}

// plain parses a plain scalar in block context, which must end on its line:
// at the line end or before a comment, trailing spaces trimmed. A ": " in it
// would make it a key or an error, so it falls back.
func (p *fastParser) plain() (*yaml.Node, bool) {
	s, start := p.src, p.pos
	if !plainStart(s[start]) && (s[start] != '-' || fastBlankz(s, start+1)) {
		return nil, false
	}
	i, end := start, start
loop:
	for i < len(s) {
		if !plainSpecial[s[i]] {
			i++
			for i < len(s) && !plainSpecial[s[i]] {
				i++
			}
			end = i
			continue
		}
		switch s[i] {
		case '\n':
			break loop
		case ' ':
			i++
			continue
		case '#':
			if s[i-1] == ' ' {
				break loop
			}
		case ':':
			if fastBlankz(s, i+1) {
				return nil, false
			}
		}
		i++
		end = i
	}
	n := p.scalar(s[start:end], p.line, p.col(start))
	p.pos = end
	return n, true
}

// plainSpecial marks the characters plain looks at.
var plainSpecial = [256]bool{'\n': true, ' ': true, '#': true, ':': true}

// doubleQuoted parses a double-quoted scalar that ends on its line.
func (p *fastParser) doubleQuoted() (*yaml.Node, bool) {
	s, start := p.src, p.pos
	i := start + 1
	seg := i
	var b []byte
	escaped := false
	for {
		if i >= len(s) || s[i] == '\n' {
			return nil, false
		}
		c := s[i]
		if c == '"' {
			break
		}
		if c != '\\' {
			i++
			continue
		}
		if !escaped {
			b, escaped = p.buf[:0], true
		}
		b = append(b, s[seg:i]...)
		if i+1 >= len(s) {
			return nil, false
		}
		e := s[i+1]
		i += 2
		switch e {
		case '0':
			b = append(b, 0)
		case 'a':
			b = append(b, '\a')
		case 'b':
			b = append(b, '\b')
		case 't':
			b = append(b, '\t')
		case 'n':
			b = append(b, '\n')
		case 'v':
			b = append(b, '\v')
		case 'f':
			b = append(b, '\f')
		case 'r':
			b = append(b, '\r')
		case 'e':
			b = append(b, 0x1b)
		case ' ', '"', '\'', '\\':
			b = append(b, e)
		case 'N':
			b = append(b, "\u0085"...)
		case '_':
			b = append(b, "\u00a0"...)
		case 'L':
			b = append(b, "\u2028"...)
		case 'P':
			b = append(b, "\u2029"...)
		case 'x', 'u', 'U':
			n := 2
			if e == 'u' {
				n = 4
			} else if e == 'U' {
				n = 8
			}
			if i+n > len(s) {
				return nil, false
			}
			v := 0
			for _, h := range []byte(s[i : i+n]) {
				switch {
				case h >= '0' && h <= '9':
					v = v<<4 + int(h-'0')
				case h >= 'a' && h <= 'f':
					v = v<<4 + int(h-'a'+10)
				case h >= 'A' && h <= 'F':
					v = v<<4 + int(h-'A'+10)
				default:
					return nil, false
				}
			}
			if v >= 0xD800 && v <= 0xDFFF || v > 0x10FFFF {
				return nil, false // libyaml refuses these
			}
			b = utf8.AppendRune(b, rune(v))
			i += n
		default:
			return nil, false // unknown escape, or an escaped line break
		}
		seg = i
	}
	var v string
	if escaped {
		b = append(b, s[seg:i]...)
		v = string(b)
		p.buf = b[:0]
	} else {
		v = s[start+1 : i]
	}
	n := p.node()
	n.Kind, n.Style, n.Tag, n.Value, n.Line, n.Column = yaml.ScalarNode, yaml.DoubleQuotedStyle, tagStr, v, p.line, p.col(start)
	p.pos = i + 1
	return n, true
}

// singleQuoted parses a single-quoted scalar that ends on its line.
func (p *fastParser) singleQuoted() (*yaml.Node, bool) {
	s, start := p.src, p.pos
	i := start + 1
	seg := i
	var b []byte
	escaped := false
	for {
		if i >= len(s) || s[i] == '\n' {
			return nil, false
		}
		if s[i] != '\'' {
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			if !escaped {
				b, escaped = p.buf[:0], true
			}
			b = append(b, s[seg:i+1]...)
			i += 2
			seg = i
			continue
		}
		break
	}
	var v string
	if escaped {
		b = append(b, s[seg:i]...)
		v = string(b)
		p.buf = b[:0]
	} else {
		v = s[start+1 : i]
	}
	n := p.node()
	n.Kind, n.Style, n.Tag, n.Value, n.Line, n.Column = yaml.ScalarNode, yaml.SingleQuotedStyle, tagStr, v, p.line, p.col(start)
	p.pos = i + 1
	return n, true
}

// flowItem parses a scalar inside a flow collection at offset i and
// returns it with the offset after it (and any spaces).
func (p *fastParser) flowItem(i int) (*yaml.Node, int, bool) {
	s := p.src
	if i >= len(s) {
		return nil, 0, false
	}
	switch s[i] {
	case '"':
		p.pos = i
		n, ok := p.doubleQuoted()
		return n, p.pos, ok
	case '\'':
		p.pos = i
		n, ok := p.singleQuoted()
		return n, p.pos, ok
	}
	return p.flowPlain(i)
}

// flowPlain parses a plain scalar inside a flow collection, conservatively:
// it ends at ',', ']' or '}', and may not hold '[', '{', '?', a comment, or
// a ':' other than one followed by a letter, digit or '/' (as in URLs and
// times).
func (p *fastParser) flowPlain(i int) (*yaml.Node, int, bool) {
	s, start := p.src, i
	c := s[i]
	if c == '-' {
		if i+1 >= len(s) || !(isAlnum(s[i+1]) || s[i+1] == '.') {
			return nil, 0, false
		}
	} else if !plainStart(c) {
		return nil, 0, false
	}
	end := i
loop:
	for i < len(s) {
		switch s[i] {
		case '\n', ',', ']', '}':
			break loop
		case ' ':
			i++
			continue
		case '[', '{', '?':
			return nil, 0, false
		case '#':
			if s[i-1] == ' ' {
				return nil, 0, false
			}
		case ':':
			if i+1 >= len(s) || !(isAlnum(s[i+1]) || s[i+1] == '/') {
				return nil, 0, false
			}
		}
		i++
		end = i
	}
	return p.scalar(s[start:end], p.line, p.col(start)), i, true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// flowSeq parses a flow sequence of scalars that ends on its line.
func (p *fastParser) flowSeq() (*yaml.Node, bool) {
	return p.flowCollection(yaml.SequenceNode, tagSeq, ']', func(i int) (int, bool) {
		item, j, ok := p.flowItem(i)
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, item)
		return j, true
	})
}

// flowMap parses a flow mapping of identifier-like keys and scalar values
// that ends on its line.
func (p *fastParser) flowMap() (*yaml.Node, bool) {
	s := p.src
	return p.flowCollection(yaml.MappingNode, tagMap, '}', func(i int) (int, bool) {
		j := keyEnd(s, i, false)
		if j < 0 {
			return 0, false
		}
		key := p.scalar(s[i:j], p.line, p.col(i))
		i = skipSpaces(s, j+1)
		if i >= len(s) || s[i] == ',' || s[i] == '}' || s[i] == '\n' {
			return 0, false // an empty value
		}
		val, j, ok := p.flowItem(i)
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, key, val)
		return j, true
	})
}

// flowCollection parses a flow collection of kind and tag, closed by
// closer, that ends on its line: entry parses the entry at offset i,
// pushing its nodes onto the stack, and returns the offset after it.
func (p *fastParser) flowCollection(kind yaml.Kind, tag string, closer byte, entry func(i int) (int, bool)) (*yaml.Node, bool) {
	s := p.src
	n := p.node()
	n.Kind, n.Style, n.Tag, n.Line, n.Column = kind, yaml.FlowStyle, tag, p.line, p.col(p.pos)
	base := len(p.stack)
	i := skipSpaces(s, p.pos+1)
	if i < len(s) && s[i] == closer {
		p.pos = i + 1
		return n, true
	}
	for {
		j, ok := entry(i)
		if !ok {
			return nil, false
		}
		i = skipSpaces(s, j)
		if i >= len(s) {
			return nil, false
		}
		if s[i] == ',' {
			i = skipSpaces(s, i+1)
			if i >= len(s) || s[i] == closer {
				return nil, false // a trailing comma
			}
			continue
		}
		if s[i] != closer {
			return nil, false
		}
		break
	}
	n.Content = p.take(base)
	p.pos = i + 1
	return n, true
}

// blockScalar parses a literal or folded block scalar whose indicator is at
// p.pos. parent is the column of the innermost block collection, which
// libyaml uses as the least indentation of the content. The scanning is a
// port of libyaml's yaml_parser_scan_block_scalar and
// yaml_parser_scan_block_scalar_breaks, simplified for input whose only
// line break is '\n' and that has no tabs.
func (p *fastParser) blockScalar(parent int) (*yaml.Node, bool) {
	s, start := p.src, p.pos
	line, column := p.line, p.col(start)
	literal := s[start] == '|'
	i := start + 1
	chomp := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		chomp = -1
		if s[i] == '+' {
			chomp = 1
		}
		i++
	}
	if !fastBlankz(s, i) { // an indentation indicator, or junk
		return nil, false
	}
	p.pos = i
	if !p.endLine() {
		return nil, false
	}

	// From here, pos and col are libyaml's mark, breaks counts the line
	// breaks of trailing_breaks and lead those of leading_break (all '\n').
	pos, lineNo, col := p.pos, p.line, 0
	indent, breaks, lead := 0, 0, 0
	// scanBreaks eats indentation and empty lines, and settles indent.
	scanBreaks := func() {
		maxIndent := 0
		for {
			for (indent == 0 || col < indent) && pos < len(s) && s[pos] == ' ' {
				pos++
				col++
			}
			maxIndent = max(maxIndent, col)
			if pos >= len(s) || s[pos] != '\n' {
				break
			}
			pos++
			lineNo++
			col = 0
			breaks++
		}
		if indent == 0 {
			indent = max(maxIndent, parent+1, 1)
		}
	}
	scanBreaks()
	out := p.buf[:0]
	leadingBlank := false
	for col == indent && pos < len(s) {
		// At the start of a non-empty line.
		trailingBlank := s[pos] == ' '
		if !literal && !leadingBlank && !trailingBlank && lead > 0 {
			if breaks == 0 {
				out = append(out, ' ')
			}
		} else {
			out = appendBreaks(out, lead)
		}
		lead = 0
		out = appendBreaks(out, breaks)
		breaks = 0
		leadingBlank = s[pos] == ' '
		end := strings.IndexByte(s[pos:], '\n')
		if end < 0 {
			out = append(out, s[pos:]...)
			pos = len(s)
			break
		}
		out = append(out, s[pos:pos+end]...)
		pos += end + 1
		lineNo++
		col = 0
		lead = 1
		scanBreaks()
	}
	if chomp != -1 {
		out = appendBreaks(out, lead)
	}
	if chomp == 1 {
		out = appendBreaks(out, breaks)
	}
	n := p.node()
	n.Kind, n.Tag, n.Value, n.Line, n.Column = yaml.ScalarNode, tagStr, string(out), line, column
	n.Style = yaml.LiteralStyle
	if !literal {
		n.Style = yaml.FoldedStyle
	}
	p.buf = out[:0]

	// Continue at the line that ended the scalar: only its indentation has
	// been eaten, so it starts col bytes before pos.
	if pos >= len(s) {
		p.pos, p.indent = len(s), -1
		return n, true
	}
	p.pos, p.line, p.lstart = pos-col, lineNo, pos-col
	if !p.skipToContent() {
		return nil, false
	}
	return n, true
}

func appendBreaks(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, '\n')
	}
	return b
}

// fastResolve returns the tag yaml.v3 gives a plain scalar of value in: a
// copy of yaml.v3's resolve (resolve.go) for an untagged scalar, with fast
// paths that give the same answers for the most common values.
func fastResolve(in string) string {
	if in == "" {
		return tagNull
	}
	hint := resolveHint[in[0]]
	if hint == 0 {
		return tagStr
	}
	switch in {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return tagBool
	case "~", "null", "Null", "NULL":
		return tagNull
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return tagFloat
	case "<<":
		return tagMerge
	}
	switch hint {
	case 'M':
		return tagStr
	case '.':
		if _, err := strconv.ParseFloat(in, 64); err == nil {
			return tagFloat
		}
		return tagStr
	}
	// 'D' or 'S': an int, a float or a timestamp. First the fast paths:
	// a decimal integer without leading zeros that fits in an int64, and a
	// decimal fraction of digits (neither can be a timestamp).
	if digits, frac, ok := decimalShape(in); ok {
		if frac < 0 && digits <= 18 && (in[len(in)-digits] != '0' || digits == 1) {
			return tagInt
		}
		if frac > 0 && len(in) <= 24 {
			return tagFloat
		}
	}
	if fastTimestamp(in) {
		return tagTimestamp
	}
	plain := strings.ReplaceAll(in, "_", "")
	// strconv's integers (base 0) are made of these characters alone; for
	// other text (a cycle id such as "2026-q4") both would fail, each
	// making an error.
	if strings.Trim(plain, "+-0123456789abcdefABCDEFxXoObB") == "" {
		if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return tagInt
		}
		if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return tagInt
		}
	}
	if yamlStyleFloat(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return tagFloat
		}
	}
	if strings.HasPrefix(plain, "0b") {
		if _, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
			return tagInt
		}
		if _, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
			return tagInt
		}
	} else if strings.HasPrefix(plain, "-0b") {
		if _, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
			return tagInt
		}
	}
	if strings.HasPrefix(plain, "0o") {
		if _, err := strconv.ParseInt(plain[2:], 8, 64); err == nil {
			return tagInt
		}
		if _, err := strconv.ParseUint(plain[2:], 8, 64); err == nil {
			return tagInt
		}
	} else if strings.HasPrefix(plain, "-0o") {
		if _, err := strconv.ParseInt("-"+plain[3:], 8, 64); err == nil {
			return tagInt
		}
	}
	return tagStr
}

// resolveHint is yaml.v3's resolveTable: what the first character of a
// plain scalar says it may be.
var resolveHint = func() (t [256]byte) {
	t['+'], t['-'], t['.'], t['<'] = 'S', 'S', '.', 'M'
	for c := '0'; c <= '9'; c++ {
		t[c] = 'D'
	}
	for _, c := range "yYnNtTfFoO~" {
		t[c] = 'M'
	}
	return t
}()

// decimalShape matches in against [-+]?[0-9]+(\.[0-9]+)? and returns the
// number of digits before the '.' (or of the whole integer) and of the
// fraction (-1 when there is no '.').
func decimalShape(in string) (digits, frac int, ok bool) {
	i := 0
	if in[0] == '+' || in[0] == '-' {
		i++
	}
	j := i
	for j < len(in) && in[j] >= '0' && in[j] <= '9' {
		j++
	}
	if j == i {
		return 0, 0, false
	}
	if j == len(in) {
		return j - i, -1, true
	}
	if in[j] != '.' {
		return 0, 0, false
	}
	k := j + 1
	for k < len(in) && in[k] >= '0' && in[k] <= '9' {
		k++
	}
	if k != len(in) || k == j+1 {
		return 0, 0, false
	}
	return j - i, k - j - 1, true
}

// yamlStyleFloat matches yaml.v3's
// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ without a regexp.
func yamlStyleFloat(s string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// timestampFormats are yaml.v3's allowedTimestampFormats.
var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// fastTimestamp is yaml.v3's parseTimestamp, with a fast path for valid
// YYYY-MM-DD dates (which time.Parse accepts with the last format).
func fastTimestamp(s string) bool {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		n := func(a, b int) int {
			v := 0
			for k := a; k < b; k++ {
				if s[k] < '0' || s[k] > '9' {
					return -1
				}
				v = v*10 + int(s[k]-'0')
			}
			return v
		}
		y, m, d := n(0, 4), n(5, 7), n(8, 10)
		if y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(m, y) {
			return true
		}
	}
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	// Every format has a month of digits after the year's '-': text such
	// as a cycle id "2026-q4" is no timestamp, and time.Parse need not
	// make four errors to say so.
	if i+1 == len(s) || s[i+1] < '0' || s[i+1] > '9' {
		return false
	}
	for _, f := range timestampFormats {
		if _, err := time.Parse(f, s); err == nil {
			return true
		}
	}
	return false
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
