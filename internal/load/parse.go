package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/okrkit/okr/internal/diag"
	"go.yaml.in/yaml/v3"
)

// Kind is the kind of an okr file, decided by its path in the workspace.
type Kind string

// File kinds; each has a JSON Schema of the same name in schema/.
const (
	KindWorkspace Kind = "workspace"
	KindOrg       Kind = "org"
	KindCycles    Kind = "cycles"
	KindObjective Kind = "objective"
)

// Document is one parsed file.
type Document struct {
	// Path is slash-separated and relative to the workspace root.
	Path string
	Kind Kind
	// Root is the top-level mapping node; nil when the file was refused, and
	// after Load unless Options.KeepTrees is set. Parse has checked it for duplicate keys, alias expansion and depth, so
	// walking it, aliases included, is bounded.
	Root *yaml.Node
}

// JSON returns Root converted to JSON types (map[string]any, []any, float64,
// int64, bool, string, nil): timestamps stay strings, keys are strings, and
// of duplicate keys the first wins. It is computed on each call (validation
// needs it only for files that fail the fast schema check); nil when the
// file was refused.
func (d *Document) JSON() map[string]any {
	if d.Root == nil {
		return nil
	}
	m, _ := toJSON(d.Root).(map[string]any)
	return m
}

var (
	lineRE          = regexp.MustCompile(`line (\d+)`)
	unknownAnchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// Parse checks and parses the bytes of one file. It never panics: anything it
// refuses comes back as diagnostics naming path, and the document then has
// no Root. Parse does not apply the size cap; the caller does, before reading.
func Parse(path string, kind Kind, data []byte) (*Document, []diag.Diagnostic) {
	return parse(path, kind, data, false, nil, DefaultMaxNodes)
}

// parse is Parse taking the tree's nodes from arena when it is not nil,
// refusing a file of more than maxNodes nodes. With owned, the caller
// never modifies data afterwards, and the tree's strings may share its
// bytes.
func parse(path string, kind Kind, data []byte, owned bool, arena *fastArena, maxNodes int) (*Document, []diag.Diagnostic) {
	doc := &Document{Path: path, Kind: kind}
	// Text the fast parser reads (printable, valid UTF-8, without the
	// breaks below) needs none of the checks that follow: one pass over
	// the bytes instead of four.
	ascii, textOK := fastTextOK(data)
	swapped := false
	if !textOK {
		if !utf8.Valid(data) {
			line, col := invalidUTF8Pos(data)
			return doc, []diag.Diagnostic{diag.New(path, line, col, diag.CodeNotUTF8, "file is not valid UTF-8 text (okr reads UTF-8 only)")}
		}
		if i := nonPrintable(data); i >= 0 {
			// yaml.v3 refuses these without a position; say where.
			r, _ := utf8.DecodeRune(data[i:])
			line, col := posOf(data, i)
			return doc, []diag.Diagnostic{diag.New(path, line, col, diag.CodeYAMLSyntax, "invalid YAML: control character %U is not allowed in YAML text", r)}
		}
		// yaml.v3 counts U+0085, U+2028 and U+2029 as line breaks, YAML
		// 1.2 and editors do not: parse with same-width stand-ins, so
		// lines and columns match what an editor shows, and put them back
		// afterwards.
		if data, swapped = swapBreaks(data); swapped {
			ascii, textOK = fastTextOK(data)
		}
	}
	// Nearly every okr file lies in the block-YAML subset parseFast reads,
	// about ten times faster than yaml.v3 and with an identical tree;
	// anything else, errors included, goes through yaml.v3.
	if maxNodes <= 0 {
		maxNodes = DefaultMaxNodes
	}
	var root yaml.Node
	var fast, over *yaml.Node
	ok := false
	if textOK {
		fast, ok, over = parseFastText(arena, data, ascii, owned, maxNodes+1)
	}
	if over != nil {
		return doc, []diag.Diagnostic{tooManyNodes(path, over, maxNodes)}
	}
	if ok {
		root = *fast
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&root); err != nil {
			if errors.Is(err, io.EOF) {
				return doc, []diag.Diagnostic{diag.New(path, 1, 1, diag.CodeNotMapping, "file is empty; expected a mapping of %s fields", kind)}
			}
			line := 1
			if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
				line, _ = strconv.Atoi(m[1])
			}
			msg := strings.TrimPrefix(err.Error(), "yaml: ")
			msg = strings.TrimPrefix(msg, fmt.Sprintf("line %d: ", line))
			col := 1
			if m := unknownAnchorRE.FindStringSubmatch(msg); m != nil {
				// yaml.v3 gives no position: point at the first use.
				if i := bytes.Index(data, []byte("*"+m[1])); i >= 0 {
					line, col = posOf(data, i)
				}
			}
			return doc, []diag.Diagnostic{diag.New(path, line, col, diag.CodeYAMLSyntax, "invalid YAML: %s", msg)}
		}
		var extra yaml.Node
		if err := dec.Decode(&extra); err == nil {
			return doc, []diag.Diagnostic{diag.New(path, extra.Line, extra.Column, diag.CodeYAMLSyntax, "file holds more than one YAML document; okr reads one per file")}
		} else if !errors.Is(err, io.EOF) {
			return doc, []diag.Diagnostic{diag.New(path, 1, 1, diag.CodeYAMLSyntax, "invalid YAML after the first document: %s", strings.TrimPrefix(err.Error(), "yaml: "))}
		}
	}
	top := &root
	if top.Kind == yaml.DocumentNode {
		if len(top.Content) == 0 {
			return doc, []diag.Diagnostic{diag.New(path, 1, 1, diag.CodeNotMapping, "file is empty; expected a mapping of %s fields", kind)}
		}
		top = top.Content[0]
	}
	for top.Kind == yaml.AliasNode && top.Alias != nil {
		top = top.Alias
	}
	if top.Kind != yaml.MappingNode {
		return doc, []diag.Diagnostic{diag.New(path, top.Line, top.Column, diag.CodeNotMapping, "top level is a %s; expected a mapping of %s fields", kindName(top), kind)}
	}
	c := scanner{path: path, budget: 2*len(data) + 1000, maxNodes: maxNodes}
	c.scan(top, 0, false)
	switch {
	case c.tooMany:
		return doc, append(c.diags, tooManyNodes(path, c.bombAt, maxNodes))
	case c.deep:
		return doc, append(c.diags, diag.New(path, c.bombAt.Line, c.bombAt.Column, diag.CodeTooManyNodes, "lists and mappings nest more than %d levels deep; refusing to check the file", maxDepth))
	case c.bomb:
		return doc, append(c.diags, diag.New(path, c.bombAt.Line, c.bombAt.Column, diag.CodeAliasBomb, "YAML aliases expand to more than %d nodes; refusing to expand them", 2*len(data)+1000))
	case c.complex != nil:
		return doc, append(c.diags, diag.New(path, c.complex.Line, c.complex.Column, diag.CodeYAMLSyntax, "a %s is used as a mapping key (a complex key); okr reads only plain text keys", kindName(resolve(c.complex))))
	}
	if swapped {
		unswapBreaks(top)
	}
	doc.Root = top
	return doc, c.diags
}

