package diff

import (
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
)

// CompareReports compares two reports, e.g. a saved snapshot and today's
// report. Objectives and key results are matched by id; their fields are
// compared by the code okr diff uses (appendObjectiveFields,
// appendKeyResultFields), on model objects rebuilt from what the reports
// carry: the objective's title, description, cycle, level, owner,
// category, tags, weight, rollup, aligns_to (the parents, each of link
// weight 1: a report has no link weights) and initiatives; the key
// result's title, type, start, target, threshold, low, high, steps, unit,
// weight, owner, due and manual score; and the key result's confidence.
// Goalposts moved while the head's cycle ran are found as okr diff finds
// them (Goalposts, as of the head's date). A report has no check-ins, so
// the diff has none. A version 1 report carries no goals, descriptions,
// tags or initiatives: when either side is version 1 those are left out
// of the comparison rather than shown as added. Either report may be nil,
// meaning empty; an empty Ref.Date is filled from the report's as-of date.
func CompareReports(base, head *report.Report, baseRef, headRef Ref) *Diff {
	if base == nil {
		base = &report.Report{}
	}
	if head == nil {
		head = &report.Report{}
	}
	d := &Diff{Version: Version, Base: withDate(baseRef, base.AsOf), Head: withDate(headRef, head.AsOf)}
	// Goals and the work behind them came with report version 2; an empty
	// side (version 0) has nothing to leave out.
	full := (base.Version == 0 || base.Version >= 2) && (head.Version == 0 || head.Version >= 2)
	olds, news := reportObjectives(base), reportObjectives(head)
	for _, id := range unionIDs(olds, news) {
		if oc, ok := compareReportObjective(olds[id], news[id], base.Cycle.ID, head.Cycle.ID, full); ok {
			d.Objectives = append(d.Objectives, oc)
		}
	}
	if full {
		d.Goalposts = Goalposts(reportWorkspace(base), reportWorkspace(head), reportDay(head))
	}
	d.Summary = summarize(d)
	d.Display = head.Display
	return d
}

// reportWorkspace rebuilds the model objects a report describes: its
// cycle and its objectives with their key results' definitions (modelOf).
func reportWorkspace(r *report.Report) *model.Workspace {
	ws := &model.Workspace{}
	if c, ok := reportCycle(r); ok {
		ws.Cycles = []*model.Cycle{c}
	}
	for i := range r.Objectives {
		ws.Objectives = append(ws.Objectives, modelOf(&r.Objectives[i], r.Cycle.ID, true))
	}
	return ws
}

func reportCycle(r *report.Report) (*model.Cycle, bool) {
	start, err1 := model.ParseDate(r.Cycle.Start)
	end, err2 := model.ParseDate(r.Cycle.End)
	if r.Cycle.ID == "" || err1 != nil || err2 != nil {
		return nil, false
	}
	return &model.Cycle{ID: r.Cycle.ID, Name: r.Cycle.Name, Start: start, End: end}, true
}

func reportDay(r *report.Report) model.Date {
	d, _ := model.ParseDate(r.AsOf)
	return d
}

// modelOf rebuilds objective o of a report of cycle as model objects, for
// the field comparison okr diff makes; full adds what report version 2
// carries (goals, description, category, tags, initiatives, due dates).
func modelOf(o *report.Objective, cycle string, full bool) *model.Objective {
	m := &model.Objective{ID: o.ID, Title: o.Title, Cycle: cycle, Level: o.Level, Owner: o.Owner, Weight: o.Weight, Rollup: o.Rollup}
	// Where the report says the objective was: its key results too.
	src := model.NewSource(o.File)
	m.Source = src
	if o.Cycle != "" {
		m.Cycle = o.Cycle
	}
	for _, p := range o.Parents {
		m.AlignsTo = append(m.AlignsTo, &model.Alignment{Objective: p, Weight: 1})
	}
	if full {
		m.Description, m.Category, m.Tags = o.Description, o.Category, o.Tags
		for _, in := range o.Initiatives {
			due, _ := model.ParseDate(in.Due)
			m.Initiatives = append(m.Initiatives, &model.Initiative{ID: in.ID, Title: in.Title, Link: in.Link, Status: in.Status,
				Owner: in.Owner, KeyResult: in.KeyResult, Due: due})
		}
	}
	for i := range o.KeyResults {
		k := &o.KeyResults[i]
		kr := &model.KeyResult{ID: k.ID, Title: k.Title, Type: k.Type, Unit: k.Unit, Owner: k.Owner, Weight: k.Weight}
		kr.Source = src
		if k.Manual {
			s := k.Score
			kr.Score = &s
		}
		if full {
			kr.Start, kr.Target, kr.Threshold, kr.Low, kr.High, kr.Steps = k.Start, k.Target, k.Threshold, k.Low, k.High, k.Steps
			kr.Due, _ = model.ParseDate(k.Due)
		}
		m.KeyResults = append(m.KeyResults, kr)
	}
	return m
}

