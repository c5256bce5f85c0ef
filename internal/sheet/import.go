package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/schema"
	"go.yaml.in/yaml/v3"
)

// ImportOptions are the inputs of Import.
type ImportOptions struct {
	// KeyResults is the key-result sheet (Columns).
	KeyResults File
	// Checkins is the check-in sheet (CheckinColumns), nil for none.
	Checkins *File
	// Initiatives is the initiative sheet (InitiativeColumns), nil for
	// none.
	Initiatives *File
	// Workspace is the workspace imported into, nil for an empty one: its
	// objectives' ids and files are checked against the sheet's.
	Workspace *model.Workspace
	// Update lets the sheet replace the files of objectives the workspace
	// already has; without it such an objective is refused.
	Update bool
	// Exists reports whether a workspace-relative file exists; nil means
	// only the workspace's objective files do.
	Exists func(rel string) bool
	// Read returns the bytes of a workspace file. Under Update it reads
	// the file being replaced, whose fields the sheets do not carry
	// (initiatives without an initiative sheet, check-ins without a
	// check-in sheet, carry links, ...) are kept; nil keeps nothing.
	Read func(rel string) ([]byte, error)
	// SchemaPath is the workspace-relative path of the objective schema
	// the generated files' "# yaml-language-server: $schema=" line points
	// to (relative to each file); "" points to the published schema URL.
	SchemaPath string
}

// Planned is one objective file Import generates.
type Planned struct {
	ID string
	// File is the workspace-relative slash path.
	File string
	// Replaces is true when the objective is in the workspace already
	// (ImportOptions.Update).
	Replaces                          bool
	KeyResults, Checkins, Initiatives int
}

// Imported is what Import made of the sheets.
type Imported struct {
	// Files maps each objective file to write (workspace-relative, slash
	// separated) to its YAML. It is nil when Problems is not empty.
	Files map[string][]byte
	// Objectives lists the generated files, sorted by file.
	Objectives []Planned
	// Problems are the findings in the sheets themselves, sorted, with
	// the sheet's name, row and column.
	Problems []diag.Diagnostic
	// marks holds, per generated file, the positions of its nodes and the
	// sheet cells they came from, sorted by position.
	marks map[string][]mark
}

// mark ties a position in a generated file to a sheet cell.
type mark struct {
	line, col int
	at        cell
}

type objective struct {
	id          string
	at          cell
	vals        map[string]value
	krs         []*keyResult
	initiatives []*initiative
	// old is the mapping of the file being replaced, nil for a new one.
	old *yaml.Node
}

type initiative struct {
	at   cell
	vals map[string]value
}

type keyResult struct {
	id       string
	at       cell
	vals     map[string]value
	checkins []*checkin
}

type checkin struct {
	c     edit.Checkin
	at    cell
	cells map[string]cell
}

