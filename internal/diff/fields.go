package diff

import (
	"slices"
	"strconv"
	"strings"

	"github.com/okrkit/okr/internal/model"
)

// ObjectiveFields returns the field-level changes between two versions of
// one objective (nil means absent): the objective's own fields first (title,
// description, cycle, level, owner, contributors, category, tags, weight,
// rollup, aligns_to, initiatives), then each key result's, named
// "key_results.ID.FIELD", in new's order and then the removed ones in old's.
// Check-ins added, removed or edited are "key_results.ID.checkins", one
// change each. Against a nil old every field that has a value is listed
// with Old ""; against a nil new, with New "".
func ObjectiveFields(old, new *model.Objective) []FieldChange {
	if old == nil && new == nil {
		return nil
	}
	out := appendObjectiveFields(nil, old, new)
	var oldKRs, newKRs []*model.KeyResult
	if old != nil {
		oldKRs = old.KeyResults
	}
	if new != nil {
		newKRs = new.KeyResults
	}
	for _, p := range pairKeyResults(oldKRs, newKRs) {
		id := p.new
		if id == nil {
			id = p.old
		}
		out = appendKeyResultFields(out, "key_results."+id.ID+".", p.old, p.new, true)
	}
	return out
}

// KeyResultFields returns the field-level changes between two versions of
// one key result (nil means absent), in the order title, type, start,
// target, threshold, low, high, steps, description, unit, weight, owner,
// due, score, checkins. Check-ins are matched by date, value, author and
// note: one added is a "checkins" change with Old "", one removed has New
// "", and one edited otherwise (confidence, status, answers) has both.
func KeyResultFields(old, new *model.KeyResult) []FieldChange {
	return appendKeyResultFields(nil, "", old, new, true)
}

var (
	zeroObjective model.Objective
	zeroKeyResult model.KeyResult
)

// appendObjectiveFields appends the changes of the objective-level fields.
func appendObjectiveFields(out []FieldChange, old, new *model.Objective) []FieldChange {
	o, n := old, new
	if o == nil {
		o = &zeroObjective
	}
	if n == nil {
		n = &zeroObjective
	}
	out = addText(out, "title", o.Title, n.Title)
	out = addText(out, "description", o.Description, n.Description)
	out = addText(out, "cycle", o.Cycle, n.Cycle)
	out = addText(out, "level", o.Level, n.Level)
	out = addText(out, "owner", o.Owner, n.Owner)
	out = addList(out, "contributors", o.Contributors, n.Contributors)
	out = addText(out, "category", o.Category, n.Category)
	out = addList(out, "tags", o.Tags, n.Tags)
	out = addNumber(out, "weight", o.Weight, old != nil, n.Weight, new != nil)
	out = addText(out, "rollup", o.Rollup, n.Rollup)
	if !sameAlignments(o.AlignsTo, n.AlignsTo) {
		out = append(out, FieldChange{Field: "aligns_to", Old: alignmentsString(o.AlignsTo), New: alignmentsString(n.AlignsTo)})
	}
	return appendInitiatives(out, o.Initiatives, n.Initiatives)
}

// appendKeyResultFields appends the changes of one key result, each field
// name prefixed with prefix; check-ins only when withCheckins is set.
func appendKeyResultFields(out []FieldChange, prefix string, old, new *model.KeyResult, withCheckins bool) []FieldChange {
	if old == nil && new == nil {
		return out
	}
	o, n := old, new
	if o == nil {
		o = &zeroKeyResult
	}
	if n == nil {
		n = &zeroKeyResult
	}
	name := func(f string) string {
		if prefix == "" {
			return f
		}
		return prefix + f
	}
	add := func(f, a, b string) {
		if a != b {
			out = append(out, FieldChange{Field: name(f), Old: a, New: b})
		}
	}
	addOpt := func(f string, a, b *float64) {
		if (a == nil) != (b == nil) || a != nil && !sameFloat(*a, *b) {
			add(f, optNumber(a), optNumber(b))
		}
	}
	add("title", o.Title, n.Title)
	add("type", o.Type, n.Type)
	addOpt("start", o.Start, n.Start)
	addOpt("target", o.Target, n.Target)
	addOpt("threshold", o.Threshold, n.Threshold)
	addOpt("low", o.Low, n.Low)
	addOpt("high", o.High, n.High)
	if !slices.Equal(o.Steps, n.Steps) {
		add("steps", listString(o.Steps), listString(n.Steps))
	}
	add("description", o.Description, n.Description)
	add("unit", o.Unit, n.Unit)
	if old == nil || new == nil || !sameFloat(o.Weight, n.Weight) {
		add("weight", presentNumber(o.Weight, old != nil), presentNumber(n.Weight, new != nil))
	}
	add("owner", o.Owner, n.Owner)
	if o.Due != n.Due {
		add("due", o.Due.String(), n.Due.String())
	}
	addOpt("score", o.Score, n.Score)
	if withCheckins {
		m := matchCheckins(o.Checkins, n.Checkins)
		for _, c := range m.removed {
			out = append(out, FieldChange{Field: name("checkins"), Old: checkinString(c)})
		}
		for _, e := range m.edited {
			out = append(out, FieldChange{Field: name("checkins"), Old: checkinString(e[0]), New: checkinString(e[1])})
		}
		for _, c := range m.added {
			out = append(out, FieldChange{Field: name("checkins"), New: checkinString(c)})
		}
	}
	return out
}

