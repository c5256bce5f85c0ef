package render

import (
	"bytes"
	"testing"

	"github.com/okrkit/okr/internal/report"
)

func TestGoldenStats(t *testing.T) {
	ws := examples(t)
	s := report.BuildStats(ws, report.ActiveCycle(ws, day), day)
	for _, f := range StatsFormats {
		var buf bytes.Buffer
		if err := WriteStats(&buf, s, f); err != nil {
			t.Fatal(err)
		}
		golden(t, "stats-q4."+f, buf.Bytes())
	}
}