// Import reads the key-result sheet and the optional check-in and
// initiative sheets into one YAML file per objective. Every row is checked
// before anything is generated: columns are known, ids are ids, numbers
// and dates parse, key-result types exist, the rows of one objective agree
// on its fields, check-ins and initiatives belong to the sheet's key
// results and objectives, and objectives and files are new to the
// workspace (or replaced under Update). The rest of the rules (cycles,
// owners, units, references, ...) are the validator's: validate the
// workspace with Files as an overlay and pass its findings through
// Locate. Import returns an error only when Read or the YAML encoder
// fails.
func Import(opts ImportOptions) (*Imported, error) {
	var p problems
	objs, ok := readObjectives(opts.KeyResults, &p)
	if opts.Checkins != nil && ok {
		readCheckins(*opts.Checkins, opts.KeyResults.Name, objs, opts.Workspace, &p)
	}
	if opts.Initiatives != nil && ok {
		readInitiatives(*opts.Initiatives, opts.KeyResults.Name, objs, &p)
	}
	im := &Imported{marks: map[string][]mark{}}
	files := map[string]*objective{}
	existing := map[string]*model.Objective{}
	byFile := map[string]string{}
	if opts.Workspace != nil {
		for _, o := range opts.Workspace.Objectives {
			if _, ok := existing[o.ID]; !ok {
				existing[o.ID] = o
			}
			byFile[o.File()] = o.ID
		}
	}
	var order []string
	for _, o := range objs {
		rel, ok := o.file()
		if !ok {
			continue
		}
		pl := Planned{ID: o.id, File: rel, KeyResults: len(o.krs), Initiatives: len(o.initiatives)}
		for _, kr := range o.krs {
			pl.Checkins += len(kr.checkins)
		}
		fileCell := o.vals["file"]
		if old, ok := existing[o.id]; ok {
			switch {
			case !opts.Update:
				p.add(o.at, CodeExists, "objective %q is already in the workspace, in %s (pass --update to replace that file)", o.id, old.File())
				continue
			case fileCell.s == "":
				rel = old.File()
			case rel != old.File():
				p.add(fileCell.at, CodeExists, "objective %q is in %s, not %s (move the file with git mv first, or leave the file cell empty)", o.id, old.File(), rel)
				continue
			}
			pl.File, pl.Replaces = rel, true
			if opts.Read != nil {
				data, err := opts.Read(rel)
				if err != nil {
					return nil, err
				}
				var doc yaml.Node
				if err := yaml.Unmarshal(data, &doc); err == nil && len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
					o.old = doc.Content[0]
				}
			}
		} else if id, ok := byFile[rel]; ok {
			p.add(cellOr(fileCell, o.at), CodeExists, "%s already holds objective %q", rel, id)
			continue
		} else if opts.Exists != nil && opts.Exists(rel) {
			p.add(cellOr(fileCell, o.at), CodeExists, "%s already exists", rel)
			continue
		}
		if prev, ok := files[rel]; ok {
			p.add(cellOr(fileCell, o.at), CodeExists, "%s is also the file of objective %q (row %d)", rel, prev.id, prev.at.row)
			continue
		}
		files[rel] = o
		order = append(order, rel)
		im.Objectives = append(im.Objectives, pl)
	}
	if opts.Workspace != nil {
		checkTakenIDs(objs, opts.Workspace, &p)
	}
	if len(p) > 0 {
		diag.Sort(p)
		im.Problems, im.Objectives = p, nil
		return im, nil
	}
	im.Files = map[string][]byte{}
	for _, rel := range order {
		data, marks, err := generate(files[rel], rel, opts.SchemaPath, carried(opts))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		im.Files[rel], im.marks[rel] = data, marks
	}
	sort.Slice(im.Objectives, func(i, j int) bool { return im.Objectives[i].File < im.Objectives[j].File })
	return im, nil
}

// checkTakenIDs reports the sheet's ids that the workspace already uses
// outside the objectives the sheet names (those it replaces, or is
// refused for): objectives and key results share one namespace, and the
// validator would report the clash at whichever file loads later, maybe
// not at the sheet.
func checkTakenIDs(objs []*objective, ws *model.Workspace, p *problems) {
	inSheet := map[string]bool{}
	for _, o := range objs {
		inSheet[o.id] = true
	}
	type holder struct{ what, file string }
	taken := map[string]holder{}
	for _, o := range ws.Objectives {
		if inSheet[o.ID] {
			continue
		}
		if _, ok := taken[o.ID]; !ok {
			taken[o.ID] = holder{"objective " + strconv.Quote(o.ID), o.File()}
		}
		for _, kr := range o.KeyResults {
			if _, ok := taken[kr.ID]; !ok {
				taken[kr.ID] = holder{fmt.Sprintf("a key result of objective %q", o.ID), o.File()}
			}
		}
	}
	for _, o := range objs {
		if h, ok := taken[o.id]; ok && strings.HasPrefix(h.what, "a key result") {
			p.add(o.at, CodeExists, "objective %q: the id is already used by %s, in %s (objectives and key results need ids unique in the workspace)", o.id, h.what, h.file)
		}
		for _, kr := range o.krs {
			if h, ok := taken[kr.id]; ok {
				p.add(kr.at, CodeExists, "key result %q is already in the workspace: %s, in %s (objectives and key results need ids unique in the workspace)", kr.id, h.what, h.file)
			}
		}
	}
}

