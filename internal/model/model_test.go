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

func TestPersonByGit(t *testing.T) {
	ws := &Workspace{People: []*Person{
		{ID: "ada", Name: "Ada Okafor", Email: "ada@acme.example", Git: []string{"ada@users.noreply.github.com", "adao"}},
		{ID: "bob", Name: "Bob Acme", Git: []string{"Bob@Old.Example"}},
		{ID: "sam1", Name: "Sam Lee"},
		{ID: "sam2", Name: "sam lee", Email: "sam2@acme.example"},
		{ID: "kim", Name: "Kim Park", Git: []string{"kimp", "Kim Park"}},
		{ID: "dup", Name: "Dup", Email: "bob@old.example"},
	}}
	cases := []struct {
		name, author, email, want string
	}{
		{"email field", "Whoever", "ada@acme.example", "ada"},
		{"email case and space", "Whoever", "  ADA@Acme.Example ", "ada"},
		{"git email", "", "ada@users.noreply.github.com", "ada"},
		{"git email case", "x", "bob@old.example", "bob"},
		{"email wins over name", "Ada Okafor", "bob@old.example", "bob"},
		{"first in org order on a shared email", "", "BOB@old.example", "bob"},
		{"name", "Bob Acme", "bob@elsewhere.example", "bob"},
		{"name case and space", " bob ACME ", "", "bob"},
		{"git name", "adao", "ada@home.example", "ada"},
		{"git name is not an email", "", "adao", ""},
		{"git email is not a name", "Bob@Old.Example", "", ""},
		{"name twice in one person", "Kim Park", "", "kim"},
		{"ambiguous name", "Sam Lee", "sam@home.example", ""},
		{"ambiguous name, email decides", "Sam Lee", "sam2@acme.example", "sam2"},
		{"unknown", "Eve Unknown", "eve@example.com", ""},
		{"empty", "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ""
			if p := ws.PersonByGit(c.author, c.email); p != nil {
				got = p.ID
			}
			if got != c.want {
				t.Errorf("PersonByGit(%q, %q) = %q, want %q", c.author, c.email, got, c.want)
			}
		})
	}
	var nilWS *Workspace
	if p := nilWS.PersonByGit("Bob Acme", "bob@old.example"); p != nil {
		t.Errorf("nil workspace matched %q", p.ID)
	}
}
