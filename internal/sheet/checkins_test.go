package sheet

import (
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/edit"
)

// TestSeparator checks the separator detection: semicolons only when the
// header has more of them than commas outside quotes.
func TestSeparator(t *testing.T) {
	for _, tc := range []struct {
		data string
		want rune
	}{
		{"kr,value\n", ','},
		{"kr;value\n", ';'},
		{"kr;value;note\r\nx;1;\"a,b\"\r\n", ';'},
		{"\"a;b;c\",kr\n", ','},
		{"\"a,b\";kr;value\n", ';'},
		{"kr\n", ','},
		{"", ','},
	} {
		if got := separator([]byte(tc.data)); got != tc.want {
			t.Errorf("separator(%q) = %q, want %q", tc.data, got, tc.want)
		}
	}
}

// TestReadCheckins checks the check-in sheet okr checkin --from reads:
// the same reader as Import (separators, BOM, CRLF, quoting, formula
// quotes), date optional, and the findings it refuses.
func TestReadCheckins(t *testing.T) {
	rows, problems := ReadCheckins(File{"s.csv", []byte("\ufeffkr;value;date;note;answer:progress\r\n" +
		"signups;150;2026-11-13;'=x;\"a; b\"\r\n" +
		";;;;\r\n" +
		" churn ; 4.5 ;;;\r\n")})
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	want := []CheckinRow{
		{CheckinInput: edit.CheckinInput{KR: "signups", Value: "150", Date: "2026-11-13", Note: "=x", Answers: []edit.Answer{{Question: "progress", Text: "a; b"}}}, Row: 2},
		{CheckinInput: edit.CheckinInput{KR: "churn", Value: "4.5"}, Row: 4},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %+v", rows)
	}
	for i := range want {
		g, w := rows[i], want[i]
		if g.Row != w.Row || g.KR != w.KR || g.Value != w.Value || g.Date != w.Date || g.Note != w.Note || len(g.Answers) != len(w.Answers) ||
			(len(w.Answers) > 0 && g.Answers[0] != w.Answers[0]) {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
	for _, tc := range []struct{ data, want string }{
		{"", "s.csv:1:1: error: the file is empty: the first row must name the columns [csv-header]"},
		{"kr;value\n", "s.csv:1:1: error: the sheet has no check-ins below its header [csv-header]"},
		{"kr,vaule\nx,1\n", "s.csv:1:1: error: the header has no \"value\" column [csv-header]\n" +
			`s.csv:1:2: error: unknown column "vaule" (did you mean "value"? docs/csv.md lists the columns) [csv-header]`},
		{"kr,Value\nx,1\n", "s.csv:1:1: error: the header has no \"value\" column [csv-header]\n" +
			`s.csv:1:2: error: unknown column "Value" (did you mean "value"? docs/csv.md lists the columns) [csv-header]`},
		{"kr,date\nx,2026-11-02\n", `s.csv:1:1: error: the header has no "value" column [csv-header]`},
		{"kr,value\nx,1,2\n", "s.csv:2:3: error: cell beyond the last column of the header [csv-cell]"},
		{"kr,value\nx,\"1\n", `s.csv:2:1: error: malformed CSV: extraneous or missing " in quoted-field (file line 2, column 6) [csv-syntax]`},
		{"kr,value\n\xff,1\n", `s.csv:1:1: error: the file is not UTF-8 text (save the sheet as "CSV UTF-8") [csv-syntax]`},
	} {
		rows, problems := ReadCheckins(File{"s.csv", []byte(tc.data)})
		var got []string
		for _, p := range problems {
			got = append(got, p.String())
		}
		if rows != nil || strings.Join(got, "\n") != tc.want {
			t.Errorf("ReadCheckins(%q) = %v, %q; want %q", tc.data, rows, got, tc.want)
		}
	}
}

// FuzzReadCheckins checks that any input gives rows or findings, never
// both and never a panic, and that every row has a key result or a value.
func FuzzReadCheckins(f *testing.F) {
	f.Add([]byte("\ufeffkr;value;date\r\nsignups;150;2026-11-13\r\n"))
	f.Add([]byte("kr,value,answer:q\nx,\"1\n2\",'=y\n"))
	f.Add([]byte("kr,value\n,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, problems := ReadCheckins(File{"f.csv", data})
		if (len(rows) > 0) == (len(problems) > 0) {
			t.Fatalf("rows %v and problems %v", rows, problems)
		}
		for _, r := range rows {
			if r.Row < 2 {
				t.Errorf("row number %d", r.Row)
			}
		}
	})
}
