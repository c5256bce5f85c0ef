package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/okrkit/okr/internal/load"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// The fast path. Nearly every file in a real workspace is valid, and for a
// valid file the JSON Schema check needs no messages, only a yes. fastSchema
// answers that yes by walking the yaml.Node tree directly, without building
// JSON values; it is compiled from the same embedded schemas and supports
// exactly the keywords they use (compiling anything else fails, and then
// every file takes the full path). When it says no, CheckSchema converts the
// document and runs jsonschema for the messages, so findings are the same
// either way. FuzzFastSchema checks that both paths agree.

// jsonType is a bit set of JSON Schema types.
type jsonType uint8

const (
	tNull jsonType = 1 << iota
	tBoolean
	tInteger // a number with no fractional part
	tNumber  // any other number
	tString
	tArray
	tObject
)

var typeNames = map[string]jsonType{
	"null": tNull, "boolean": tBoolean, "integer": tInteger, "number": tNumber | tInteger,
	"string": tString, "array": tArray, "object": tObject,
}

// fastSchema is one compiled (sub)schema.
type fastSchema struct {
	types     jsonType // 0: any
	ref       *fastSchema
	enum      []any
	required  []string
	props     map[string]*fastSchema
	addl      *fastSchema // additionalProperties as a schema
	noAddl    bool        // additionalProperties: false
	propNames *fastSchema
	items     *fastSchema
	minItems  int
	unique    bool
	oneOf     []*fastSchema
	pattern   *regexp.Regexp
	minLen    int
	maxLen    int // -1: none
	min, max  *float64
	format    func(string) bool
}

// annotations are keywords that never change validity.
var annotations = map[string]bool{"$schema": true, "$id": true, "$defs": true, "title": true, "description": true, "default": true, "$comment": true, "examples": true}

// formatSchemas holds one compiled jsonschema per format the fast path
// meets, so rare formats (email, uri) are judged by the same code as the
// full path. Dates are common and checked natively, by the same check the
// full path registers (checkDate).
func compileFormat(name string) (func(string) bool, error) {
	if name == "date" {
		return func(s string) bool { return checkDate(s) == nil }, nil
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.RegisterFormat(dateFormat)
	doc := map[string]any{"format": name}
	if err := c.AddResource("format.json", doc); err != nil {
		return nil, err
	}
	sch, err := c.Compile("format.json")
	if err != nil {
		return nil, err
	}
	return func(s string) bool { return sch.Validate(s) == nil }, nil
}

type fastCompiler struct {
	root map[string]any
	defs map[string]*fastSchema
}

// compileFast compiles an embedded schema document for the fast path.
func compileFast(raw []byte) (*fastSchema, error) {
	var root map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		return nil, err
	}
	c := &fastCompiler{root: root, defs: map[string]*fastSchema{}}
	return c.compile(root)
}

func (c *fastCompiler) compile(m map[string]any) (*fastSchema, error) {
	s := &fastSchema{maxLen: -1}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		var err error
		switch k {
		case "type":
			switch t := v.(type) {
			case string:
				s.types |= typeNames[t]
			case []any:
				for _, e := range t {
					name, _ := e.(string)
					s.types |= typeNames[name]
				}
			}
		case "$ref":
			s.ref, err = c.ref(v)
		case "enum":
			s.enum, _ = v.([]any)
			for i, e := range s.enum {
				if n, ok := e.(json.Number); ok {
					f, _ := n.Float64()
					s.enum[i] = f
				}
			}
		case "required":
			for _, e := range v.([]any) {
				s.required = append(s.required, e.(string))
			}
		case "properties":
			s.props = map[string]*fastSchema{}
			for name, sub := range v.(map[string]any) {
				if s.props[name], err = c.sub(sub); err != nil {
					break
				}
			}
		case "additionalProperties":
			if b, ok := v.(bool); ok {
				s.noAddl = !b
			} else {
				s.addl, err = c.sub(v)
			}
		case "propertyNames":
			s.propNames, err = c.sub(v)
		case "items":
			s.items, err = c.sub(v)
		case "minItems":
			s.minItems, err = intOf(v)
		case "uniqueItems":
			s.unique, _ = v.(bool)
		case "oneOf":
			for _, sub := range v.([]any) {
				var one *fastSchema
				if one, err = c.sub(sub); err != nil {
					break
				}
				s.oneOf = append(s.oneOf, one)
			}
		case "pattern":
			s.pattern, err = regexp.Compile(v.(string))
		case "minLength":
			s.minLen, err = intOf(v)
		case "maxLength":
			s.maxLen, err = intOf(v)
		case "minimum", "maximum":
			n, ok := v.(json.Number)
			if !ok {
				return nil, fmt.Errorf("%s is not a number", k)
			}
			f, _ := n.Float64()
			if k == "minimum" {
				s.min = &f
			} else {
				s.max = &f
			}
		case "format":
			s.format, err = compileFormat(v.(string))
		default:
			if !annotations[k] {
				return nil, fmt.Errorf("keyword %q is not supported by the fast path", k)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
	}
	return s, nil
}

func (c *fastCompiler) sub(v any) (*fastSchema, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("subschema is a %T, not an object", v)
	}
	return c.compile(m)
}

