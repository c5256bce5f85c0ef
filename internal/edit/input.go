package edit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/okrkit/okr/internal/inert"
	"github.com/okrkit/okr/internal/model"
)

// CheckinInput is a check-in as a person typed it: in okr checkin's
// flags, or in a row of a check-in sheet (okr checkin --from, okr import
// csv --checkins). Empty fields are not given.
type CheckinInput struct {
	KR, Value, Date, Confidence, Status, Note, Author string
	Answers                                           []Answer
}

// FieldError is a problem with one field of a CheckinInput: Field is
// "date", "value" or "confidence", the name of the flag or column.
type FieldError struct {
	Field string
	Err   error
}

func (e FieldError) Error() string { return e.Err.Error() }

// Checkin turns in into the check-in to record on kr, checking what the
// input alone can: the date's form, the value's form for kr's type, and
// the confidence's. Date defaults to day and Author to me. The rules of
// the workspace (dates in the cycle, the confidence scale, known
// questions) are the validator's. It returns every field that is wrong.
func (in CheckinInput) Checkin(day model.Date, kr *model.KeyResult, me string) (Checkin, []FieldError) {
	c := Checkin{Date: day, Status: in.Status, Note: in.Note, Author: in.Author, Answers: in.Answers}
	if c.Author == "" {
		c.Author = me
	}
	var errs []FieldError
	if d := strings.TrimSpace(in.Date); d != "" {
		t, err := model.ParseDate(d)
		if err != nil {
			errs = append(errs, FieldError{"date", fmt.Errorf("date %q is not a date (want YYYY-MM-DD)", d)})
		}
		c.Date = t
	}
	v, isBool, err := ParseValue(kr, in.Value)
	if err != nil {
		errs = append(errs, FieldError{"value", err})
	}
	c.Value, c.IsBool = v, isBool
	if s := strings.TrimSpace(in.Confidence); s != "" {
		f, err := ParseNumber(s)
		if err != nil {
			errs = append(errs, FieldError{"confidence", fmt.Errorf("confidence %q is not a number: plain decimals like 7 or 0.8", s)})
		}
		c.Confidence = &f
	}
	if err := TextErr("note", in.Note); err != nil {
		errs = append(errs, FieldError{"note", err})
	}
	for _, a := range in.Answers {
		if err := TextErr("answer "+a.Question, a.Text); err != nil {
			errs = append(errs, FieldError{"answer", err})
		}
	}
	return c, errs
}

// TextErr refuses text okr would write into a file that holds a control
// character, DEL, a bidirectional override (inert.Has), or a line break
// other than a line feed (U+2028, U+2029, U+0085, a lone carriage return),
// which YAML and editors count differently: what names the text ("note",
// "title").
func TextErr(what, text string) error {
	if c := inert.First(text); c != "" {
		return fmt.Errorf("the %s holds a control character or bidirectional override (%s); okr writes none into files: remove it", what, c)
	}
	for _, r := range []rune{'\u2028', '\u2029', '\u0085'} {
		if strings.ContainsRune(text, r) {
			return fmt.Errorf("the %s holds the line break U+%04X, which YAML and editors count differently; use a plain line break or a space", what, r)
		}
	}
	if strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\r") {
		return fmt.Errorf("the %s holds a lone carriage return; use a plain line break or a space", what)
	}
	return nil
}

// ParseValue reads the value of a check-in on kr, in the form kr's type
// takes: a milestone without steps true or false (also yes/no, done, 1/0,
// in any case, so a spreadsheet's TRUE works); a milestone with steps the
// whole number of steps done, 0 to the number of steps; every other type
// a plain decimal (ParseNumber). A key result without a type (which the
// validator refuses) takes true, false or a decimal. isBool is set for
// true and false. The error names the form kr takes.
func ParseValue(kr *model.KeyResult, s string) (v float64, isBool bool, err error) {
	t := strings.TrimSpace(s)
	switch {
	case kr.Type == "":
		switch strings.ToLower(t) {
		case "true":
			return 1, true, nil
		case "false":
			return 0, true, nil
		}
		f, err := ParseNumber(t)
		if err != nil {
			return 0, false, fmt.Errorf("value %q is not a number, true or false", s)
		}
		return f, false, nil
	case kr.Type == model.Milestone && len(kr.Steps) == 0:
		switch strings.ToLower(t) {
		case "true", "yes", "done", "1":
			return 1, true, nil
		case "false", "no", "0":
			return 0, true, nil
		}
		return 0, true, fmt.Errorf("value %q is not true or false, and key result %s is a milestone", s, kr.ID)
	case kr.Type == model.Milestone:
		n := len(kr.Steps)
		f, err := ParseNumber(t)
		if err != nil || f != float64(int(f)) || f < 0 || int(f) > n {
			return 0, false, fmt.Errorf("value %q is not a number of steps done, and key result %s is a milestone with %d steps: it takes a whole number from 0 to %d", s, kr.ID, n, n)
		}
		return f, false, nil
	}
	f, err := ParseNumber(t)
	if err != nil {
		return 0, false, fmt.Errorf("value %q is not a number, and key result %s (%s) takes one: plain decimals like 120, -3 or 0.75", s, kr.ID, kr.Type)
	}
	return f, false, nil
}

// ParseAnswer reads an answer written QUESTION=ANSWER.
func ParseAnswer(s string) (Answer, error) {
	q, text, ok := strings.Cut(s, "=")
	if !ok || q == "" {
		return Answer{}, fmt.Errorf("%q is not QUESTION=ANSWER", s)
	}
	return Answer{Question: q, Text: text}, nil
}

// Unanswered returns the ids of the required questions of qs that c leaves
// unanswered (no answer, or one of only white space), in qs's order.
func Unanswered(qs []*model.Question, c Checkin) []string {
	var out []string
	for _, q := range qs {
		if !q.Required {
			continue
		}
		answered := false
		for _, a := range c.Answers {
			answered = answered || (a.Question == q.ID && strings.TrimSpace(a.Text) != "")
		}
		if !answered {
			out = append(out, q.ID)
		}
	}
	return out
}

// FindKeyResult returns key result id of the workspace and its objective,
// nil when there is none.
func FindKeyResult(ws *model.Workspace, id string) (*model.KeyResult, *model.Objective) {
	for _, o := range ws.Objectives {
		for _, kr := range o.KeyResults {
			if kr.ID == id {
				return kr, o
			}
		}
	}
	return nil, nil
}

// UnknownKeyResult says that id names no key result of the workspace,
// suggesting up to five near ones.
func UnknownKeyResult(ws *model.Workspace, id string) string {
	var ids []string
	for _, o := range ws.Objectives {
		for _, kr := range o.KeyResults {
			ids = append(ids, kr.ID)
		}
	}
	msg := fmt.Sprintf("no key result %q in the workspace", id)
	if near := Near(id, ids, 5); len(near) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(near, ", "))
	}
	return msg
}

// Near returns the names of candidates close to name (one contains the
// other, or at most two edits apart), sorted, at most max of them.
func Near(name string, candidates []string, max int) []string {
	var near []string
	for _, c := range candidates {
		if c != "" && name != "" && (strings.Contains(c, name) || strings.Contains(name, c) || EditDistance(c, name) <= 2) {
			near = append(near, c)
		}
	}
	sort.Strings(near)
	if len(near) > max {
		near = near[:max]
	}
	return near
}

// EditDistance is the Levenshtein distance of a and b.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
