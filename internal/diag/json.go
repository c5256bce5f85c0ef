package diag

import (
	"encoding/json"
	"io"
)

// JSONVersion is the version of the JSON report shape. It changes only when
// a field is removed or changes meaning; new fields may appear without it.
const JSONVersion = 1

// JSONReport is the shape of `--format json`, documented in docs/rules.md.
type JSONReport struct {
	// Version is JSONVersion.
	Version int `json:"version"`
	// Tool names the command, e.g. "okr validate".
	Tool string `json:"tool"`
	// OKRVersion is the version of the okr binary that wrote the report.
	OKRVersion string `json:"okr_version,omitempty"`
	// Summary counts the checked files and the findings.
	Summary JSONSummary `json:"summary"`
	// Diagnostics are sorted by file, line, column and code; never null.
	Diagnostics []JSONDiagnostic `json:"diagnostics"`
}

// JSONSummary counts what a report covers.
type JSONSummary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// JSONDiagnostic is one finding in a JSON report.
type JSONDiagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

type jsonWriter struct{}

func (jsonWriter) Write(w io.Writer, r Report) error {
	errs, warns := Counts(r.Diagnostics)
	out := JSONReport{
		Version:     JSONVersion,
		Tool:        r.Tool,
		OKRVersion:  r.Version,
		Summary:     JSONSummary{Files: len(r.Files), Errors: errs, Warnings: warns},
		Diagnostics: make([]JSONDiagnostic, 0, len(r.Diagnostics)),
	}
	for _, d := range r.Diagnostics {
		out.Diagnostics = append(out.Diagnostics, JSONDiagnostic{
			File: d.File, Line: d.Line, Column: d.Col,
			Severity: d.Severity.String(), Code: d.Code, Message: d.Message,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
