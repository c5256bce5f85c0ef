package model

import (
	"slices"
	"testing"
)

func TestTeamParents(t *testing.T) {
	ws := &Workspace{Teams: []*Team{
		{ID: "eng"}, {ID: "platform", Parent: "eng"}, {ID: "sre", Parent: "platform"},
		{ID: "sales"}, {ID: "a", Parent: "b"}, {ID: "b", Parent: "a"}, // a loop
	}}
	p := ws.TeamParents()
	chains := []struct {
		team string
		want []string
	}{
		{"sre", []string{"sre", "platform", "eng"}},
		{"eng", []string{"eng"}},
		{"a", []string{"a", "b"}},
		{"nobody", []string{"nobody"}},
		{"", nil},
	}
	for _, c := range chains {
		if got := p.Chain(c.team); !slices.Equal(got, c.want) {
			t.Errorf("Chain(%q) = %v, want %v", c.team, got, c.want)
		}
	}
	within := []struct {
		sub, team string
		want      bool
	}{
		{"sre", "eng", true},
		{"sre", "sre", true},
		{"eng", "sre", false},
		{"sales", "eng", false},
		{"a", "b", true},
		{"a", "eng", false},
	}
	for _, c := range within {
		if got := p.Within(c.sub, c.team); got != c.want {
			t.Errorf("Within(%q, %q) = %v, want %v", c.sub, c.team, got, c.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string // "" for an error
	}{
		{"2026-10-01", "2026-10-01"},
		{"0001-01-01", "0001-01-01"},
		{"0000-10-01", ""}, // the zero Date means no date
		{"2026-02-30", ""},
		{"26-10-01", ""},
	} {
		d, err := ParseDate(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseDate(%q) = %v, want an error", tt.in, d)
			}
			continue
		}
		if err != nil || d.String() != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", tt.in, d, err, tt.want)
		}
	}
}
