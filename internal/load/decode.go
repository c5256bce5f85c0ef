package load

import (
	"math"
	"strings"
	"sync"

	"github.com/okrkit/okr/internal/model"
	"go.yaml.in/yaml/v3"
)

// Decoding is tolerant: a field of the wrong type is left at its zero value,
// because the JSON Schema check already reports it with its position.

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func str(m *yaml.Node, key string) string {
	n := valueNode(m, key)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	if v := ScalarOf(n); v.Kind == String {
		return v.Str
	}
	return n.Value
}

// number is the number at key in mapping m; ok is false when there is
// none.
func number(m *yaml.Node, key string) (f float64, ok bool) {
	n := valueNode(m, key)
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, false
	}
	if v := ScalarOf(n); v.Kind == Int || v.Kind == Float {
		return v.Float, true
	}
	return 0, false
}

func num(m *yaml.Node, key string) *float64 {
	f, ok := number(m, key)
	if !ok {
		return nil
	}
	p := new(float64) // allocated only for a number
	*p = f
	return p
}

func numOr(m *yaml.Node, key string, def float64) float64 {
	if f, ok := number(m, key); ok {
		return f
	}
	return def
}

func boolean(m *yaml.Node, key string) bool {
	n := valueNode(m, key)
	if n == nil || n.Kind != yaml.ScalarNode {
		return false
	}
	v := ScalarOf(n)
	return v.Kind == Bool && v.Bool
}

func date(m *yaml.Node, key string) model.Date {
	d, _ := model.ParseDate(str(m, key))
	return d
}

// items returns the mapping items of a list field, skipping non-mappings.
func items(m *yaml.Node, key string) []*yaml.Node {
	n := valueNode(m, key)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, e := range n.Content {
		if e = resolve(e); e.Kind == yaml.MappingNode {
			out = append(out, e)
		}
	}
	return out
}

// strs returns the scalar items of a list field.
func strs(m *yaml.Node, key string) []string {
	n := valueNode(m, key)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, e := range n.Content {
		if e = resolve(e); e.Kind == yaml.ScalarNode {
			out = append(out, e.Value)
		}
	}
	return out
}

// decoder copies the strings the model keeps out of the parse buffer, so
// the model does not pin the files' bytes (the parsers' scalars are
// substrings of the whole file's text): names, ids of other entities and
// enumerations are interned (one copy per distinct value and decoder), and
// each file's free text (ids, titles, notes, answers) is copied into one
// string per file, sized exactly. A decoder is used by one goroutine at a
// time; its interned names live as long as the model.
type decoder struct {
	names map[string]string
	// sources records the Sources of the current file.
	sources model.SourceTable
	// answers is scratch space for a check-in's answers, items for the
	// positions of a list's items.
	answers []model.Answer
	items   []model.Pos
	// refs are the strings of the current file to copy into its text
	// block, n their total length.
	refs []*string
	n    int
	// keepText, when set, picks the check-in texts to keep
	// (Options.CheckinText).
	keepText func(string) bool
}

func newDecoder() *decoder { return &decoder{} }

// name interns *p.
func (d *decoder) name(p *string) {
	if *p == "" {
		return
	}
	if c, ok := d.names[*p]; ok {
		*p = c
		return
	}
	c := strings.Clone(*p)
	if d.names == nil {
		d.names = map[string]string{}
	}
	d.names[c] = c
	*p = c
}

// in returns s interned.
func (d *decoder) in(s string) string {
	d.name(&s)
	return s
}

// str is the package's str, interned.
func (d *decoder) str(m *yaml.Node, key string) string { return d.in(str(m, key)) }

// strs is the package's strs, interned.
func (d *decoder) strs(m *yaml.Node, key string) []string { return d.nameAll(strs(m, key)) }

// nameAll interns every string of ss.
func (d *decoder) nameAll(ss []string) []string {
	for i := range ss {
		d.name(&ss[i])
	}
	return ss
}

