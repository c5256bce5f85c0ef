// Package validate checks a loaded okr workspace: every file against its
// kind's JSON Schema, then the semantic rules no schema can express (unique
// ids, references that resolve, acyclic alignment, weights, dates inside
// their cycles, fields that fit each key result's type). It returns findings
// as diagnostics and never reads the system clock: today comes in Options.
package validate

import (
	"math"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/inert"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
)

// Options tunes Run.
type Options struct {
	// Today is the date check-ins may not be later than.
	Today model.Date
	// Workers is the loader's parallelism; 0 means GOMAXPROCS.
	Workers int
	// Overlay replaces or adds files before validating (see
	// load.Options.Overlay): editing commands check a change this way
	// before they write it.
	Overlay map[string][]byte
	// NoCheckinText keeps of the check-ins' notes and answers only those
	// the control-character rule reports (load.Options.CheckinText): the
	// others read as "" in Result.Workspace. For callers that print
	// none of them (okr validate); the diagnostics are the same.
	NoCheckinText bool
	// Sized is load.Options.Sized: called with the bytes of the files
	// to read once they are known.
	Sized func(bytes int64)
}

// ReportedText reports whether a check-in's note or answer text is one the
// rules report (it holds a control character): what a load keeps of those
// texts for a command that prints none of them (load.Options.CheckinText,
// history.Repo.CheckinText), so that its findings stay the same.
func ReportedText(s string) bool { return inert.First(s) != "" }

// Result is the outcome of validating a workspace.
type Result struct {
	Workspace *model.Workspace
	// Files lists every file checked, slash-separated, relative to the root.
	Files       []string
	Diagnostics []diag.Diagnostic
}

// Run loads the workspace at root and validates it.
func Run(root string, opts Options) (*Result, error) {
	if _, err := schemas(); err != nil {
		return nil, err
	}
	lo := load.Options{Workers: opts.Workers, Check: CheckSchema, Overlay: opts.Overlay, Sized: opts.Sized}
	if opts.NoCheckinText {
		lo.CheckinText = ReportedText
	}
	res, err := load.Load(root, lo)
	if err != nil {
		return nil, err
	}
	out := &Result{Workspace: res.Workspace, Diagnostics: res.Diagnostics}
	for _, d := range res.Documents {
		out.Files = append(out.Files, d.Path)
	}
	ws := res.Workspace
	if res.Stopped {
		// okr.yaml is broken: its findings are the whole story.
		return out, nil
	}
	if v := ws.Settings.Version; v > model.FormatVersion {
		// Rules of a newer format are unknown here: report only this.
		out.Diagnostics = []diag.Diagnostic{diag.New(ws.Settings.File(), ws.Settings.At("version").Line, ws.Settings.At("version").Col,
			diag.CodeUnsupportedVersion, "workspace format version %d is newer than this okr reads (%d); upgrade okr", v, model.FormatVersion)}
		return out, nil
	}
	out.Diagnostics = append(out.Diagnostics, semantic(ws, opts.Today, opts.Workers)...)
	diag.Sort(out.Diagnostics)
	return out, nil
}

// Filter keeps the diagnostics whose file is one of paths or lies under one
// of them; paths are slash-separated and relative to the workspace root.
// With no paths it returns ds unchanged.
func Filter(ds []diag.Diagnostic, paths []string) []diag.Diagnostic {
	if len(paths) == 0 {
		return ds
	}
	var out []diag.Diagnostic
	for _, d := range ds {
		for _, p := range paths {
			p = path.Clean(p)
			if p == "." || d.File == p || strings.HasPrefix(d.File, p+"/") {
				out = append(out, d)
				break
			}
		}
	}
	return out
}

// checker collects semantic diagnostics.
type checker struct {
	ws    *model.Workspace
	today model.Date
	out   []diag.Diagnostic

	people, teams map[string]bool
	cycles        map[string]*model.Cycle
	objectives    map[string]*model.Objective
	krIDs         map[string]bool // every key result id
	units, cats   map[string]bool
	questions     map[string]bool
	workers       int // for the per-objective rules; 0 means GOMAXPROCS
	idCount       int // objectives and key results: the size of their id table
}

