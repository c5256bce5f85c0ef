// Package diag defines diagnostics, the findings okr reports about a
// workspace, the registry of stable rule codes, and the writers that print
// diagnostics in every supported output format.
package diag

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// Severity ranks a diagnostic.
type Severity int

// Severities, most severe last.
const (
	Warning Severity = iota + 1
	Error
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Diagnostic is one finding: a rule violated at a place in a file.
type Diagnostic struct {
	// File is slash-separated and relative to the workspace root.
	File     string
	Line     int
	Col      int
	Severity Severity
	Code     string
	Message  string
}

// String formats d compiler-style: file:line:col: severity: message [code].
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", d.File, d.Line, d.Col, d.Severity, d.Message, d.Code)
}

// New returns a diagnostic for rule code with the rule's default severity.
func New(file string, line, col int, code, format string, args ...any) Diagnostic {
	sev := Error
	if r, ok := Lookup(code); ok {
		sev = r.Severity
	}
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return Diagnostic{File: file, Line: line, Col: col, Severity: sev, Code: code, Message: capMessage(fmt.Sprintf(format, args...))}
}

// MaxMessageBytes caps one diagnostic's message, so that no input makes a
// line of output larger than this (plus the file name and code).
const MaxMessageBytes = 1000

// capMessage cuts msg to MaxMessageBytes at a character boundary, saying
// how much it left out.
func capMessage(msg string) string {
	if len(msg) <= MaxMessageBytes {
		return msg
	}
	cut := MaxMessageBytes - 40
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d more bytes)", msg[:cut], len(msg)-cut)
}

// Sort orders diagnostics by file, line, column, code and message, so output
// is deterministic whatever order they were found in.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
}

// Counts returns the number of errors and warnings in ds.
func Counts(ds []Diagnostic) (errors, warnings int) {
	for _, d := range ds {
		if d.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}
