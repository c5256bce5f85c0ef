package mention

import (
	"reflect"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

func TestFind(t *testing.T) {
	tests := []struct {
		text string
		want []Mention
	}{
		{"", nil},
		{"no mentions here", nil},
		{"@ada", []Mention{{"ada", 0}}},
		{"thanks @ada.", []Mention{{"ada", 7}}},
		{"@ada-o, @sam; @lumen/platform/", []Mention{{"ada-o", 0}, {"sam", 8}, {"lumen/platform", 14}}},
		{"mail ada@acme.example", nil},
		{"(@ada)", []Mention{{"ada", 1}}},
		{"@ @- @. @@ada", []Mention{{"ada", 9}}},
		{"naïve@ada é @bob", []Mention{{"bob", 14}}},
		{"é@ada @zoë!", []Mention{{"zoë", 7}}},
	}
	for _, tt := range tests {
		if got := Find(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Find(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func workspace() *model.Workspace {
	return &model.Workspace{
		People: []*model.Person{{ID: "ada", Name: "Ada Okafor", Handle: "@Ada-O"}, {ID: "sam", Name: "Sam Rivera"}, {ID: "lin", Handle: "ada"}},
		Teams:  []*model.Team{{ID: "platform", Name: "Platform", Handle: "@lumen/platform"}},
	}
}

func TestRender(t *testing.T) {
	r := NewResolver(workspace())
	tests := []struct{ in, want string }{
		{"", ""},
		{"@ada and @sam.", "Ada Okafor and Sam Rivera."},
		{"by handle: @ada-o, @ADA-O", "by handle: Ada Okafor, Ada Okafor"},
		{"team @platform and @lumen/platform", "team Platform and Platform"},
		{"@bob stays, ada@acme.example too", "@bob stays, ada@acme.example too"},
		{"@lin has no name", "lin has no name"},
	}
	for _, tt := range tests {
		if got := r.Render(tt.in); got != tt.want {
			t.Errorf("Render(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestNames checks that every free-text field reports show gets names,
// and that the workspace passed in is left as it was.
func TestNames(t *testing.T) {
	ws := workspace()
	ci := (&model.Checkin{}).WithText(model.CheckinText{Note: "thanks @sam", Answers: []model.Answer{{Question: "progress", Text: "@ada shipped it"}}})
	kr := &model.KeyResult{ID: "kr", Description: "measured by @platform", Checkins: []model.Checkin{*ci}}
	plain := &model.Objective{ID: "plain", Title: "No mentions"}
	ws.Objectives = []*model.Objective{{ID: "o", Description: "ask @ada", KeyResults: []*model.KeyResult{kr}}, plain}
	out := Names(ws)
	o := out.Objectives[0]
	if o.Description != "ask Ada Okafor" || o.KeyResults[0].Description != "measured by Platform" ||
		o.KeyResults[0].Checkins[0].Note() != "thanks Sam Rivera" || o.KeyResults[0].Checkins[0].Answers()[0].Text != "Ada Okafor shipped it" {
		t.Errorf("Names: %+v / %+v / %+v", o, o.KeyResults[0], o.KeyResults[0].Checkins[0])
	}
	if out.Objectives[1] != plain {
		t.Error("an objective without mentions was copied")
	}
	if ws.Objectives[0].Description != "ask @ada" || ci.Note() != "thanks @sam" || ci.Answers()[0].Text != "@ada shipped it" {
		t.Error("Names changed its input")
	}
}
