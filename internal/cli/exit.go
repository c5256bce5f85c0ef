// Package cli is okr's command-line interface: the cobra command tree, flag
// parsing, and the mapping from outcomes to exit codes. It is the only
// package that imports cobra; the pipeline packages below it take plain
// options, writers and a clock.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/okrkit/okr/internal/history"
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
	// ExitInternal means okr itself failed: a panic, recovered, with its
	// stack written to a file for the bug report.
	ExitInternal = 3
)

// recoverPanic turns a panic of a run into exit code 3: it writes the
// panic and its stack to a file in the system's temporary folder and says
// where on stderr. Deferred by Main.
func recoverPanic(args []string, stderr io.Writer, code *int) {
	p := recover()
	if p == nil {
		return
	}
	*code = internalError(args, stderr, p, debug.Stack())
}

// internalError reports a panic (value and stack): the message, and a hint
// naming the file in the temporary folder that holds the stack.
func internalError(args []string, stderr io.Writer, p any, stack []byte) int {
	fmt.Fprintln(stderr, "okr: error: internal error, please report it")
	report := fmt.Sprintf("okr %s %s/%s\nargs: %q\npanic: %v\n\n%s", Version, runtime.GOOS, runtime.GOARCH, args, p, stack)
	f, err := os.CreateTemp("", "okr-panic-*.txt")
	if err == nil {
		_, err = f.WriteString(report)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		fmt.Fprintf(stderr, "okr: hint: the stack could not be written to a file (%v); here it is:\n%s", err, report)
		return ExitInternal
	}
	fmt.Fprintf(stderr, "okr: hint: the stack is in %s; attach it to an issue at https://github.com/okrkit/okr/issues\n", f.Name())
	return ExitInternal
}

// errFindings is returned by a command that wrote findings it must fail on.
var errFindings = errors.New("findings reported")

// usageError is a mistake in the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// valueError is a well-formed command given a value that names nothing or
// cannot be served (a team that does not exist, a snapshot date in the
// future): exit 2 like a usage error, without the usage hint, since the
// usage was right.
type valueError struct{ err error }

func (e valueError) Error() string { return e.err.Error() }
func (e valueError) Unwrap() error { return e.err }

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
	var pe *history.PanicError
	if errors.As(err, &pe) {
		return internalError(os.Args[1:], stderr, pe.Value, pe.Stack)
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