func cellOr(v value, at cell) cell {
	if v.s != "" {
		return v.at
	}
	return at
}

// sheetKeys are the keys of an objective and of a key result that the
// key-result sheet always writes; the others come from the other sheets.
var sheetKeys = map[string]bool{
	"id": true, "title": true, "description": true, "cycle": true, "level": true, "owner": true, "contributors": true,
	"category": true, "tags": true, "weight": true, "rollup": true, "aligns_to": true, "visible_to": true,
	"hidden_from": true, "key_results": true, "type": true, "start": true, "target": true, "threshold": true,
	"low": true, "high": true, "steps": true, "unit": true, "due": true, "score": true,
}

// carried returns the keys the import writes: a replaced file's other
// keys are kept.
func carried(opts ImportOptions) func(string) bool {
	return func(key string) bool {
		switch key {
		case "checkins":
			return opts.Checkins != nil
		case "initiatives":
			return opts.Initiatives != nil
		}
		return sheetKeys[key]
	}
}

// keep appends to m the pairs of old whose keys the import does not
// write and m does not have.
func keep(m, old *yaml.Node, carried func(string) bool) {
	if old == nil || old.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(old.Content); i += 2 {
		k := old.Content[i].Value
		if !carried(k) && edit.Get(m, k) == nil {
			m.Content = append(m.Content, old.Content[i], old.Content[i+1])
		}
	}
}

// Locate maps a finding on a generated file to the sheet cell its value
// came from (the nearest one at or before its position); any other
// finding is returned as it is.
func (im *Imported) Locate(d diag.Diagnostic) diag.Diagnostic {
	marks := im.marks[d.File]
	if len(marks) == 0 {
		return d
	}
	best := marks[0]
	for _, m := range marks {
		if m.line > d.Line || m.line == d.Line && m.col > d.Col {
			break
		}
		best = m
	}
	d.File, d.Line, d.Col = best.at.file, best.at.row, best.at.col
	return d
}

// readObjectives reads the key-result sheet into objectives, in the order
// of their first rows; false when the sheet cannot be read at all.
func readObjectives(f File, p *problems) ([]*objective, bool) {
	t := readTable(f, Columns, "", []string{"objective"}, p)
	if t == nil {
		return nil, false
	}
	var out []*objective
	byID := map[string]*objective{}
	if !slices.ContainsFunc(t.rows, func(r record) bool { return !blank(r) }) {
		p.add(cell{f.Name, 1, 1}, CodeHeader, "the sheet has no rows below its header")
	}
	for _, r := range t.rows {
		if blank(r) {
			continue
		}
		idv := t.get(r, "objective")
		id := strings.TrimSpace(idv.s)
		if id == "" {
			p.add(idv.at, CodeCell, "the row has no objective id")
			continue
		}
		if !model.ValidID(id) {
			p.add(idv.at, CodeCell, "objective %q is not an id (lower-case letters, digits, '.', '_' and '-')", id)
			continue
		}
		o := byID[id]
		if o == nil {
			o = &objective{id: id, at: idv.at, vals: map[string]value{}}
			byID[id] = o
			out = append(out, o)
		}
		hasKR := false
		for _, c := range Columns {
			v := t.get(r, c)
			if strings.TrimSpace(v.s) == "" {
				continue
			}
			if krColumns[c] {
				hasKR = true
				continue
			}
			if c == "objective" {
				continue
			}
			if prev, ok := o.vals[c]; ok && prev.s != v.s {
				p.add(v.at, CodeConflict, "objective %q has %s %q on row %d; this row says %q (leave the cell empty or make them the same)",
					id, c, clip(prev.s), prev.at.row, clip(v.s))
				continue
			}
			if _, ok := o.vals[c]; !ok {
				o.vals[c] = v
				checkObjectiveCell(c, v, p)
			}
		}
		if !hasKR {
			continue
		}
		kv := t.get(r, "key_result")
		kid := strings.TrimSpace(kv.s)
		switch {
		case kid == "":
			p.add(kv.at, CodeCell, "the row has key-result cells but no key_result id")
			continue
		case !model.ValidID(kid):
			p.add(kv.at, CodeCell, "key result %q is not an id (lower-case letters, digits, '.', '_' and '-')", kid)
			continue
		}
		kr := &keyResult{id: kid, at: kv.at, vals: map[string]value{}}
		for c := range krColumns {
			if v := t.get(r, c); strings.TrimSpace(v.s) != "" {
				kr.vals[c] = v
				checkKRCell(c, v, p)
			}
		}
		o.krs = append(o.krs, kr)
	}
	return out, true
}

