package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// TestExamplesAnyDay runs the README's set-up command, okr validate -C
// examples, on the real clock path (no OKR_TODAY) at dates from tomorrow
// to the far future: it must print "okr: 24 files ok" and exit 0 on every
// one of them, also with --strict. The commands the README says depend on
// today must work with OKR_TODAY=2026-11-23, the date the examples are
// written as of, whatever the clock says.
func TestExamplesAnyDay(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	run := func(now time.Time, pinned string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		env := pinnedEnv(&out, &errOut, pinned, wd, now)
		code := Main(append([]string{"-C", "../../examples"}, args...), env)
		return code, out.String(), errOut.String()
	}
	for _, day := range []string{"2026-11-23", "2026-12-05", "2026-12-31", "2027-01-01", "2027-06-30", "2029-02-28",
		"2031-01-01", "2040-12-31", "2099-12-31", "2400-02-29", "9999-12-31"} {
		now, err := time.Parse("2006-01-02 15:04", day+" 23:59")
		if err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"validate"}, {"validate", "--strict"}} {
			code, out, errOut := run(now, "", args...)
			if code != ExitOK || out != "" || errOut != "okr: 24 files ok\n" {
				t.Errorf("on %s, okr %s: exit %d, stdout %q, stderr %q; want exit 0 and \"okr: 24 files ok\"",
					day, strings.Join(args, " "), code, out, errOut)
			}
		}
		for _, args := range [][]string{{"lint", "--strict"}, {"status"}, {"report", "--format", "json"}} {
			if code, _, errOut := run(now, "2026-11-23", args...); code != ExitOK {
				t.Errorf("on %s with OKR_TODAY=2026-11-23, okr %s: exit %d, stderr %q", day, strings.Join(args, " "), code, errOut)
			}
		}
	}
}

// TestReadmeTour: the report table the README's tour shows is what okr
// prints for the command in the comment above it.
func TestReadmeTour(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "<!-- tour: OKR_TODAY=2026-11-23 okr report -C examples --tag board -->\n```\n"
	_, rest, ok := strings.Cut(string(readme), marker)
	if !ok {
		t.Fatal("README has no tour table marker")
	}
	shown, _, _ := strings.Cut(rest, "```\n")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	env := pinnedEnv(&out, &errOut, "2026-11-23", wd, time.Now())
	if code := Main([]string{"-C", "../../examples", "report", "--tag", "board"}, env); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if out.String() != shown {
		t.Errorf("README's tour table is stale; okr prints:\n%s", out.String())
	}
}

// pinnedEnv is the Env of an okr run in a test: no standard input, output to
// out and errOut, OKR_TODAY pinned to today ("" for the clock), wd as the
// working folder and now as the clock. No other variable is set.
func pinnedEnv(out, errOut *bytes.Buffer, today, wd string, now time.Time) Env {
	return Env{IO: IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut},
		Getenv: func(k string) string {
			if k == "OKR_TODAY" {
				return today
			}
			return ""
		},
		Getwd: func() (string, error) { return wd, nil },
		Now:   func() time.Time { return now }}
}
