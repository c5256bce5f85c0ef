// Package lint checks a loaded workspace against the quality rules of good
// OKR practice: objectives are outcomes rather than tasks, key results can
// be checked, every goal has an owner, check-ins keep coming, nobody owns
// too much, no template text is left over, and @mentions name people.
// Each rule has a stable code, a default severity, and a setting in
// okr.yaml (lint.rules) to change the severity or switch it off. Findings
// are diag diagnostics, written by the same writers as okr validate's.
package lint

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/due"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/mention"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
)

// Rule codes. Codes never change meaning once released; docs/lint.md
// explains each with a bad and a better example.
const (
	CodeKRCount           = "kr-count"
	CodeUncheckableKR     = "uncheckable-kr"
	CodeTaskObjective     = "task-objective"
	CodeNumberInObjective = "number-in-objective"
	CodeNoOwner           = "no-owner"
	CodeStaleCheckin      = "stale-checkin"
	CodeInitiativeKR      = "initiative-kr"
	CodeOwnerOverload     = "owner-overload"
	CodeTemplateText      = "template-text"
	CodeUnknownMention    = "unknown-mention"
	CodeStaleSource       = "stale-source"
)

var rules = map[string]diag.Rule{
	CodeKRCount:           {Code: CodeKRCount, Severity: diag.Warning, Summary: "an objective has fewer or more key results than the workspace allows (default 2 to 5)"},
	CodeUncheckableKR:     {Code: CodeUncheckableKR, Severity: diag.Warning, Summary: "a key result has nothing to check it against: no goal, a range of one value, or a milestone with neither steps nor a due date"},
	CodeTaskObjective:     {Code: CodeTaskObjective, Severity: diag.Warning, Summary: "an objective starts with a task verb such as update, fix or write"},
	CodeNumberInObjective: {Code: CodeNumberInObjective, Severity: diag.Warning, Summary: "an objective's title holds a number; numbers belong in key results"},
	CodeNoOwner:           {Code: CodeNoOwner, Severity: diag.Warning, Summary: "an objective or key result has no owner"},
	CodeStaleCheckin:      {Code: CodeStaleCheckin, Severity: diag.Warning, Summary: "a key result has had no check-in for more than two cadence periods"},
	CodeInitiativeKR:      {Code: CodeInitiativeKR, Severity: diag.Warning, Summary: "a 0 to 100% key result reads like a piece of work, not an outcome"},
	CodeOwnerOverload:     {Code: CodeOwnerOverload, Severity: diag.Warning, Summary: "one owner has more objectives in a cycle than the workspace allows (default 5)"},
	CodeTemplateText:      {Code: CodeTemplateText, Severity: diag.Error, Summary: "a title, description or note still holds template text (TODO, TBD, placeholders)"},
	CodeUnknownMention:    {Code: CodeUnknownMention, Severity: diag.Warning, Summary: "an @mention names no person or team in org.yaml"},
	CodeStaleSource:       {Code: CodeStaleSource, Severity: diag.Warning, Summary: "a key result with a source: has had no check-in for more than one cadence period (okr sync is not running, or its value stopped moving)"},
}

// Rules returns every lint rule with its default severity, sorted by code.
func Rules() []diag.Rule {
	out := slices.Collect(maps.Values(rules))
	slices.SortFunc(out, func(a, b diag.Rule) int { return cmp.Compare(a.Code, b.Code) })
	return out
}

// DefaultTaskVerbs are the first words that make an objective read like a
// task when okr.yaml sets no lint.task_verbs.
var DefaultTaskVerbs = []string{"add", "build", "create", "deploy", "fix", "implement", "install", "migrate",
	"refactor", "remove", "rewrite", "set", "update", "upgrade", "write"}

// Defaults of the bounds.
const (
	DefaultMinKeyResults         = 2
	DefaultMaxKeyResults         = 5
	DefaultMaxObjectivesPerOwner = 5
)

// Options are the inputs of a lint run besides the workspace.
type Options struct {
	// Today is the date check-in staleness is measured against.
	Today model.Date
}

