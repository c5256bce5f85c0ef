// Package score computes key-result progress, objective scores, expected
// progress, status, score bands and forecasts from the workspace model. It
// is pure: no I/O, and the date to compute for is always passed in, so the
// same inputs give the same numbers in every view.
//
// The formulas (docs/scoring.md states each with a worked example):
//
//   - increase and decrease: p = (current - start) / (target - start);
//   - at_least, at_most, range: p = 1 when the current value is inside, else 0;
//   - milestone: 1 when done, or steps done / steps;
//   - before the first check-in, current = start (p = 0);
//   - p is clamped below at 0 and capped above by the workspace setting
//     (uncapped shows overachievement);
//   - a manual end-of-cycle score replaces the computed progress.
package score

import (
	"math"
	"sort"

	"github.com/okrkit/okr/internal/model"
)

// Options are the workspace settings scoring depends on.
type Options struct {
	// Cap is the highest progress shown; 0 means uncapped.
	Cap float64
	// OnTrack and AtRisk are the status thresholds, as fractions of the
	// expected progress.
	OnTrack, AtRisk float64
	// Rollup is the workspace's rollup mode (krs, children or both); an
	// objective's own rollup field overrides it. Empty means krs.
	Rollup string
}

// FromSettings returns the scoring options of a workspace.
func FromSettings(s model.Settings) Options {
	return Options{Cap: s.ProgressCap, OnTrack: s.OnTrack, AtRisk: s.AtRisk, Rollup: s.Rollup}
}

// Status values; display names are a workspace setting.
const (
	OnTrack  = "on_track"
	AtRisk   = "at_risk"
	OffTrack = "off_track"
	Done     = "done"
)

// KR is the computed state of a key result as of a date.
type KR struct {
	// Current is the latest check-in value on or before the date, or the
	// start value (0 when the type has none) when there is none.
	Current float64
	// Latest is the latest check-in on or before the date; nil when none.
	Latest *model.Checkin
	// Progress is the measured progress, clamped and capped.
	Progress float64
	// Score is what counts in the objective: Progress, or the manual
	// score when one is set (Manual is then true).
	Score  float64
	Manual bool
}

// Latest returns the check-in of kr with the latest date on or before
// asOf (of equal dates, the last written), or nil.
func Latest(kr *model.KeyResult, asOf model.Date) *model.Checkin {
	var best *model.Checkin
	for ix := range kr.Checkins {
		c := &kr.Checkins[ix]
		if c.Date.IsZero() || c.Date.After(asOf) {
			continue
		}
		if best == nil || !c.Date.Before(best.Date) {
			best = c
		}
	}
	return best
}

