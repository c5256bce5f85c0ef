package codeowners

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

func objective(file, id, owner string, krOwners ...string) *model.Objective {
	o := &model.Objective{Source: model.NewSource(file), ID: id, Owner: owner}
	for _, k := range krOwners {
		o.KeyResults = append(o.KeyResults, &model.KeyResult{Owner: k})
	}
	return o
}

func TestBlock(t *testing.T) {
	ws := &model.Workspace{
		People: []*model.Person{{ID: "ada", Handle: "@ada"}, {ID: "lin", Handle: "lzhou"}, {ID: "sam", Email: "sam@acme.example"}, {ID: "kim"}},
		Teams:  []*model.Team{{ID: "platform", Handle: "@acme/platform"}, {ID: "sales", Lead: "sam"}, {ID: "design"}},
		Objectives: []*model.Objective{
			objective("objectives/z.yaml", "z", "platform", "lin", "platform", ""),
			objective("objectives/a b#.yaml", "a", "ada"),
			objective("objectives/sales.yaml", "s", "sales", "kim", "kim"),
			objective("objectives/design.yaml", "d", "design"),
			objective("objectives/none.yaml", "n", ""),
		},
	}
	want := Begin + `
/okrs/objectives/a\ b\#.yaml @ada
# /okrs/objectives/design.yaml: owner design has no handle in org.yaml
# /okrs/objectives/design.yaml: no owner to request review from
# /okrs/objectives/none.yaml: no owner to request review from
# /okrs/objectives/sales.yaml: owner kim has no handle in org.yaml
/okrs/objectives/sales.yaml sam@acme.example
/okrs/objectives/z.yaml @acme/platform @lzhou
` + End + "\n"
	if got := Block(ws, "okrs"); got != want {
		t.Errorf("Block:\n%s\nwant:\n%s", got, want)
	}
	if got := Block(ws, ""); !strings.Contains(got, "\n/objectives/z.yaml @acme/platform @lzhou\n") {
		t.Errorf("Block at the repository root:\n%s", got)
	}
}

func TestSpliceExtractStale(t *testing.T) {
	block := Begin + "\n/objectives/a.yaml @ada\n" + End + "\n"
	newer := Begin + "\n/objectives/a.yaml @lin\n" + End + "\n"
	tests := []struct {
		name, in, want string
	}{
		{"empty file", "", block},
		{"rules, no newline at the end", "* @admins", "* @admins\n\n" + block},
		{"block replaced in place, rules around kept", "* @admins\n\n" + newer + "/docs/ @writers\n", "* @admins\n\n" + block + "/docs/ @writers\n"},
		{"CRLF file", "* @admins\r\n" + strings.ReplaceAll(newer, "\n", "\r\n"), "* @admins\n" + block},
	}
	for _, tt := range tests {
		got := string(Splice([]byte(tt.in), block))
		if got != tt.want {
			t.Errorf("%s: Splice =\n%q\nwant\n%q", tt.name, got, tt.want)
		}
		if why := Stale([]byte(got), block); why != "" {
			t.Errorf("%s: spliced file is stale: %s", tt.name, why)
		}
	}
	if why := Stale([]byte("* @admins\n"), block); why != "it has no okr codeowners block" {
		t.Errorf("no block: %q", why)
	}
	if why := Stale([]byte("* @admins\n"+newer), block); why != `line 3 is "/objectives/a.yaml @lin", want "/objectives/a.yaml @ada"` {
		t.Errorf("stale: %q", why)
	}
	if why := Stale([]byte(Begin+"\n"+End+"\n"), block); why != `line 2 is "# END okr codeowners", want "/objectives/a.yaml @ada"` {
		t.Errorf("stale: %q", why)
	}
	if _, ok := Extract([]byte("x" + block)); ok {
		t.Error("Extract found a marker in the middle of a line")
	}
	if _, ok := Extract([]byte(Begin + "\n/a @b\n")); ok {
		t.Error("Extract found a block without its end")
	}
}

func TestRepositoryAndFind(t *testing.T) {
	root := t.TempDir()
	ws := filepath.Join(root, "okrs", "team")
	if err := os.MkdirAll(filepath.Join(ws), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := Repository(ws); ok {
		t.Skip("the temporary folder is inside a git repository")
	}
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, prefix, ok := Repository(ws)
	if !ok || got != root || prefix != "okrs/team" {
		t.Errorf("Repository = %q, %q, %v", got, prefix, ok)
	}
	if _, prefix, _ := Repository(root); prefix != "" {
		t.Errorf("prefix at the root = %q", prefix)
	}
	if f := Find(root); f != "" {
		t.Errorf("Find with no file = %q", f)
	}
	for _, l := range []string{"docs/CODEOWNERS", "CODEOWNERS", ".github/CODEOWNERS"} {
		p := filepath.Join(root, filepath.FromSlash(l))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if f := Find(root); f != l {
			t.Errorf("Find = %q, want %q", f, l)
		}
	}
}
