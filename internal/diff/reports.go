package diff

import (
	"github.com/okrkit/okr/internal/report"
)

// CompareReports compares two reports, e.g. a saved snapshot and today's
// report. Only what a report carries can be compared: objectives and key
// results added and removed (matched by id), objective title, level, owner,
// rollup, aligns_to (the parents) and file (a move), key-result title,
// type, unit, owner, weight and confidence as fields, and the scores,
// statuses and current values. A report has no check-ins and no goal
// definitions, so the diff has no check-ins and no goalposts. Either report
// may be nil, meaning empty; an empty Ref.Date is filled from the report's
// as-of date.
func CompareReports(base, head *report.Report, baseRef, headRef Ref) *Diff {
	if base == nil {
		base = &report.Report{}
	}
	if head == nil {
		head = &report.Report{}
	}
	d := &Diff{Version: Version, Base: withDate(baseRef, base.AsOf), Head: withDate(headRef, head.AsOf)}
	olds, news := reportObjectives(base), reportObjectives(head)
	for _, id := range unionIDs(olds, news) {
		if oc, ok := compareReportObjective(olds[id], news[id], base.Cycle.ID, head.Cycle.ID); ok {
			d.Objectives = append(d.Objectives, oc)
		}
	}
	d.Summary = summarize(d)
	return d
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

func compareReportObjective(old, new *report.Objective, oldCycle, newCycle string) (ObjectiveChange, bool) {
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
		oc.Fields = addText(oc.Fields, "title", o.Title, n.Title)
		oc.Fields = addText(oc.Fields, "level", o.Level, n.Level)
		oc.Fields = addText(oc.Fields, "owner", o.Owner, n.Owner)
		oc.Fields = addText(oc.Fields, "rollup", o.Rollup, n.Rollup)
		oc.Fields = addList(oc.Fields, "aligns_to", o.Parents, n.Parents)
	}
	for _, p := range pairReportKRs(o.KeyResults, n.KeyResults) {
		if kc, ok := compareReportKR(p[0], p[1]); ok {
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

func compareReportKR(old, new *report.KeyResult) (KeyResultChange, bool) {
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
		kc.Fields = addText(kc.Fields, "title", o.Title, new.Title)
		kc.Fields = addText(kc.Fields, "type", o.Type, new.Type)
		kc.Fields = addText(kc.Fields, "unit", o.Unit, new.Unit)
		kc.Fields = addText(kc.Fields, "owner", o.Owner, new.Owner)
		kc.Fields = addNumber(kc.Fields, "weight", o.Weight, old != nil, new.Weight, true)
		kc.Fields = addText(kc.Fields, "confidence", optNumber(o.Confidence), optNumber(new.Confidence))
	}
	changed := kc.Change != Changed || len(kc.Fields) > 0 ||
		!sameScore(kc.OldScore, kc.NewScore) || kc.OldStatus != kc.NewStatus || !sameValue(kc.OldValue, kc.NewValue)
	return kc, changed
}
