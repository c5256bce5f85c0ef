package edit

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Field is one key and its new scalar value, for SetCycle.
type Field struct {
	Key   string
	Value *yaml.Node
}

// FindCycle returns the mapping of the cycle with id in a cycles.yaml
// document, nil when it has none.
func (d *Doc) FindCycle(id string) *yaml.Node {
	return Find(Get(d.root, "cycles"), id)
}

// SetCycle sets fields of the cycle with id in a cycles.yaml document: an
// existing one-line value is rewritten in place, a missing key is added to
// the cycle's mapping (a flow mapping such as {id: q1, ...} is first
// rewritten in block style, that item only). Every other line, comments
// included, stays as it was; on an error the document is left unchanged.
func (d *Doc) SetCycle(id string, fields []Field) error {
	return d.atomically(func() error {
		for _, f := range fields {
			m := d.FindCycle(id)
			if m == nil {
				return fmt.Errorf("%s: no cycle %q", d.Path, id)
			}
			if m.Style&yaml.FlowStyle != 0 && Get(m, f.Key) == nil {
				seq := Get(d.root, "cycles")
				i := indexOf(seq, m)
				if err := d.blockItem(seq, i); err != nil {
					return err
				}
				if m = d.FindCycle(id); m == nil {
					return fmt.Errorf("%s: no cycle %q", d.Path, id)
				}
			}
			if err := d.SetScalar(m, f.Key, f.Value); err != nil {
				return err
			}
		}
		return nil
	})
}

func indexOf(seq, n *yaml.Node) int {
	for i, c := range seq.Content {
		if c == n {
			return i
		}
	}
	return -1
}
