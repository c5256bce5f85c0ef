package edit

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/okrkit/okr/internal/model"
	"go.yaml.in/yaml/v3"
)

// Checkin is a check-in to record. Value is written as given: a number, or
// true/false for a milestone.
type Checkin struct {
	Date       model.Date
	Value      float64
	IsBool     bool
	Confidence *float64
	Status     string
	Author     string
	Note       string
	// Answers are written in order under answers:.
	Answers []Answer
}

// Answer is the answer to one check-in question.
type Answer struct {
	Question, Text string
}

// Scalar returns a plain scalar node holding s, quoted only where YAML
// needs it.
func Scalar(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: s}
}

// String returns a scalar node that always reads back as the string s.
func String(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// Number returns a scalar node for v, in the shortest form that reads back
// as v.
func Number(v float64) *yaml.Node {
	return Scalar(strconv.FormatFloat(v, 'f', -1, 64))
}

// decimal is a number as people type it and okr writes it: an optional
// sign, digits with an optional decimal point, an optional exponent.
var decimal = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// ParseNumber reads a finite decimal number such as 1200, -3, 0.75 or
// 1.2E+06, ignoring white space around it. Hexadecimal and other Go or
// YAML spellings (0x10, 1_000, .inf), NaN, infinities and numbers too large
// for a float64 are refused, so what is written is what was typed. Every
// command that reads a number from a flag or a sheet uses it.
func ParseNumber(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if !decimal.MatchString(t) {
		return 0, fmt.Errorf("%q is not a decimal number (write it like 1200, -3, 0.75 or 1.2e6)", t)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("%q is not a finite number", t)
	}
	return f, nil
}

// Map builds a block mapping from key, value pairs.
func Map(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1].(*yaml.Node)
		if v == nil {
			continue
		}
		m.Content = append(m.Content, Scalar(kv[i].(string)), v)
	}
	return m
}

// ValueText is the value as Node writes it: true or false for a
// milestone, else the shortest decimal that reads back as Value.
func (c Checkin) ValueText() string {
	if c.IsBool {
		return strconv.FormatBool(c.Value != 0)
	}
	return Number(c.Value).Value
}

// Node returns the check-in as a mapping, keys in the order the format
// documents: date, value, confidence, status, author, note, answers.
func (c Checkin) Node() *yaml.Node {
	val := Scalar(c.ValueText())
	var conf, status, author, note, answers *yaml.Node
	if c.Confidence != nil {
		conf = Number(*c.Confidence)
	}
	if c.Status != "" {
		status = Scalar(c.Status)
	}
	if c.Author != "" {
		author = String(c.Author)
	}
	if c.Note != "" {
		note = String(c.Note)
	}
	if len(c.Answers) > 0 {
		answers = &yaml.Node{Kind: yaml.MappingNode}
		for _, a := range c.Answers {
			answers.Content = append(answers.Content, String(a.Question), String(a.Text))
		}
	}
	return Map("date", Scalar(c.Date.String()), "value", val, "confidence", conf,
		"status", status, "author", author, "note", note, "answers", answers)
}

// FindKeyResult returns the mapping of key result id in an objective file,
// nil when the file has none.
func (d *Doc) FindKeyResult(id string) *yaml.Node {
	return Find(Get(d.root, "key_results"), id)
}

// AddCheckin records c on key result kr of an objective file. It goes
// after the last check-in dated on or before c.Date, so check-ins stay in
// date order; everything else in the file is left as it was.
func (d *Doc) AddCheckin(kr string, c Checkin) error {
	return d.atomically(func() error { return d.addCheckin(kr, c) })
}

func (d *Doc) addCheckin(kr string, c Checkin) error {
	m := d.FindKeyResult(kr)
	if m == nil {
		return fmt.Errorf("%s: no key result %q", d.Path, kr)
	}
	if m.Style&yaml.FlowStyle != 0 {
		// A key result written {id: k, ...} becomes a block mapping
		// first (and a flow list of key results a block list).
		if err := d.blockValue(d.root, "key_results"); err != nil {
			return err
		}
		seq := Get(d.root, "key_results")
		for i, it := range seq.Content {
			if v := Get(it, "id"); v != nil && v.Value == kr {
				if err := d.blockItem(seq, i); err != nil {
					return err
				}
				break
			}
		}
		m = d.FindKeyResult(kr)
	}
	index := -1
	if seq := Get(m, "checkins"); seq != nil && seq.Kind == yaml.SequenceNode {
		index = len(seq.Content)
		for i, it := range seq.Content {
			if v := Get(it, "date"); v != nil {
				if dt, err := model.ParseDate(v.Value); err == nil && dt.After(c.Date) {
					index = i
					break
				}
			}
		}
	}
	return d.Insert(m, "checkins", index, c.Node())
}