// clip shortens a cell for a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}

func checkObjectiveCell(c string, v value, p *problems) {
	switch c {
	case "cycle", "objective_owner", "category":
		checkID(c, v, p)
	case "objective_weight":
		checkNumber(c, v, p)
	case "contributors", "visible_to", "hidden_from":
		for _, id := range splitIDs(v.s) {
			if !model.ValidID(id) {
				p.add(v.at, CodeCell, "%s: %q is not an id (separate ids with commas)", c, id)
			}
		}
	case "aligns_to":
		for _, a := range splitIDs(v.s) {
			id, w, weighted := strings.Cut(a, ":")
			if !model.ValidID(id) {
				p.add(v.at, CodeCell, "aligns_to: %q is not an objective id, or ID:WEIGHT", a)
			} else if _, err := edit.ParseNumber(w); weighted && err != nil {
				p.add(v.at, CodeCell, "aligns_to: the weight of %q is not a number", a)
			}
		}
	case "file":
		if _, err := cleanFile(v.s); err != nil {
			p.add(v.at, CodeCell, "%v", err)
		}
	}
}

func checkKRCell(c string, v value, p *problems) {
	switch c {
	case "type":
		if t := strings.TrimSpace(v.s); !slices.Contains(krTypes, t) {
			p.add(v.at, CodeCell, "unknown key-result type %q (want one of %s)", t, strings.Join(krTypes, ", "))
		}
	case "start", "target", "threshold", "low", "high", "key_result_weight", "score":
		checkNumber(c, v, p)
	case "due":
		if _, err := model.ParseDate(strings.TrimSpace(v.s)); err != nil {
			p.add(v.at, CodeCell, "due %q is not a date (want YYYY-MM-DD)", strings.TrimSpace(v.s))
		}
	case "unit", "key_result_owner":
		checkID(c, v, p)
	}
}

func checkID(c string, v value, p *problems) {
	if s := strings.TrimSpace(v.s); !model.ValidID(s) {
		p.add(v.at, CodeCell, "%s %q is not an id (lower-case letters, digits, '.', '_' and '-')", c, s)
	}
}

func checkNumber(c string, v value, p *problems) {
	if _, err := edit.ParseNumber(v.s); err != nil {
		p.add(v.at, CodeCell, "%s %q is not a number", c, strings.TrimSpace(v.s))
	}
}

