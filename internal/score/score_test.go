package score

import (
	"math"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

func f(v float64) *float64 { return &v }

func d(s string) model.Date {
	t, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func checkins(pairs ...any) []model.Checkin {
	var out []model.Checkin
	for i := 0; i+1 < len(pairs); i += 2 {
		c := &model.Checkin{Date: d(pairs[i].(string))}
		switch v := pairs[i+1].(type) {
		case float64:
			c.Value = v
		case int:
			c.Value = float64(v)
		case bool:
			c.SetBool(true)
			c.Value = b2f(v)
		}
		out = append(out, *c)
	}
	return out
}

var (
	q4     = &model.Cycle{ID: "q4", Start: d("2026-10-01"), End: d("2026-12-31")}
	asOf   = d("2026-11-23")
	capped = Options{Cap: 1, OnTrack: 0.9, AtRisk: 0.6}
	free   = Options{Cap: 0, OnTrack: 0.9, AtRisk: 0.6}
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestKeyResultProgress(t *testing.T) {
	cases := []struct {
		name     string
		kr       model.KeyResult
		opts     Options
		progress float64
	}{
		// Quantive's published example.
		{"decrease uncapped", model.KeyResult{Type: model.Decrease, Start: f(100), Target: f(60), Checkins: checkins("2026-11-01", 50)}, free, 1.25},
		{"decrease capped", model.KeyResult{Type: model.Decrease, Start: f(100), Target: f(60), Checkins: checkins("2026-11-01", 50)}, capped, 1.0},
		// Google re:Work: launch 6 features, 3 launched.
		{"milestone steps", model.KeyResult{Type: model.Milestone, Steps: []string{"a", "b", "c", "d", "e", "f"}, Checkins: checkins("2026-11-01", 3)}, capped, 0.5},
		{"milestone done", model.KeyResult{Type: model.Milestone, Checkins: checkins("2026-11-01", true)}, capped, 1},
		{"milestone not done", model.KeyResult{Type: model.Milestone, Checkins: checkins("2026-11-01", false)}, capped, 0},
		{"increase", model.KeyResult{Type: model.Increase, Start: f(10), Target: f(20), Checkins: checkins("2026-11-01", 14)}, capped, 0.4},
		{"negative clamped to 0", model.KeyResult{Type: model.Increase, Start: f(10), Target: f(20), Checkins: checkins("2026-11-01", 5)}, free, 0},
		{"before first check-in", model.KeyResult{Type: model.Increase, Start: f(10), Target: f(20)}, capped, 0},
		{"check-in after as-of ignored", model.KeyResult{Type: model.Increase, Start: f(0), Target: f(10), Checkins: checkins("2026-11-01", 5, "2026-12-01", 10)}, capped, 0.5},
		{"latest by date, not file order", model.KeyResult{Type: model.Increase, Start: f(0), Target: f(10), Checkins: checkins("2026-11-10", 8, "2026-11-01", 2)}, capped, 0.8},
		{"at least inside", model.KeyResult{Type: model.AtLeast, Threshold: f(99.9), Checkins: checkins("2026-11-01", 99.95)}, capped, 1},
		{"at least below", model.KeyResult{Type: model.AtLeast, Threshold: f(99.9), Checkins: checkins("2026-11-01", 99.5)}, capped, 0},
		{"at most inside", model.KeyResult{Type: model.AtMost, Threshold: f(2), Checkins: checkins("2026-11-01", 2)}, capped, 1},
		{"at most above", model.KeyResult{Type: model.AtMost, Threshold: f(2), Checkins: checkins("2026-11-01", 2.1)}, capped, 0},
		{"at most without check-in", model.KeyResult{Type: model.AtMost, Threshold: f(2)}, capped, 0},
		{"range inside", model.KeyResult{Type: model.Range, Low: f(6), High: f(8), Checkins: checkins("2026-11-01", 8)}, capped, 1},
		{"range outside", model.KeyResult{Type: model.Range, Low: f(6), High: f(8), Checkins: checkins("2026-11-01", 9)}, capped, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.opts.KeyResult(&c.kr, asOf)
			if !near(got.Progress, c.progress) || !near(got.Score, c.progress) || got.Manual {
				t.Errorf("progress %g score %g manual %v, want %g", got.Progress, got.Score, got.Manual, c.progress)
			}
		})
	}
}

func TestManualScoreOverrides(t *testing.T) {
	kr := &model.KeyResult{Type: model.Increase, Start: f(0), Target: f(10), Score: f(0.7), Checkins: checkins("2026-11-01", 2)}
	got := capped.KeyResult(kr, asOf)
	if !near(got.Progress, 0.2) || !near(got.Score, 0.7) || !got.Manual {
		t.Fatalf("got %+v, want progress 0.2, manual score 0.7", got)
	}
}

func TestObjectiveWeightedMean(t *testing.T) {
	// Weights 2, 1, 1 with progress 1.0, 0.5, 0 give (2*1 + 0.5 + 0) / 4.
	obj := &model.Objective{KeyResults: []*model.KeyResult{
		{Type: model.Increase, Start: f(0), Target: f(10), Weight: 2, Checkins: checkins("2026-11-01", 10)},
		{Type: model.Increase, Start: f(0), Target: f(10), Weight: 1, Checkins: checkins("2026-11-01", 5)},
		{Type: model.Increase, Start: f(0), Target: f(10), Weight: 1, Checkins: checkins("2026-11-01", 0)},
		{Type: model.Increase, Start: f(0), Target: f(10), Weight: 0, Checkins: checkins("2026-11-01", 10)}, // tracked, not scored
	}}
	got, ok := capped.Objective(obj, asOf)
	if !ok || !near(got, 0.625) {
		t.Fatalf("objective score %g (ok %v), want 0.625", got, ok)
	}
	if _, ok := capped.Objective(&model.Objective{}, asOf); ok {
		t.Fatal("an objective without weighted key results has no score")
	}
}

func TestStatusAtThreeDates(t *testing.T) {
	// Q4 has 91 days from start to end. Increase 0 -> 100.
	kr := &model.KeyResult{Type: model.Increase, Start: f(0), Target: f(100),
		Checkins: checkins("2026-10-15", 15, "2026-11-15", 40, "2026-12-15", 45)}
	cases := []struct {
		date     string
		expected float64
		status   string
	}{
		{"2026-10-15", 14.0 / 91, OnTrack},  // 0.15 >= 0.9 * 0.154
		{"2026-11-15", 45.0 / 91, AtRisk},   // 0.40 < 0.9 * 0.495, >= 0.6 * 0.495
		{"2026-12-15", 75.0 / 91, OffTrack}, // 0.45 < 0.6 * 0.824
	}
	for _, c := range cases {
		e := Expected(q4, d(c.date))
		if !near(e, c.expected) {
			t.Errorf("%s: expected progress %g, want %g", c.date, e, c.expected)
		}
		if got, stated := capped.KRStatus(kr, q4, d(c.date)); got != c.status || stated {
			t.Errorf("%s: status %s (stated %v), want computed %s", c.date, got, stated, c.status)
		}
	}
	kr.Checkins[2].SetText(model.CheckinText{Status: AtRisk})
	if got, stated := capped.KRStatus(kr, q4, d("2026-12-15")); got != AtRisk || !stated {
		t.Errorf("stated status: got %s (stated %v), want at_risk stated", got, stated)
	}
	if got := capped.Status(1, 0.5); got != Done {
		t.Errorf("progress 1 is %s, want done", got)
	}
	if e := Expected(q4, d("2027-03-01")); e != 1 {
		t.Errorf("expected progress after the cycle = %g, want 1", e)
	}
	if e := Expected(q4, d("2026-09-01")); e != 0 {
		t.Errorf("expected progress before the cycle = %g, want 0", e)
	}
}

func TestBand(t *testing.T) {
	bands := []model.ScoreBand{{Name: "green", Min: 0.7}, {Name: "red", Min: 0}, {Name: "yellow", Min: 0.4}}
	for score, want := range map[float64]string{0: "red", 0.39: "red", 0.4: "yellow", 0.69: "yellow", 0.7: "green", 1.2: "green"} {
		if got := Band(bands, score); got != want {
			t.Errorf("Band(%g) = %s, want %s", score, got, want)
		}
	}
	if got := Band(nil, 0.5); got != "" {
		t.Errorf("Band without bands = %q", got)
	}
}

func TestForecast(t *testing.T) {
	// One unit a day from 10 on 2026-10-01: the line reaches 101 on
	// 2026-12-31, 91 days later.
	kr := &model.KeyResult{Type: model.Increase, Start: f(0), Target: f(100),
		Checkins: checkins("2026-10-01", 10, "2026-10-11", 20, "2026-10-21", 30)}
	got, ok := Forecast(kr, q4, asOf)
	if !ok || !near(got, 101) {
		t.Fatalf("forecast %g (ok %v), want 101", got, ok)
	}
	// Least squares through noisy points: (0,0) (1,2) (2,1) gives slope 0.5
	// and intercept 0.5, so 0.5 + 0.5*91 at the end.
	kr.Checkins = checkins("2026-10-01", 0, "2026-10-02", 2, "2026-10-03", 1)
	if got, ok := Forecast(kr, q4, asOf); !ok || !near(got, 46) {
		t.Fatalf("forecast %g (ok %v), want 46", got, ok)
	}
	kr.Checkins = checkins("2026-10-01", 5)
	if _, ok := Forecast(kr, q4, asOf); ok {
		t.Fatal("one check-in cannot make a forecast")
	}
	// A done/not-done milestone has no forecast, however many check-ins.
	done := &model.KeyResult{Type: model.Milestone,
		Checkins: checkins("2026-10-01", 0, "2026-10-11", 0, "2026-10-21", 1)}
	if got, ok := Forecast(done, q4, asOf); ok {
		t.Fatalf("done/not-done milestone forecast %g, want none", got)
	}
	// A milestone of 3 steps: one step a week would reach 13 by the end;
	// the forecast stops at 3. A falling line stops at 0.
	steps := &model.KeyResult{Type: model.Milestone, Steps: []string{"a", "b", "c"},
		Checkins: checkins("2026-10-01", 0, "2026-10-08", 1, "2026-10-15", 2)}
	if got, ok := Forecast(steps, q4, asOf); !ok || got != 3 {
		t.Fatalf("3-step milestone forecast %g (ok %v), want 3", got, ok)
	}
	steps.Checkins = checkins("2026-10-01", 2, "2026-10-08", 1, "2026-10-15", 1)
	if got, ok := Forecast(steps, q4, asOf); !ok || got != 0 {
		t.Fatalf("falling milestone forecast %g (ok %v), want 0", got, ok)
	}
}
