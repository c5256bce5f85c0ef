package render

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/okrkit/okr/internal/report"
)

// csvWriter prints one row per key result with its objective's fields, for
// spreadsheets. The goal's numbers (start, target, threshold, low, high)
// are plain numbers in the key result's unit, steps the number of a
// milestone's steps, objective_tags the objective's tags joined with ", ";
// the columns added in report version 2 come last, so the earlier columns
// keep their places. Text cells that a spreadsheet would run as a formula
// (starting with = + - @, tab or carriage return) are prefixed with a
// single quote.
type csvWriter struct{}

var csvHeader = []string{"cycle", "as_of", "objective", "objective_title", "level", "objective_owner", "objective_score",
	"key_result", "key_result_title", "type", "unit", "owner", "weight", "current", "progress", "score", "manual",
	"status", "status_stated", "confidence", "last_checkin", "forecast",
	"goal", "start", "target", "threshold", "low", "high", "steps", "due", "objective_category", "objective_tags"}

func (csvWriter) Write(w io.Writer, r *report.Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, o := range r.Objectives {
		for _, k := range o.KeyResults {
			row := []string{r.Cycle.ID, r.AsOf, safe(o.ID), safe(o.Title), o.Level, safe(o.Owner), opt(o.Score),
				safe(k.ID), safe(k.Title), k.Type, safe(k.Unit), safe(k.Owner), number(k.Weight), opt(k.Current),
				number(k.Progress), number(k.Score), yes(k.Manual), k.Status, yes(k.StatusStated), opt(k.Confidence),
				k.LastCheckin, opt(k.Forecast),
				safe(k.Goal), opt(k.Start), opt(k.Target), opt(k.Threshold), opt(k.Low), opt(k.High), steps(k.Steps), k.Due,
				safe(o.Category), safe(strings.Join(o.Tags, ", "))}
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

// steps is the number of a milestone's steps, "" when it has none.
func steps(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return strconv.Itoa(len(s))
}
