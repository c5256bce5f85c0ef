package validate

import (
	"strings"
	"testing"
)

// TestVisibilityReferences checks that visible_to and hidden_from must
// name people or teams, like owners and contributors, at the list item.
func TestVisibilityReferences(t *testing.T) {
	cases := []struct {
		name, file string
		want       []string
	}{
		{"known people and teams", "id: x\ntitle: X\ncycle: q1\nvisible_to: [ann, eng]\nhidden_from: [web]\n", nil},
		{"unknown in both lists",
			"id: x\ntitle: X\ncycle: q1\nvisible_to: [ann, board]\nhidden_from:\n  - rivals\n",
			[]string{
				`objectives/x.yaml:4:19: error: visible_to names "board", which is not a person or team in org.yaml [unknown-owner]`,
				`objectives/x.yaml:6:5: error: hidden_from names "rivals", which is not a person or team in org.yaml [unknown-owner]`,
			}},
		{"not a list", "id: x\ntitle: X\ncycle: q1\nvisible_to: ann\n",
			[]string{`objectives/x.yaml:4:13: error: visible_to: got string, want array [schema]`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, d := range run(t, map[string]string{"objectives/x.yaml": c.file}) {
				got = append(got, d.String())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