func (c *checker) add(s model.Source, key, code, format string, args ...any) {
	p := s.At(key)
	c.out = append(c.out, diag.New(s.File(), p.Line, p.Col, code, format, args...))
}

// ids registers ids in one namespace and reports repeats at each later use.
type ids map[string]claimed

type claimed struct {
	what string
	src  model.Source
}

func (c *checker) claim(ns ids, id, what string, s model.Source) {
	if id == "" {
		return
	}
	if first, dup := ns[id]; dup {
		p := first.src.At("id")
		c.add(s, "id", diag.CodeDuplicateID, "id %q is already used by the %s at %s:%d:%d", id, first.what, first.src.File(), p.Line, p.Col)
		return
	}
	ns[id] = claimed{what, s}
}

// Semantic runs the rules that need the whole workspace, checking
// objectives on GOMAXPROCS goroutines. The diagnostics are unsorted.
func Semantic(ws *model.Workspace, today model.Date) []diag.Diagnostic {
	return semantic(ws, today, 0)
}

func semantic(ws *model.Workspace, today model.Date, workers int) []diag.Diagnostic {
	krs := 0
	for _, o := range ws.Objectives {
		krs += len(o.KeyResults)
	}
	// The id tables sized once: grown entry by entry, a large workspace's
	// would be rehashed a dozen times.
	c := &checker{ws: ws, today: today, workers: workers, people: map[string]bool{}, teams: map[string]bool{}, cycles: map[string]*model.Cycle{},
		objectives: make(map[string]*model.Objective, len(ws.Objectives)), krIDs: make(map[string]bool, krs), units: map[string]bool{},
		cats: map[string]bool{}, questions: map[string]bool{}, idCount: len(ws.Objectives) + krs}
	c.settings()
	c.org()
	c.cycleRules()
	c.objectiveRules()
	c.alignmentLoops()
	c.textRules()
	return c.out
}

// textRules warns on control characters, DEL, bidirectional overrides and
// bytes that are not text in the words people read: names, titles,
// descriptions, notes and answers (rule control-character). okr prints
// them escaped, but an editor, a browser or another tool may not.
func (c *checker) textRules() {
	// what names the text in parts, joined only for a finding: most
	// texts have none, and a workspace has tens of thousands of them.
	check := func(s model.Source, key, text string, what ...string) {
		if ch := inert.First(text); ch != "" {
			c.add(s, key, diag.CodeControlCharacter, "%s holds the control character or bidirectional override %s, which can hide or disguise text in terminals and editors", strings.Join(what, ""), ch)
		}
	}
	st := c.ws.Settings
	check(st.Source, "name", st.Name, "the workspace name")
	for _, u := range st.Units {
		check(u.Source, "name", u.Name, "unit ", u.ID, "'s name")
		check(u.Source, "symbol", u.Symbol, "unit ", u.ID, "'s symbol")
	}
	for _, k := range st.Categories {
		check(k.Source, "name", k.Name, "category ", k.ID, "'s name")
		check(k.Source, "description", k.Description, "category ", k.ID, "'s description")
	}
	for _, q := range st.CheckinQuestions {
		check(q.Source, "text", q.Text, "question ", q.ID, "'s text")
	}
	for _, p := range c.ws.People {
		check(p.Source, "name", p.Name, "person ", p.ID, "'s name")
	}
	for _, t := range c.ws.Teams {
		check(t.Source, "name", t.Name, "team ", t.ID, "'s name")
	}
	for _, cy := range c.ws.Cycles {
		check(cy.Source, "name", cy.Name, "cycle ", cy.ID, "'s name")
	}
	for _, o := range c.ws.Objectives {
		check(o.Source, "title", o.Title, "the title of objective ", o.ID)
		check(o.Source, "description", o.Description, "the description of objective ", o.ID)
		for _, kr := range o.KeyResults {
			check(kr.Source, "title", kr.Title, "the title of key result ", kr.ID)
			check(kr.Source, "description", kr.Description, "the description of key result ", kr.ID)
			for i, st := range kr.Steps {
				if ch := inert.First(st); ch != "" {
					p := kr.Source.Items("steps")
					at := kr.Source.At("steps")
					if i < len(p) {
						at = p[i]
					}
					c.out = append(c.out, diag.New(kr.File(), at.Line, at.Col, diag.CodeControlCharacter, "step %d of key result %s holds the control character or bidirectional override %s, which can hide or disguise text in terminals and editors", i+1, kr.ID, ch))
				}
			}
			for ix := range kr.Checkins {
				ci := &kr.Checkins[ix]
				check(ci.Source, "note", ci.Note(), "the note of a check-in on ", kr.ID)
				for _, a := range ci.Answers() {
					if ch := inert.First(a.Text); ch != "" {
						c.out = append(c.out, diag.New(ci.File(), a.At.Line, a.At.Col, diag.CodeControlCharacter, "the answer to %s of a check-in on %s holds the control character or bidirectional override %s, which can hide or disguise text in terminals and editors", a.Question, kr.ID, ch))
					}
				}
			}
		}
		for _, in := range o.Initiatives {
			check(in.Source, "title", in.Title, "the title of initiative ", in.ID)
		}
	}
}