func reportObjectives(r *report.Report) map[string]*report.Objective {
	m := make(map[string]*report.Objective, len(r.Objectives))
	for i := range r.Objectives {
		if _, dup := m[r.Objectives[i].ID]; !dup {
			m[r.Objectives[i].ID] = &r.Objectives[i]
		}
	}
	return m
}

var zeroReportObjective report.Objective

func compareReportObjective(old, new *report.Objective, oldCycle, newCycle string, full bool) (ObjectiveChange, bool) {
	either, cycle := new, newCycle
	if either == nil {
		either, cycle = old, oldCycle
	}
	oc := ObjectiveChange{ID: either.ID, Title: either.Title, Cycle: cycle, Change: changeOf(old != nil, new != nil)}
	o, n := old, new
	if o == nil {
		o = &zeroReportObjective
	} else {
		oc.OldFile, oc.OldScore = old.File, old.Score
	}
	if n == nil {
		n = &zeroReportObjective
	} else {
		oc.NewFile, oc.NewScore = new.File, new.Score
		var mo *model.Objective
		if old != nil {
			mo = modelOf(old, oldCycle, full)
		}
		oc.Fields = appendObjectiveFields(oc.Fields, mo, modelOf(new, newCycle, full))
	}
	for _, p := range pairReportKRs(o.KeyResults, n.KeyResults) {
		if kc, ok := compareReportKR(p[0], p[1], full); ok {
			oc.KeyResults = append(oc.KeyResults, kc)
		}
	}
	changed := oc.Change != Changed || len(oc.Fields) > 0 || len(oc.KeyResults) > 0 ||
		!sameScore(oc.OldScore, oc.NewScore) || oc.OldFile != oc.NewFile
	return oc, changed
}

// pairReportKRs matches key results by id (the first of duplicates): pairs
// in new's order, then the unmatched ones of old in old's order.
func pairReportKRs(old, new []report.KeyResult) [][2]*report.KeyResult {
	byID := make(map[string]int, len(old))
	for i := range old {
		if _, dup := byID[old[i].ID]; !dup {
			byID[old[i].ID] = i
		}
	}
	used := make([]bool, len(old))
	var out [][2]*report.KeyResult
	for j := range new {
		p := [2]*report.KeyResult{nil, &new[j]}
		if i, ok := byID[new[j].ID]; ok && !used[i] {
			p[0], used[i] = &old[i], true
		}
		out = append(out, p)
	}
	for i := range old {
		if !used[i] {
			out = append(out, [2]*report.KeyResult{&old[i], nil})
		}
	}
	return out
}

var zeroReportKR report.KeyResult

func compareReportKR(old, new *report.KeyResult, full bool) (KeyResultChange, bool) {
	either := new
	if either == nil {
		either = old
	}
	kc := KeyResultChange{ID: either.ID, Title: either.Title, Change: changeOf(old != nil, new != nil)}
	o := old
	if o == nil {
		o = &zeroReportKR
	} else {
		s := old.Score
		kc.OldScore, kc.OldStatus, kc.OldValue = &s, old.Status, old.Current
	}
	if new != nil {
		s := new.Score
		kc.NewScore, kc.NewStatus, kc.NewValue = &s, new.Status, new.Current
		var mo *model.KeyResult
		if old != nil {
			mo = keyResultOf(old, full)
		}
		kc.Fields = appendKeyResultFields(kc.Fields, "", mo, keyResultOf(new, full), false)
		kc.Fields = addText(kc.Fields, "confidence", optNumber(o.Confidence), optNumber(new.Confidence))
	}
	changed := kc.Change != Changed || len(kc.Fields) > 0 ||
		!sameScore(kc.OldScore, kc.NewScore) || kc.OldStatus != kc.NewStatus || !sameValue(kc.OldValue, kc.NewValue)
	return kc, changed
}

// keyResultOf is one key result of a report as modelOf rebuilds it.
func keyResultOf(k *report.KeyResult, full bool) *model.KeyResult {
	return modelOf(&report.Objective{KeyResults: []report.KeyResult{*k}}, "", full).KeyResults[0]
}