func tooManyNodes(path string, at *yaml.Node, maxNodes int) diag.Diagnostic {
	return diag.New(path, at.Line, at.Column, diag.CodeTooManyNodes, "file holds more than %d YAML nodes (keys, values and list items; limits.max_nodes in okr.yaml); refusing to check it", maxNodes)
}

// nonPrintable returns the offset of the first character YAML does not
// allow in a stream (C0 controls other than tab, LF and CR, DEL, C1
// controls other than NEL, surrogates, U+FFFE and U+FFFF), or -1.
func nonPrintable(data []byte) int {
	for i := 0; i < len(data); {
		c := data[i]
		if c < 0x80 {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if (r >= 0x80 && r <= 0x9f && r != 0x85) || r == 0xfffe || r == 0xffff {
			return i
		}
		i += size
	}
	return -1
}

// posOf returns the line and column of byte offset off, counting lines as
// YAML 1.2 does (LF, CR LF, lone CR) and columns in characters.
func posOf(data []byte, off int) (line, col int) {
	line, col = 1, 1
	for i := 0; i < off && i < len(data); {
		switch data[i] {
		case '\n':
			line, col = line+1, 1
			i++
			continue
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
				continue
			}
			line, col = line+1, 1
			i++
			continue
		}
		_, size := utf8.DecodeRune(data[i:])
		col++
		i += size
	}
	return line, col
}

