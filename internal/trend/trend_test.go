package trend

import (
	"bytes"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/okrkit/okr/internal/golden"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/score"
)

func day(t testing.TB, s string) model.Date {
	t.Helper()
	d, err := model.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func num(v float64) *float64 { return &v }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// q4 runs 2026-10-01..2026-12-31: end - start = 91 days.
func q4(t testing.TB) *model.Cycle {
	return &model.Cycle{ID: "q4", Start: day(t, "2026-10-01"), End: day(t, "2026-12-31")}
}

func checkin(t testing.TB, date string, v float64) model.Checkin {
	return model.Checkin{Date: day(t, date), Value: v}
}

// increase is an increase key result from 0 to target with check-ins.
func increase(id string, target float64, cs ...model.Checkin) *model.KeyResult {
	return &model.KeyResult{ID: id, Title: "KR " + id, Type: model.Increase, Start: num(0), Target: num(target), Weight: 1, Checkins: cs}
}

// settings are the loader's defaults: on track at 0.9 of expected, at risk
// at 0.6, progress capped at 1.
var settings = model.Settings{OnTrack: 0.9, AtRisk: 0.6, ProgressCap: 1}

func TestDates(t *testing.T) {
	weeks := []string{"2026-10-07", "2026-10-14", "2026-10-21", "2026-10-28", "2026-11-04", "2026-11-11", "2026-11-18",
		"2026-11-25", "2026-12-02", "2026-12-09", "2026-12-16", "2026-12-23", "2026-12-30"}
	cases := []struct {
		name, until string
		want        []string
	}{
		// Start + 6, + 13, ...: 2026-10-07 .. 2026-11-18, then today itself.
		{"mid cycle", "2026-11-23", append(slices.Clone(weeks[:7]), "2026-11-23")},
		// On a week end: no extra date.
		{"on a week end", "2026-11-18", weeks[:7]},
		{"first week end", "2026-10-07", weeks[:1]},
		// Before the first week end: only until.
		{"first days", "2026-10-03", []string{"2026-10-03"}},
		{"start", "2026-10-01", []string{"2026-10-01"}},
		{"before start", "2026-09-30", nil},
		{"long before start", "2025-01-01", nil},
		// After the end: 2026-10-07 + 12 * 7 = 2026-12-30, then the end.
		{"end", "2026-12-31", append(slices.Clone(weeks), "2026-12-31")},
		{"after end", "2027-02-01", append(slices.Clone(weeks), "2026-12-31")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, d := range Dates(q4(t), day(t, c.until)) {
				got = append(got, d.String())
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Dates(q4, %s) = %v, want %v", c.until, got, c.want)
			}
		})
	}
	// A cycle of exactly one week ends on its only week end.
	week := &model.Cycle{ID: "w", Start: day(t, "2026-10-01"), End: day(t, "2026-10-07")}
	if got := Dates(week, day(t, "2026-12-01")); len(got) != 1 || got[0].String() != "2026-10-07" {
		t.Errorf("one-week cycle: %v, want [2026-10-07]", got)
	}
}