func (c *checker) settings() {
	s := &c.ws.Settings
	ns := ids{}
	for _, u := range s.Units {
		c.claim(ns, u.ID, "unit", u.Source)
		c.units[u.ID] = true
	}
	ns = ids{}
	for _, k := range s.Categories {
		c.claim(ns, k.ID, "category", k.Source)
		c.cats[k.ID] = true
	}
	ns = ids{}
	for _, q := range s.CheckinQuestions {
		c.claim(ns, q.ID, "question", q.Source)
		c.questions[q.ID] = true
	}
}

func (c *checker) org() {
	ns := ids{}
	for _, p := range c.ws.People {
		c.claim(ns, p.ID, "person", p.Source)
		c.people[p.ID] = true
	}
	for _, t := range c.ws.Teams {
		c.claim(ns, t.ID, "team", t.Source)
		c.teams[t.ID] = true
	}
	for _, p := range c.ws.People {
		if p.Team != "" && !c.teams[p.Team] {
			c.add(p.Source, "team", diag.CodeUnknownTeam, "person %q is in team %q, which org.yaml does not define", p.ID, p.Team)
		}
	}
	parent := map[string]*model.Team{}
	for _, t := range c.ws.Teams {
		if t.Parent != "" && !c.teams[t.Parent] {
			c.add(t.Source, "parent", diag.CodeUnknownTeam, "team %q has parent %q, which org.yaml does not define", t.ID, t.Parent)
		}
		if t.Lead != "" && !c.people[t.Lead] {
			c.add(t.Source, "lead", diag.CodeUnknownPerson, "team %q is led by %q, who is not a person in org.yaml", t.ID, t.Lead)
		}
		if _, ok := parent[t.ID]; !ok {
			parent[t.ID] = t
		}
	}
	c.parentLoops(len(c.ws.Teams), func(i int) (string, string, model.Source) {
		t := c.ws.Teams[i]
		return t.ID, t.Parent, t.Source
	}, diag.CodeTeamLoop, "team")
}

// parentLoops reports loops in a single-parent hierarchy, once per loop, at
// the parent field of the loop member that comes first in file order.
func (c *checker) parentLoops(n int, at func(int) (id, parent string, s model.Source), code, what string) {
	parentOf := map[string]string{}
	srcOf := map[string]model.Source{}
	order := []string{}
	for i := 0; i < n; i++ {
		id, p, s := at(i)
		if _, dup := parentOf[id]; dup || id == "" {
			continue
		}
		parentOf[id], srcOf[id] = p, s
		order = append(order, id)
	}
	reported := map[string]bool{}
	for _, start := range order {
		seen := map[string]int{}
		var chain []string
		for id := start; id != ""; id = parentOf[id] {
			if _, ok := parentOf[id]; !ok {
				break
			}
			if i, ok := seen[id]; ok {
				loop := chain[i:]
				if id != start || reported[start] {
					break
				}
				for _, m := range loop {
					reported[m] = true
				}
				c.add(srcOf[start], "parent", code, "%s loop: %s", what, strings.Join(append(loop, start), " -> "))
				break
			}
			seen[id] = len(chain)
			chain = append(chain, id)
		}
	}
}

