package diag

import (
	"io"

	"github.com/okrkit/okr/internal/format"
)

// Report is what a Writer prints: the sorted diagnostics of one run and the
// files that were checked.
type Report struct {
	// Tool names the command that produced the report, e.g. "okr validate".
	Tool string
	// Version is the okr version, for SARIF's tool.driver.version.
	Version string
	// Files lists every checked file, in the same path form as Diagnostic.File.
	Files       []string
	Diagnostics []Diagnostic
	// Rules are the rules the diagnostics come from, for formats that list
	// them (SARIF), and RulesURL the page documenting them; nil and ""
	// mean okr validate's (Rules() and docs/rules.md).
	Rules    []Rule
	RulesURL string
}

// Writer prints a report in one output format.
type Writer interface {
	Write(w io.Writer, r Report) error
}

// writers are the output formats, one file each.
var writers = format.New(map[string]Writer{
	"text": textWriter{}, "json": jsonWriter{}, "github": githubWriter{}, "junit": junitWriter{},
	"sarif": sarifWriter{}, "codeclimate": codeClimateWriter{},
})

// Formats returns the names of the output formats, sorted.
func Formats() []string { return writers.Names() }

// NewWriter returns the writer of format name.
func NewWriter(name string) (Writer, error) { return writers.Get(name) }