// checker holds one run's settings and findings.
type checker struct {
	ws        *model.Workspace
	today     model.Date
	severity  map[string]diag.Severity // code -> severity; absent: off
	verbs     map[string]bool
	minKRs    int
	maxKRs    int
	maxOwned  int
	resolver  *mention.Resolver
	files     map[string][]byte
	out       []diag.Diagnostic
	scoreOpts score.Options
	// subjects are the ids the finding being checked is about; a finding
	// is dropped when okr.yaml's lint.ignore lists one of them for its
	// rule.
	subjects []string
}

// Run checks ws against every lint rule that okr.yaml does not switch off
// and returns the findings, sorted. It reads okr.yaml again for the
// positions of the kr-count bounds, and the files of objectives with
// @mentions to point at each mention exactly, under the loader's size cap.
func Run(ws *model.Workspace, opts Options) []diag.Diagnostic {
	ls := ws.Settings.Lint
	c := &checker{ws: ws, today: opts.Today, severity: map[string]diag.Severity{}, verbs: map[string]bool{},
		minKRs: DefaultMinKeyResults, maxKRs: DefaultMaxKeyResults, maxOwned: DefaultMaxObjectivesPerOwner,
		resolver: mention.NewResolver(ws), files: map[string][]byte{}, scoreOpts: score.FromSettings(ws.Settings)}
	for code, r := range rules {
		switch ls.Rules[code] {
		case "off":
		case "error":
			c.severity[code] = diag.Error
		case "warning":
			c.severity[code] = diag.Warning
		default:
			c.severity[code] = r.Severity
		}
	}
	verbs := ls.TaskVerbs
	if verbs == nil {
		verbs = DefaultTaskVerbs
	}
	for _, v := range verbs {
		c.verbs[strings.ToLower(strings.TrimSpace(v))] = true
	}
	c.krBounds()
	if ls.MaxObjectivesPerOwner > 0 {
		c.maxOwned = ls.MaxObjectivesPerOwner
	}
	for _, o := range ws.Objectives {
		c.objective(o)
	}
	c.overload()
	diag.Sort(c.out)
	return c.out
}

// add records a finding of code at pos in file, unless the rule is off.
func (c *checker) add(file string, pos model.Pos, code, format string, args ...any) {
	sev, on := c.severity[code]
	if !on {
		return
	}
	for _, id := range c.subjects {
		if slices.Contains(c.ws.Settings.Lint.Ignore[code], id) {
			return
		}
	}
	d := diag.Diagnostic{File: file, Line: max(pos.Line, 1), Col: max(pos.Col, 1), Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)}
	c.out = append(c.out, d)
}

func (c *checker) objective(o *model.Objective) {
	c.subjects = []string{o.ID}
	title := o.Title
	if n := len(o.KeyResults); c.minKRs <= c.maxKRs && (n < c.minKRs || n > c.maxKRs) && !(n == 0 && mode(c.ws, o) == "children") {
		at := o.KeyAt("key_results")
		if !o.Has("key_results") {
			at = o.At("id")
		}
		c.add(o.File(), at, CodeKRCount, "objective %q has %s; aim for %d to %d that together show it is achieved", o.ID, count(n, "key result"), c.minKRs, c.maxKRs)
	}
	if w := firstWord(title); w != "" && c.verbs[strings.ToLower(w)] {
		c.add(o.File(), o.At("title"), CodeTaskObjective, "objective title starts with %q and reads like a task; say what outcome the work is for (see docs/lint.md#task-objective)", w)
	}
	if hasNumber(title) {
		c.add(o.File(), o.At("title"), CodeNumberInObjective, "objective title %q holds a number; keep the objective qualitative and put numbers in key results", title)
	}
	if o.Owner == "" {
		c.add(o.File(), o.At("id"), CodeNoOwner, "objective %q has no owner", o.ID)
	}
	c.template(o.File(), o.At("title"), "title", title)
	c.template(o.File(), o.At("description"), "description", o.Description)
	c.mentions(o.File(), o.At("description"), o.Description)
	cycle := c.ws.Cycle(o.Cycle)
	for _, kr := range o.KeyResults {
		c.subjects = []string{o.ID, kr.ID}
		c.keyResult(o, cycle, kr)
	}
	c.subjects = []string{o.ID}
	for _, in := range o.Initiatives {
		c.template(o.File(), in.At("title"), "initiative title", in.Title)
	}
}

