// Package render writes report's data in okr's output formats: a report
// as a table, Markdown, JSON or CSV (one file per format behind Writer,
// named in one format registry), okr status's terminal view, the stats
// and the alignment tree in theirs. Text from files is made inert on the
// way out; it does no I/O beyond the writer it is given.
package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/okrkit/okr/internal/format"
	"github.com/okrkit/okr/internal/report"
)

// Writer prints a report in one format.
type Writer interface {
	Write(w io.Writer, r *report.Report) error
}

// writers are the output formats, one file each.
var writers = format.New(map[string]Writer{
	"table": tableWriter{}, "markdown": markdownWriter{}, "json": jsonWriter{}, "csv": csvWriter{},
})

// Formats returns the names of the output formats, sorted.
func Formats() []string { return writers.Names() }

// NewWriter returns the writer of format name.
func NewWriter(name string) (Writer, error) { return writers.Get(name) }

// percent formats a 0..1 share as a whole percentage.
func percent(p float64) string { return fmt.Sprintf("%.0f%%", p*100) }

// number formats a value without trailing zeros.
func number(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", v), "0"), ".")
}

// cycleMark is " [CYCLE]" for an objective of another cycle than the
// view's, "" otherwise.
func cycleMark(c string) string {
	if c == "" {
		return ""
	}
	return " [" + c + "]"
}