// Stand-ins for the breaks yaml.v3 counts and YAML 1.2 does not, each of
// the same UTF-8 width as the character it replaces.
var breakSwaps = [][2]string{{"\u2028", "\ue028"}, {"\u2029", "\ue029"}, {"\u0085", "\u07ff"}}

// swapBreaks replaces U+2028, U+2029 and U+0085 in data with stand-ins;
// it leaves data alone if it holds none or already holds a stand-in.
func swapBreaks(data []byte) ([]byte, bool) {
	any := false
	for _, s := range breakSwaps {
		if bytes.Contains(data, []byte(s[1])) {
			return data, false
		}
		any = any || bytes.Contains(data, []byte(s[0]))
	}
	if !any {
		return data, false
	}
	for _, s := range breakSwaps {
		data = bytes.ReplaceAll(data, []byte(s[0]), []byte(s[1]))
	}
	return data, true
}

// unswapBreaks puts the characters swapBreaks replaced back into the
// tree's values and comments.
func unswapBreaks(n *yaml.Node) {
	seen := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node)
	back := func(s string) string {
		for _, sw := range breakSwaps {
			s = strings.ReplaceAll(s, sw[1], sw[0])
		}
		return s
	}
	walk = func(n *yaml.Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		n.Value, n.HeadComment, n.LineComment, n.FootComment = back(n.Value), back(n.HeadComment), back(n.LineComment), back(n.FootComment)
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "null"
		}
		return "scalar"
	}
	return "non-mapping"
}

func invalidUTF8Pos(data []byte) (line, col int) {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return posOf(data, i)
		}
		i += size
	}
	return posOf(data, len(data))
}

// scanner walks a yaml.Node tree the way a conversion to values would,
// aliases expanded, reporting duplicate keys and stopping when the walk
// passes budget nodes or maxDepth levels. It allocates nothing per node, so
// valid files pay little for the safety.
type scanner struct {
	path     string
	budget   int
	maxNodes int // nodes of the file itself, aliases not expanded
	nodes    int
	bomb     bool // alias expansion passed budget
	deep     bool // nesting passed maxDepth
	tooMany  bool // the file holds more than maxNodes nodes
	bombAt   *yaml.Node
	complex  *yaml.Node // the first key that is not a scalar
	diags    []diag.Diagnostic
}

// keyText is the text of a mapping key: an alias key stands for its
// anchor's value. ok is false for a key that is no scalar.
func keyText(k *yaml.Node) (string, bool) {
	for k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	return k.Value, k.Kind == yaml.ScalarNode
}