func (c *checker) keyResult(o *model.Objective, cycle *model.Cycle, kr *model.KeyResult) {
	if field, why := uncheckable(kr); why != "" {
		c.add(kr.File(), kr.At(field), CodeUncheckableKR, "%s", why)
	}
	if kr.Owner == "" && o.Owner == "" {
		c.add(kr.File(), kr.At("id"), CodeNoOwner, "key result %q has no owner, and neither has its objective", kr.ID)
	}
	if c.initiative(kr) {
		c.add(kr.File(), kr.At("title"), CodeInitiativeKR, "key result %q goes from 0 to 100%% and reads like a piece of work; measure the outcome the work should bring, and list the work under initiatives", kr.ID)
	}
	c.template(kr.File(), kr.At("title"), "key result title", kr.Title)
	c.template(kr.File(), kr.At("description"), "key result description", kr.Description)
	c.mentions(kr.File(), kr.At("description"), kr.Description)
	for ix := range kr.Checkins {
		ci := &kr.Checkins[ix]
		c.template(ci.File(), ci.At("note"), "check-in note", ci.Note())
		c.mentions(ci.File(), ci.At("note"), ci.Note())
		for _, a := range ci.Answers() {
			c.template(ci.File(), a.At, "check-in answer", a.Text)
			c.mentions(ci.File(), a.At, a.Text)
		}
	}
	if cycle != nil && !cycle.Start.IsZero() && due.Running(cycle, c.today) {
		since, last, overdue := due.Overdue(c.scoreOpts, cycle, kr, c.today)
		period := cycle.PeriodDays()
		// Stale: more than two periods without a check-in, that is, more
		// than one period past the day the next one was due.
		if overdue && c.today.Time().Sub(since.Time()).Hours()/24 > float64(period) {
			at, what := kr.At("id"), "no check-in since the cycle started on "+cycle.Start.String()
			if last != nil {
				at, what = last.Pos(), "no check-in since "+last.Date.String()
			}
			c.add(kr.File(), at, CodeStaleCheckin, "key result %q has had %s, more than two %s periods; check in every period, even when nothing moved", kr.ID, what, cmp.Or(cycle.Cadence, "weekly"))
		}
		// A sourced key result is checked in by okr sync on a schedule,
		// so one period without a check-in is already worth a look.
		if kr.Metric != nil && overdue && c.today.After(since) {
			what := "no check-in since the cycle started on " + cycle.Start.String()
			if last != nil {
				what = "no check-in since " + last.Date.String()
			}
			c.add(kr.File(), kr.At("source"), CodeStaleSource, "key result %q reads its value from a source but has had %s, more than one %s period; check that the scheduled okr sync job runs (docs/ci.md), or check in by hand when the value stopped moving", kr.ID, what, cmp.Or(cycle.Cadence, "weekly"))
		}
	}
}

// overload reports owners with more objectives in one cycle than allowed,
// once per owner and cycle, at the first objective over the bound.
func (c *checker) overload() {
	type key struct{ owner, cycle string }
	n := map[key]int{}
	for _, o := range c.ws.Objectives {
		if o.Owner == "" {
			continue
		}
		k := key{o.Owner, o.Cycle}
		n[k]++
		if n[k] == c.maxOwned+1 {
			c.subjects = []string{o.Owner}
			total := 0
			for _, p := range c.ws.Objectives {
				if p.Owner == o.Owner && p.Cycle == o.Cycle {
					total++
				}
			}
			c.add(o.File(), o.At("owner"), CodeOwnerOverload, "%s owns %d objectives in cycle %s, more than %d; focus on fewer", o.Owner, total, o.Cycle, c.maxOwned)
		}
	}
}

