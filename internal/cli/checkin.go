package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/sheet"
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

The value takes the key result's form: a number; for a milestone, true or
false, or the number of steps done when it has steps.

The check-in is spliced into the objective file in date order: comments, key
order, quoting and blank lines everywhere else stay byte-for-byte. The
workspace is validated with the change before anything is written; a change
that would make it invalid (a value of the wrong form, a date outside the
cycle or in the future, a confidence off the scale) is refused with exit
code 1 and the file is left untouched. So is a check-in that leaves a
required question of okr.yaml unanswered, unless okr.yaml sets
checkin_unanswered: warn (then it is recorded with a warning). The file is
written atomically (a temporary file renamed over it).

--from FILE.csv records many check-ins at once, all or nothing. It reads
the check-in sheet of 'okr export csv --checkins' (docs/csv.md), the way
'okr import csv' does: fields separated by commas or semicolons, a BOM and
quoting as spreadsheets write them. The first row names the columns: kr and
value are required; date, confidence, status, note, author and
answer:QUESTION-ID are optional (an empty cell means not given).

--commit commits the changed files with your git identity.`,
		Example: `  okr checkin p99-latency --value 380 --confidence 7 --note "Replica live"
  okr checkin sso-launch --value true --status done --date 2026-11-20
  okr checkin failover --value 4 --answer progress="Runbook written"   # 4 steps done
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
	f.StringVar(&opts.Value, "value", "", "the key result's value: a number; for a milestone true/false, or the number of steps done when it has steps")
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

// checkinInput is one check-in to record, as given, and where: "" for
// the flags, "FILE:ROW" for a row of a --from sheet.
type checkinInput struct {
	edit.CheckinInput
	where string
}

func runCheckin(opts *CheckinOptions) error {
	inputs, err := checkinInputs(opts)
	if err != nil {
		return err
	}
	ed, err := beginEdit(opts.Env, opts.Dir)
	if err != nil {
		return err
	}
	defer ed.done()
	b := &checkinBatch{ed: ed, me: personByEmail(ed.ws(), gitEmail(opts.Env)), hint: checkinFix}
	for _, in := range inputs {
		if err := b.add(in); err != nil {
			return err
		}
	}
	if len(b.problems) > 0 {
		for _, p := range b.problems[:len(b.problems)-1] {
			fmt.Fprintf(opts.IO.ErrOut, "okr: error: %s\n", p)
		}
		return refuse(b.hint, "%s", b.problems[len(b.problems)-1])
	}
	msg := fmt.Sprintf("okr: check in %s = %s", b.done[0].kr, b.done[0].value)
	if len(b.done) > 1 {
		msg = fmt.Sprintf("okr: %d check-ins", len(b.done))
	}
	return ed.save(opts.IO.Out, opts.Commit, msg, func() {
		for _, w := range b.warnings {
			fmt.Fprintf(opts.IO.ErrOut, "okr: warning: %s\n", w)
		}
		for _, r := range b.done {
			fmt.Fprintf(opts.IO.Out, "recorded %s = %s in %s\n", r.kr, r.value, r.file)
		}
	})
}

// checkinInputs are the check-ins to record: the rows of the --from sheet,
// or the one the flags give.
func checkinInputs(opts *CheckinOptions) ([]checkinInput, error) {
	if opts.From != "" {
		return readCheckinSheet(opts.Env, opts.IO, opts.From)
	}
	in := edit.CheckinInput{KR: opts.KR, Value: opts.Value, Confidence: opts.Confidence, Status: opts.Status,
		Note: opts.Note, Author: opts.Author, Date: opts.Date}
	for _, a := range opts.Answers {
		ans, err := edit.ParseAnswer(a)
		if err != nil {
			return nil, usageError{fmt.Errorf("--answer %w", err)}
		}
		in.Answers = append(in.Answers, ans)
	}
	return []checkinInput{{CheckinInput: in}}, nil
}

// checkinFix is the hint of a refused check-in.
const checkinFix = "nothing was written; fix the input and run again"

// checkinBatch adds check-ins to the edit's files, gathering the problems
// that refuse the whole batch (hint: for the last one), the warnings, and
// what it recorded.
type checkinBatch struct {
	ed                 *workspaceEdit
	me                 string
	done               []recordedCheckin
	problems, warnings []string
	hint               string
}

