package validate

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var (
	compileOnce sync.Once
	compiled    map[load.Kind]*jsonschema.Schema
	fast        map[load.Kind]*fastSchema
	compileErr  error
	printer     = message.NewPrinter(language.English)
)

// dateFormat is JSON Schema's "date" as okr reads it: a calendar date
// (time.Parse with layout 2006-01-02, as jsonschema checks it) in the years
// 0001 to 9999. Year 0000 is no date okr can hold (its zero date means "no
// date"), so it is refused where it is written instead of being silently
// dropped; years past 9999 do not parse.
var dateFormat = &jsonschema.Format{Name: "date", Validate: func(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil // "format" applies to strings only
	}
	return checkDate(s)
}}

// checkDate is dateFormat's check, shared with the fast path.
func checkDate(s string) error {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return err
	}
	if t.Year() < 1 {
		return fmt.Errorf("year %04d is outside 0001 to 9999", t.Year())
	}
	return nil
}

// schemas compiles the embedded schemas once; `format` is asserted, so a
// date like 2026-02-30 is an error.
func schemas() (map[load.Kind]*jsonschema.Schema, error) {
	compileOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		c.RegisterFormat(dateFormat)
		compiled = map[load.Kind]*jsonschema.Schema{}
		fast = map[load.Kind]*fastSchema{}
		for _, k := range []load.Kind{load.KindWorkspace, load.KindOrg, load.KindCycles, load.KindObjective} {
			raw, ok := schema.Get(string(k))
			if !ok {
				compileErr = fmt.Errorf("no embedded schema for %s", k)
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
			if err != nil {
				compileErr = fmt.Errorf("parse embedded %s schema: %w", k, err)
				return
			}
			url := schema.URL(string(k))
			if err := c.AddResource(url, doc); err != nil {
				compileErr = fmt.Errorf("add %s schema: %w", k, err)
				return
			}
			if compiled[k], err = c.Compile(url); err != nil {
				compileErr = fmt.Errorf("compile %s schema: %w", k, err)
				return
			}
			// Without a fast path a kind is still checked, only slower;
			// TestFastSchemaCompiles keeps every kind on it.
			if f, err := compileFast(raw); err == nil {
				fast[k] = f
			}
		}
	})
	return compiled, compileErr
}

// CheckSchema validates one parsed document against its kind's JSON Schema
// and returns a diagnostic per failing leaf, positioned on the offending value.
func CheckSchema(doc *load.Document) []diag.Diagnostic {
	all, err := schemas()
	if err != nil {
		return []diag.Diagnostic{diag.New(doc.Path, 1, 1, diag.CodeSchema, "cannot check the schema: %v", err)}
	}
	sch := all[doc.Kind]
	if sch == nil || doc.Root == nil {
		return nil
	}
	if f := fast[doc.Kind]; f != nil && f.valid(doc.Root) {
		return nil
	}
	err = sch.Validate(any(doc.JSON()))
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []diag.Diagnostic{diag.New(doc.Path, 1, 1, diag.CodeSchema, "%v", err)}
	}
	var out []diag.Diagnostic
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		_, isOneOf := e.ErrorKind.(*kind.OneOf)
		if isOneOf {
			// A source's shapes are told apart by kind: report the
			// shape its kind picks, or the kind itself when it picks none.
			if next, kindErr := byKind(e); next != nil {
				walk(next)
				return
			} else if kindErr != nil {
				d := schemaDiag(doc, kindErr)
				if key := d.String(); !seen[key] {
					seen[key] = true
					out = append(out, d)
				}
				return
			}
		}
		if len(e.Causes) > 0 && !isOneOf {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		d := schemaDiag(doc, e)
		if key := d.String(); !seen[key] {
			seen[key] = true
			out = append(out, d)
		}
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

func schemaDiag(doc *load.Document, e *jsonschema.ValidationError) diag.Diagnostic {
	n := nodeAt(doc.Root, e.InstanceLocation)
	where := jsonPath(e.InstanceLocation)
	var msg string
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		// jsonschema lists them in map order: sort, and name at most
		// maxListed so one diagnostic stays one readable line.
		props := slices.Sorted(slices.Values(k.Properties))
		if key := keyNode(n, props); key != nil {
			n = key
		}
		msg = fmt.Sprintf("unknown field %s", quoteJoin(props))
		if len(props) > maxListed {
			msg = fmt.Sprintf("unknown fields %s and %d more", quoteJoin(props[:maxListed]), len(props)-maxListed)
		} else if len(props) > 1 {
			msg = fmt.Sprintf("unknown fields %s", quoteJoin(props))
		}
	case *kind.Required:
		msg = fmt.Sprintf("missing required field %s", quoteJoin(slices.Sorted(slices.Values(k.Missing))))
	case *kind.OneOf:
		msg = "must be an id or a mapping with objective and weight"
		if got, want, ok := typeChoice(e); ok {
			// A value that may be one of several types (a check-in's
			// value: a number or true/false), written as oneOf of types
			// so strict validators take the schema.
			msg = fmt.Sprintf("got %s, want %s", got, strings.Join(want, " or "))
		}
	case *kind.Enum:
		msg = "must be one of " + strings.TrimPrefix(k.LocalizedString(printer), "value must be one of ")
	default:
		msg = e.ErrorKind.LocalizedString(printer)
	}
	if where != "" {
		msg = where + ": " + msg
	}
	return diag.New(doc.Path, n.Line, n.Column, diag.CodeSchema, "%s", msg)
}

