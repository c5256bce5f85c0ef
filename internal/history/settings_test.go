package history

import (
	"encoding/json"
	"testing"
)

// TestLoadSettings: at every commit, LoadSettings gives the workspace's
// settings, people, teams and cycles as Load does, and no objectives; the
// size cap of the okr.yaml in force applies to the other two files.
func TestLoadSettings(t *testing.T) { forBackends(t, testLoadSettings) }

func testLoadSettings(t *testing.T) {
	h := buildHistory(t)
	b := newBuilder(t)
	b.commit("2026-10-01", "small cap", "Ann", map[string]string{"okrs/okr.yaml": okrYAML + "limits:\n  max_file_bytes: 40\n",
		"okrs/org.yaml": orgYAML, "okrs/cycles.yaml": cyclesYAML})
	for _, dir := range []string{h.dir, b.dir} {
		r := open(t, dir)
		head, err := r.Head()
		if err != nil {
			t.Fatal(err)
		}
		chain, err := r.FirstParents(head, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range chain {
			full, err := r.Load(c)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.LoadSettings(c)
			if err != nil {
				t.Fatal(err)
			}
			fw, gw := full.Workspace, got.Workspace
			if len(gw.Objectives) != 0 {
				t.Errorf("%s: %d objectives, want none", c.Short(), len(gw.Objectives))
			}
			if len(fw.Cycles) == 0 && dir == h.dir {
				t.Fatalf("%s: no cycles in the whole workspace", c.Short())
			}
			for _, pair := range [][2]any{{fw.Settings, gw.Settings}, {fw.Cycles, gw.Cycles}, {fw.People, gw.People}, {fw.Teams, gw.Teams}} {
				want, _ := json.Marshal(pair[0])
				gotJSON, _ := json.Marshal(pair[1])
				if string(want) != string(gotJSON) {
					t.Errorf("%s: LoadSettings gives %s, Load %s", c.Short(), gotJSON, want)
				}
			}
			if dir == b.dir && len(gw.Cycles) != 0 {
				t.Errorf("%s: cycles.yaml read past okr.yaml's 40-byte cap", c.Short())
			}
		}
	}
}