// text queues *p to be copied into the current file's text block by
// flush; p must stay where it is until then.
func (d *decoder) text(p *string) {
	if *p == "" {
		return
	}
	d.refs = append(d.refs, p)
	d.n += len(*p)
}

// textAll queues every string of ss.
func (d *decoder) textAll(ss []string) []string {
	for i := range ss {
		d.text(&ss[i])
	}
	return ss
}

// src records where the entity held by n is.
func (d *decoder) src(file string, n *yaml.Node) model.Source {
	return sourceInto(&d.sources, file, n, &d.items)
}

// SourceOf returns where the entity held by mapping node n is in file (a
// nil or non-mapping n: its position only; 1:1 when nil), in a table of its
// own.
func SourceOf(file string, n *yaml.Node) model.Source {
	var t model.SourceTable
	var items []model.Pos
	s := sourceInto(&t, file, n, &items)
	t.Done()
	return s
}

// sourceInto records into t where the entity held by mapping node n is in
// file: the mapping's position, and each key's with its value's (aliases
// followed), and the items' of a value that is a list of scalars. items is
// scratch space.
func sourceInto(t *model.SourceTable, file string, n *yaml.Node, items *[]model.Pos) model.Source {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil {
		t.Start(file, 0, 0)
		return t.End()
	}
	t.Start(file, n.Line, n.Column)
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			for v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			is := (*items)[:0]
			if v.Kind == yaml.SequenceNode && len(v.Content) > 0 && scalars(v.Content) {
				for _, e := range v.Content {
					is = append(is, model.Pos{Line: e.Line, Col: e.Column})
				}
			}
			t.Field(k.Value, k.Line, k.Column, v.Line, v.Column, is)
			*items = is
		}
	}
	return t.End()
}

