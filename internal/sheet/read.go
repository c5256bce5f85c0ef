package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/edit"
)

// Problem codes of the findings Import reports in the sheets themselves.
// They are not validator rules: the validator's findings on the generated
// files keep their own codes (see Imported.Locate).
const (
	// CodeSyntax is a file that is not UTF-8 CSV.
	CodeSyntax = "csv-syntax"
	// CodeHeader is a missing, unknown or repeated column.
	CodeHeader = "csv-header"
	// CodeCell is a cell whose value its column does not take.
	CodeCell = "csv-cell"
	// CodeConflict is an objective whose rows disagree on one of its fields.
	CodeConflict = "csv-conflict"
	// CodeExists is an objective or file that is already in the workspace.
	CodeExists = "csv-exists"
)

// File is one CSV file to import: its name, as findings show it, and its
// bytes.
type File struct {
	Name string
	Data []byte
}

// cell is a position in a sheet: 1-based row (the header is row 1) and
// column (the field's index).
type cell struct {
	file     string
	row, col int
}

// table is a parsed sheet.
type table struct {
	name string
	// col maps a column name to its 0-based index.
	col  map[string]int
	head []string
	rows []record
}

// record is one row below the header.
type record struct {
	n     int
	cells []string
}

// value is a cell's text with its position.
type value struct {
	s  string
	at cell
}

// get returns the cell of column name in r; empty (at the column's
// position) when the row is shorter or the sheet has no such column.
func (t *table) get(r record, name string) value {
	i, ok := t.col[name]
	if !ok {
		return value{at: cell{t.name, r.n, 1}}
	}
	v := value{at: cell{t.name, r.n, i + 1}}
	if i < len(r.cells) {
		v.s = r.cells[i]
	}
	return v
}

// problems collects findings in the sheets.
type problems []diag.Diagnostic

func (p *problems) add(at cell, code, format string, args ...any) {
	*p = append(*p, diag.Diagnostic{File: at.file, Line: at.row, Col: at.col, Severity: diag.Error, Code: code,
		Message: fmt.Sprintf(format, args...)})
}

// readTable parses f, the one way okr reads CSV (okr import csv's sheets
// and okr checkin --from): a UTF-8 BOM is dropped, CRLF line ends are read
// as LF, quoting is RFC 4180's, fields are separated by commas or, when the
// header row has more semicolons than commas outside quotes, by semicolons
// (spreadsheets in locales whose decimal mark is a comma write those), and
// every cell is Unsafe'd. A header names columns from columns, or starting
// with prefix when prefix is not empty; an unknown one is refused with the
// known ones nearest to it suggested. The required columns must be
// present. It returns nil after a finding that leaves nothing to read.
func readTable(f File, columns []string, prefix string, required []string, p *problems) *table {
	data := bytes.TrimPrefix(f.Data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		p.add(cell{f.Name, 1, 1}, CodeSyntax, "the file is not UTF-8 text (save the sheet as \"CSV UTF-8\")")
		return nil
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.Comma = separator(data)
	t := &table{name: f.Name, col: map[string]int{}}
	for n := 1; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				err = fmt.Errorf("%w (file line %d, column %d)", pe.Err, pe.Line, max(pe.Column, 1))
			}
			p.add(cell{f.Name, n, 1}, CodeSyntax, "malformed CSV: %v", err)
			return nil
		}
		for i := range rec {
			rec[i] = Unsafe(rec[i])
		}
		if n == 1 {
			t.head = rec
			continue
		}
		t.rows = append(t.rows, record{n: n, cells: rec})
	}
	if t.head == nil {
		p.add(cell{f.Name, 1, 1}, CodeHeader, "the file is empty: the first row must name the columns")
		return nil
	}
	bad := false
	for i, h := range t.head {
		h = strings.TrimSpace(h)
		t.head[i] = h
		switch _, dup := t.col[h]; {
		case h == "":
			// A column without a name (a trailing comma): its cells must
			// be empty, checked below.
		case dup:
			p.add(cell{f.Name, 1, i + 1}, CodeHeader, "column %q appears twice", h)
			bad = true
		case !slices.Contains(columns, h) && (prefix == "" || !strings.HasPrefix(h, prefix)):
			suggest := ""
			if near := edit.Near(strings.ToLower(h), columns, 3); len(near) > 0 {
				suggest = `did you mean "` + strings.Join(near, `" or "`) + `"? `
			}
			p.add(cell{f.Name, 1, i + 1}, CodeHeader, "unknown column %q (%sdocs/csv.md lists the columns)", h, suggest)
			bad = true
		default:
			t.col[h] = i
		}
	}
	for _, need := range required {
		if _, ok := t.col[need]; !ok {
			p.add(cell{f.Name, 1, 1}, CodeHeader, "the header has no %q column", need)
			bad = true
		}
	}
	if bad {
		return nil
	}
	for _, r := range t.rows {
		for i, c := range r.cells {
			if strings.TrimSpace(c) == "" {
				continue
			}
			if i >= len(t.head) {
				p.add(cell{f.Name, r.n, i + 1}, CodeCell, "cell beyond the last column of the header")
			} else if t.head[i] == "" {
				p.add(cell{f.Name, r.n, i + 1}, CodeCell, "cell under a column with no name")
			}
		}
	}
	return t
}

// separator returns the field separator of a sheet: a semicolon when its
// first line has more semicolons than commas outside quotes, else a comma.
func separator(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	quoted, commas, semis := false, 0, 0
	for _, b := range first {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == ',':
			commas++
		case b == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// blank reports whether every cell of r is empty or white space.
func blank(r record) bool {
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
