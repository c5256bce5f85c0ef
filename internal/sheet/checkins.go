package sheet

import (
	"strings"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/edit"
)

// CheckinRow is one row of a check-in sheet, as typed: the check-in and
// where it came from.
type CheckinRow struct {
	edit.CheckinInput
	// Row is the row's number in the sheet, the header being row 1.
	Row int
}

// ReadCheckins reads a check-in sheet to record on key results the
// workspace already has (okr checkin --from): the columns of the
// check-in sheet (CheckinColumns and answer:QUESTION-ID), read the way
// Import reads them, with kr and value required and date optional (empty:
// today). Values are left as text, since their form depends on the key
// result (edit.CheckinInput.Checkin reads them). It returns the rows, or
// the findings in the file (syntax, header, cells outside the columns, no
// rows), sorted.
func ReadCheckins(f File) ([]CheckinRow, []diag.Diagnostic) {
	var p problems
	var out []CheckinRow
	if t := readTable(f, CheckinColumns, AnswerPrefix, []string{"kr", "value"}, &p); t != nil {
		for _, r := range t.checkinRows() {
			out = append(out, CheckinRow{CheckinInput: r.in, Row: r.rec.n})
		}
	}
	if len(p) == 0 && len(out) == 0 {
		p.add(cell{f.Name, 1, 1}, CodeHeader, "the sheet has no check-ins below its header")
	}
	if len(p) > 0 {
		diag.Sort(p)
		return nil, p
	}
	return out, nil
}

// checkinRow is a row of a check-in sheet with the cell of each field
// given.
type checkinRow struct {
	rec   record
	in    edit.CheckinInput
	cells map[string]cell
}

// checkinRows reads the rows of a check-in sheet that are not blank. Ids,
// numbers, dates and names are trimmed; a note or answer is kept as
// written; an empty cell is not given.
func (t *table) checkinRows() []checkinRow {
	var answers []string
	for _, h := range t.head {
		if q, ok := strings.CutPrefix(h, AnswerPrefix); ok {
			answers = append(answers, q)
		}
	}
	var out []checkinRow
	for _, r := range t.rows {
		if blank(r) {
			continue
		}
		row := checkinRow{rec: r, cells: map[string]cell{}}
		trimmed := func(name string, to *string) {
			v := t.get(r, name)
			if *to = strings.TrimSpace(v.s); *to != "" || name == "date" || name == "value" {
				row.cells[name] = v.at
			}
		}
		in := &row.in
		trimmed("kr", &in.KR)
		trimmed("date", &in.Date)
		trimmed("value", &in.Value)
		trimmed("confidence", &in.Confidence)
		trimmed("status", &in.Status)
		trimmed("author", &in.Author)
		if v := t.get(r, "note"); v.s != "" {
			in.Note, row.cells["note"] = v.s, v.at
		}
		for _, q := range answers {
			if v := t.get(r, AnswerPrefix+q); v.s != "" {
				in.Answers = append(in.Answers, edit.Answer{Question: q, Text: v.s})
				row.cells[AnswerPrefix+q] = v.at
				if _, ok := row.cells["answers"]; !ok {
					row.cells["answers"] = v.at
				}
			}
		}
		out = append(out, row)
	}
	return out
}