func TestSpark(t *testing.T) {
	cases := []struct {
		name string
		vs   []*float64
		want string
	}{
		{"empty", nil, ""},
		{"nil is a space", []*float64{nil, num(1), nil}, " █ "},
		// Level int(v * 7 + 0.5) of ▁▂▃▄▅▆▇█.
		{"levels", []*float64{num(0), num(1.0 / 7), num(2.0 / 7), num(3.0 / 7), num(4.0 / 7), num(5.0 / 7), num(6.0 / 7), num(1)}, "▁▂▃▄▅▆▇█"},
		// 0.07 * 7 + 0.5 = 0.99 -> 0; 0.08 * 7 + 0.5 = 1.06 -> 1; 0.5 -> 4.
		{"rounding", []*float64{num(0.07), num(0.08), num(0.5)}, "▁▂▅"},
		// Clamped: below 0 is the lowest bar, above 1 the highest.
		{"clamped", []*float64{num(-0.2), num(-5), num(1.5), num(40)}, "▁▁██"},
	}
	for _, c := range cases {
		if got := Spark(c.vs); got != c.want {
			t.Errorf("%s: Spark = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestGoal(t *testing.T) {
	cases := []struct {
		kr   model.KeyResult
		want string
	}{
		{model.KeyResult{Type: model.Increase, Start: num(0), Target: num(100)}, "from 0 to 100"},
		{model.KeyResult{Type: model.Decrease, Start: num(5), Target: num(3.5)}, "from 5 to 3.5"},
		{model.KeyResult{Type: model.Increase, Start: num(1.23456), Target: num(2)}, "from 1.2346 to 2"},
		{model.KeyResult{Type: model.Increase, Start: num(0)}, "from 0 to ?"},
		{model.KeyResult{Type: model.AtLeast, Threshold: num(99.9)}, "at least 99.9"},
		{model.KeyResult{Type: model.AtMost, Threshold: num(250)}, "at most 250"},
		{model.KeyResult{Type: model.Range, Low: num(1), High: num(2)}, "between 1 and 2"},
		{model.KeyResult{Type: model.Milestone, Steps: []string{"a", "b", "c"}}, "3 steps"},
		{model.KeyResult{Type: model.Milestone}, "done"},
		{model.KeyResult{Type: "unknown"}, "unknown"},
	}
	for _, c := range cases {
		if got := Goal(&c.kr); got != c.want {
			t.Errorf("Goal(%s) = %q, want %q", c.kr.Type, got, c.want)
		}
	}
}

// TestKeyResultDefinitions scores each check-in with the definition in
// force on its date: the target was 100 until commit bbbbbbb made it 60 on
// 2026-10-26.
func TestKeyResultDefinitions(t *testing.T) {
	cs := []model.Checkin{
		checkin(t, "2026-10-02", 10), // before every Since: the oldest definition
		checkin(t, "2026-10-15", 30),
		checkin(t, "2026-10-26", 36), // on the new definition's day: the new one
		checkin(t, "2026-11-09", 48),
	}
	cs[0].SetConfidence(num(0.8))
	cs[1].SetText(model.CheckinText{Note: "-5 vs plan", Status: "at_risk"})
	kr := increase("signups", 60, cs...)
	obj := &model.Objective{ID: "growth", Cycle: "q4", KeyResults: []*model.KeyResult{kr}}
	defs := []Definition{
		{Since: day(t, "2026-10-05"), Commit: "aaaaaaa", KR: increase("signups", 100)},
		{Since: day(t, "2026-10-26"), Commit: "bbbbbbb", KR: increase("signups", 60)},
	}
	s := KeyResult(score.FromSettings(settings), obj, kr, q4(t), defs)
	if s.Definitions != 2 || s.KeyResult != "signups" || s.Objective != "growth" || s.Cycle != "q4" || s.Type != model.Increase {
		t.Fatalf("series header = %+v", s)
	}
	want := []struct {
		progress, expected float64
		goal, commit       string
	}{
		{10.0 / 100, 1.0 / 91, "from 0 to 100", "aaaaaaa"},  // 10%, expected 1/91
		{30.0 / 100, 14.0 / 91, "from 0 to 100", "aaaaaaa"}, // 30%, expected 14/91
		{36.0 / 60, 25.0 / 91, "from 0 to 60", "bbbbbbb"},   // 60%, expected 25/91
		{48.0 / 60, 39.0 / 91, "from 0 to 60", "bbbbbbb"},   // 80%, expected 39/91
	}
	if len(s.Points) != len(want) {
		t.Fatalf("%d points, want %d", len(s.Points), len(want))
	}
	for i, w := range want {
		p := s.Points[i]
		if !near(p.Progress, w.progress) || !near(p.Expected, w.expected) || p.Goal != w.goal || p.Commit != w.commit {
			t.Errorf("point %d (%s) = progress %g expected %g goal %q commit %q, want %g %g %q %q",
				i, p.Date, p.Progress, p.Expected, p.Goal, p.Commit, w.progress, w.expected, w.goal, w.commit)
		}
	}
	if p := s.Points[0]; p.Confidence == nil || *p.Confidence != 0.8 || p.Value != 10 || p.Date != "2026-10-02" {
		t.Errorf("point 0 = %+v", p)
	}
	if p := s.Points[1]; p.Note != "-5 vs plan" || p.Status != "at_risk" || p.Confidence != nil {
		t.Errorf("point 1 = %+v", p)
	}

	// Without definitions (no history) the key result's own goal scores
	// every check-in: 10/60, 30/60, 36/60, 48/60.
	s = KeyResult(score.FromSettings(settings), obj, kr, q4(t), nil)
	if s.Definitions != 1 {
		t.Errorf("definitions = %d, want 1", s.Definitions)
	}
	for i, w := range []float64{10.0 / 60, 30.0 / 60, 36.0 / 60, 48.0 / 60} {
		if p := s.Points[i]; !near(p.Progress, w) || p.Goal != "from 0 to 60" || p.Commit != "" {
			t.Errorf("no history, point %d = %g %q %q, want %g", i, p.Progress, p.Goal, p.Commit, w)
		}
	}

	// Progress is clamped at 0 and capped: 75/60 = 1.25 -> 1 with the cap,
	// 1.25 uncapped; -6/60 -> 0.
	over := increase("signups", 60, checkin(t, "2026-11-20", 75), checkin(t, "2026-11-21", -6))
	capped := KeyResult(score.FromSettings(settings), obj, over, q4(t), nil)
	uncapped := KeyResult(score.Options{}, obj, over, q4(t), nil)
	if capped.Points[0].Progress != 1 || !near(uncapped.Points[0].Progress, 1.25) || capped.Points[1].Progress != 0 {
		t.Errorf("capped %g, uncapped %g, negative %g", capped.Points[0].Progress, uncapped.Points[0].Progress, capped.Points[1].Progress)
	}

	// No check-ins: an empty (not nil) list of points.
	empty := KeyResult(score.FromSettings(settings), obj, increase("signups", 60), q4(t), nil)
	if empty.Points == nil || len(empty.Points) != 0 {
		t.Errorf("points = %#v, want empty", empty.Points)
	}
}

// TestKeyResultDecrease: a decrease from 5 to 3 whose target moved to 4:
// 4.5 before scores (5 - 4.5) / (5 - 3) = 0.25, after (5 - 4.5) / (5 - 4) = 0.5.
func TestKeyResultDecrease(t *testing.T) {
	dec := func(target float64, cs ...model.Checkin) *model.KeyResult {
		return &model.KeyResult{ID: "churn", Type: model.Decrease, Start: num(5), Target: num(target), Weight: 1, Checkins: cs}
	}
	kr := dec(4, checkin(t, "2026-10-10", 4.5), checkin(t, "2026-10-20", 4.5))
	obj := &model.Objective{ID: "o", KeyResults: []*model.KeyResult{kr}}
	defs := []Definition{{KR: dec(3)}, {Since: day(t, "2026-10-15"), Commit: "c", KR: dec(4)}}
	s := KeyResult(score.FromSettings(settings), obj, kr, q4(t), defs)
	if !near(s.Points[0].Progress, 0.25) || !near(s.Points[1].Progress, 0.5) {
		t.Errorf("progress %g, %g; want 0.25, 0.5", s.Points[0].Progress, s.Points[1].Progress)
	}
}

func TestWeeklyAdd(t *testing.T) {
	cycle := q4(t)
	// Week 1 (2026-10-09): only b exists, titled "Old B". b: x 0 -> 10 at 1
	// (0.1), y at_least 5 at 6 (1): (0.1 + 1) / 2 = 0.55. Mean 0.55.
	b := func(title string) *model.Objective {
		y := &model.KeyResult{ID: "y", Type: model.AtLeast, Threshold: num(5), Weight: 1, Checkins: []model.Checkin{checkin(t, "2026-10-02", 6)}}
		return &model.Objective{ID: "b", Title: title, Cycle: "q4", Weight: 1, KeyResults: []*model.KeyResult{
			increase("x", 10, checkin(t, "2026-10-02", 1)), y}}
	}
	ws1 := &model.Workspace{Settings: settings, Cycles: []*model.Cycle{cycle}, Objectives: []*model.Objective{b("Old B")}}
	// Week 2 (2026-10-16): a (0 -> 100 at 40: 0.4), b as before (0.55), d
	// with a weight-0 key result (no score), e in another cycle (left out).
	// The average, weighted by objective weight (a weighs 3):
	// (3·0.4 + 0.55) / 4 = 0.4375. A check-in after the week's day (a's
	// 2026-10-20: 90) does not count.
	dkr := increase("z", 10)
	dkr.Weight = 0
	ws2 := &model.Workspace{Settings: settings, Cycles: []*model.Cycle{cycle, {ID: "q1", Start: day(t, "2027-01-01"), End: day(t, "2027-03-31")}},
		Objectives: []*model.Objective{
			{ID: "a", Title: "A", Cycle: "q4", Weight: 3, KeyResults: []*model.KeyResult{increase("w", 100, checkin(t, "2026-10-15", 40), checkin(t, "2026-10-20", 90))}},
			b("B"),
			{ID: "d", Title: "D", Cycle: "q4", Weight: 1, KeyResults: []*model.KeyResult{dkr}},
			{ID: "e", Title: "E", Cycle: "q1", Weight: 1, KeyResults: []*model.KeyResult{increase("v", 1, checkin(t, "2026-10-02", 1))}},
		}}
	// Week 3: nothing to score, no mean.
	ws3 := &model.Workspace{Settings: settings, Cycles: []*model.Cycle{cycle},
		Objectives: []*model.Objective{{ID: "d", Title: "D", Cycle: "q4", Weight: 1, KeyResults: []*model.KeyResult{dkr}}}}

	s := NewWeekly("q4", true)
	s.Add(ws1, cycle, day(t, "2026-10-09"), "c1")
	s.Add(ws2, cycle, day(t, "2026-10-16"), "c2")
	s.Add(ws3, cycle, day(t, "2026-10-23"), "")
	if len(s.Weeks) != 3 {
		t.Fatalf("%d weeks, want 3", len(s.Weeks))
	}
	w1, w2, w3 := s.Weeks[0], s.Weeks[1], s.Weeks[2]
	if w1.Date != "2026-10-09" || w1.Commit != "c1" || w1.AverageScore == nil || !near(*w1.AverageScore, 0.55) {
		t.Errorf("week 1 = %+v, mean %v; want mean 0.55", w1, w1.AverageScore)
	}
	if _, ok := w1.Scores["a"]; ok {
		t.Error("week 1 has a score for a, which did not exist yet")
	}
	if w2.AverageScore == nil || !near(*w2.AverageScore, 0.4375) {
		t.Errorf("week 2 average = %v, want 0.4375", w2.AverageScore)
	}
	if sc := w2.Scores["a"]; sc == nil || !near(*sc, 0.4) {
		t.Errorf("week 2 a = %v, want 0.4", sc)
	}
	if sc, ok := w2.Scores["d"]; !ok || sc != nil {
		t.Errorf("week 2 d = %v (present %v), want present and nil", sc, ok)
	}
	if _, ok := w2.Scores["e"]; ok {
		t.Error("week 2 scores e, of another cycle")
	}
	// Week 2 statuses as of 2026-10-16: expected 15/91 = 0.165 (on track
	// >= 0.148, at risk >= 0.099): w 0.4 on track, x 0.1 at risk, y 1 done,
	// z 0 (no check-in) off track.
	want := map[string]int{"on_track": 1, "at_risk": 1, "off_track": 1, "done": 1}
	for k, n := range want {
		if w2.Counts[k] != n {
			t.Errorf("week 2 counts = %v, want %v", w2.Counts, want)
			break
		}
	}
	if w3.AverageScore != nil {
		t.Errorf("week 3 mean = %v, want nil", *w3.AverageScore)
	}
	// Objectives: every id seen, sorted, with the latest title.
	wantObjs := []ObjectiveRef{{"a", "A"}, {"b", "B"}, {"d", "D"}}
	if !slices.Equal(s.Objectives, wantObjs) {
		t.Errorf("objectives = %v, want %v", s.Objectives, wantObjs)
	}
}

// TestWeeklyUsesWorkspaceCycle: the week is scored with the workspace's own
// version of the cycle (same id), e.g. a cycle whose end moved.
func TestWeeklyUsesWorkspaceCycle(t *testing.T) {
	// The workspace's q4 ends on 2026-10-31: expected on 2026-10-16 is
	// 15/30 = 0.5 rather than 15/91; w at 0.4 is at risk (>= 0.3, < 0.45).
	short := &model.Cycle{ID: "q4", Start: day(t, "2026-10-01"), End: day(t, "2026-10-31")}
	ws := &model.Workspace{Settings: settings, Cycles: []*model.Cycle{short}, Objectives: []*model.Objective{
		{ID: "a", Cycle: "q4", KeyResults: []*model.KeyResult{increase("w", 100, checkin(t, "2026-10-15", 40))}}}}
	s := NewWeekly("q4", true)
	s.Add(ws, q4(t), day(t, "2026-10-16"), "")
	if s.Weeks[0].Counts["at_risk"] != 1 {
		t.Errorf("counts = %v, want 1 at risk", s.Weeks[0].Counts)
	}
}

// sampleKR is a hand-built series: two definitions, a confidence, a note a
// spreadsheet would run as a formula, a stated status.
func sampleKR() *KRSeries {
	return &KRSeries{Version: Version, KeyResult: "signups", Title: "Weekly signups", Objective: "growth", Type: "increase",
		Unit: "users", Cycle: "q4", Definitions: 2, Points: []Point{
			{Date: "2026-10-02", Value: 10, Progress: 0.1, Expected: 1.0 / 91, Confidence: num(0.8), Goal: "from 0 to 100", Commit: "aaaaaaa"},
			{Date: "2026-10-15", Value: 30, Progress: 0.3, Expected: 14.0 / 91, Status: "at_risk", Note: "=1+1, behind plan", Goal: "from 0 to 100", Commit: "aaaaaaa"},
			{Date: "2026-10-26", Value: 36, Progress: 0.6, Expected: 25.0 / 91, Confidence: num(0.65), Goal: "from 0 to 60", Commit: "bbbbbbb"},
			{Date: "2026-11-09", Value: 1250.5, Progress: 1, Expected: 39.0 / 91, Goal: "from 0 to 60", Commit: "bbbbbbb"},
		}}
}

// sampleWeekly is a hand-built weekly series: b appears in week 2; week 3
// has nothing to score for a.
func sampleWeekly() *Weekly {
	counts := func(on, risk, off, done int) map[string]int {
		return map[string]int{"on_track": on, "at_risk": risk, "off_track": off, "done": done}
	}
	return &Weekly{Version: Version, Cycle: "q4", FromHistory: true,
		Objectives: []ObjectiveRef{{"a", "Grow"}, {"b-longer-id", "Keep up"}},
		Weeks: []Week{
			{Date: "2026-10-07", Commit: "aaaaaaa", Scores: map[string]*float64{"a": num(0.1)}, Counts: counts(1, 0, 0, 0), AverageScore: num(0.1)},
			{Date: "2026-10-14", Commit: "bbbbbbb", Scores: map[string]*float64{"a": num(0.25), "b-longer-id": num(1)}, Counts: counts(0, 1, 0, 1), AverageScore: num(0.625)},
			{Date: "2026-10-16", Scores: map[string]*float64{"a": nil, "b-longer-id": num(0.5)}, Counts: counts(0, 0, 2, 0), AverageScore: num(0.5)},
			{Date: "2026-10-17", Scores: map[string]*float64{"a": nil}, Counts: counts(0, 0, 0, 0)},
		}}
}

func write(t *testing.T, format string, fn func(Writer, *bytes.Buffer) error) []byte {
	t.Helper()
	w, err := NewWriter(format)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := fn(w, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGoldenWriters(t *testing.T) {
	ext := map[string]string{"text": "txt", "csv": "csv", "json": "json"}
	for _, format := range Formats() {
		golden.Check(t, filepath.Join("testdata", "kr."+ext[format]),
			write(t, format, func(w Writer, b *bytes.Buffer) error { return w.KeyResult(b, sampleKR()) }))
		golden.Check(t, filepath.Join("testdata", "weekly."+ext[format]),
			write(t, format, func(w Writer, b *bytes.Buffer) error { return w.Weekly(b, sampleWeekly()) }))
	}
}

func TestWritersEmpty(t *testing.T) {
	kr := &KRSeries{Version: Version, KeyResult: "k", Title: "K", Type: "milestone", Cycle: "q4", Points: []Point{}, Definitions: 1}
	wk := NewWeekly("q4", false)
	cases := []struct {
		format   string
		kr, week string
	}{
		{"text", "k: K (milestone, cycle q4)\nno check-ins yet\n", "cycle q4, 0 weeks (from check-ins only)\n"},
		{"csv", "date,value,progress,expected,confidence,status,goal,commit,note\n", "week,commit,on_track,at_risk,off_track,done,average_score\n"},
		{"json", "{\n  \"version\": 2,\n  \"key_result\": \"k\",\n  \"title\": \"K\",\n  \"objective\": \"\",\n  \"type\": \"milestone\",\n  \"cycle\": \"q4\",\n  \"points\": [],\n  \"definitions\": 1\n}\n",
			"{\n  \"version\": 2,\n  \"cycle\": \"q4\",\n  \"objectives\": [],\n  \"weeks\": [],\n  \"from_history\": false\n}\n"},
	}
	for _, c := range cases {
		if got := string(write(t, c.format, func(w Writer, b *bytes.Buffer) error { return w.KeyResult(b, kr) })); got != c.kr {
			t.Errorf("%s key result:\n%s\nwant:\n%s", c.format, got, c.kr)
		}
		if got := string(write(t, c.format, func(w Writer, b *bytes.Buffer) error { return w.Weekly(b, wk) })); got != c.week {
			t.Errorf("%s weekly:\n%s\nwant:\n%s", c.format, got, c.week)
		}
	}
}

func TestNewWriter(t *testing.T) {
	if got := Formats(); !slices.Equal(got, []string{"csv", "json", "text"}) {
		t.Errorf("Formats() = %v", got)
	}
	if _, err := NewWriter("markdown"); err == nil || err.Error() != `unknown format "markdown" (want one of csv, json, text)` {
		t.Errorf("NewWriter(markdown) error = %v", err)
	}
}

// The dates of Dates are calendar days, whatever the clock's zone.
func TestDatesAreDays(t *testing.T) {
	for _, d := range Dates(q4(t), day(t, "2026-11-23")) {
		if d.Time().Weekday() != time.Wednesday && d.String() != "2026-11-23" {
			t.Errorf("%s is a %s; week ends of a cycle starting on Thursday 2026-10-01 are Wednesdays", d, d.Time().Weekday())
		}
	}
}