// scalars reports whether every item is a scalar, aliases followed.
func scalars(ns []*yaml.Node) bool {
	for _, n := range ns {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if n.Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}

// valueNode returns the value node of key in mapping node m, following
// aliases, or nil when m is not a mapping or has no such key.
func valueNode(m *yaml.Node, key string) *yaml.Node {
	for m != nil && m.Kind == yaml.AliasNode {
		m = m.Alias
	}
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			for v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

// flush ends the current file: it completes the Sources recorded, and
// copies the queued strings into one new string and points them at it.
func (d *decoder) flush() {
	d.sources.Done()
	if len(d.refs) == 0 {
		return
	}
	var b strings.Builder
	b.Grow(d.n)
	for _, p := range d.refs {
		b.WriteString(*p)
	}
	block, off := b.String(), 0
	for i, p := range d.refs {
		l := len(*p)
		*p = block[off : off+l]
		off += l
		d.refs[i] = nil
	}
	d.refs, d.n = d.refs[:0], 0
}

// decodeSettings decodes okr.yaml. Every string it keeps is interned: the
// file is small.
func decodeSettings(doc *Document) model.Settings {
	d := newDecoder()
	s := d.settings(doc)
	d.flush()
	return s
}

func (d *decoder) settings(doc *Document) model.Settings {
	s := defaultSettings()
	s.Source = d.src(doc.Path, doc.Root)
	m := doc.Root
	if m == nil {
		return s
	}
	if v := num(m, "version"); v != nil {
		s.Version = int(*v)
	}
	s.Name = d.str(m, "name")
	d.settingLists(&s, doc.Path, m)
	if sy := valueNode(m, "sync"); sy != nil && sy.Kind == yaml.MappingNode {
		s.SyncAuthor, s.SyncAllowCommands = d.str(sy, "author"), boolean(sy, "allow_commands")
	}
	if v := d.str(m, "checkin_unanswered"); v != "" {
		s.CheckinUnanswered = v
	}
	d.scoring(&s, m)
	if l := valueNode(m, "limits"); l != nil {
		// Out-of-range values are schema errors at their position; here
		// they leave the default.
		if v := num(l, "max_file_bytes"); v != nil && *v >= 1 && *v <= MaxMaxFileBytes && *v == math.Trunc(*v) {
			s.MaxFileBytes = int64(*v)
		}
		if v := num(l, "max_nodes"); v != nil && *v >= 1 && *v <= MaxMaxNodes && *v == math.Trunc(*v) {
			s.MaxNodes = int(*v)
		}
	}
	if l := valueNode(m, "lint"); l != nil {
		s.Lint = d.lint(l)
	}
	return s
}

// defaultSettings are the settings of an okr.yaml that sets nothing.
func defaultSettings() model.Settings {
	return model.Settings{
		ScoreBands:    []model.ScoreBand{{Name: "red", Min: 0}, {Name: "yellow", Min: 0.4}, {Name: "green", Min: 0.7}},
		OnTrack:       0.9,
		AtRisk:        0.6,
		StatusNames:   map[string]string{"on_track": "on track", "at_risk": "at risk", "off_track": "off track", "done": "done"},
		ProgressCap:   1,
		Display:       "decimal",
		Rollup:        "krs",
		ConfidenceMin: 0,
		ConfidenceMax: 1,
		MaxFileBytes:  DefaultMaxFileBytes,
		// okr checkin refuses a check-in that leaves a required
		// question unanswered unless okr.yaml says warn.
		CheckinUnanswered: "refuse",
		MaxNodes:          DefaultMaxNodes,
	}
}

// settingLists decodes okr.yaml's lists: units, categories and check-in
// questions.
func (d *decoder) settingLists(s *model.Settings, file string, m *yaml.Node) {
	for _, u := range items(m, "units") {
		s.Units = append(s.Units, &model.Unit{Source: d.src(file, u), ID: d.str(u, "id"), Name: d.str(u, "name"), Symbol: d.str(u, "symbol"), Decimals: int(numOr(u, "decimals", 0))})
	}
	for _, c := range items(m, "categories") {
		s.Categories = append(s.Categories, &model.Category{Source: d.src(file, c), ID: d.str(c, "id"), Name: d.str(c, "name"), Description: d.str(c, "description")})
	}
	for _, q := range items(m, "checkin_questions") {
		s.CheckinQuestions = append(s.CheckinQuestions, &model.Question{Source: d.src(file, q), ID: d.str(q, "id"), Text: d.str(q, "text"), Required: boolean(q, "required")})
	}
}

// scoring decodes how okr.yaml scores: score bands, status thresholds and
// names, the progress cap, display, rollup and the confidence scale.
func (d *decoder) scoring(s *model.Settings, m *yaml.Node) {
	if bands := items(m, "score_bands"); len(bands) > 0 {
		s.ScoreBands = nil
		for _, b := range bands {
			s.ScoreBands = append(s.ScoreBands, model.ScoreBand{Name: d.str(b, "name"), Min: numOr(b, "min", 0), Color: d.str(b, "color")})
		}
	}
	if t := valueNode(m, "status_thresholds"); t != nil {
		s.OnTrack = numOr(t, "on_track", s.OnTrack)
		s.AtRisk = numOr(t, "at_risk", s.AtRisk)
	}
	if t := valueNode(m, "status_names"); t != nil {
		for k := range s.StatusNames {
			if v := d.str(t, k); v != "" {
				s.StatusNames[k] = v
			}
		}
	}
	if n := valueNode(m, "progress_cap"); n != nil {
		if n.ShortTag() == "!!null" {
			s.ProgressCap = 0
		} else {
			s.ProgressCap = numOr(m, "progress_cap", 1)
		}
	}
	if v := d.str(m, "display"); v != "" {
		s.Display = v
	}
	if r := d.str(m, "rollup"); r != "" {
		s.Rollup = r
	}
	if c := valueNode(m, "confidence_scale"); c != nil {
		s.ConfidenceMin = numOr(c, "min", 0)
		s.ConfidenceMax = numOr(c, "max", 1)
	}
}

// lint reads okr.yaml's lint settings; absent values stay zero (the
// defaults).
func (d *decoder) lint(l *yaml.Node) model.LintSettings {
	var ls model.LintSettings
	if r := valueNode(l, "rules"); r != nil && r.Kind == yaml.MappingNode {
		ls.Rules = map[string]string{}
		for i := 0; i+1 < len(r.Content); i += 2 {
			ls.Rules[d.in(r.Content[i].Value)] = d.in(resolve(r.Content[i+1]).Value)
		}
	}
	if r := valueNode(l, "ignore"); r != nil && r.Kind == yaml.MappingNode {
		ls.Ignore = map[string][]string{}
		for i := 0; i+1 < len(r.Content); i += 2 {
			ls.Ignore[d.in(r.Content[i].Value)] = d.strs(r, r.Content[i].Value)
		}
	}
	ls.TaskVerbs = d.strs(l, "task_verbs")
	if k := valueNode(l, "key_results"); k != nil {
		ls.MinKeyResults = int(numOr(k, "min", 0))
		ls.MaxKeyResults = int(numOr(k, "max", 0))
		ls.MinAt, ls.MaxAt = intAt(k, "min"), intAt(k, "max")
	}
	ls.MaxObjectivesPerOwner = int(numOr(l, "max_objectives_per_owner", 0))
	return ls
}

// intAt returns the position of key's value in mapping m when it is an
// integer, else the zero Pos.
func intAt(m *yaml.Node, key string) model.Pos {
	if n := resolve(valueNode(m, key)); n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
		return model.Pos{Line: n.Line, Col: n.Column}
	}
	return model.Pos{}
}

// decodeInto adds the entities of doc, a file of size bytes, to ws,
// keeping the check-in texts checkinText picks (nil: every one).
func decodeInto(ws *model.Workspace, doc *Document, size int, checkinText func(string) bool) {
	d := decoderPool.Get().(*decoder)
	d.file(ws, doc, checkinText)
	if size <= maxPooledFile {
		decoderPool.Put(d)
	} // else its scratch space, sized for this file, is not kept
}

// file adds the entities of doc to ws, keeping the check-in texts
// checkinText picks, and leaves d as it found it for the next file
// (TestDecoderReuse): nothing of doc's is kept but the scratch space.
func (d *decoder) file(ws *model.Workspace, doc *Document, checkinText func(string) bool) {
	d.keepText = checkinText
	d.into(ws, doc)
	d.keepText = nil
	clear(d.names) // keeps its buckets for the next file
}

// maxPooledFile is the largest file whose decoder decoderPool keeps
// (objective files are a few kilobytes): the scratch space of one that
// decoded a larger file is left to the collector.
const maxPooledFile = 256 << 10

// decoderPool holds the decoders of decodeInto, which decodes one file at
// a time (a history walk decodes thousands): a decoder's intern map and
// its Source table's scratch space, grown once, serve every file after,
// where a new decoder would grow them, and rehash, for each. A decoder
// keeps nothing of a file once into returns: flush has ended its Source
// table and copied its text, and its names are cleared.
var decoderPool = sync.Pool{New: func() any { return &decoder{names: map[string]string{}} }}

// into adds the entities of doc to ws.
func (d *decoder) into(ws *model.Workspace, doc *Document) {
	m := doc.Root
	if m == nil {
		return
	}
	defer d.flush()
	switch doc.Kind {
	case KindOrg:
		for _, p := range items(m, "people") {
			pe := &model.Person{Source: d.src(doc.Path, p), ID: str(p, "id"), Name: str(p, "name"),
				Email: str(p, "email"), Handle: str(p, "handle"), Team: str(p, "team"), Role: str(p, "role"), Git: strs(p, "git")}
			d.text(&pe.ID)
			d.text(&pe.Name)
			d.text(&pe.Email)
			d.text(&pe.Handle)
			d.name(&pe.Team)
			d.name(&pe.Role)
			d.textAll(pe.Git)
			ws.People = append(ws.People, pe)
		}
		for _, t := range items(m, "teams") {
			te := &model.Team{Source: d.src(doc.Path, t), ID: d.str(t, "id"), Name: d.str(t, "name"),
				Parent: d.str(t, "parent"), Lead: d.str(t, "lead"), Handle: d.str(t, "handle")}
			ws.Teams = append(ws.Teams, te)
		}
	case KindCycles:
		for _, c := range items(m, "cycles") {
			cy := &model.Cycle{Source: d.src(doc.Path, c), ID: d.str(c, "id"), Name: d.str(c, "name"), Cadence: d.str(c, "cadence"),
				State: d.str(c, "state"), Parent: d.str(c, "parent"), Start: date(c, "start"), End: date(c, "end")}
			if cy.Name == "" {
				cy.Name = cy.ID
			}
			if cy.Cadence == "" {
				cy.Cadence = "weekly"
			}
			ws.Cycles = append(ws.Cycles, cy)
		}
	case KindObjective:
		ws.Objectives = append(ws.Objectives, d.objective(doc.Path, m))
	}
}

// decodeObjective decodes the objective held by m, its strings copied.
func decodeObjective(file string, m *yaml.Node) *model.Objective {
	d := newDecoder()
	o := d.objective(file, m)
	d.flush()
	return o
}

// objective decodes the objective held by m; its free text is copied by
// the next flush.
func (d *decoder) objective(file string, m *yaml.Node) *model.Objective {
	o := &model.Objective{Source: d.src(file, m), ID: str(m, "id"), Title: str(m, "title"), Description: str(m, "description"),
		Cycle: d.str(m, "cycle"), Level: d.str(m, "level"), Owner: d.str(m, "owner"), Category: d.str(m, "category"),
		Rollup: d.str(m, "rollup"), Contributors: d.strs(m, "contributors"), Tags: d.strs(m, "tags"), Weight: numOr(m, "weight", 1)}
	d.text(&o.ID)
	d.text(&o.Title)
	d.text(&o.Description)
	o.VisibleTo, o.HiddenFrom = d.strs(m, "visible_to"), d.strs(m, "hidden_from")
	o.CarriedFrom, o.CarriedTo = str(m, "carried_from"), str(m, "carried_to")
	d.text(&o.CarriedFrom)
	d.text(&o.CarriedTo)
	if o.Level == "" {
		o.Level = "team"
	}
	if n := valueNode(m, "aligns_to"); n != nil && n.Kind == yaml.SequenceNode {
		for _, e := range n.Content {
			e = resolve(e)
			switch e.Kind {
			case yaml.ScalarNode:
				o.AlignsTo = append(o.AlignsTo, &model.Alignment{Source: d.src(file, e), Objective: d.in(e.Value), Weight: 1})
			case yaml.MappingNode:
				o.AlignsTo = append(o.AlignsTo, &model.Alignment{Source: d.src(file, e), Objective: d.str(e, "objective"), Weight: numOr(e, "weight", 1)})
			}
		}
	}
	for _, k := range items(m, "key_results") {
		kr := &model.KeyResult{Source: d.src(file, k), ID: str(k, "id"), Title: str(k, "title"), Description: str(k, "description"),
			Type: d.str(k, "type"), Unit: d.str(k, "unit"), Owner: d.str(k, "owner"), Start: num(k, "start"), Target: num(k, "target"),
			Threshold: num(k, "threshold"), Low: num(k, "low"), High: num(k, "high"), Steps: d.textAll(strs(k, "steps")),
			Weight: numOr(k, "weight", 1), Due: date(k, "due"), Score: num(k, "score"),
			CarriedFrom: str(k, "carried_from"), CarriedTo: str(k, "carried_to")}
		d.text(&kr.ID)
		d.text(&kr.Title)
		d.text(&kr.Description)
		d.text(&kr.CarriedFrom)
		d.text(&kr.CarriedTo)
		if sn := valueNode(k, "source"); sn != nil && sn.Kind == yaml.MappingNode {
			kr.Metric = d.metricSource(file, sn)
		}
		if cs := items(k, "checkins"); len(cs) > 0 {
			// One allocation for the key result's check-ins.
			kr.Checkins = make([]model.Checkin, len(cs))
			for i, c := range cs {
				d.checkin(&kr.Checkins[i], file, c)
			}
		}
		o.KeyResults = append(o.KeyResults, kr)
	}
	for _, i := range items(m, "initiatives") {
		in := &model.Initiative{Source: d.src(file, i), ID: str(i, "id"), Title: str(i, "title"),
			Link: str(i, "link"), Status: d.str(i, "status"), Owner: d.str(i, "owner"), KeyResult: d.str(i, "key_result"), Due: date(i, "due")}
		d.text(&in.ID)
		d.text(&in.Title)
		d.text(&in.Link)
		o.Initiatives = append(o.Initiatives, in)
	}
	return o
}

// metricSource decodes a key result's source:; its strings are rare, so
// interned.
func (d *decoder) metricSource(file string, n *yaml.Node) *model.MetricSource {
	ms := &model.MetricSource{Source: d.src(file, n), Kind: d.str(n, "kind"), Path: d.str(n, "path"), Pointer: d.str(n, "pointer"),
		Column: d.str(n, "column"), Latest: d.str(n, "latest"), URL: d.str(n, "url"), TokenEnv: d.str(n, "token_env"),
		Search: d.str(n, "search"), Repo: d.str(n, "repo"), Metric: d.str(n, "metric"), Argv: d.strs(n, "argv"),
		Scale: num(n, "scale"), Timeout: d.str(n, "timeout")}
	if r := num(n, "round"); r != nil {
		v := int(*r)
		ms.Round = &v
	}
	if b := num(n, "max_bytes"); b != nil {
		ms.MaxBytes = int64(*b)
	}
	strMap := func(key string) map[string]string {
		mn := valueNode(n, key)
		if mn == nil || mn.Kind != yaml.MappingNode {
			return nil
		}
		out := map[string]string{}
		for i := 0; i+1 < len(mn.Content); i += 2 {
			out[d.in(mn.Content[i].Value)] = d.str(mn, mn.Content[i].Value)
		}
		return out
	}
	ms.Where, ms.HeadersEnv = strMap("where"), strMap("headers_env")
	return ms
}

// checkin decodes the check-in held by c into ci.
func (d *decoder) checkin(ci *model.Checkin, file string, c *yaml.Node) {
	*ci = model.Checkin{Source: d.src(file, c), Date: date(c, "date")}
	if p, ok := number(c, "confidence"); ok {
		d.sources.Confidence(ci, p)
	}
	if n := valueNode(c, "value"); n != nil && n.Kind == yaml.ScalarNode {
		switch v := ScalarOf(n); v.Kind {
		case Bool:
			ci.SetBool(true)
			if v.Bool {
				ci.Value = 1
			}
		case Int, Float:
			ci.Value = v.Float
		}
	}
	t := model.CheckinText{Status: d.str(c, "status"), Note: str(c, "note"), Author: d.str(c, "author")}
	if a := valueNode(c, "answers"); a != nil && a.Kind == yaml.MappingNode {
		t.Answers = d.answers[:0]
		for i := 0; i+1 < len(a.Content); i += 2 {
			k := a.Content[i]
			t.Answers = append(t.Answers, model.Answer{Question: d.in(k.Value), Text: resolve(a.Content[i+1]).Value, At: model.Pos{Line: k.Line, Col: k.Column}})
		}
		d.answers = t.Answers
	}
	if d.keepText != nil {
		if !d.keepText(t.Note) {
			t.Note = ""
		}
		for i := range t.Answers {
			if !d.keepText(t.Answers[i].Text) {
				t.Answers[i].Text = ""
			}
		}
	}
	// The file's Source table copies the note and the answers' texts.
	d.sources.CheckinText(ci, t)
	clear(d.answers) // they point into the file's bytes
}