func addText(out []FieldChange, field, old, new string) []FieldChange {
	if old != new {
		out = append(out, FieldChange{Field: field, Old: old, New: new})
	}
	return out
}

func addList(out []FieldChange, field string, old, new []string) []FieldChange {
	if !slices.Equal(old, new) {
		out = addText(out, field, listString(old), listString(new))
	}
	return out
}

func addNumber(out []FieldChange, field string, old float64, oldOK bool, new float64, newOK bool) []FieldChange {
	if oldOK != newOK || !sameFloat(old, new) {
		out = addText(out, field, presentNumber(old, oldOK), presentNumber(new, newOK))
	}
	return out
}

// sameFloat is == with NaN equal to itself, so a NaN in a file (YAML .nan)
// is not a change in every comparison.
func sameFloat(a, b float64) bool { return a == b || a != a && b != b }

// number formats v exactly, without trailing zeros.
func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func optNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return number(*v)
}

func presentNumber(v float64, ok bool) string {
	if !ok {
		return ""
	}
	return number(v)
}

// listString renders a list as "[a, b]", an empty one as "".
func listString(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return "[" + strings.Join(items, ", ") + "]"
}

func sameAlignments(a, b []*model.Alignment) bool {
	return slices.EqualFunc(a, b, func(x, y *model.Alignment) bool { return x.Objective == y.Objective && x.Weight == y.Weight })
}

// alignmentsString renders alignments as "[grow-arr, demos (weight 0.5)]",
// the weight shown when it is not the default 1.
func alignmentsString(as []*model.Alignment) string {
	items := make([]string, len(as))
	for i, a := range as {
		items[i] = a.Objective
		if a.Weight != 1 {
			items[i] += " (weight " + number(a.Weight) + ")"
		}
	}
	return listString(items)
}

// initiativeKey identifies an initiative: its id, or its title when it has
// none (ids are optional).
func initiativeKey(i *model.Initiative) string {
	if i.ID != "" {
		return "id:" + i.ID
	}
	return "title:" + i.Title
}

func sameInitiative(a, b *model.Initiative) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Link == b.Link && a.Status == b.Status &&
		a.Owner == b.Owner && a.KeyResult == b.KeyResult && a.Due == b.Due
}

// initiativeString renders an initiative as "title (id x, status done, ...)".
func initiativeString(i *model.Initiative) string {
	var parts []string
	for _, p := range [...][2]string{{"id", i.ID}, {"status", i.Status}, {"owner", i.Owner},
		{"key_result", i.KeyResult}, {"due", i.Due.String()}, {"link", i.Link}} {
		if p[1] != "" {
			parts = append(parts, p[0]+" "+p[1])
		}
	}
	if len(parts) == 0 {
		return i.Title
	}
	return i.Title + " (" + strings.Join(parts, ", ") + ")"
}

// appendInitiatives appends one "initiatives" change per initiative added,
// removed or edited, matched by id (or title without one): removed ones in
// old's order, then edited and added ones in new's order.
func appendInitiatives(out []FieldChange, old, new []*model.Initiative) []FieldChange {
	if slices.EqualFunc(old, new, sameInitiative) {
		return out
	}
	byKey := map[string][]int{}
	for i, in := range old {
		byKey[initiativeKey(in)] = append(byKey[initiativeKey(in)], i)
	}
	used := make([]bool, len(old))
	match := make([]int, len(new))
	for j, in := range new {
		match[j] = -1
		k := initiativeKey(in)
		if q := byKey[k]; len(q) > 0 {
			match[j], used[q[0]] = q[0], true
			byKey[k] = q[1:]
		}
	}
	for i, in := range old {
		if !used[i] {
			out = append(out, FieldChange{Field: "initiatives", Old: initiativeString(in)})
		}
	}
	for j, in := range new {
		switch {
		case match[j] < 0:
			out = append(out, FieldChange{Field: "initiatives", New: initiativeString(in)})
		case !sameInitiative(old[match[j]], in):
			out = append(out, FieldChange{Field: "initiatives", Old: initiativeString(old[match[j]]), New: initiativeString(in)})
		}
	}
	return out
}

