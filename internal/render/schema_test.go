package render

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/schema"
)

// reportSchema compiles schema/report.schema.json.
func reportSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	raw, ok := schema.Get("report")
	if !ok {
		t.Fatal("no embedded report schema")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schema.URL("report"), doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schema.URL("report"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func instance(t *testing.T, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSchemaValidatesReports checks the JSON of the example workspace's
// reports, and of a saved snapshot's report, against the schema.
func TestSchemaValidatesReports(t *testing.T) {
	s := reportSchema(t)
	ws := examples(t)
	for _, c := range ws.Cycles {
		out := render(t, "json", report.Build(ws, c, day))
		if err := s.Validate(instance(t, out)); err != nil {
			t.Errorf("report of %s does not match the schema: %v", c.ID, err)
		}
	}
	var buf bytes.Buffer
	if err := report.WriteSnapshot(&buf, &report.Snapshot{Version: report.SnapshotVersion, AsOf: day.String(), Saved: day.String(),
		Report: report.Build(ws, report.ActiveCycle(ws, day), day)}); err != nil {
		t.Fatal(err)
	}
	var snap struct{ Report json.RawMessage }
	if err := json.Unmarshal(buf.Bytes(), &snap); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(instance(t, snap.Report)); err != nil {
		t.Errorf("a snapshot's report does not match the schema: %v", err)
	}
}

// TestSchemaRefuses checks that the schema is not a check that cannot
// fail: an unknown field anywhere, a missing field or a wrong type fails.
func TestSchemaRefuses(t *testing.T) {
	s := reportSchema(t)
	ws := examples(t)
	good := render(t, "json", report.Build(ws, report.ActiveCycle(ws, day), day))
	for name, edit := range map[string]func(m map[string]any){
		"unknown top-level field": func(m map[string]any) { m["extra"] = 1 },
		"unknown objective field": func(m map[string]any) { obj(m)["extra"] = "x" },
		"unknown key result field": func(m map[string]any) {
			obj(m)["key_results"].([]any)[0].(map[string]any)["extra"] = true
		},
		"unknown initiative field": func(m map[string]any) {
			for _, o := range m["objectives"].([]any) {
				if ins, ok := o.(map[string]any)["initiatives"].([]any); ok {
					ins[0].(map[string]any)["extra"] = 1
					return
				}
			}
			t.Fatal("no initiative in the example report")
		},
		"unknown unit field": func(m map[string]any) { m["units"].(map[string]any)["usd"].(map[string]any)["extra"] = 1 },
		"missing goal":       func(m map[string]any) { delete(obj(m)["key_results"].([]any)[0].(map[string]any), "goal") },
		"old version":        func(m map[string]any) { m["version"] = 1 },
		"target as text":     func(m map[string]any) { obj(m)["key_results"].([]any)[0].(map[string]any)["target"] = "45" },
	} {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(instance(t, b)); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}

func obj(m map[string]any) map[string]any { return m["objectives"].([]any)[0].(map[string]any) }