type recordedCheckin struct{ kr, file, value string }

// add checks in and adds it to its objective's file; a problem with it is
// recorded, an error reading or editing the file returned.
func (b *checkinBatch) add(in checkinInput) error {
	ws := b.ed.ws()
	kr, obj := edit.FindKeyResult(ws, in.KR)
	if kr == nil {
		b.problems, b.hint = append(b.problems, in.at()+edit.UnknownKeyResult(ws, in.KR)), checkinFix
		return nil
	}
	c, errs := in.Checkin(b.ed.day, kr, b.me)
	for _, e := range errs {
		msg := in.at() + e.Error()
		if in.at() == "" && (e.Field == "note" || e.Field == "answer") {
			msg = "--" + e.Field + ": " + msg // the flag, not a file, holds it
		}
		b.problems, b.hint = append(b.problems, msg), checkinFix
	}
	if len(errs) > 0 {
		return nil
	}
	if qs := edit.Unanswered(ws.Settings.CheckinQuestions, c); len(qs) > 0 {
		msg, h := unanswered(in, qs)
		if ws.Settings.CheckinUnanswered == "warn" {
			b.warnings = append(b.warnings, msg)
		} else {
			b.problems, b.hint = append(b.problems, msg), h
		}
	}
	d, err := b.ed.doc(obj.File())
	if err != nil {
		return err
	}
	if err := d.AddCheckin(kr.ID, c); err != nil {
		return editErr(err, obj.File())
	}
	b.ed.put(obj.File(), d.Bytes())
	b.done = append(b.done, recordedCheckin{kr.ID, obj.File(), c.ValueText()})
	return nil
}

// at prefixes a message with the CSV row it is about.
func (in checkinInput) at() string {
	if in.where == "" {
		return ""
	}
	return in.where + ": "
}

// unanswered says that the check-in of in leaves the required questions
// qs unanswered, and how to answer them.
func unanswered(in checkinInput, qs []string) (msg, hint string) {
	quoted := make([]string, len(qs))
	for i, q := range qs {
		quoted[i] = fmt.Sprintf("%q", q)
	}
	noun := "question"
	if len(qs) > 1 {
		noun = "questions"
	}
	msg = fmt.Sprintf("%sthe check-in on %s leaves the required %s %s unanswered", in.at(), in.KR, noun, strings.Join(quoted, " and "))
	if in.where == "" {
		hint = fmt.Sprintf("answer with --answer %s=TEXT", qs[0])
		for _, q := range qs[1:] {
			hint += fmt.Sprintf(" --answer %s=TEXT", q)
		}
	} else {
		hint = fmt.Sprintf("fill the sheet's answer:%s column", qs[0])
		for _, q := range qs[1:] {
			hint += fmt.Sprintf(" and answer:%s column", q)
		}
	}
	return msg, hint + "; or set checkin_unanswered: warn in okr.yaml to record such check-ins with a warning; nothing was written"
}

// readCheckinSheet reads the check-ins of a --from sheet (the CSV reader
// of okr import csv), refusing a sheet with findings.
func readCheckinSheet(env Env, streams IOStreams, name string) ([]checkinInput, error) {
	cwd, err := env.Getwd()
	if err != nil {
		return nil, fmt.Errorf("find current folder: %w", err)
	}
	data, err := os.ReadFile(absFrom(cwd, name))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, errors.Unwrap(err))
	}
	rows, problems := sheet.ReadCheckins(sheet.File{Name: name, Data: data})
	if len(problems) > 0 {
		for _, p := range problems[:len(problems)-1] {
			fmt.Fprintf(streams.ErrOut, "okr: error: %s:%d:%d: %s\n", p.File, p.Line, p.Col, p.Message)
		}
		p := problems[len(problems)-1]
		return nil, refuse("nothing was written; fix the sheet and run again (docs/csv.md lists the columns)", "%s:%d:%d: %s", p.File, p.Line, p.Col, p.Message)
	}
	out := make([]checkinInput, len(rows))
	for i, r := range rows {
		out[i] = checkinInput{CheckinInput: r.CheckinInput, where: fmt.Sprintf("%s:%d", name, r.Row)}
	}
	return out, nil
}
