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

var lineRE = regexp.MustCompile(`line (\d+)`)

// Parse checks and parses the bytes of one file. It never panics: anything it
// refuses comes back as diagnostics naming path, and the document then has
// no Root. Parse does not apply the size cap; the caller does, before reading.
func Parse(path string, kind Kind, data []byte) (*Document, []diag.Diagnostic) {
	return parse(path, kind, data, nil)
}

// parse is Parse taking the tree's nodes from arena when it is not nil.
func parse(path string, kind Kind, data []byte, arena *fastArena) (*Document, []diag.Diagnostic) {
	doc := &Document{Path: path, Kind: kind}
	if !utf8.Valid(data) {
		line, col := invalidUTF8Pos(data)
		return doc, []diag.Diagnostic{diag.New(path, line, col, diag.CodeNotUTF8, "file is not valid UTF-8 text (okr reads UTF-8 only)")}
	}
	// Nearly every okr file lies in the block-YAML subset parseFast reads,
	// about ten times faster than yaml.v3 and with an identical tree;
	// anything else, errors included, goes through yaml.v3.
	var root yaml.Node
	if fast, ok := parseFastIn(arena, data); ok {
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
			return doc, []diag.Diagnostic{diag.New(path, line, 1, diag.CodeYAMLSyntax, "invalid YAML: %s", msg)}
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
	c := scanner{path: path, budget: 2*len(data) + 1000}
	c.scan(top, 0, false)
	if c.bomb {
		return doc, append(c.diags, diag.New(path, c.bombAt.Line, c.bombAt.Column, diag.CodeAliasBomb, "YAML aliases expand to more than %d nodes; refusing to expand them", 2*len(data)+1000))
	}
	doc.Root = top
	return doc, c.diags
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "null"
		}
		return "scalar"
	}
	return "non-mapping"
}

func invalidUTF8Pos(data []byte) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return line, col
}

// scanner walks a yaml.Node tree the way a conversion to values would,
// aliases expanded, reporting duplicate keys and stopping when the walk
// passes budget nodes or maxDepth levels. It allocates nothing per node, so
// valid files pay little for the safety.
type scanner struct {
	path   string
	budget int
	bomb   bool
	bombAt *yaml.Node
	diags  []diag.Diagnostic
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 200

// scan visits n; viaAlias is set below an alias, where duplicate keys were
// already reported at the anchor.
func (c *scanner) scan(n *yaml.Node, depth int, viaAlias bool) {
	if c.bomb {
		return
	}
	c.budget--
	if c.budget < 0 || depth > maxDepth {
		c.bomb, c.bombAt = true, n
		return
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
			k := n.Content[i]
			var first *yaml.Node
			if seen != nil {
				if first = seen[k.Value]; first == nil {
					seen[k.Value] = k
				}
			} else {
				for j := 0; j < i; j += 2 {
					if n.Content[j].Value == k.Value {
						first = n.Content[j]
						break
					}
				}
			}
			if k.Kind != yaml.ScalarNode {
				// A complex key can hold anchors (and duplicates) of its own.
				c.scan(k, depth+1, viaAlias)
			}
			if first != nil {
				if !viaAlias {
					c.diags = append(c.diags, diag.New(c.path, k.Line, k.Column, diag.CodeDuplicateKey, "key %q is already defined at line %d", k.Value, first.Line))
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
			if _, dup := out[n.Content[i].Value]; !dup {
				out[n.Content[i].Value] = toJSON(n.Content[i+1])
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
