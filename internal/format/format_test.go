package format

import "testing"

func TestRegistry(t *testing.T) {
	src := map[string]int{"text": 1, "json": 2, "csv": 3}
	r := New(src)
	src["xml"] = 4 // the registry keeps its own copy
	if got := r.Names(); len(got) != 3 || got[0] != "csv" || got[1] != "json" || got[2] != "text" {
		t.Errorf("Names = %v, want [csv json text]", got)
	}
	if w, err := r.Get("json"); err != nil || w != 2 {
		t.Errorf("Get(json) = %d, %v", w, err)
	}
	_, err := r.Get("xml")
	if err == nil || err.Error() != `unknown format "xml" (want one of csv, json, text)` {
		t.Errorf("Get(xml) error = %v", err)
	}
}
