package report

import (
	"encoding/csv"
	"io"
	"strings"
)

func init() { writers["csv"] = csvWriter{} }

// csvWriter prints one row per key result with its objective's fields, for
// spreadsheets. Text cells that a spreadsheet would run as a formula
// (starting with = + - @, tab or carriage return) are prefixed with a
// single quote.
type csvWriter struct{}

var csvHeader = []string{"cycle", "as_of", "objective", "objective_title", "level", "objective_owner", "objective_score",
	"key_result", "key_result_title", "type", "unit", "owner", "weight", "current", "progress", "score", "manual",
	"status", "status_stated", "confidence", "last_checkin", "forecast"}

func (csvWriter) Write(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, o := range r.Objectives {
		for _, k := range o.KeyResults {
			row := []string{r.Cycle.ID, r.AsOf, safe(o.ID), safe(o.Title), o.Level, safe(o.Owner), opt(o.Score),
				safe(k.ID), safe(k.Title), k.Type, safe(k.Unit), safe(k.Owner), number(k.Weight), opt(k.Current),
				number(k.Progress), number(k.Score), yes(k.Manual), k.Status, yes(k.StatusStated), opt(k.Confidence),
				k.LastCheckin, opt(k.Forecast)}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// safe neutralises a text cell against formula injection.
func safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func opt(v *float64) string {
	if v == nil {
		return ""
	}
	return number(*v)
}

func yes(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