// RawProgress is the progress of kr at value current, before clamping and
// capping. ok is false when the type's fields are missing or degenerate.
func RawProgress(kr *model.KeyResult, current float64) (p float64, ok bool) {
	switch kr.Type {
	case model.Increase, model.Decrease:
		if kr.Start == nil || kr.Target == nil || *kr.Start == *kr.Target {
			return 0, false
		}
		p := (current - *kr.Start) / (*kr.Target - *kr.Start)
		if math.IsNaN(p) || math.IsInf(p, 0) {
			return 0, false // numbers past float64 (validation refuses them: number-range)
		}
		return p, true
	case model.AtLeast:
		if kr.Threshold == nil {
			return 0, false
		}
		return b2f(current >= *kr.Threshold), true
	case model.AtMost:
		if kr.Threshold == nil {
			return 0, false
		}
		return b2f(current <= *kr.Threshold), true
	case model.Range:
		if kr.Low == nil || kr.High == nil {
			return 0, false
		}
		return b2f(current >= *kr.Low && current <= *kr.High), true
	case model.Milestone:
		if len(kr.Steps) == 0 {
			return b2f(current >= 1), true
		}
		return current / float64(len(kr.Steps)), true
	}
	return 0, false
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Clamp applies the floor of 0 and the cap (0: uncapped) to a progress.
func (o Options) Clamp(p float64) float64 {
	p = math.Max(p, 0)
	if o.Cap > 0 {
		p = math.Min(p, o.Cap)
	}
	return p
}

// KeyResult computes kr as of asOf.
func (o Options) KeyResult(kr *model.KeyResult, asOf model.Date) KR {
	var out KR
	out.Latest = Latest(kr, asOf)
	switch {
	case out.Latest != nil:
		out.Current = out.Latest.Value
	case kr.Start != nil:
		out.Current = *kr.Start
	}
	if out.Latest != nil {
		if p, ok := RawProgress(kr, out.Current); ok {
			out.Progress = o.Clamp(p)
		}
	}
	out.Score = out.Progress
	if kr.Score != nil {
		out.Score, out.Manual = *kr.Score, true
	}
	return out
}

// Objective is the weighted mean of the scores of o's key results:
// sum(w*s)/sum(w), weights defaulting to 1; weight 0 tracks a key result
// without scoring it. ok is false when no key result weighs anything.
func (o Options) Objective(obj *model.Objective, asOf model.Date) (score float64, ok bool) {
	var sum, weights float64
	for _, kr := range obj.KeyResults {
		if kr.Weight <= 0 {
			continue
		}
		sum += kr.Weight * o.KeyResult(kr, asOf).Score
		weights += kr.Weight
	}
	if weights == 0 {
		return 0, false
	}
	return sum / weights, true
}

// Expected is the share of the cycle elapsed at asOf, clamped to 0..1:
// (asOf - start) / (end - start), in days.
func Expected(c *model.Cycle, asOf model.Date) float64 {
	total := days(c.Start, c.End)
	if total <= 0 {
		return 1
	}
	return math.Min(math.Max(days(c.Start, asOf)/total, 0), 1)
}

func days(a, b model.Date) float64 { return b.Time().Sub(a.Time()).Hours() / 24 }

// Status is the computed status of a progress p against expected progress
// e: done at p >= 1, on_track at p >= OnTrack*e, at_risk at p >= AtRisk*e,
// else off_track.
func (o Options) Status(p, e float64) string {
	switch {
	case p >= 1:
		return Done
	case p >= o.OnTrack*e:
		return OnTrack
	case p >= o.AtRisk*e:
		return AtRisk
	}
	return OffTrack
}

// KRStatus is the status of a key result as of asOf: the status stated in
// its latest check-in when there is one (stated is then true), else the
// computed one.
func (o Options) KRStatus(kr *model.KeyResult, c *model.Cycle, asOf model.Date) (status string, stated bool) {
	return o.StatusOf(o.KeyResult(kr, asOf), c, asOf)
}

// StatusOf is KRStatus for a key result already computed with KeyResult.
func (o Options) StatusOf(st KR, c *model.Cycle, asOf model.Date) (status string, stated bool) {
	if st.Latest != nil && st.Latest.Status() != "" {
		return st.Latest.Status(), true
	}
	return o.Status(st.Progress, Expected(c, asOf)), false
}

// Band returns the score band of score: the one with the highest min not
// above it (the lowest band for a score below every min), or "" when bands
// is empty.
func Band(bands []model.ScoreBand, score float64) string {
	sorted := append([]model.ScoreBand(nil), bands...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Min < sorted[j].Min })
	name := ""
	for _, b := range sorted {
		if score >= b.Min {
			name = b.Name
		}
	}
	if name == "" && len(sorted) > 0 {
		name = sorted[0].Name
	}
	return name
}

// Forecast fits a least-squares line through kr's check-ins on or before
// asOf (x in days, y the value) and returns the value it predicts at the
// cycle's end. ok is false with fewer than two distinct dates, and for a
// milestone without steps: a done/not-done value has no line to extend. A
// milestone's forecast is a number of steps done, so it is clamped to
// [0, steps].
func Forecast(kr *model.KeyResult, c *model.Cycle, asOf model.Date) (value float64, ok bool) {
	if kr.Type == model.Milestone && len(kr.Steps) == 0 {
		return 0, false
	}
	var xs, ys []float64
	for ix := range kr.Checkins {
		ci := &kr.Checkins[ix]
		if ci.Date.IsZero() || ci.Date.After(asOf) {
			continue
		}
		xs = append(xs, days(c.Start, ci.Date))
		ys = append(ys, ci.Value)
	}
	n := float64(len(xs))
	if n < 2 {
		return 0, false
	}
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
		sxx += xs[i] * xs[i]
		sxy += xs[i] * ys[i]
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return 0, false
	}
	slope := (n*sxy - sx*sy) / den
	intercept := (sy - slope*sx) / n
	f := intercept + slope*days(c.Start, c.End)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	if kr.Type == model.Milestone {
		f = max(0, min(f, float64(len(kr.Steps))))
	}
	return f, true
}
