package trend

import (
	"encoding/csv"
	"io"
	"strconv"
)

// csvWriter writes one row per point or week, for spreadsheets and chart
// tools. Weekly rows are wide: the status counts, the mean, then one column
// per objective score (empty before it existed or with nothing to score).
type csvWriter struct{}

func f(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func fp(v *float64) string {
	if v == nil {
		return ""
	}
	return f(*v)
}

// cell neutralises text a spreadsheet would run as a formula.
func cell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

func (csvWriter) KeyResult(w io.Writer, s *KRSeries) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"date", "value", "progress", "expected", "confidence", "status", "goal", "commit", "note"})
	for _, p := range s.Points {
		cw.Write([]string{p.Date, f(p.Value), f(p.Progress), f(p.Expected), fp(p.Confidence), p.Status, p.Goal, p.Commit, cell(p.Note)})
	}
	cw.Flush()
	return cw.Error()
}

func (csvWriter) Weekly(w io.Writer, s *Weekly) error {
	cw := csv.NewWriter(w)
	head := []string{"week", "commit", "on_track", "at_risk", "off_track", "done", "average_score"}
	for _, o := range s.Objectives {
		head = append(head, o.ID)
	}
	cw.Write(head)
	for _, wk := range s.Weeks {
		row := []string{wk.Date, wk.Commit, strconv.Itoa(wk.Counts["on_track"]), strconv.Itoa(wk.Counts["at_risk"]),
			strconv.Itoa(wk.Counts["off_track"]), strconv.Itoa(wk.Counts["done"]), fp(wk.AverageScore)}
		for _, o := range s.Objectives {
			row = append(row, fp(wk.Scores[o.ID]))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}
