package render

import (
	"testing"

	"github.com/okrkit/okr/internal/report"
)

func ptr(v float64) *float64 { return &v }

func TestGoalCell(t *testing.T) {
	zero, one := 0, 1
	units := map[string]report.Unit{
		"usd": {Symbol: "$", Decimals: &zero}, "percent": {Symbol: "%", Decimals: &one},
		"ms": {Symbol: "ms"}, "count": {Decimals: &zero},
	}
	for _, c := range []struct {
		name string
		k    report.KeyResult
		want string
	}{
		{"increase in dollars", report.KeyResult{Goal: "g", Type: "increase", Unit: "usd", Start: ptr(9.4e6), Target: ptr(12e6), Current: ptr(10_615_000)}, "$9.4M -> $12M, now $10.62M"},
		{"thousands", report.KeyResult{Goal: "g", Type: "increase", Unit: "usd", Start: ptr(0), Target: ptr(450_000), Current: ptr(9_999)}, "$0 -> $450k, now $9,999"},
		{"negative dollars", report.KeyResult{Goal: "g", Type: "increase", Unit: "usd", Start: ptr(-5000), Target: ptr(0)}, "-$5,000 -> $0"},
		{"billions", report.KeyResult{Goal: "g", Type: "decrease", Start: ptr(2.5e9), Target: ptr(1e9), Current: ptr(-12_345)}, "2.5B -> 1B, now -12.35k"},
		{"at most, suffix symbol", report.KeyResult{Goal: "g", Type: "at_most", Unit: "ms", Threshold: ptr(300), Current: ptr(410)}, "<= 300 ms, now 410 ms"},
		{"at least, decimals", report.KeyResult{Goal: "g", Type: "at_least", Unit: "percent", Threshold: ptr(110), Current: ptr(111.04)}, ">= 110.0%, now 111.0%"},
		{"range", report.KeyResult{Goal: "g", Type: "range", Unit: "percent", Low: ptr(60), High: ptr(70), Current: ptr(64)}, "60.0%..70.0%, now 64.0%"},
		{"unit without symbol", report.KeyResult{Goal: "g", Type: "increase", Unit: "count", Start: ptr(12), Target: ptr(30), Current: ptr(21.6)}, "12 -> 30, now 22"},
		{"unit the report lacks", report.KeyResult{Goal: "g", Type: "at_least", Unit: "nope", Threshold: ptr(1.25)}, ">= 1.25"},
		{"missing number", report.KeyResult{Type: "increase", Goal: "from ? to 5", Target: ptr(5)}, "? -> 5"},
		{"steps", report.KeyResult{Type: "milestone", Steps: []string{"a", "b", "c", "d", "e"}, Current: ptr(3), Due: "2026-12-18"}, "3/5 steps, due 2026-12-18"},
		{"steps before a check-in", report.KeyResult{Type: "milestone", Steps: []string{"a"}}, "0/1 steps"},
		{"done", report.KeyResult{Type: "milestone", Current: ptr(1)}, "done"},
		{"not done", report.KeyResult{Type: "milestone", Current: ptr(0), Due: "2026-12-08"}, "not done, due 2026-12-08"},
		{"unknown type", report.KeyResult{Type: "other", Goal: "other"}, "other"},
		{"version 1 report", report.KeyResult{Type: "increase", Unit: "usd", Current: ptr(40)}, "now $40"},
		{"version 1 report, no check-in", report.KeyResult{Type: "at_most"}, ""},
	} {
		if got := goalCell(c.k, units); got != c.want {
			t.Errorf("%s: goalCell = %q, want %q", c.name, got, c.want)
		}
	}
}
