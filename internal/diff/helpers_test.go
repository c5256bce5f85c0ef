package diff

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/okrkit/okr/internal/load"
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

const cyclesYAML = `cycles:
  - {id: q3, start: 2026-07-01, end: 2026-09-30}
  - {id: q4, start: 2026-10-01, end: 2026-12-31}
`

// workspace loads a workspace from files (path to YAML text) written to a
// temporary folder; okr.yaml and cycles.yaml (Q3 and Q4 2026) are added
// unless given.
func workspace(t *testing.T, files map[string]string) *model.Workspace {
	t.Helper()
	dir := t.TempDir()
	all := map[string]string{"okr.yaml": "version: 1\n", "cycles.yaml": cyclesYAML}
	for k, v := range files {
		all[k] = v
	}
	for name, body := range all {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := load.Load(dir, load.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) > 0 {
		t.Fatalf("loading the test workspace: %v", res.Diagnostics)
	}
	return res.Workspace
}

// The two sides used by the Compare and writer tests.
//
// base, as of 2026-11-15 (45 of 91 days of Q4 elapsed, expected e = 0.4945;
// on track needs p >= 0.445, at risk p >= 0.297):
//   - grow: arr increase 0 -> 100 at 20: p 0.2, off_track; uptime at_least
//     99.9 without check-ins: 0, off_track; objective (0.2 + 0) / 2 = 0.1.
//   - platform: latency decrease 500 -> 300 at 450: p 50/200 = 0.25,
//     off_track; oncall range 6..8, no check-in: 0.
//   - legacy: one milestone, removed in head.
//
// head, as of the same day:
//   - grow moved to objectives/sales/grow.yaml, retitled, arr checked in
//     at 40 on 11-15: p 0.4, at_risk; objective (0.4 + 0) / 2 = 0.2.
//   - platform: latency target 300 -> 350 (a goalpost: easier): p 50/150 =
//     1/3, at_risk; oncall removed; errors (at_most 0.5) added.
//   - ship added, with a hostile title.
var (
	baseFiles = map[string]string{
		"objectives/company/grow.yaml": `id: grow
title: Grow revenue
cycle: q4
level: company
owner: ada
key_results:
  - id: arr
    title: ARR
    type: increase
    start: 0
    target: 100
    checkins:
      - {date: 2026-10-10, value: 20}
  - id: uptime
    title: Uptime
    type: at_least
    threshold: 99.9
`,
		"objectives/eng/platform.yaml": `id: platform
title: Reliable platform
cycle: q4
aligns_to: [grow]
key_results:
  - id: latency
    title: p95 latency
    type: decrease
    start: 500
    target: 300
    checkins:
      - {date: 2026-10-20, value: 450}
  - id: oncall
    title: On-call size
    type: range
    low: 6
    high: 8
`,
		"objectives/legacy.yaml": `id: legacy
title: Legacy
cycle: q4
key_results:
  - {id: legacy-kr, title: Retire it, type: milestone}
`,
	}
	headFiles = map[string]string{
		"objectives/sales/grow.yaml": `id: grow
title: Grow revenue faster
cycle: q4
level: company
owner: ada
key_results:
  - id: arr
    title: ARR
    type: increase
    start: 0
    target: 100
    checkins:
      - {date: 2026-10-10, value: 20}
      - {date: 2026-11-15, value: 40, confidence: 0.7, author: sam, note: Two deals closed.}
  - id: uptime
    title: Uptime
    type: at_least
    threshold: 99.9
`,
		"objectives/eng/platform.yaml": `id: platform
title: Reliable platform
cycle: q4
aligns_to: [grow]
key_results:
  - id: latency
    title: p95 latency
    type: decrease
    start: 500
    target: 350
    checkins:
      - {date: 2026-10-20, value: 450}
  - id: errors
    title: Error rate
    type: at_most
    threshold: 0.5
`,
		"objectives/eng/ship.yaml": `id: ship
title: "<script>alert(1)</script> | x"
cycle: q4
key_results:
  - id: launch
    title: Launch
    type: milestone
    checkins:
      - {date: 2026-11-01, value: true}
`,
	}
	day = d("2026-11-15")
)