func (c *checker) cycleRules() {
	ns := ids{}
	for _, cy := range c.ws.Cycles {
		c.claim(ns, cy.ID, "cycle", cy.Source)
		if _, ok := c.cycles[cy.ID]; !ok {
			c.cycles[cy.ID] = cy
		}
	}
	for _, cy := range c.ws.Cycles {
		if !cy.Start.IsZero() && !cy.End.IsZero() && cy.End.Before(cy.Start) {
			c.add(cy.Source, "end", diag.CodeCycleDates, "cycle %q ends (%s) before it starts (%s)", cy.ID, cy.End, cy.Start)
		}
		if cy.Parent == "" {
			continue
		}
		p, ok := c.cycles[cy.Parent]
		if !ok {
			c.add(cy.Source, "parent", diag.CodeUnknownCycle, "cycle %q has parent %q, which cycles.yaml does not define", cy.ID, cy.Parent)
			continue
		}
		if p == cy || p.Start.IsZero() || p.End.IsZero() {
			continue
		}
		if !cy.Start.IsZero() && !p.Contains(cy.Start) {
			c.add(cy.Source, "start", diag.CodeDateOutsideCycle, "cycle %q starts %s, outside its parent %q (%s to %s)", cy.ID, cy.Start, p.ID, p.Start, p.End)
		} else if !cy.End.IsZero() && !p.Contains(cy.End) {
			c.add(cy.Source, "end", diag.CodeDateOutsideCycle, "cycle %q ends %s, outside its parent %q (%s to %s)", cy.ID, cy.End, p.ID, p.Start, p.End)
		}
	}
	c.parentLoops(len(c.ws.Cycles), func(i int) (string, string, model.Source) {
		cy := c.ws.Cycles[i]
		return cy.ID, cy.Parent, cy.Source
	}, diag.CodeCycleLoop, "cycle")
}

func (c *checker) isOwner(id string) bool { return c.people[id] || c.teams[id] }

func (c *checker) objectiveRules() {
	ns := make(ids, c.idCount)
	initiatives := ids{}
	for _, o := range c.ws.Objectives {
		c.claim(ns, o.ID, "objective", o.Source)
		if _, ok := c.objectives[o.ID]; !ok && o.ID != "" {
			c.objectives[o.ID] = o
		}
		for _, kr := range o.KeyResults {
			c.claim(ns, kr.ID, "key result", kr.Source)
			c.krIDs[kr.ID] = true
		}
		for _, in := range o.Initiatives {
			c.claim(initiatives, in.ID, "initiative", in.Source)
		}
	}
	c.eachObjective()
}