// mode is the rollup mode of o.
func mode(ws *model.Workspace, o *model.Objective) string {
	return cmp.Or(o.Rollup, ws.Settings.Rollup, "krs")
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func firstWord(s string) string {
	s = strings.TrimSpace(s)
	end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' })
	if end < 0 {
		return s
	}
	return s[:end]
}

// hasNumber reports whether s holds a number. A digit right after a
// letter continues a name, not a number (B2B, Q4, FY2026, K8s, Web3), and
// so do the digits after it, a "." or "," between them included (v2.1).
// Any other digit starts a number, letters after it or not (3 markets,
// 10x, 3rd, 50k, top-10).
func hasNumber(s string) bool {
	var prev, before rune // the two runes before r
	for _, r := range s {
		if unicode.IsDigit(r) && !unicode.IsLetter(prev) && !unicode.IsDigit(prev) &&
			!((prev == '.' || prev == ',') && unicode.IsDigit(before)) {
			return true
		}
		before, prev = prev, r
	}
	return false
}

// uncheckable says why kr cannot be checked, and names the field to report
// it at; why is "" when kr can be checked. okr validate's kr-fields and
// start-equals-target already refuse a key result without the goal its
// type needs or whose start is its target; lint adds what validate
// accepts but leaves nothing to check: a range of one value, and a
// milestone with neither steps nor a due date that is not graded. The
// missing goal is reported too, for a workspace linted despite its
// validation errors.
func uncheckable(kr *model.KeyResult) (field, why string) {
	if miss := missingGoal(kr); miss != "" {
		return "type", fmt.Sprintf("key result %q of type %s has no %s to check it against", kr.ID, kr.Type, miss)
	}
	switch kr.Type {
	case model.Range:
		if *kr.Low == *kr.High {
			return "high", fmt.Sprintf("key result %q has a range of one value (low and high are both %g), which only that exact value meets; give the range its width, or use type at_least or at_most", kr.ID, *kr.Low)
		}
	case model.Milestone:
		if len(kr.Steps) == 0 && kr.Due.IsZero() && kr.Score == nil {
			return "type", fmt.Sprintf("milestone key result %q has neither steps nor a due date, so nothing says how far along or how late it is before the cycle ends; list its steps, or give it a due date", kr.ID)
		}
	}
	return "", ""
}

// missingGoal names the goal fields kr's type needs and kr lacks, "" when
// it lacks none.
func missingGoal(kr *model.KeyResult) string {
	var miss []string
	need := func(name string, v *float64) {
		if v == nil {
			miss = append(miss, name)
		}
	}
	switch kr.Type {
	case model.Increase, model.Decrease:
		need("start", kr.Start)
		need("target", kr.Target)
	case model.AtLeast, model.AtMost:
		need("threshold", kr.Threshold)
	case model.Range:
		need("low", kr.Low)
		need("high", kr.High)
	case model.Milestone:
	default:
		return "target, threshold, range or milestone"
	}
	return strings.Join(miss, " or ")
}

// completion words make a 0 to 100% key result read like work in progress.
var completion = regexp.MustCompile(`(?i)\b(complete|completed|completion|finish|finished|done|rolled out|rollout|implemented|delivered|migrated)\b`)

// initiative reports whether kr is a 0 to 100% increase that reads like a
// piece of work: its title starts with a task verb or speaks of completion.
func (c *checker) initiative(kr *model.KeyResult) bool {
	if kr.Type != model.Increase || kr.Start == nil || kr.Target == nil || *kr.Start != 0 || *kr.Target != 100 {
		return false
	}
	percent := strings.Contains(kr.Title, "%")
	for _, u := range c.ws.Settings.Units {
		if u.ID == kr.Unit && (u.Symbol == "%" || u.ID == "percent") {
			percent = true
		}
	}
	if !percent && kr.Unit != "" {
		return false
	}
	return c.verbs[strings.ToLower(firstWord(kr.Title))] || completion.MatchString(kr.Title)
}

// templateText matches what templates leave behind: TODO-style markers,
// lorem ipsum, angle-bracket and mustache placeholders, and the stock
// phrases of a starter file.
var templateText = regexp.MustCompile(`\b(TODO|TBD|FIXME|XXX)\b|(?i)\blorem ipsum\b|<[a-z][a-z ]*>|\{\{[^}]*\}\}|(?i)\b(objective|key result) title( here)?\b|(?i)\breplace (me|this)\b`)

func (c *checker) template(file string, at model.Pos, what, text string) {
	if text == "" {
		return
	}
	if m := templateText.FindString(text); m != "" {
		c.add(file, at, CodeTemplateText, "%s holds template text %q; write the real thing or remove it", what, m)
	}
}

// mentions reports the @mentions in text, written at value position at in
// file, that name no person or team.
func (c *checker) mentions(file string, at model.Pos, text string) {
	for _, m := range mention.Find(text) {
		if _, ok := c.resolver.Name(m.Name); ok {
			continue
		}
		c.add(file, c.locate(file, at, "@"+m.Name, text[:m.Offset]), CodeUnknownMention, "@%s is not a person or team in org.yaml (by id or handle)", m.Name)
	}
}

// locate finds the position of token in file at or after at, skipping as
// many earlier occurrences as the text before the mention holds; it falls
// back to at when the file cannot be read or the token is not found.
func (c *checker) locate(file string, at model.Pos, token, before string) model.Pos {
	data, ok := c.files[file]
	if !ok {
		data = c.read(file)
		c.files[file] = data
	}
	off := offsetOf(data, at)
	if off < 0 {
		return at
	}
	skip := strings.Count(before, token)
	for {
		i := strings.Index(string(data[off:]), token)
		if i < 0 {
			return at
		}
		off += i
		if skip == 0 {
			return posOf(data, off)
		}
		skip--
		off += len(token)
	}
}

// offsetOf converts a 1-based line and column (in characters) to a byte
// offset, -1 when out of range.
func offsetOf(data []byte, p model.Pos) int {
	line, off := 1, 0
	for line < p.Line {
		i := strings.IndexByte(string(data[off:]), '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
		line++
	}
	for col := 1; col < p.Col; col++ {
		if off >= len(data) || data[off] == '\n' {
			return -1
		}
		_, size := utf8.DecodeRune(data[off:])
		off += size
	}
	return off
}

// posOf converts a byte offset to a 1-based line and column in characters.
func posOf(data []byte, off int) model.Pos {
	line := 1 + strings.Count(string(data[:off]), "\n")
	start := strings.LastIndexByte(string(data[:off]), '\n') + 1
	return model.Pos{Line: line, Col: 1 + utf8.RuneCount(data[start:off])}
}

// read returns the bytes of file, a slash path relative to the workspace
// root, or nil when it cannot be read or is larger than the loader's size
// cap (limits.max_file_bytes). The loader does not keep the bytes it
// parsed, and the workspace does not reach them, so lint reads the file
// again, under the same cap.
func (c *checker) read(file string) []byte {
	if c.ws.Root == "" || file == "" {
		return nil
	}
	limit := c.ws.Settings.MaxFileBytes
	if limit <= 0 {
		limit = load.DefaultMaxFileBytes
	}
	f, err := os.Open(filepath.Join(c.ws.Root, filepath.FromSlash(file)))
	if err != nil {
		return nil
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || fi.Size() > limit {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil || int64(len(data)) > limit {
		return nil
	}
	return data
}

// krBounds sets the kr-count bounds from okr.yaml's lint.key_results; an
// explicit "min: 0" is honoured (the loader records where min is written).
// Bounds that exclude each other (min above max, the defaults counted) are
// reported once, at the setting, and kr-count then checks no objective.
func (c *checker) krBounds() {
	ls := c.ws.Settings.Lint
	file := cmp.Or(c.ws.Settings.File(), load.MarkerFile)
	minSet := ls.MinKeyResults > 0 || ls.MinAt.Line > 0
	if minSet {
		c.minKRs = ls.MinKeyResults
	}
	if ls.MaxKeyResults > 0 {
		c.maxKRs = ls.MaxKeyResults
	}
	if c.minKRs <= c.maxKRs {
		return
	}
	at := c.ws.Settings.At("lint")
	switch {
	case ls.MinAt.Line > 0:
		at = ls.MinAt
	case ls.MaxAt.Line > 0:
		at = ls.MaxAt
	}
	note := func(set bool) string {
		if set {
			return ""
		}
		return " (the default)"
	}
	if _, on := c.severity[CodeKRCount]; on {
		c.out = append(c.out, diag.Diagnostic{File: file, Line: max(at.Line, 1), Col: max(at.Col, 1), Severity: diag.Error, Code: CodeKRCount,
			Message: fmt.Sprintf("lint.key_results: min %d%s is above max %d%s, so no objective can have the right number of key results; make min at most max",
				c.minKRs, note(minSet), c.maxKRs, note(ls.MaxKeyResults > 0))})
	}
}