// splitIDs splits a list of ids at commas, semicolons and white space.
func splitIDs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// splitLines splits a text list cell, one item per line, empty lines
// dropped.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSuffix(l, "\r"); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// cleanFile checks a file cell: a relative slash path of a .yaml or .yml
// file under objectives/.
func cleanFile(s string) (string, error) {
	s = strings.TrimSpace(s)
	rel := path.Clean(strings.TrimPrefix(s, "./"))
	if strings.Contains(s, `\`) || path.IsAbs(s) {
		return "", fmt.Errorf("file %q is not a relative path with / separators", s)
	}
	if kind, ok := load.KindOf(rel); !ok || kind != load.KindObjective {
		return "", fmt.Errorf("file %q is not a .yaml or .yml file under objectives/", s)
	}
	return rel, nil
}

// file is the objective's file: the file cell, or objectives/CYCLE/ID.yaml.
// A bad file cell was reported when the cell was read.
func (o *objective) file() (string, bool) {
	if v, ok := o.vals["file"]; ok {
		rel, err := cleanFile(v.s)
		return rel, err == nil
	}
	cycle := strings.TrimSpace(o.vals["cycle"].s)
	if !model.ValidID(cycle) {
		// The validator reports the missing cycle; the file goes to the
		// top of objectives/.
		return load.ObjectivesDir + "/" + o.id + ".yaml", true
	}
	return load.ObjectivesDir + "/" + cycle + "/" + o.id + ".yaml", true
}

// readCheckins reads the check-in sheet onto the key results of objs.
func readCheckins(f File, krSheet string, objs []*objective, ws *model.Workspace, p *problems) {
	t := readTable(f, CheckinColumns, AnswerPrefix, []string{"kr", "date", "value"}, p)
	if t == nil {
		return
	}
	krs := map[string]*keyResult{}
	for _, o := range objs {
		for _, kr := range o.krs {
			if _, ok := krs[kr.id]; !ok {
				krs[kr.id] = kr
			}
		}
	}
	for _, r := range t.checkinRows() {
		kv := t.get(r.rec, "kr")
		kr := krs[r.in.KR]
		if kr == nil {
			hint := ""
			if ws != nil && inWorkspace(ws, r.in.KR) {
				hint = " (it is in the workspace: record check-ins on existing key results with okr checkin --from)"
			}
			p.add(kv.at, CodeCell, "kr %q is not a key result in %s%s", r.in.KR, krSheet, hint)
			continue
		}
		c := &checkin{at: kv.at, cells: r.cells}
		var errs []edit.FieldError
		c.c, errs = r.in.Checkin(model.Date{}, kr.model(), "")
		if r.in.Date == "" {
			// Required here: a sheet of past check-ins has no today.
			errs = append([]edit.FieldError{{Field: "date", Err: errors.New(`date "" is not a date (want YYYY-MM-DD)`)}}, errs...)
		}
		for _, e := range errs {
			p.add(t.get(r.rec, e.Field).at, CodeCell, "%s", e.Error())
		}
		kr.checkins = append(kr.checkins, c)
	}
}

// model is kr as far as its check-ins' values need it: its id, type and
// steps. A type the sheet does not name or that is unknown (a finding of
// its own) is left empty, which takes any number, true or false.
func (kr *keyResult) model() *model.KeyResult {
	m := &model.KeyResult{ID: kr.id, Type: strings.TrimSpace(kr.vals["type"].s), Steps: splitLines(kr.vals["steps"].s)}
	if !slices.Contains(krTypes, m.Type) {
		m.Type = ""
	}
	return m
}

func inWorkspace(ws *model.Workspace, kr string) bool {
	for _, o := range ws.Objectives {
		for _, k := range o.KeyResults {
			if k.ID == kr {
				return true
			}
		}
	}
	return false
}

// readInitiatives reads the initiative sheet onto objs.
func readInitiatives(f File, krSheet string, objs []*objective, p *problems) {
	t := readTable(f, InitiativeColumns, "", []string{"objective", "title"}, p)
	if t == nil {
		return
	}
	byID := map[string]*objective{}
	for _, o := range objs {
		byID[o.id] = o
	}
	for _, r := range t.rows {
		if blank(r) {
			continue
		}
		ov := t.get(r, "objective")
		o := byID[strings.TrimSpace(ov.s)]
		if o == nil {
			p.add(ov.at, CodeCell, "objective %q is not an objective in %s", strings.TrimSpace(ov.s), krSheet)
			continue
		}
		in := &initiative{at: ov.at, vals: map[string]value{}}
		for _, c := range InitiativeColumns[1:] {
			v := t.get(r, c)
			if strings.TrimSpace(v.s) == "" {
				continue
			}
			in.vals[c] = v
			switch c {
			case "id", "owner", "key_result":
				checkID(c, v, p)
			case "due":
				if _, err := model.ParseDate(strings.TrimSpace(v.s)); err != nil {
					p.add(v.at, CodeCell, "due %q is not a date (want YYYY-MM-DD)", strings.TrimSpace(v.s))
				}
			}
		}
		o.initiatives = append(o.initiatives, in)
	}
}

// builder assembles a file's node tree, remembering the cell of each node.
type builder struct {
	at map[*yaml.Node]cell
}

// put appends key: n to mapping m; key and value point at cell c (a value
// already marked keeps its mark).
func (b *builder) put(m *yaml.Node, key string, n *yaml.Node, c cell) {
	k := edit.Scalar(key)
	b.at[k] = c
	if _, ok := b.at[n]; !ok {
		b.at[n] = c
	}
	m.Content = append(m.Content, k, n)
}

// text returns a string node; multi-line text is a literal block.
func text(s string) *yaml.Node {
	n := edit.String(s)
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func flow(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: items}
}

// objectiveNode builds the objective's mapping, keys in the order the
// format documents them.
func (b *builder) objectiveNode(o *objective, carried func(string) bool) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	b.at[m] = o.at
	b.put(m, "id", edit.String(o.id), o.at)
	str := func(key, col string) {
		if v, ok := o.vals[col]; ok {
			b.put(m, key, edit.String(strings.TrimSpace(v.s)), v.at)
		}
	}
	txt := func(key, col string) {
		if v, ok := o.vals[col]; ok {
			b.put(m, key, text(v.s), v.at)
		}
	}
	idList := func(key, col string) {
		if v, ok := o.vals[col]; ok {
			var items []*yaml.Node
			for _, id := range splitIDs(v.s) {
				items = append(items, edit.String(id))
			}
			b.put(m, key, flow(items...), v.at)
		}
	}
	txt("title", "objective_title")
	txt("description", "objective_description")
	str("cycle", "cycle")
	str("level", "level")
	str("owner", "objective_owner")
	idList("contributors", "contributors")
	str("category", "category")
	if v, ok := o.vals["tags"]; ok {
		var items []*yaml.Node
		for _, t := range splitLines(v.s) {
			items = append(items, edit.String(t))
		}
		b.put(m, "tags", flow(items...), v.at)
	}
	if v, ok := o.vals["objective_weight"]; ok {
		f, _ := edit.ParseNumber(v.s)
		b.put(m, "weight", edit.Number(f), v.at)
	}
	str("rollup", "rollup")
	if v, ok := o.vals["aligns_to"]; ok {
		var items []*yaml.Node
		for _, a := range splitIDs(v.s) {
			id, w, weighted := strings.Cut(a, ":")
			if !weighted {
				items = append(items, edit.String(id))
				continue
			}
			f, _ := edit.ParseNumber(w)
			fm := edit.Map("objective", edit.String(id), "weight", edit.Number(f))
			fm.Style = yaml.FlowStyle
			items = append(items, fm)
		}
		b.put(m, "aligns_to", flow(items...), v.at)
	}
	idList("visible_to", "visible_to")
	idList("hidden_from", "hidden_from")
	if len(o.krs) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, kr := range o.krs {
			n := b.krNode(kr)
			keep(n, edit.Find(edit.Get(o.old, "key_results"), kr.id), carried)
			seq.Content = append(seq.Content, n)
		}
		b.put(m, "key_results", seq, o.krs[0].at)
	}
	if len(o.initiatives) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, in := range o.initiatives {
			im := &yaml.Node{Kind: yaml.MappingNode}
			b.at[im] = in.at
			for _, c := range InitiativeColumns[1:] {
				v, ok := in.vals[c]
				switch {
				case !ok:
				case c == "title":
					b.put(im, c, text(v.s), v.at)
				case c == "due":
					b.put(im, c, edit.Scalar(strings.TrimSpace(v.s)), v.at)
				default:
					b.put(im, c, edit.String(strings.TrimSpace(v.s)), v.at)
				}
			}
			seq.Content = append(seq.Content, im)
		}
		b.put(m, "initiatives", seq, o.initiatives[0].at)
	}
	keep(m, o.old, carried)
	return m
}

func (b *builder) krNode(kr *keyResult) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	b.at[m] = kr.at
	b.put(m, "id", edit.String(kr.id), kr.at)
	for _, f := range []struct{ key, col, kind string }{
		{"title", "key_result_title", "text"}, {"description", "key_result_description", "text"},
		{"type", "type", "str"}, {"start", "start", "num"}, {"target", "target", "num"},
		{"threshold", "threshold", "num"}, {"low", "low", "num"}, {"high", "high", "num"},
		{"steps", "steps", "lines"}, {"unit", "unit", "str"}, {"owner", "key_result_owner", "str"},
		{"weight", "key_result_weight", "num"}, {"due", "due", "date"}, {"score", "score", "num"},
	} {
		v, ok := kr.vals[f.col]
		if !ok {
			continue
		}
		var n *yaml.Node
		switch f.kind {
		case "text":
			n = text(v.s)
		case "str":
			n = edit.String(strings.TrimSpace(v.s))
		case "num":
			x, _ := edit.ParseNumber(v.s)
			n = edit.Number(x)
		case "date":
			n = edit.Scalar(strings.TrimSpace(v.s))
		case "lines":
			n = &yaml.Node{Kind: yaml.SequenceNode}
			for _, s := range splitLines(v.s) {
				n.Content = append(n.Content, edit.String(s))
			}
		}
		b.put(m, f.key, n, v.at)
	}
	if len(kr.checkins) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, c := range kr.checkins {
			seq.Content = append(seq.Content, b.checkinNode(c))
		}
		b.put(m, "checkins", seq, kr.checkins[0].at)
	}
	return m
}

// checkinNode builds a check-in with edit.Checkin.Node, the same layout
// okr checkin writes, and marks each field with its cell.
func (b *builder) checkinNode(c *checkin) *yaml.Node {
	m := c.c.Node()
	b.at[m] = c.at
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		at, ok := c.cells[k.Value]
		if !ok {
			at = c.at
		}
		b.at[k], b.at[v] = at, at
		if k.Value == "answers" {
			for j := 0; j+1 < len(v.Content); j += 2 {
				qa := c.cells[AnswerPrefix+v.Content[j].Value]
				b.at[v.Content[j]], b.at[v.Content[j+1]] = qa, qa
			}
		}
	}
	return m
}

// generate writes objective o as the YAML of file rel, and the positions
// of its nodes.
func generate(o *objective, rel, schemaPath string, carried func(string) bool) ([]byte, []mark, error) {
	b := &builder{at: map[*yaml.Node]cell{}}
	root := b.objectiveNode(o, carried)
	ref := schema.URL("objective")
	if schemaPath != "" {
		ref = schema.RelRef(rel, schemaPath)
	}
	var buf bytes.Buffer
	buf.WriteString("# yaml-language-server: $schema=" + ref + "\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, nil, err
	}
	data := buf.Bytes()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, err
	}
	var marks []mark
	seen := map[[2]int]bool{}
	var walk func(built, parsed *yaml.Node)
	walk = func(built, parsed *yaml.Node) {
		if at, ok := b.at[built]; ok && !seen[[2]int{parsed.Line, parsed.Column}] {
			seen[[2]int{parsed.Line, parsed.Column}] = true
			marks = append(marks, mark{parsed.Line, parsed.Column, at})
		}
		if len(built.Content) != len(parsed.Content) {
			return
		}
		for i := range built.Content {
			walk(built.Content[i], parsed.Content[i])
		}
	}
	if len(doc.Content) == 1 {
		walk(root, doc.Content[0])
	}
	sort.SliceStable(marks, func(i, j int) bool {
		if marks[i].line != marks[j].line {
			return marks[i].line < marks[j].line
		}
		return marks[i].col < marks[j].col
	})
	return data, marks, nil
}