// eachObjective runs the per-objective rules in parallel. Once the id
// tables are built they only read shared state, so each goroutine works on
// a copy of the checker with its own output; outputs are joined in order.
func (c *checker) eachObjective() {
	objs := c.ws.Objectives
	workers := c.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers == 1 || len(objs) < 256 {
		for _, o := range objs {
			c.objective(o)
		}
		return
	}
	outs := make([][]diag.Diagnostic, workers)
	chunk := (len(objs) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := 0; w < workers && w*chunk < len(objs); w++ {
		wg.Add(1)
		go func(w int, part []*model.Objective) {
			defer wg.Done()
			sub := *c
			sub.out = nil
			for _, o := range part {
				sub.objective(o)
			}
			outs[w] = sub.out
		}(w, objs[w*chunk:min((w+1)*chunk, len(objs))])
	}
	wg.Wait()
	for _, o := range outs {
		c.out = append(c.out, o...)
	}
}

func (c *checker) objective(o *model.Objective) {
	cy := c.cycles[o.Cycle]
	if o.Cycle != "" && cy == nil {
		c.add(o.Source, "cycle", diag.CodeUnknownCycle, "objective %q is in cycle %q, which cycles.yaml does not define", o.ID, o.Cycle)
	}
	if cy != nil && (cy.Start.IsZero() || cy.End.IsZero()) {
		cy = nil // its dates are broken and reported already
	}
	c.involved(o)
	if o.Category != "" && !c.cats[o.Category] {
		c.add(o.Source, "category", diag.CodeUnknownCategory, "category %q is not defined in okr.yaml categories", o.Category)
	}
	if o.Weight < 0 {
		c.add(o.Source, "weight", diag.CodeNegativeWeight, "objective weight %g is negative; use 0 to leave it out of rollups", o.Weight)
	}
	c.magnitude(o.Source, "weight", "objective "+o.ID+"'s weight", o.Weight)
	for _, a := range o.AlignsTo {
		c.alignment(o, a, cy)
	}
	allZero := len(o.KeyResults) > 0
	for _, kr := range o.KeyResults {
		if kr.Weight != 0 {
			allZero = false
		}
		c.keyResult(o, kr, cy)
	}
	if allZero {
		c.add(o.Source, "key_results", diag.CodeZeroWeights, "every key result of %q has weight 0, so its score is undefined; give at least one a positive weight", o.ID)
	}
	c.carried(o)
	c.initiatives(o, cy)
}

// involved checks that the objective's owner, contributors and audience
// (visible_to, hidden_from) are people or teams of org.yaml.
func (c *checker) involved(o *model.Objective) {
	if o.Owner != "" && !c.isOwner(o.Owner) {
		c.add(o.Source, "owner", diag.CodeUnknownOwner, "owner %q is not a person or team in org.yaml", o.Owner)
	}
	if o.Has("contributors") {
		items := o.Items("contributors")
		for i, id := range o.Contributors {
			if !c.isOwner(id) && i < len(items) {
				p := items[i]
				c.out = append(c.out, diag.New(o.File(), p.Line, p.Col, diag.CodeUnknownOwner, "contributor %q is not a person or team in org.yaml", id))
			}
		}
	}
	for _, v := range []struct {
		key string
		ids []string
	}{{"visible_to", o.VisibleTo}, {"hidden_from", o.HiddenFrom}} {
		items := o.Items(v.key)
		for i, id := range v.ids {
			if !c.isOwner(id) && i < len(items) {
				p := items[i]
				c.out = append(c.out, diag.New(o.File(), p.Line, p.Col, diag.CodeUnknownOwner, "%s names %q, which is not a person or team in org.yaml", v.key, id))
			}
		}
	}
}

// alignment checks one aligns_to link of o (in cycle cy; nil when unknown
// or broken): its parent exists, is not o, and its cycle contains o's; its
// weight.
func (c *checker) alignment(o *model.Objective, a *model.Alignment, cy *model.Cycle) {
	switch {
	case a.Objective == o.ID:
		c.add(a.Source, "objective", diag.CodeAlignmentLoop, "alignment loop: %s -> %s", o.ID, o.ID)
	case c.objectives[a.Objective] == nil:
		c.add(a.Source, "objective", diag.CodeUnknownParent, "aligns to %q, which is not an objective in this workspace", a.Objective)
	default:
		p := c.objectives[a.Objective]
		pc := c.cycles[p.Cycle]
		if cy != nil && pc != nil && !cy.Within(pc) {
			c.add(a.Source, "objective", diag.CodeAlignmentCycle, "aligns to %q of cycle %s (%s to %s), which does not contain this objective's cycle %s (%s to %s); it would not count in that objective's rollup",
				a.Objective, pc.ID, pc.Start, pc.End, cy.ID, cy.Start, cy.End)
		}
	}
	if a.Weight < 0 {
		c.add(a.Source, "weight", diag.CodeNegativeWeight, "link weight %g is negative", a.Weight)
	}
	c.magnitude(a.Source, "weight", "the link weight", a.Weight)
}

// initiatives checks o's initiatives: their owners, key results, and due
// dates within its cycle cy.
func (c *checker) initiatives(o *model.Objective, cy *model.Cycle) {
	krs := map[string]bool{}
	for _, kr := range o.KeyResults {
		krs[kr.ID] = true
	}
	for _, in := range o.Initiatives {
		if in.Owner != "" && !c.isOwner(in.Owner) {
			c.add(in.Source, "owner", diag.CodeUnknownOwner, "owner %q is not a person or team in org.yaml", in.Owner)
		}
		if in.KeyResult != "" && !krs[in.KeyResult] {
			c.add(in.Source, "key_result", diag.CodeUnknownKR, "key result %q is not one of objective %q's key results", in.KeyResult, o.ID)
		}
		if cy != nil && !in.Due.IsZero() && !cy.Contains(in.Due) {
			c.add(in.Source, "due", diag.CodeDateOutsideCycle, "due date %s is outside cycle %q (%s to %s)", in.Due, cy.ID, cy.Start, cy.End)
		}
	}
}

func (c *checker) keyResult(o *model.Objective, kr *model.KeyResult, cy *model.Cycle) {
	if kr.Unit != "" && !c.units[kr.Unit] {
		c.add(kr.Source, "unit", diag.CodeUnknownUnit, "unit %q is not defined in okr.yaml units", kr.Unit)
	}
	if kr.Owner != "" && !c.isOwner(kr.Owner) {
		c.add(kr.Source, "owner", diag.CodeUnknownOwner, "owner %q is not a person or team in org.yaml", kr.Owner)
	}
	if kr.Weight < 0 {
		c.add(kr.Source, "weight", diag.CodeNegativeWeight, "key result weight %g is negative; use 0 to track it without scoring", kr.Weight)
	}
	if cy != nil && !kr.Due.IsZero() && !cy.Contains(kr.Due) {
		c.add(kr.Source, "due", diag.CodeDateOutsideCycle, "due date %s is outside cycle %q (%s to %s)", kr.Due, cy.ID, cy.Start, cy.End)
	}
	c.krFields(kr)
	if m := kr.Metric; m != nil && m.Kind == "command" && !c.ws.Settings.SyncAllowCommands {
		c.add(m.Source, "kind", diag.CodeCommandSource, "key result %s reads its value from a command, but okr.yaml does not set sync.allow_commands: true", kr.ID)
	}
	for _, f := range []struct {
		key string
		v   *float64
	}{{"start", kr.Start}, {"target", kr.Target}, {"threshold", kr.Threshold}, {"low", kr.Low}, {"high", kr.High}, {"score", kr.Score}, {"weight", &kr.Weight}} {
		if f.v != nil {
			c.magnitude(kr.Source, f.key, "key result "+kr.ID+"'s "+f.key, *f.v)
		}
	}
	var prev *model.Checkin
	for ix := range kr.Checkins {
		ci := &kr.Checkins[ix]
		c.checkin(kr, ci, cy)
		if prev != nil && !ci.Date.IsZero() && ci.Date.Before(prev.Date) {
			c.add(ci.Source, "date", diag.CodeCheckinOrder, "check-in of %s comes after one of %s; keep check-ins oldest first", ci.Date, prev.Date)
		}
		if !ci.Date.IsZero() {
			prev = ci
		}
	}
}

// allowed lists the type-specific fields each KR type takes.
var allowed = map[string][]string{
	model.Increase:  {"start", "target"},
	model.Decrease:  {"start", "target"},
	model.AtLeast:   {"threshold"},
	model.AtMost:    {"threshold"},
	model.Range:     {"low", "high"},
	model.Milestone: {"steps"},
}

var typeFields = []string{"start", "target", "threshold", "low", "high", "steps"}

func (c *checker) krFields(kr *model.KeyResult) {
	want, ok := allowed[kr.Type]
	if !ok {
		return // unknown type: the schema reports it
	}
	// One pass over the key result's keys: a type field the type does not
	// take is reported at its key.
	keys := kr.Keys()
	for i, f := range keys {
		// A repeated key is a duplicate-key finding; report the field once.
		if slices.Contains(typeFields, f) && !slices.Contains(want, f) && !slices.Contains(keys[:i], f) {
			c.add(kr.Source, f, diag.CodeKRFields, "%s does not apply to key results of type %s (they take %s)", f, kr.Type, strings.Join(want, " and "))
		}
	}
	missing := func(f string, v *float64) bool {
		if v == nil && !kr.Has(f) {
			c.add(kr.Source, "type", diag.CodeKRFields, "key results of type %s need %s", kr.Type, f)
			return true
		}
		return v == nil
	}
	switch kr.Type {
	case model.Increase, model.Decrease:
		ms, mt := missing("start", kr.Start), missing("target", kr.Target)
		if ms || mt {
			return
		}
		s, t := *kr.Start, *kr.Target
		switch {
		case s == t:
			c.add(kr.Source, "target", diag.CodeStartEqualsTarget, "start and target are both %g, so progress cannot be measured", s)
		case kr.Type == model.Increase && t < s:
			c.add(kr.Source, "target", diag.CodeKRDirection, "increase key result has target %g below start %g; did you mean type decrease?", t, s)
		case kr.Type == model.Decrease && t > s:
			c.add(kr.Source, "target", diag.CodeKRDirection, "decrease key result has target %g above start %g; did you mean type increase?", t, s)
		}
	case model.AtLeast, model.AtMost:
		missing("threshold", kr.Threshold)
	case model.Range:
		ml, mh := missing("low", kr.Low), missing("high", kr.High)
		if !ml && !mh && *kr.Low > *kr.High {
			c.add(kr.Source, "high", diag.CodeKRFields, "range high %g is below low %g", *kr.High, *kr.Low)
		}
	}
}

// MaxMagnitude bounds every number okr scores: start, target, threshold,
// low, high, score and weight of a key result, check-in values and
// confidences, objective and link weights (rule number-range). Within it
// every difference and weighted sum stays finite and whole numbers stay
// exact (2^53 is about 9e15), so no score is NaN or infinite.
const MaxMagnitude = 1e15

// magnitude reports a number outside ±MaxMagnitude (or not finite).
func (c *checker) magnitude(s model.Source, key, what string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > MaxMagnitude {
		c.add(s, key, diag.CodeNumberRange, "%s %g is beyond the ±1e15 okr scores with; numbers that large would overflow scoring", what, v)
	}
}

func (c *checker) checkin(kr *model.KeyResult, ci *model.Checkin, cy *model.Cycle) {
	c.magnitude(ci.Source, "value", "the check-in value", ci.Value)
	if ci.Confidence() != nil {
		c.magnitude(ci.Source, "confidence", "the check-in confidence", *ci.Confidence())
	}
	if !ci.Date.IsZero() {
		if cy != nil && !cy.Contains(ci.Date) {
			c.add(ci.Source, "date", diag.CodeCheckinOutsideCycle, "check-in dated %s is outside cycle %q (%s to %s)", ci.Date, cy.ID, cy.Start, cy.End)
		}
		if !c.today.IsZero() && ci.Date.After(c.today) {
			c.add(ci.Source, "date", diag.CodeCheckinInFuture, "check-in dated %s is in the future (today is %s)", ci.Date, c.today)
		}
	}
	if ci.Has("value") {
		c.checkinValue(kr, ci)
	}
	s := &c.ws.Settings
	if ci.Confidence() != nil && (*ci.Confidence() < s.ConfidenceMin || *ci.Confidence() > s.ConfidenceMax) {
		c.add(ci.Source, "confidence", diag.CodeConfidenceScale, "confidence %g is outside the workspace scale %g to %g", *ci.Confidence(), s.ConfidenceMin, s.ConfidenceMax)
	}
	if ci.Author() != "" && !c.people[ci.Author()] {
		c.add(ci.Source, "author", diag.CodeUnknownPerson, "author %q is not a person in org.yaml", ci.Author())
	}
	for _, a := range ci.Answers() {
		if !c.questions[a.Question] {
			c.out = append(c.out, diag.New(ci.File(), a.At.Line, a.At.Col, diag.CodeUnknownQuestion, "answers question %q, which okr.yaml checkin_questions does not ask", a.Question))
		}
	}
	for _, q := range s.CheckinQuestions {
		if q.Required {
			if !ci.Answered(q.ID) {
				c.add(ci.Source, "date", diag.CodeMissingAnswer, "check-in of %s does not answer the required question %q", ci.Date, q.ID)
			}
		}
	}
}

func (c *checker) checkinValue(kr *model.KeyResult, ci *model.Checkin) {
	switch kr.Type {
	case model.Milestone:
		if len(kr.Steps) == 0 {
			if !ci.IsBool() {
				c.add(ci.Source, "value", diag.CodeCheckinValue, "a milestone without steps takes true or false, not %g", ci.Value)
			}
			return
		}
		if ci.IsBool() || ci.Value != float64(int(ci.Value)) || ci.Value < 0 || int(ci.Value) > len(kr.Steps) {
			c.add(ci.Source, "value", diag.CodeCheckinValue, "a milestone with %d steps takes the number of steps done (0 to %d)", len(kr.Steps), len(kr.Steps))
		}
	case "":
	default:
		if ci.IsBool() {
			c.add(ci.Source, "value", diag.CodeCheckinValue, "key results of type %s take a number, not true or false", kr.Type)
		}
	}
}

// alignmentLoops finds every loop in the alignment graph and names it whole.
func (c *checker) alignmentLoops() {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	reported := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		color[id] = grey
		stack = append(stack, id)
		o := c.objectives[id]
		for _, a := range o.AlignsTo {
			p := a.Objective
			if p == id || c.objectives[p] == nil {
				continue
			}
			switch color[p] {
			case white:
				visit(p)
			case grey:
				i := len(stack) - 1
				for stack[i] != p {
					i--
				}
				// Start the loop at the objective whose link closes it, where
				// the diagnostic points.
				loop := append([]string{id}, stack[i:len(stack)-1]...)
				key := canonical(loop)
				if !reported[key] {
					reported[key] = true
					c.add(a.Source, "objective", diag.CodeAlignmentLoop, "alignment loop: %s -> %s", strings.Join(loop, " -> "), id)
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
	}
	for _, o := range c.ws.Objectives {
		if c.objectives[o.ID] == o && color[o.ID] == white {
			visit(o.ID)
		}
	}
}

// canonical rotates a loop to start at its smallest id, so the same loop
// found from two places is reported once.
func canonical(loop []string) string {
	min := 0
	for i, id := range loop {
		if id < loop[min] {
			min = i
		}
	}
	return strings.Join(append(append([]string(nil), loop[min:]...), loop[:min]...), ">")
}

// Introduced returns the error diagnostics of after that before did not
// have: for each file and rule, the errors beyond as many as before had.
// Editing commands refuse a change that introduces any. Positions and
// messages are not compared, since an edit moves lines.
func Introduced(before, after []diag.Diagnostic) []diag.Diagnostic {
	type key struct{ file, code string }
	had := map[key]int{}
	for _, d := range before {
		if d.Severity == diag.Error {
			had[key{d.File, d.Code}]++
		}
	}
	var out []diag.Diagnostic
	for _, d := range after {
		if d.Severity != diag.Error {
			continue
		}
		k := key{d.File, d.Code}
		if had[k] > 0 {
			had[k]--
			continue
		}
		out = append(out, d)
	}
	return out
}

// carried checks the links okr carry writes: an objective's name
// objectives, a key result's name key results.
func (c *checker) carried(o *model.Objective) {
	for _, l := range []struct{ key, id string }{{"carried_from", o.CarriedFrom}, {"carried_to", o.CarriedTo}} {
		if l.id != "" && c.objectives[l.id] == nil {
			c.add(o.Source, l.key, diag.CodeUnknownCarry, "%s names %q, which is not an objective", l.key, l.id)
		}
	}
	for _, kr := range o.KeyResults {
		for _, l := range []struct{ key, id string }{{"carried_from", kr.CarriedFrom}, {"carried_to", kr.CarriedTo}} {
			if l.id != "" && !c.krIDs[l.id] {
				c.add(kr.Source, l.key, diag.CodeUnknownCarry, "%s names %q, which is not a key result", l.key, l.id)
			}
		}
	}
}
