package audience

import (
	"slices"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

// org: leadership; sales with sub-team sales-ops; engineering with
// sub-team platform.
func org() *model.Workspace {
	return &model.Workspace{
		Teams: []*model.Team{{ID: "leadership"}, {ID: "sales"}, {ID: "sales-ops", Parent: "sales"},
			{ID: "engineering"}, {ID: "platform", Parent: "engineering"}},
		People: []*model.Person{{ID: "ada", Team: "leadership"}, {ID: "sam", Team: "sales"}, {ID: "kim", Team: "sales-ops"},
			{ID: "lin", Team: "platform"}, {ID: "eve", Team: "engineering"}, {ID: "solo"}},
	}
}

func TestCanView(t *testing.T) {
	ws := org()
	r := NewRules(ws)
	type obj = model.Objective
	tests := []struct {
		name string
		obj  obj
		can  []string // audiences that may view it; every other may not
	}{
		{"no lists: everyone", obj{},
			[]string{"ada", "sam", "kim", "lin", "eve", "solo", "team:leadership", "team:sales", "team:sales-ops", "team:engineering", "team:platform"}},
		{"visible to a team: its members and sub-teams", obj{VisibleTo: []string{"engineering"}},
			[]string{"lin", "eve", "team:engineering", "team:platform"}},
		{"visible to a sub-team: not the parent team", obj{VisibleTo: []string{"platform"}},
			[]string{"lin", "team:platform"}},
		{"visible to a person: that person, no team", obj{VisibleTo: []string{"sam"}},
			[]string{"sam"}},
		{"the owner always may", obj{Owner: "ada", VisibleTo: []string{"platform"}},
			[]string{"ada", "lin", "team:platform"}},
		{"a team owner's members may", obj{Owner: "sales", VisibleTo: []string{"ada"}},
			[]string{"ada", "sam", "kim", "team:sales", "team:sales-ops"}},
		{"hidden from a team: its members, sub-teams and parents' audiences", obj{HiddenFrom: []string{"sales-ops"}},
			[]string{"ada", "sam", "lin", "eve", "solo", "team:leadership", "team:engineering", "team:platform"}},
		{"hidden beats visible, for a person", obj{VisibleTo: []string{"sales", "kim"}, HiddenFrom: []string{"kim"}},
			[]string{"sam"}},
		{"hidden beats visible, for a team and its members", obj{VisibleTo: []string{"kim", "leadership"}, HiddenFrom: []string{"sales"}},
			[]string{"ada", "team:leadership"}},
		{"hidden beats owner", obj{Owner: "ada", HiddenFrom: []string{"leadership"}},
			[]string{"sam", "kim", "lin", "eve", "solo", "team:sales", "team:sales-ops", "team:engineering", "team:platform"}},
		{"a team sees only what every member may", obj{HiddenFrom: []string{"lin"}},
			[]string{"ada", "sam", "kim", "eve", "solo", "team:leadership", "team:sales", "team:sales-ops"}},
	}
	all := []string{"ada", "sam", "kim", "lin", "eve", "solo", "team:leadership", "team:sales", "team:sales-ops", "team:engineering", "team:platform"}
	for _, tt := range tests {
		for _, spec := range all {
			a, err := Parse(spec, ws)
			if err != nil {
				t.Fatal(err)
			}
			o := tt.obj
			if got, want := r.CanView(a, &o), slices.Contains(tt.can, spec); got != want {
				t.Errorf("%s: CanView(%s) = %v, want %v", tt.name, spec, got, want)
			}
		}
	}
}

func TestParse(t *testing.T) {
	ws := org()
	for spec, want := range map[string]string{
		"ada":         "",
		"team:sales":  "",
		"bob":         `"bob" is not a person in org.yaml`,
		"team:bob":    `"bob" is not a team in org.yaml`,
		"sales":       `"sales" is a team; write team:sales`,
		"team:ada":    `"ada" is not a team in org.yaml`,
		"":            `"" is not a person in org.yaml`,
		"team:":       `"" is not a team in org.yaml`,
		"person:ada":  `"person:ada" is not a person in org.yaml`,
		"team:sales ": `"sales " is not a team in org.yaml`,
	} {
		a, err := Parse(spec, ws)
		switch {
		case want == "" && (err != nil || a.String() != spec):
			t.Errorf("Parse(%q) = %v, %v", spec, a, err)
		case want != "" && (err == nil || err.Error() != want):
			t.Errorf("Parse(%q) error = %v, want %s", spec, err, want)
		}
	}
}

// TestFilter checks that hidden objectives are left out, that the others
// lose their alignments to them (and only those), and that the input is
// not changed.
func TestFilter(t *testing.T) {
	ws := org()
	secret := &model.Objective{ID: "secret", HiddenFrom: []string{"sales"}}
	open := &model.Objective{ID: "open"}
	child := &model.Objective{ID: "child", AlignsTo: []*model.Alignment{{Objective: "secret"}, {Objective: "open", Weight: 0.5}}}
	ws.Objectives = []*model.Objective{secret, open, child}
	out := Filter(ws, Audience{Team: "sales"})
	var ids []string
	for _, o := range out.Objectives {
		ids = append(ids, o.ID)
	}
	if !slices.Equal(ids, []string{"open", "child"}) {
		t.Fatalf("objectives %v", ids)
	}
	if out.Objectives[0] != open {
		t.Error("an untouched objective was copied")
	}
	if al := out.Objectives[1].AlignsTo; len(al) != 1 || al[0].Objective != "open" || al[0].Weight != 0.5 {
		t.Errorf("child aligns to %v", al)
	}
	if len(ws.Objectives) != 3 || len(child.AlignsTo) != 2 {
		t.Error("Filter changed its input")
	}
	if got := Filter(ws, Audience{Person: "ada"}); len(got.Objectives) != 3 || len(got.Objectives[2].AlignsTo) != 2 {
		t.Error("an audience that may see everything lost something")
	}
}

func TestFilterDropsCarriedLinks(t *testing.T) {
	ws := org()
	secret := &model.Objective{ID: "secret-q3", VisibleTo: []string{"ada"}, CarriedTo: "open-q4",
		KeyResults: []*model.KeyResult{{ID: "secret-kr", CarriedTo: "open-kr"}}}
	open := &model.Objective{ID: "open-q4", CarriedFrom: "secret-q3",
		KeyResults: []*model.KeyResult{{ID: "open-kr", CarriedFrom: "secret-kr"}, {ID: "other", CarriedFrom: "kept"}}}
	ws.Objectives = []*model.Objective{secret, open}
	got := Filter(ws, Audience{Person: "sam"})
	if len(got.Objectives) != 1 || got.Objectives[0].ID != "open-q4" {
		t.Fatalf("objectives = %v, want only open-q4", got.Objectives)
	}
	o := got.Objectives[0]
	if o.CarriedFrom != "" || o.KeyResults[0].CarriedFrom != "" {
		t.Errorf("links to the hidden objective survive: %q, %q", o.CarriedFrom, o.KeyResults[0].CarriedFrom)
	}
	if o.KeyResults[1].CarriedFrom != "kept" {
		t.Errorf("a link to a visible key result was dropped")
	}
	if open.CarriedFrom != "secret-q3" || open.KeyResults[0].CarriedFrom != "secret-kr" {
		t.Errorf("Filter changed the input workspace")
	}
}
