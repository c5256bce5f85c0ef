// Package carry moves unfinished work from one cycle to the next, the way
// hosted OKR tools "carry over" objectives: it plans which objectives and
// key results are unfinished at the end of a cycle, writes each one's
// continuation as a new objective file in the next cycle (start = the last
// value reached, no check-ins), and links old to new with carried_to and
// carried_from, editing the originals in place.
package carry

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
	"go.yaml.in/yaml/v3"
)

// Item is one objective to carry, with the key results that go with it.
type Item struct {
	Objective *model.Objective
	// NewID is the continuation's id; File its workspace-relative path.
	NewID, File string
	KeyResults  []KR
	// Initiatives maps the ids of the initiatives that go along (not
	// done, serving no key result or a carried one) to their new ids.
	Initiatives map[string]string
}

// KR is one unfinished key result and its continuation.
type KR struct {
	KeyResult *model.KeyResult
	NewID     string
	// Start is the new start: the last value reached (nil when the type
	// has no start).
	Start *float64
}

// Plan lists the objectives of cycle from that have an unfinished key
// result at the end of from (or at asOf, if earlier), and have not been
// carried yet. A key result is finished when its progress reached 1 or
// its latest check-in says done. New ids swap a trailing "-FROM" for
// "-TO", or append "-TO", made unique against the workspace.
func Plan(ws *model.Workspace, from, to *model.Cycle, asOf model.Date) []Item {
	at := from.End
	if asOf.Before(at) {
		at = asOf
	}
	taken := map[string]bool{}
	files := map[string]bool{}
	for _, o := range ws.Objectives {
		taken[o.ID] = true
		files[o.File] = true
		for _, kr := range o.KeyResults {
			taken[kr.ID] = true
		}
		for _, in := range o.Initiatives {
			taken[in.ID] = true
		}
	}
	var out []Item
	for _, o := range ws.Objectives {
		if o.Cycle != from.ID || o.CarriedTo != "" {
			continue
		}
		it := Item{Objective: o}
		for _, kr := range o.KeyResults {
			if kr.CarriedTo != "" || finished(kr, at) {
				continue
			}
			k := KR{KeyResult: kr, NewID: newID(kr.ID, from.ID, to.ID, taken)}
			if kr.Type == model.Increase || kr.Type == model.Decrease {
				v := 0.0
				if kr.Start != nil {
					v = *kr.Start
				}
				if c := score.Latest(kr, at); c != nil {
					v = c.Value
				}
				k.Start = &v
			}
			it.KeyResults = append(it.KeyResults, k)
		}
		if len(it.KeyResults) == 0 {
			continue
		}
		it.NewID = newID(o.ID, from.ID, to.ID, taken)
		carried := map[string]bool{}
		for _, k := range it.KeyResults {
			carried[k.KeyResult.ID] = true
		}
		it.Initiatives = map[string]string{}
		for _, in := range o.Initiatives {
			if in.ID != "" && in.Status != "done" && in.Status != "cancelled" && (in.KeyResult == "" || carried[in.KeyResult]) {
				it.Initiatives[in.ID] = newID(in.ID, from.ID, to.ID, taken)
			}
		}
		it.File = newFile(o.File, it.NewID, from.ID, to.ID, files)
		out = append(out, it)
	}
	return out
}

func finished(kr *model.KeyResult, at model.Date) bool {
	c := score.Latest(kr, at)
	if c == nil {
		return false
	}
	if c.Status == score.Done {
		return true
	}
	p, ok := score.RawProgress(kr, c.Value)
	return ok && p >= 1
}

func newID(id, from, to string, taken map[string]bool) string {
	base := strings.TrimSuffix(id, "-"+from) + "-" + to
	out := base
	for n := 2; taken[out]; n++ {
		out = fmt.Sprintf("%s-%d", base, n)
	}
	taken[out] = true
	return out
}

// newFile puts the continuation beside the original, or in a folder named
// after the new cycle when the original's folder is named after the old.
func newFile(old, id, from, to string, files map[string]bool) string {
	dir := path.Dir(old)
	if path.Base(dir) == from {
		dir = path.Join(path.Dir(dir), to)
	}
	p := path.Join(dir, id+".yaml")
	for n := 2; files[p]; n++ {
		p = path.Join(dir, fmt.Sprintf("%s-%d.yaml", id, n))
	}
	files[p] = true
	return p
}