// checkinKey is what identifies a check-in across versions: date, value,
// author and note.
type checkinKey struct {
	date         model.Date
	value        float64
	isBool       bool
	author, note string
}

func keyOf(c *model.Checkin) checkinKey {
	return checkinKey{c.Date, c.Value, c.IsBool(), c.Author(), c.Note()}
}

// sameCheckin reports whether two check-ins with the same key also agree
// on everything else: confidence, status and answers.
func sameCheckin(a, b *model.Checkin) bool {
	if (a.Confidence() == nil) != (b.Confidence() == nil) || a.Confidence() != nil && *a.Confidence() != *b.Confidence() {
		return false
	}
	return a.Status() == b.Status() && slices.EqualFunc(a.Answers(), b.Answers(), func(x, y model.Answer) bool {
		return x.Question == y.Question && x.Text == y.Text
	})
}

// checkinMatch is the result of matching two check-in lists.
type checkinMatch struct {
	added, removed []*model.Checkin
	// edited holds old and new versions of check-ins with the same key
	// that differ otherwise.
	edited [][2]*model.Checkin
}

// matchCheckins matches the check-ins of two versions of a key result by
// key; of equal keys, in order. The normal case, a list that only grew at
// its end, takes one pass without allocating a map.
func matchCheckins(old, new []model.Checkin) checkinMatch {
	var m checkinMatch
	prefix := 0
	for prefix < len(old) && prefix < len(new) && keyOf(&old[prefix]) == keyOf(&new[prefix]) {
		if !sameCheckin(&old[prefix], &new[prefix]) {
			m.edited = append(m.edited, [2]*model.Checkin{&old[prefix], &new[prefix]})
		}
		prefix++
	}
	old, new = old[prefix:], new[prefix:]
	if len(old) == 0 {
		for i := range new {
			m.added = append(m.added, &new[i])
		}
		return m
	}
	byKey := map[checkinKey][]int{}
	for i := range old {
		k := keyOf(&old[i])
		byKey[k] = append(byKey[k], i)
	}
	used := make([]bool, len(old))
	for i := range new {
		c := &new[i]
		k := keyOf(c)
		q := byKey[k]
		if len(q) == 0 {
			m.added = append(m.added, c)
			continue
		}
		used[q[0]] = true
		byKey[k] = q[1:]
		if !sameCheckin(&old[q[0]], c) {
			m.edited = append(m.edited, [2]*model.Checkin{&old[q[0]], c})
		}
	}
	for i := range old {
		if !used[i] {
			m.removed = append(m.removed, &old[i])
		}
	}
	return m
}

// checkinValue renders a check-in's value: true or false for a milestone
// without steps, else the number.
func checkinValue(v float64, isBool bool) string {
	if isBool {
		return strconv.FormatBool(v != 0)
	}
	return number(v)
}

// checkinString renders a check-in on one line, exactly:
// `2026-11-02 1580000 (confidence 0.7, status on_track, by sam, note "...", progress "...")`.
func checkinString(c *model.Checkin) string {
	var b strings.Builder
	b.WriteString(c.Date.String())
	b.WriteByte(' ')
	b.WriteString(checkinValue(c.Value, c.IsBool()))
	var parts []string
	if c.Confidence() != nil {
		parts = append(parts, "confidence "+number(*c.Confidence()))
	}
	if c.Status() != "" {
		parts = append(parts, "status "+c.Status())
	}
	if c.Author() != "" {
		parts = append(parts, "by "+c.Author())
	}
	if c.Note() != "" {
		parts = append(parts, "note "+strconv.Quote(c.Note()))
	}
	for _, a := range c.Answers() {
		parts = append(parts, a.Question+" "+strconv.Quote(a.Text))
	}
	if len(parts) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(parts, ", "))
		b.WriteByte(')')
	}
	return b.String()
}
