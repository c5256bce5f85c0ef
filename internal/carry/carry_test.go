package carry

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
)

func TestPlanExamples(t *testing.T) {
	res, err := load.Load("../../examples", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ws := res.Workspace
	from, to := ws.Cycle("2026-q3"), ws.Cycle("2026-q4")
	items := Plan(ws, from, to, model.Date{Year: 2026, Month: 11, Day: 23}, Options{}).Items
	var got []string
	for _, it := range items {
		var krs []string
		for _, k := range it.KeyResults {
			s := k.KeyResult.ID + "->" + k.NewID
			if k.Start != nil {
				s += "@" + fmtFloat(*k.Start)
			}
			krs = append(krs, s)
		}
		got = append(got, it.Objective.ID+"->"+it.NewID+" "+it.File+" ["+strings.Join(krs, " ")+"]")
	}
	// Hand-checked against examples/objectives/2026-q3: cut-cloud-cost
	// ended at $322 of a $300 target; enterprise-ready's SOC 2 key result
	// was done, SSO stayed short of its last step, the pilots at 2 of 3.
	want := []string{
		"q3-cut-cloud-cost->q3-cut-cloud-cost-2026-q4 objectives/2026-q4/q3-cut-cloud-cost-2026-q4.yaml [cost-per-customer->cost-per-customer-2026-q4@322]",
		"q3-enterprise-ready->q3-enterprise-ready-2026-q4 objectives/2026-q4/q3-enterprise-ready-2026-q4.yaml [sso-scim->sso-scim-2026-q4 enterprise-pilots->enterprise-pilots-2026-q4@2]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Apply changes the original only by the link lines.
	it := items[1]
	src, err := os.ReadFile("../../examples/" + it.Objective.File())
	if err != nil {
		t.Fatal(err)
	}
	old, created, err := Apply(it, to.ID, src)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(old), "\n") - strings.Count(string(src), "\n"); n != 3 {
		t.Errorf("original grew by %d lines, want 3 (the objective's and two key results' carried_to)", n)
	}
	for _, w := range []string{"carried_from: q3-enterprise-ready\n", "carried_from: sso-scim\n", "cycle: 2026-q4\n"} {
		if !strings.Contains(string(created), w) {
			t.Errorf("new file lacks %q:\n%s", w, created)
		}
	}
	for _, no := range []string{"checkins:", "score:", "soc2"} {
		if strings.Contains(string(created), no) {
			t.Errorf("new file holds %q:\n%s", no, created)
		}
	}
}

func TestNewID(t *testing.T) {
	taken := map[string]bool{"a-q4": true}
	for _, tt := range []struct{ id, want string }{
		{"grow-q3", "grow-q4"},
		{"grow", "grow-q4-2"}, // grow-q4 went to grow-q3
		{"a", "a-q4-2"},
		{"a-q3", "a-q4-3"},
	} {
		if got := newID(tt.id, "q3", "q4", taken); got != tt.want {
			t.Errorf("newID(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
