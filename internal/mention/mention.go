// Package mention finds @mentions in free text (check-in notes and
// answers, descriptions), resolves them to the people and teams of the
// organisation, and rewrites them as display names for reports.
//
// A mention is "@" followed by a person or team id (@maya-chen), or by a
// code-host handle from org.yaml without its "@" (@mchen, @lumen/platform).
// The "@" must start the text or follow a character that is not a letter,
// digit or one of "._-", so e-mail addresses are not mentions. Trailing
// ".", "-", "_" and "/" end a sentence, not the mention.
package mention

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/okrkit/okr/internal/model"
)

// Mention is one @mention in a text.
type Mention struct {
	// Name is what follows the "@", as written.
	Name string
	// Offset is the byte offset of the "@" in the text.
	Offset int
}

// Find returns the mentions in text, in order.
func Find(text string) []Mention {
	var out []Mention
	for i := 0; i < len(text); i++ {
		if text[i] != '@' {
			continue
		}
		if i > 0 {
			r, _ := utf8.DecodeLastRuneInString(text[:i])
			if isNameRune(r) {
				continue
			}
		}
		j := i + 1
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isNameRune(r) && r != '/' {
				break
			}
			j += size
		}
		name := strings.TrimRight(text[i+1:j], "._-/")
		if r, _ := utf8.DecodeRuneInString(name); name == "" || !isAlnum(r) {
			continue
		}
		out = append(out, Mention{Name: name, Offset: i})
		i += len(name)
	}
	return out
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isNameRune(r rune) bool { return isAlnum(r) || r == '.' || r == '_' || r == '-' }

// Resolver maps mention names to people and teams.
type Resolver struct {
	names map[string]string // id or handle (lower case, no "@") -> display name
}

// NewResolver indexes the people and teams of ws by id and by handle.
// Ids win over handles when they clash.
func NewResolver(ws *model.Workspace) *Resolver {
	r := &Resolver{names: map[string]string{}}
	add := func(key, name string) {
		key = strings.ToLower(strings.TrimPrefix(key, "@"))
		if _, ok := r.names[key]; key != "" && !ok {
			r.names[key] = name
		}
	}
	for _, p := range ws.People {
		add(p.ID, or(p.Name, p.ID))
	}
	for _, t := range ws.Teams {
		add(t.ID, or(t.Name, t.ID))
	}
	for _, p := range ws.People {
		add(p.Handle, or(p.Name, p.ID))
	}
	for _, t := range ws.Teams {
		add(t.Handle, or(t.Name, t.ID))
	}
	return r
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Name returns the display name of the person or team a mention names.
func (r *Resolver) Name(mention string) (string, bool) {
	n, ok := r.names[strings.ToLower(mention)]
	return n, ok
}

// Render replaces every mention in text that names a person or team by
// their display name; unknown mentions are left as written.
func (r *Resolver) Render(text string) string {
	ms := Find(text)
	if len(ms) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		name, ok := r.Name(m.Name)
		if !ok {
			continue
		}
		b.WriteString(text[last:m.Offset])
		b.WriteString(name)
		last = m.Offset + 1 + len(m.Name)
	}
	b.WriteString(text[last:])
	return b.String()
}

// Names returns ws with the mentions in objective and key-result
// descriptions, check-in notes and answers shown as names, so that every
// report built from it shows names. ws itself is not changed: objectives
// with a mention are copied, the rest shared.
func Names(ws *model.Workspace) *model.Workspace { return NewResolver(ws).Names(ws) }

// Names returns ws with its mentions shown as the names of r's people and
// teams, as the function Names does with ws's own: rendering two versions
// of a workspace with one resolver keeps a change in org.yaml from
// showing as a change of text.
func (r *Resolver) Names(ws *model.Workspace) *model.Workspace {
	out := *ws
	out.Objectives = make([]*model.Objective, len(ws.Objectives))
	for i, o := range ws.Objectives {
		out.Objectives[i] = r.Objective(o)
	}
	return &out
}

// Objective returns o with the mentions in its descriptions, check-in
// notes and answers rendered, or o itself when it has none (or is nil).
// o is not changed.
func (r *Resolver) Objective(o *model.Objective) *model.Objective {
	if o == nil || !hasAt(o) {
		return o
	}
	changed := false
	render := func(s string) string {
		t := r.Render(s)
		changed = changed || t != s
		return t
	}
	c := *o
	c.Description = render(o.Description)
	c.KeyResults = make([]*model.KeyResult, len(o.KeyResults))
	for i, kr := range o.KeyResults {
		k := *kr
		k.Description = render(kr.Description)
		k.Checkins = make([]model.Checkin, len(kr.Checkins))
		for j := range kr.Checkins {
			ci := &kr.Checkins[j]
			cc := *ci
			t := ci.Text()
			note := render(t.Note)
			changed := note != t.Note
			t.Note = note
			if len(t.Answers) > 0 {
				answers := make([]model.Answer, len(t.Answers))
				for a, ans := range t.Answers {
					text := render(ans.Text)
					changed = changed || text != ans.Text
					ans.Text = text
					answers[a] = ans
				}
				t.Answers = answers
			}
			if changed {
				cc.SetText(t) // the copy's own text; ci's is shared
			}
			k.Checkins[j] = cc
		}
		c.KeyResults[i] = &k
	}
	if !changed {
		return o
	}
	return &c
}

// hasAt reports whether any text Names rewrites in o holds an "@", so
// objectives without one are not copied.
func hasAt(o *model.Objective) bool {
	at := func(s string) bool { return strings.IndexByte(s, '@') >= 0 }
	if at(o.Description) {
		return true
	}
	for _, kr := range o.KeyResults {
		if at(kr.Description) {
			return true
		}
		for ix := range kr.Checkins {
			ci := &kr.Checkins[ix]
			if at(ci.Note()) {
				return true
			}
			for _, a := range ci.Answers() {
				if at(a.Text) {
					return true
				}
			}
		}
	}
	return false
}
