package edit

import (
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

// TestParseValue checks the form each kind of key result takes, and that
// the error says which form that is.
func TestParseValue(t *testing.T) {
	steps := &model.KeyResult{ID: "failover", Type: model.Milestone, Steps: []string{"a", "b", "c", "d", "e"}}
	done := &model.KeyResult{ID: "sso", Type: model.Milestone}
	num := &model.KeyResult{ID: "arr", Type: model.Increase}
	untyped := &model.KeyResult{ID: "x"}
	for _, tc := range []struct {
		kr     *model.KeyResult
		in     string
		v      float64
		isBool bool
		err    string
	}{
		{kr: steps, in: "4", v: 4},
		{kr: steps, in: " 0 ", v: 0},
		{kr: steps, in: "5", v: 5},
		{kr: steps, in: "5.0", v: 5},
		{kr: steps, in: "6", err: `value "6" is not a number of steps done, and key result failover is a milestone with 5 steps: it takes a whole number from 0 to 5`},
		{kr: steps, in: "-1", err: "it takes a whole number from 0 to 5"},
		{kr: steps, in: "2.5", err: "it takes a whole number from 0 to 5"},
		{kr: steps, in: "true", err: `value "true" is not a number of steps done`},
		{kr: steps, in: "1e999", err: "is not a number of steps done"},
		{kr: done, in: "true", v: 1, isBool: true},
		{kr: done, in: "TRUE", v: 1, isBool: true},
		{kr: done, in: "done", v: 1, isBool: true},
		{kr: done, in: "1", v: 1, isBool: true},
		{kr: done, in: "No", v: 0, isBool: true},
		{kr: done, in: "0", v: 0, isBool: true},
		{kr: done, in: "3", err: `value "3" is not true or false, and key result sso is a milestone`},
		{kr: num, in: "1.5e3", v: 1500},
		{kr: num, in: "true", err: `value "true" is not a number, and key result arr (increase) takes one: plain decimals like 120, -3 or 0.75`},
		{kr: num, in: "0x10", err: "is not a number"},
		{kr: untyped, in: "TRUE", v: 1, isBool: true},
		{kr: untyped, in: "7", v: 7},
		{kr: untyped, in: "lots", err: `value "lots" is not a number, true or false`},
	} {
		v, isBool, err := ParseValue(tc.kr, tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseValue(%s, %q) error = %v, want %q", tc.kr.ID, tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("ParseValue(%s, %q): %v", tc.kr.ID, tc.in, err)
		case v != tc.v || isBool != tc.isBool:
			t.Errorf("ParseValue(%s, %q) = %v, %v; want %v, %v", tc.kr.ID, tc.in, v, isBool, tc.v, tc.isBool)
		}
	}
}

// TestCheckinInput checks the defaults (today, me) and that every wrong
// field is reported with its name.
func TestCheckinInput(t *testing.T) {
	kr := &model.KeyResult{ID: "arr", Type: model.Increase}
	day := date(t, "2026-11-23")
	c, errs := CheckinInput{KR: "arr", Value: "12", Confidence: "0.5", Note: "n"}.Checkin(day, kr, "ann")
	if len(errs) > 0 || c.Date != day || c.Author != "ann" || c.Value != 12 || c.Confidence == nil || *c.Confidence != 0.5 || c.Note != "n" {
		t.Errorf("Checkin = %+v, %v", c, errs)
	}
	c, _ = CheckinInput{KR: "arr", Value: "12", Date: "2026-11-02", Author: "bob"}.Checkin(day, kr, "ann")
	if c.Date != date(t, "2026-11-02") || c.Author != "bob" {
		t.Errorf("Checkin with date and author = %+v", c)
	}
	_, errs = CheckinInput{KR: "arr", Value: "lots", Date: "2026-02-30", Confidence: "high"}.Checkin(day, kr, "")
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field+": "+e.Error())
	}
	want := []string{
		`date: date "2026-02-30" is not a date (want YYYY-MM-DD)`,
		`value: value "lots" is not a number, and key result arr (increase) takes one: plain decimals like 120, -3 or 0.75`,
		`confidence: confidence "high" is not a number: plain decimals like 7 or 0.8`,
	}
	if strings.Join(fields, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(fields, "\n"), strings.Join(want, "\n"))
	}
}

// TestUnanswered checks which required questions a check-in leaves open.
func TestUnanswered(t *testing.T) {
	qs := []*model.Question{{ID: "progress", Required: true}, {ID: "blockers"}, {ID: "next", Required: true}}
	for _, tc := range []struct {
		answers []Answer
		want    string
	}{
		{nil, "progress next"},
		{[]Answer{{"progress", "x"}}, "next"},
		{[]Answer{{"progress", "x"}, {"next", " \t"}}, "next"},
		{[]Answer{{"blockers", "x"}, {"next", "y"}, {"progress", "z"}}, ""},
	} {
		if got := strings.Join(Unanswered(qs, Checkin{Answers: tc.answers}), " "); got != tc.want {
			t.Errorf("Unanswered(%v) = %q, want %q", tc.answers, got, tc.want)
		}
	}
}

// TestNear checks the suggestions for a misspelt name.
func TestNear(t *testing.T) {
	ids := []string{"signups", "churn", "uptime", "value", "date"}
	for _, tc := range []struct{ name, want string }{
		{"signupz", "signups"},
		{"vaule", "value"},
		{"sign", "signups"},
		{"zzzzzzzz", ""},
		{"", ""},
	} {
		if got := strings.Join(Near(tc.name, ids, 5), ","); got != tc.want {
			t.Errorf("Near(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if d := EditDistance("kitten", "sitting"); d != 3 {
		t.Errorf("EditDistance = %d, want 3", d)
	}
}
