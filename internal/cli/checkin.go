package cli

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/history"
	"github.com/okrkit/okr/internal/model"
	"github.com/spf13/cobra"
)

// CheckinOptions are the inputs of `okr checkin`.
type CheckinOptions struct {
	IO         IOStreams
	Env        Env
	Dir        string
	KR         string
	Value      string
	Confidence string
	Status     string
	Note       string
	Author     string
	Answers    []string
	Date       string
	From       string
	Commit     bool
}

// NewCmdCheckin builds `okr checkin`. runF replaces the action in tests.
func NewCmdCheckin(env Env, g *globalOptions, runF func(*CheckinOptions) error) *cobra.Command {
	opts := &CheckinOptions{IO: env.IO, Env: env}
	cmd := &cobra.Command{
		Use:   "checkin KR-ID --value V [flags] | --from FILE.csv",
		Short: "Record a check-in on a key result, without touching anything else in the file",
		Long: `Record a check-in: the key result's current value, with optional confidence,
status, note and answers to the workspace's check-in questions. The date is
today unless --date says otherwise; the author is you, found by your git
email in org.yaml, unless --author names someone.

The check-in is spliced into the objective file in date order: comments, key
order, quoting and blank lines everywhere else stay byte-for-byte. The
workspace is validated with the change before anything is written; a change
that would make it invalid (a value of the wrong type, a date outside the
cycle or in the future, a confidence off the scale, an unanswered required
question) is refused with exit code 1 and the file is left untouched. The
file is written atomically (a temporary file renamed over it).

--from FILE.csv records many check-ins at once, all or nothing. The first
row names the columns: kr and value are required; date, confidence,
status, note, author and answer:QUESTION-ID are optional (an empty cell
means not given).

--commit commits the changed files with your git identity.`,
		Example: `  okr checkin p99-latency --value 380 --confidence 7 --note "Replica live"
  okr checkin sso-launch --value true --status done --date 2026-11-20
  okr checkin p99-latency --value 380 --answer progress="Replica live" --commit
  okr checkin --from friday.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = g.Dir
			switch {
			case opts.From != "" && len(args) > 0:
				return usageError{errors.New("give either KR-ID with --value or --from FILE, not both")}
			case opts.From == "" && len(args) != 1:
				return usageError{errors.New("okr checkin takes one KR-ID (or --from FILE)")}
			case opts.From == "" && !cmd.Flags().Changed("value"):
				return usageError{errors.New("--value is required")}
			}
			if len(args) == 1 {
				opts.KR = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return runCheckin(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Value, "value", "", "the key result's value: a number, or true/false for a milestone")
	f.StringVar(&opts.Confidence, "confidence", "", "how likely the target is met, on the workspace's confidence scale")
	f.StringVar(&opts.Status, "status", "", "stated status: on_track, at_risk, off_track or done")
	f.StringVar(&opts.Note, "note", "", "a note")
	f.StringVar(&opts.Author, "author", "", "who checks in (a person id; default: you, by git email)")
	f.StringArrayVar(&opts.Answers, "answer", nil, "answer a check-in question: `QUESTION=ANSWER` (repeatable)")
	f.StringVar(&opts.Date, "date", "", "the check-in's date, YYYY-MM-DD (default today)")
	f.StringVar(&opts.From, "from", "", "record every check-in of a CSV `FILE`, all or nothing")
	f.BoolVar(&opts.Commit, "commit", false, "commit the changed file with your git identity")
	return cmd
}

// checkinInput is one check-in to record, as given.
type checkinInput struct {
	where                                       string // "" for flags, "FILE:ROW" for a CSV row
	kr, value, confidence, status, note, author string
	date                                        string
	answers                                     []edit.Answer
}

func runCheckin(opts *CheckinOptions) error {
	var inputs []checkinInput
	if opts.From != "" {
		var err error
		if inputs, err = readCheckinCSV(opts.From); err != nil {
			return err
		}
	} else {
		in := checkinInput{kr: opts.KR, value: opts.Value, confidence: opts.Confidence, status: opts.Status,
			note: opts.Note, author: opts.Author, date: opts.Date}
		for _, a := range opts.Answers {
			q, text, ok := strings.Cut(a, "=")
			if !ok || q == "" {
				return usageError{fmt.Errorf("--answer %q is not QUESTION=ANSWER", a)}
			}
			in.answers = append(in.answers, edit.Answer{Question: q, Text: text})
		}
		inputs = append(inputs, in)
	}
	ed, err := beginEdit(opts.Env, opts.Dir)
	if err != nil {
		return err
	}
	defer ed.done()
	me := personByEmail(ed.ws(), gitEmail(opts.Env))
	type recorded struct{ kr, file, value string }
	var done []recorded
	var problems []string
	for _, in := range inputs {
		kr, obj := lookupKR(ed.ws(), in.kr)
		if kr == nil {
			problems = append(problems, in.at()+unknownKR(ed.ws(), in.kr))
			continue
		}
		c, err := in.checkin(ed.day, kr, me)
		if err != nil {
			problems = append(problems, in.at()+err.Error())
			continue
		}
		d, err := ed.doc(obj.File)
		if err != nil {
			return err
		}
		if err := d.AddCheckin(kr.ID, c); err != nil {
			return editErr(err, obj.File)
		}
		ed.put(obj.File, d.Bytes())
		done = append(done, recorded{kr.ID, obj.File, c.ValueText()})
	}
	if len(problems) > 0 {
		for _, p := range problems[:len(problems)-1] {
			fmt.Fprintf(opts.IO.ErrOut, "okr: error: %s\n", p)
		}
		return refuse("nothing was written; fix the input and run again", "%s", problems[len(problems)-1])
	}
	var author history.Author
	if opts.Commit {
		if author, err = ed.prepareCommit(); err != nil {
			return err
		}
	}
	rels, err := ed.commit()
	if err != nil {
		return err
	}
	for _, r := range done {
		fmt.Fprintf(opts.IO.Out, "recorded %s = %s in %s\n", r.kr, r.value, r.file)
	}
	if opts.Commit {
		msg := fmt.Sprintf("okr: check in %s = %s", done[0].kr, done[0].value)
		if len(done) > 1 {
			msg = fmt.Sprintf("okr: %d check-ins", len(done))
		}
		h, err := ed.gitCommit(rels, msg, author)
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "committed %s %s\n", h[:12], msg)
	}
	return nil
}

// at prefixes a message with the CSV row it is about.
func (in checkinInput) at() string {
	if in.where == "" {
		return ""
	}
	return in.where + ": "
}

// checkin turns the input into a check-in for kr, checking what the flags
// alone can: the value's type, the numbers and the date's form. The rules
// of the workspace (dates in the cycle, the confidence scale, required
// answers) are checked by validating the result.
func (in checkinInput) checkin(day model.Date, kr *model.KeyResult, me string) (edit.Checkin, error) {
	c := edit.Checkin{Date: day, Status: in.status, Note: in.note, Author: in.author, Answers: in.answers}
	if c.Author == "" {
		c.Author = me
	}
	if in.date != "" {
		d, err := model.ParseDate(in.date)
		if err != nil {
			return c, fmt.Errorf("date %q is not a date (want YYYY-MM-DD)", in.date)
		}
		c.Date = d
	}
	v := strings.TrimSpace(in.value)
	if kr.Type == model.Milestone {
		switch strings.ToLower(v) {
		case "true", "yes", "done", "1":
			c.Value, c.IsBool = 1, true
		case "false", "no", "0":
			c.IsBool = true
		default:
			return c, fmt.Errorf("value %q is not true or false, and key result %s is a milestone", in.value, kr.ID)
		}
	} else {
		f, err := edit.ParseNumber(v)
		if err != nil {
			return c, fmt.Errorf("value %q is not a number, and key result %s (%s) takes one: plain decimals like 120, -3 or 0.75",
				in.value, kr.ID, kr.Type)
		}
		c.Value = f
	}
	if in.confidence != "" {
		f, err := edit.ParseNumber(in.confidence)
		if err != nil {
			return c, fmt.Errorf("confidence %q is not a number: plain decimals like 7 or 0.8", in.confidence)
		}
		c.Confidence = &f
	}
	return c, nil
}

// lookupKR returns the key result id and its objective, nil when none.
func lookupKR(ws *model.Workspace, id string) (*model.KeyResult, *model.Objective) {
	for _, o := range ws.Objectives {
		for _, kr := range o.KeyResults {
			if kr.ID == id {
				return kr, o
			}
		}
	}
	return nil, nil
}

// unknownKR says that id names no key result, suggesting near ones.
func unknownKR(ws *model.Workspace, id string) string {
	var near []string
	for _, o := range ws.Objectives {
		for _, kr := range o.KeyResults {
			if strings.Contains(kr.ID, id) || strings.Contains(id, kr.ID) || editDistance(kr.ID, id) <= 2 {
				near = append(near, kr.ID)
			}
		}
	}
	sort.Strings(near)
	msg := fmt.Sprintf("no key result %q in the workspace", id)
	if len(near) > 0 {
		if len(near) > 5 {
			near = near[:5]
		}
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(near, ", "))
	}
	return msg
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
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

// csvErr refuses a --from file that is not valid CSV, at the file's line
// and column where the reader stopped.
func csvErr(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return refuse("", "%s:%d:%d: malformed CSV: %v", path, pe.Line, max(pe.Column, 1), pe.Err)
	}
	return refuse("", "%s: %v", path, err)
}

// readCheckinCSV reads the check-ins of a --from file.
func readCheckinCSV(path string) ([]checkinInput, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, refuse("", "%s is empty: the first row must name the columns (kr, value, ...)", path)
	}
	if err != nil {
		return nil, csvErr(path, err)
	}
	cols := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		switch {
		case strings.HasPrefix(h, "answer:"):
		case !slices.Contains([]string{"kr", "value", "date", "confidence", "status", "note", "author"}, h):
			return nil, refuse("columns: kr, value, date, confidence, status, note, author, answer:QUESTION-ID",
				"%s:1:%d: unknown column %q", path, i+1, h)
		}
		cols[h] = i
	}
	for _, need := range []string{"kr", "value"} {
		if _, ok := cols[need]; !ok {
			return nil, refuse("", "%s:1: the header has no %q column", path, need)
		}
	}
	var out []checkinInput
	for row := 2; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(path, err)
		}
		cell := func(name string) string {
			if i, ok := cols[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		in := checkinInput{where: fmt.Sprintf("%s:%d", path, row), kr: cell("kr"), value: cell("value"), date: cell("date"),
			confidence: cell("confidence"), status: cell("status"), note: cell("note"), author: cell("author")}
		for i, h := range header {
			if q, ok := strings.CutPrefix(strings.TrimSpace(h), "answer:"); ok && i < len(rec) && strings.TrimSpace(rec[i]) != "" {
				in.answers = append(in.answers, edit.Answer{Question: q, Text: strings.TrimSpace(rec[i])})
			}
		}
		if in.kr == "" && in.value == "" {
			continue // a blank row
		}
		out = append(out, in)
	}
	if len(out) == 0 {
		return nil, refuse("", "%s has no check-ins below its header", path)
	}
	return out, nil
}
