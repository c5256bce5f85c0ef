// Package cli is okr's command-line interface: the cobra command tree, flag
// parsing, and the mapping from outcomes to exit codes. It is the only
// package that imports cobra; the pipeline packages below it take plain
// options, writers and a clock.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Exit codes, the same for every command.
const (
	// ExitOK means the run succeeded and found nothing to report.
	ExitOK = 0
	// ExitFindings means the run succeeded and found problems (errors, or
	// warnings under --strict).
	ExitFindings = 1
	// ExitError means a usage or operational error: bad flags, no workspace,
	// unreadable files.
	ExitError = 2
)

// errFindings is returned by a command that wrote findings it must fail on.
var errFindings = errors.New("findings reported")

// usageError is a mistake in the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// hintError carries a suggestion printed after the error.
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return e.err.Error() }
func (e hintError) Unwrap() error { return e.err }

func withHint(err error, format string, args ...any) error {
	return hintError{err: err, hint: fmt.Sprintf(format, args...)}
}

// exitCode prints err (when it is not errFindings) and maps it to an exit code.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, errFindings) {
		return ExitFindings
	}
	var r refusedError
	if errors.As(err, &r) {
		fmt.Fprintf(stderr, "okr: error: %s\n", lowerFirst(err.Error()))
		if r.hint != "" {
			fmt.Fprintf(stderr, "okr: hint: %s\n", r.hint)
		}
		return ExitFindings
	}
	fmt.Fprintf(stderr, "okr: error: %s\n", lowerFirst(err.Error()))
	var h hintError
	if errors.As(err, &h) && h.hint != "" {
		fmt.Fprintf(stderr, "okr: hint: %s\n", h.hint)
	}
	var u usageError
	if errors.As(err, &u) {
		fmt.Fprintln(stderr, "okr: hint: run 'okr help' for usage")
	}
	return ExitError
}

func lowerFirst(s string) string {
	if s == "" || strings.ToUpper(s[:1]) != s[:1] || (len(s) > 1 && strings.ToUpper(s[1:2]) == s[1:2]) {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
