package numfmt

import (
	"math"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
)

func TestPlain(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {281000, "281,000"}, {1234567.5, "1,234,567.5"},
		{-1234.25, "-1,234.25"}, {0.12345, "0.1235"}, {-0.00001, "0"}, {1e15, "1,000,000,000,000,000"},
	} {
		if got := Plain(c.v); got != c.want {
			t.Errorf("Plain(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestUnit(t *testing.T) {
	withDecimals := func() model.Source {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("{symbol: x, decimals: 1}"), &doc); err != nil {
			t.Fatal(err)
		}
		return load.SourceOf("okr.yaml", doc.Content[0])
	}
	usd := &model.Unit{ID: "usd", Symbol: "$", Decimals: 0, Source: withDecimals()}
	pct := &model.Unit{ID: "percent", Symbol: "%", Decimals: 1, Source: withDecimals()}
	ms := &model.Unit{ID: "ms", Symbol: "ms"}
	for _, c := range []struct {
		u    *model.Unit
		v    float64
		want string
	}{
		{usd, 281000, "$281,000"}, {usd, -5000.4, "-$5,000"}, {pct, 12.46, "12.5%"}, {ms, 1380, "1,380 ms"}, {nil, 450000, "450,000"},
	} {
		if got := Unit(c.u, c.v); got != c.want {
			t.Errorf("Unit(%+v, %v) = %q, want %q", c.u, c.v, got, c.want)
		}
	}
}

func TestScore(t *testing.T) {
	for _, c := range []struct {
		v             float64
		display, want string
	}{
		{0.7249, "decimal", "0.72"}, {0.7249, "", "0.72"}, {1, "decimal", "1.00"}, {0, "decimal", "0.00"},
		{0.7249, "percent", "72%"}, {0.725, "percent", "73%"}, {1, "percent", "100%"}, {12.5, "percent", "1,250%"},
		{math.NaN(), "percent", "–"},
	} {
		if got := Score(c.v, c.display); got != c.want {
			t.Errorf("Score(%g, %q) = %q, want %q", c.v, c.display, got, c.want)
		}
	}
}