// ref resolves "#/$defs/NAME" within the same document; definitions are
// compiled once and shared.
func (c *fastCompiler) ref(v any) (*fastSchema, error) {
	r, _ := v.(string)
	name, ok := strings.CutPrefix(r, "#/$defs/")
	if !ok {
		return nil, fmt.Errorf("reference %q is not local", r)
	}
	if s, ok := c.defs[name]; ok {
		return s, nil
	}
	defs, _ := c.root["$defs"].(map[string]any)
	m, ok := defs[name].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("reference %q names no definition", r)
	}
	s := &fastSchema{maxLen: -1}
	c.defs[name] = s // before compiling, so recursive definitions resolve
	compiled, err := c.compile(m)
	if err != nil {
		return nil, err
	}
	*s = *compiled
	return s, nil
}

func intOf(v any) (int, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%v is not a number", v)
	}
	i, err := n.Int64()
	return int(i), err
}

// valid reports whether n, as JSON, matches s. n has passed Parse's scan,
// so aliases are bounded and mappings are checked for duplicates; a mapping
// with a duplicate key is reported not valid here, leaving it to the full
// path.
func (s *fastSchema) valid(n *yaml.Node) bool {
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return false
		}
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		return s.object(n)
	case yaml.SequenceNode:
		return s.array(n)
	case yaml.ScalarNode:
		return s.scalar(load.ScalarOf(n))
	}
	return false
}

func (s *fastSchema) object(n *yaml.Node) bool {
	if s.types != 0 && s.types&tObject == 0 || s.enum != nil || len(s.oneOf) > 0 && !s.one(n) {
		return false
	}
	if s.ref != nil && !s.ref.valid(n) || len(n.Content) > 64 {
		return false // large mappings take the full path, which is linear
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		for j := 0; j < i; j += 2 {
			if n.Content[j].Value == k {
				return false
			}
		}
		if s.propNames != nil && !s.propNames.scalar(load.ScalarValue{Kind: load.String, Str: k}) {
			return false
		}
		v := n.Content[i+1]
		if sub, ok := s.props[k]; ok {
			if !sub.valid(v) {
				return false
			}
		} else if s.noAddl {
			return false
		} else if s.addl != nil && !s.addl.valid(v) {
			return false
		}
	}
	for _, r := range s.required {
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == r {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (s *fastSchema) array(n *yaml.Node) bool {
	if s.types != 0 && s.types&tArray == 0 || s.enum != nil || len(s.oneOf) > 0 && !s.one(n) {
		return false
	}
	if s.ref != nil && !s.ref.valid(n) || len(n.Content) < s.minItems {
		return false
	}
	if s.items != nil {
		for _, e := range n.Content {
			if !s.items.valid(e) {
				return false
			}
		}
	}
	if s.unique {
		// Unique scalars only; lists of lists or mappings take the full path.
		seen := make(map[load.ScalarValue]bool, len(n.Content))
		for _, e := range n.Content {
			for e.Kind == yaml.AliasNode && e.Alias != nil {
				e = e.Alias
			}
			if e.Kind != yaml.ScalarNode {
				return false
			}
			v := load.ScalarOf(e)
			if v.Kind == load.Int {
				v.Kind, v.Int = load.Float, 0 // 1 and 1.0 are equal in JSON
			}
			if seen[v] {
				return false
			}
			seen[v] = true
		}
	}
	return true
}

func (s *fastSchema) one(n *yaml.Node) bool {
	matched := 0
	for _, o := range s.oneOf {
		if o.valid(n) {
			matched++
		}
	}
	return matched == 1
}

// scalar checks a JSON scalar value.
func (s *fastSchema) scalar(v load.ScalarValue) bool {
	var t jsonType
	switch v.Kind {
	case load.Null:
		t = tNull
	case load.Bool:
		t = tBoolean
	case load.Int:
		t = tInteger
	case load.Float:
		t = tNumber
		if v.Float == math.Trunc(v.Float) {
			t = tInteger
		}
	case load.String:
		t = tString
	}
	if s.types != 0 && s.types&t == 0 {
		return false
	}
	if s.ref != nil && !s.ref.scalar(v) {
		return false
	}
	if s.enum != nil && !inEnum(s.enum, v, t) {
		return false
	}
	if len(s.oneOf) > 0 {
		matched := 0
		for _, o := range s.oneOf {
			if o.scalar(v) {
				matched++
			}
		}
		if matched != 1 {
			return false
		}
	}
	if t&(tInteger|tNumber) != 0 {
		if s.min != nil && v.Float < *s.min || s.max != nil && v.Float > *s.max {
			return false
		}
	}
	if t == tString {
		if s.minLen > 0 || s.maxLen >= 0 {
			l := utf8.RuneCountInString(v.Str)
			if l < s.minLen || s.maxLen >= 0 && l > s.maxLen {
				return false
			}
		}
		if s.pattern != nil && !s.pattern.MatchString(v.Str) {
			return false
		}
		if s.format != nil && !s.format(v.Str) {
			return false
		}
	}
	return true
}

func inEnum(enum []any, v load.ScalarValue, t jsonType) bool {
	for _, e := range enum {
		switch x := e.(type) {
		case float64:
			if t&(tInteger|tNumber) != 0 && x == v.Float {
				return true
			}
		case string:
			if v.Kind == load.String && x == v.Str {
				return true
			}
		case bool:
			if v.Kind == load.Bool && x == v.Bool {
				return true
			}
		case nil:
			if v.Kind == load.Null {
				return true
			}
		}
	}
	return false
}