// byKind looks at a failed oneOf whose alternatives each fix a "kind" by
// an enum (a key result's source). When some alternatives accept the
// value's kind, it returns the one with the fewest failures; when none
// does, it returns an enum error at kind listing every kind. It returns
// nil, nil for other oneOfs.
func byKind(e *jsonschema.ValidationError) (next, kindErr *jsonschema.ValidationError) {
	kindLoc := append(slices.Clone(e.InstanceLocation), "kind")
	var wants []any
	best, bestN := (*jsonschema.ValidationError)(nil), 0
	for _, c := range e.Causes {
		var kindEnum *jsonschema.ValidationError
		n := 0
		var leaves func(x *jsonschema.ValidationError)
		leaves = func(x *jsonschema.ValidationError) {
			if len(x.Causes) == 0 {
				n++
				if _, ok := x.ErrorKind.(*kind.Enum); ok && slices.Equal(x.InstanceLocation, kindLoc) {
					kindEnum = x
				}
				return
			}
			for _, y := range x.Causes {
				leaves(y)
			}
		}
		leaves(c)
		if kindEnum != nil {
			if kindErr == nil {
				kindErr = kindEnum
			}
			wants = append(wants, kindEnum.ErrorKind.(*kind.Enum).Want...)
			continue
		}
		if !hasKindSchema(c) {
			return nil, nil
		}
		if best == nil || n < bestN {
			best, bestN = c, n
		}
	}
	if best != nil {
		return best, nil
	}
	if kindErr == nil {
		return nil, nil
	}
	var uniq []any
	for _, w := range wants {
		if !slices.Contains(uniq, w) {
			uniq = append(uniq, w)
		}
	}
	return nil, &jsonschema.ValidationError{InstanceLocation: kindErr.InstanceLocation, ErrorKind: &kind.Enum{Got: kindErr.ErrorKind.(*kind.Enum).Got, Want: uniq}, SchemaURL: kindErr.SchemaURL}
}

// hasKindSchema reports whether a oneOf alternative's schema names a
// "kind" property: only sources are split by kind.
func hasKindSchema(c *jsonschema.ValidationError) bool {
	return strings.Contains(c.SchemaURL, "/$defs/source/")
}

// typeChoice reports whether every alternative of a failed oneOf failed on
// its type alone, with the type found and the types wanted, sorted.
func typeChoice(e *jsonschema.ValidationError) (got string, want []string, ok bool) {
	if len(e.Causes) == 0 {
		return "", nil, false
	}
	for _, c := range e.Causes {
		t, isType := c.ErrorKind.(*kind.Type)
		if !isType || len(c.Causes) > 0 {
			return "", nil, false
		}
		got = t.Got
		want = append(want, t.Want...)
	}
	sort.Strings(want)
	return got, want, true
}

// maxListed is how many field names one message lists.
const maxListed = 10

func quoteJoin(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// jsonPath renders an instance location as key.sub[2].field.
func jsonPath(loc []string) string {
	var b strings.Builder
	for _, t := range loc {
		if _, err := strconv.Atoi(t); err == nil {
			b.WriteString("[" + t + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(t)
	}
	return b.String()
}

// nodeAt follows an instance location through the YAML tree.
func nodeAt(n *yaml.Node, loc []string) *yaml.Node {
	for _, tok := range loc {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					next = n.Content[i+1]
					break
				}
			}
			if next == nil {
				return n
			}
			n = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return n
			}
			n = n.Content[i]
		default:
			return n
		}
	}
	return n
}

// keyNode returns the key node of the first of keys in mapping m.
func keyNode(m *yaml.Node, keys []string) *yaml.Node {
	for m != nil && m.Kind == yaml.AliasNode {
		m = m.Alias
	}
	if m == nil || m.Kind != yaml.MappingNode || len(keys) == 0 {
		return nil
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		// An alias key stands for its anchor's value.
		k := m.Content[i]
		for k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if want[k.Value] {
			return m.Content[i]
		}
	}
	return nil
}