// Apply carries it: given the original file's bytes, it returns the
// original with its links added and the new file's bytes. Everything else
// in the original stays byte-identical; the new file is a copy of the
// original's tree (comments included) in canonical layout, without
// check-ins, grades or finished work.
func Apply(it Item, to string, original []byte) (old, created []byte, err error) {
	d, err := edit.Parse(it.Objective.File, original)
	if err != nil {
		return nil, nil, err
	}
	if err := d.InsertAfter(d.Root(), "cycle", "carried_to", edit.String(it.NewID)); err != nil {
		return nil, nil, err
	}
	for _, k := range it.KeyResults {
		m := d.FindKeyResult(k.KeyResult.ID)
		if m == nil {
			return nil, nil, fmt.Errorf("%s: no key result %q", it.Objective.File, k.KeyResult.ID)
		}
		if err := d.InsertAfter(m, "title", "carried_to", edit.String(k.NewID)); err != nil {
			return nil, nil, err
		}
	}
	created, err = continuation(it, to, original)
	if err != nil {
		return nil, nil, err
	}
	return d.Bytes(), created, nil
}

// continuation builds the new objective file from the original's tree.
func continuation(it Item, to string, original []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(original, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", it.Objective.File, err)
	}
	root := doc.Content[0]
	set(root, "id", edit.String(it.NewID))
	set(root, "cycle", edit.String(to))
	drop(root, "carried_to")
	insertAfter(root, "cycle", "carried_from", edit.String(it.Objective.ID))
	newIDs := map[string]string{}
	for _, k := range it.KeyResults {
		newIDs[k.KeyResult.ID] = k.NewID
	}
	if krs := edit.Get(root, "key_results"); krs != nil {
		var keep []*yaml.Node
		for _, m := range krs.Content {
			idNode := edit.Get(m, "id")
			if idNode == nil || newIDs[idNode.Value] == "" {
				continue
			}
			old := idNode.Value
			m.Style &^= yaml.FlowStyle
			set(m, "id", edit.String(newIDs[old]))
			for _, k := range it.KeyResults {
				if k.KeyResult.ID == old && k.Start != nil {
					set(m, "start", edit.Number(*k.Start))
				}
			}
			drop(m, "checkins")
			drop(m, "score")
			drop(m, "carried_to")
			insertAfter(m, "title", "carried_from", edit.String(old))
			keep = append(keep, m)
		}
		krs.Content = keep
	}
	if ins := edit.Get(root, "initiatives"); ins != nil {
		var keep []*yaml.Node
		for _, m := range ins.Content {
			if s := edit.Get(m, "status"); s != nil && (s.Value == "done" || s.Value == "cancelled") {
				continue
			}
			if k := edit.Get(m, "key_result"); k != nil {
				if newIDs[k.Value] == "" {
					continue
				}
				set(m, "key_result", edit.String(newIDs[k.Value]))
			}
			if id := edit.Get(m, "id"); id != nil {
				if it.Initiatives[id.Value] == "" {
					continue
				}
				set(m, "id", edit.String(it.Initiatives[id.Value]))
			}
			drop(m, "due") // a date in the old cycle
			keep = append(keep, m)
		}
		ins.Content = keep
		if len(keep) == 0 {
			drop(root, "initiatives")
		}
	}
	var b bytes.Buffer
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(&doc); err != nil {
		return nil, err
	}
	if err := e.Close(); err != nil {
		return nil, err
	}
	return edit.Format(it.File, b.Bytes())
}

func set(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v.LineComment = m.Content[i+1].LineComment
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, edit.Scalar(key), v)
}

func drop(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

func insertAfter(m *yaml.Node, after, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == after {
			pair := []*yaml.Node{edit.Scalar(key), v}
			m.Content = append(m.Content[:i+2], append(pair, m.Content[i+2:]...)...)
			return
		}
	}
	m.Content = append(m.Content, edit.Scalar(key), v)
}
