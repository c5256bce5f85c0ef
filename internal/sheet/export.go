package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/okrkit/okr/internal/model"
)

// Options choose what Export and ExportCheckins write.
type Options struct {
	// Cycle, when set, keeps only the objectives of that cycle.
	Cycle string
}

// Export writes the key-result sheet of ws: a header row naming Columns,
// then one row per key result with its objective's fields, objectives in
// file order and key results in the order written. An objective without
// key results gets one row with the key-result cells empty. A field that
// is not written in the file (a default) is an empty cell, so a round trip
// does not add it. Text cells are neutralised with Safe.
func Export(w io.Writer, ws *model.Workspace, opts Options) error {
	return writeSheet(w, Columns, func(write func([]string) error) error {
		for o := range opts.objectives(ws) {
			base, err := objectiveCells(o)
			if err != nil {
				return err
			}
			if len(o.KeyResults) == 0 {
				if err := write(row(base, nil)); err != nil {
					return err
				}
			}
			for _, kr := range o.KeyResults {
				cells, err := krCells(o, kr)
				if err != nil {
					return err
				}
				if err := write(row(base, cells)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// writeSheet writes a CSV sheet: the header, then the rows rows writes.
func writeSheet(w io.Writer, header []string, rows func(write func([]string) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := rows(cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// objectives are the objectives of ws the sheet holds: those of
// opts.Cycle, or all, in file order.
func (opts Options) objectives(ws *model.Workspace) iter.Seq[*model.Objective] {
	return func(yield func(*model.Objective) bool) {
		for _, o := range ws.Objectives {
			if (opts.Cycle == "" || o.Cycle == opts.Cycle) && !yield(o) {
				return
			}
		}
	}
}

// row lays out the named cells in Columns order, neutralising text.
func row(obj, kr map[string]string) []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		v, ok := obj[c]
		if !ok {
			v = kr[c]
		}
		out[i] = v
	}
	return out
}

func objectiveCells(o *model.Objective) (map[string]string, error) {
	tags, err := lines(o.File(), "tag", o.Tags)
	if err != nil {
		return nil, err
	}
	c := map[string]string{
		"objective": Safe(o.ID), "objective_title": Safe(o.Title), "cycle": Safe(o.Cycle),
		"objective_owner": Safe(o.Owner), "contributors": ids(o.Contributors), "category": Safe(o.Category),
		"tags": Safe(tags), "rollup": Safe(o.Rollup), "visible_to": ids(o.VisibleTo), "hidden_from": ids(o.HiddenFrom),
		"objective_description": Safe(o.Description), "file": Safe(o.File()),
	}
	if o.Has("level") {
		c["level"] = Safe(o.Level)
	}
	if o.Has("weight") {
		c["objective_weight"] = number(o.Weight)
	}
	var aligns []string
	for _, a := range o.AlignsTo {
		s := a.Objective
		if a.Has("weight") {
			s += ":" + number(a.Weight)
		}
		aligns = append(aligns, s)
	}
	c["aligns_to"] = Safe(strings.Join(aligns, ", "))
	return c, nil
}

func krCells(o *model.Objective, kr *model.KeyResult) (map[string]string, error) {
	steps, err := lines(o.File(), "step", kr.Steps)
	if err != nil {
		return nil, err
	}
	c := map[string]string{
		"key_result": Safe(kr.ID), "key_result_title": Safe(kr.Title), "type": Safe(kr.Type),
		"start": optNumber(kr.Start), "target": optNumber(kr.Target), "threshold": optNumber(kr.Threshold),
		"low": optNumber(kr.Low), "high": optNumber(kr.High), "steps": Safe(steps), "unit": Safe(kr.Unit),
		"key_result_owner": Safe(kr.Owner), "due": kr.Due.String(), "score": optNumber(kr.Score),
		"key_result_description": Safe(kr.Description),
	}
	if kr.Has("weight") {
		c["key_result_weight"] = number(kr.Weight)
	}
	return c, nil
}

// ExportCheckins writes the check-in sheet of ws: a header row naming
// CheckinColumns and one answer:QUESTION-ID column per check-in question
// (okr.yaml's questions in order, then any other answered question,
// sorted), then one row per check-in, in the order Export writes the key
// results and, within a key result, in file order.
func ExportCheckins(w io.Writer, ws *model.Workspace, opts Options) error {
	var questions []string
	for _, q := range ws.Settings.CheckinQuestions {
		questions = append(questions, q.ID)
	}
	var extra []string
	for o := range opts.objectives(ws) {
		for _, kr := range o.KeyResults {
			for ix := range kr.Checkins {
				c := &kr.Checkins[ix]
				for _, a := range c.Answers() {
					if !slices.Contains(questions, a.Question) && !slices.Contains(extra, a.Question) {
						extra = append(extra, a.Question)
					}
				}
			}
		}
	}
	slices.Sort(extra)
	questions = append(questions, extra...)
	header := slices.Clone(CheckinColumns)
	for _, q := range questions {
		header = append(header, AnswerPrefix+q)
	}
	return writeSheet(w, header, func(write func([]string) error) error {
		for o := range opts.objectives(ws) {
			for _, kr := range o.KeyResults {
				for ix := range kr.Checkins {
					if err := write(checkinRecord(kr, &kr.Checkins[ix], questions)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// checkinRecord is the row of check-in c of kr, with its answers to
// questions in order.
func checkinRecord(kr *model.KeyResult, c *model.Checkin, questions []string) []string {
	value := number(c.Value)
	if c.IsBool() {
		value = strconv.FormatBool(c.Value != 0)
	}
	rec := []string{Safe(kr.ID), c.Date.String(), value, optNumber(c.Confidence()), Safe(c.Status()),
		Safe(c.Author()), Safe(c.Note())}
	for _, q := range questions {
		text := ""
		for _, a := range c.Answers() {
			if a.Question == q {
				text = a.Text
			}
		}
		rec = append(rec, Safe(text))
	}
	return rec
}

// ids joins a list of ids, which cannot hold a comma or a space.
func ids(list []string) string { return Safe(strings.Join(list, ", ")) }

// lines joins a list of text items one per line, refusing an item that
// holds a line break of its own.
func lines(file, what string, items []string) (string, error) {
	for _, s := range items {
		if strings.ContainsAny(s, "\r\n") {
			return "", fmt.Errorf("%s: %s %q holds a line break, which a CSV list cell (one item per line) cannot carry", file, what, s)
		}
	}
	return strings.Join(items, "\n"), nil
}

// number formats v in the shortest form that reads back as v.
func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func optNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return number(*v)
}

// ExportInitiatives writes the initiative sheet of ws: a header row naming
// InitiativeColumns, then one row per initiative, objectives in file order
// and initiatives in the order written.
func ExportInitiatives(w io.Writer, ws *model.Workspace, opts Options) error {
	return writeSheet(w, InitiativeColumns, func(write func([]string) error) error {
		for o := range opts.objectives(ws) {
			for _, in := range o.Initiatives {
				rec := []string{Safe(o.ID), Safe(in.ID), Safe(in.Title), Safe(in.Link), Safe(in.Status), Safe(in.Owner),
					Safe(in.KeyResult), in.Due.String()}
				if err := write(rec); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