// coreTags are the explicit tags a file may use: the YAML core schema's.
var coreTags = map[string]bool{"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true, "!!timestamp": true, "!!seq": true, "!!map": true}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 200

// scan visits n; viaAlias is set below an alias, where duplicate keys were
// already reported at the anchor.
func (c *scanner) scan(n *yaml.Node, depth int, viaAlias bool) {
	if c.bomb || c.deep || c.tooMany {
		return
	}
	c.budget--
	if !viaAlias {
		if c.nodes++; c.nodes > c.maxNodes {
			c.tooMany, c.bombAt = true, n
			return
		}
	}
	switch {
	case depth > maxDepth:
		c.deep, c.bombAt = true, n
		return
	case c.budget < 0:
		c.bomb, c.bombAt = true, n
		return
	}
	if !viaAlias && n.Style&yaml.TaggedStyle != 0 && !coreTags[n.ShortTag()] {
		c.diags = append(c.diags, diag.New(c.path, n.Line, n.Column, diag.CodeSchema, "explicit tag %s is not allowed; okr reads only the YAML core tags (!!str, !!int, !!float, !!bool, !!null, !!timestamp, !!seq, !!map)", n.Tag))
	}
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, e := range n.Content {
			c.scan(e, depth+1, viaAlias)
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			c.scan(n.Alias, depth+1, true)
		}
	case yaml.MappingNode:
		// Small mappings (nearly all) compare keys pairwise; large ones use
		// a set, so a hostile file with many keys stays linear.
		var seen map[string]*yaml.Node
		if len(n.Content) > 32 {
			seen = make(map[string]*yaml.Node, len(n.Content)/2)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if c.bomb || c.deep || c.tooMany {
				return
			}
			k := n.Content[i]
			kv, scalar := keyText(k)
			if !scalar {
				if c.complex == nil {
					c.complex = k
				}
				// A complex key can hold anchors (and duplicates) of its own.
				c.scan(k, depth+1, viaAlias)
				continue
			}
			if k.Kind == yaml.AliasNode {
				c.scan(k, depth+1, viaAlias)
			} else if !viaAlias {
				if c.nodes++; c.nodes > c.maxNodes {
					c.tooMany, c.bombAt = true, k
					return
				}
			}
			var first *yaml.Node
			if seen != nil {
				if first = seen[kv]; first == nil {
					seen[kv] = k
				}
			} else {
				for j := 0; j < i; j += 2 {
					if jv, ok := keyText(n.Content[j]); ok && jv == kv {
						first = n.Content[j]
						break
					}
				}
			}
			if first != nil {
				if !viaAlias {
					c.diags = append(c.diags, diag.New(c.path, k.Line, k.Column, diag.CodeDuplicateKey, "key %q is already defined at line %d", kv, first.Line))
				}
				continue
			}
			c.scan(n.Content[i+1], depth+1, viaAlias)
		}
	}
}

// toJSON converts a scanned tree to JSON-typed values; see Document.JSON.
func toJSON(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return toJSON(n.Content[0])
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil
		}
		return toJSON(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, e := range n.Content {
			out[i] = toJSON(e)
		}
		return out
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, _ := keyText(n.Content[i])
			if _, dup := out[k]; !dup {
				out[k] = toJSON(n.Content[i+1])
			}
		}
		return out
	case yaml.ScalarNode:
		return Scalar(n)
	}
	return nil
}

// ScalarKind is the JSON type of a scalar value.
type ScalarKind uint8

// The JSON types a scalar node can have.
const (
	Null ScalarKind = iota
	Bool
	Int
	Float
	String
)

// ScalarValue is the JSON-typed value of a scalar node, without the
// allocation an interface value costs; Any converts it.
type ScalarValue struct {
	Kind ScalarKind
	Bool bool
	Int  int64
	// Float is set for Float, and also for Int (converted).
	Float float64
	Str   string
}

// Any returns v as nil, bool, int64, float64 or string.
func (v ScalarValue) Any() any {
	switch v.Kind {
	case Bool:
		return v.Bool
	case Int:
		return v.Int
	case Float:
		return v.Float
	case String:
		return v.Str
	}
	return nil
}

// Scalar returns the JSON-typed value of a scalar node: nil, bool, int64,
// float64 or string. Timestamps and every other tag stay strings.
func Scalar(n *yaml.Node) any { return ScalarOf(n).Any() }

// ScalarOf is Scalar without the interface: timestamps and every other tag
// stay strings.
func ScalarOf(n *yaml.Node) ScalarValue {
	switch n.ShortTag() {
	case "!!null":
		return ScalarValue{Kind: Null}
	case "!!bool":
		switch strings.ToLower(n.Value) {
		case "true", "yes", "on", "y":
			return ScalarValue{Kind: Bool, Bool: true}
		}
		return ScalarValue{Kind: Bool}
	case "!!int":
		s := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(s, 0, 64); err == nil {
			return ScalarValue{Kind: Int, Int: i, Float: float64(i)}
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return ScalarValue{Kind: Float, Float: f}
		}
	case "!!float":
		// .inf and .nan stay strings: they are no JSON numbers, and the
		// schema then rejects them where a number is expected.
		if f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return ScalarValue{Kind: Float, Float: f}
		}
	}
	return ScalarValue{Kind: String, Str: n.Value}
}
