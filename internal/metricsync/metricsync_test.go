package metricsync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/golden"
	"github.com/okrkit/okr/internal/model"
)

// workspace returns a workspace of three sourced key results reading
// files under root (one changed, one unchanged, one failing) and one
// key result without a source.
func workspace(t *testing.T) (*model.Workspace, string) {
	t.Helper()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "m.json"), []byte(`{"a": 7, "b": 3, "c": "n/a"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	src := func(ptr string) *model.MetricSource {
		return &model.MetricSource{Kind: "file", Path: "m.json", Pointer: ptr}
	}
	ci := func(v float64) []model.Checkin { return []model.Checkin{{Value: v}} }
	o := &model.Objective{ID: "o", KeyResults: []*model.KeyResult{
		{Source: model.NewSource("objectives/o.yaml"), ID: "zeta", Metric: src("/a"), Checkins: ci(2)},
		{Source: model.NewSource("objectives/o.yaml"), ID: "alpha", Metric: src("/b"), Checkins: ci(3)},
		{Source: model.NewSource("objectives/o.yaml"), ID: "mid", Metric: src("/c")},
		{Source: model.NewSource("objectives/o.yaml"), ID: "manual", Checkins: ci(1)},
	}}
	return &model.Workspace{Objectives: []*model.Objective{o}}, root
}

func TestPlan(t *testing.T) {
	ws, root := workspace(t)
	items, err := Plan(context.Background(), ws, Options{Root: root, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.KR+":"+it.Status)
	}
	// Sorted by id; the key result without a source is not planned.
	if want := "alpha:unchanged mid:failed zeta:changed"; strings.Join(got, " ") != want {
		t.Fatalf("plan = %v, want %s", got, want)
	}
	if z := items[2]; z.Value == nil || *z.Value != 7 || z.Previous == nil || *z.Previous != 2 {
		t.Errorf("zeta: value %v previous %v, want 7 and 2", z.Value, z.Previous)
	}
	if m := items[1]; m.Value != nil || m.Previous != nil || m.Error == "" {
		t.Errorf("mid: %+v, want an error and no values", m)
	}
	if n := items[2].Note(); n != "okr sync: file m.json /a" {
		t.Errorf("note = %q", n)
	}

	// Only the key results named, each once.
	items, err = Plan(context.Background(), ws, Options{Root: root, KRs: []string{"zeta", "zeta"}})
	if err != nil || len(items) != 1 || items[0].KR != "zeta" {
		t.Errorf("Plan(zeta, zeta) = %+v, %v", items, err)
	}
	// A key result without a source is a usage error, not a failed item.
	var u *UnknownKRError
	if _, err := Plan(context.Background(), ws, Options{Root: root, KRs: []string{"manual"}}); !errors.As(err, &u) || u.ID != "manual" {
		t.Errorf("Plan(manual) error = %v, want UnknownKRError", err)
	}
}

func TestWriters(t *testing.T) {
	ws, root := workspace(t)
	items, err := Plan(context.Background(), ws, Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := WriteText(&text, items, true); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"unchanged alpha = 3 from file m.json /b\n",
		"failed mid: ",
		"would record zeta = 7 (was 2) from file m.json /a\n",
		"1 changed, 1 unchanged, 1 failed\n",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, text.String())
		}
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, items, model.Date{Year: 2026, Month: 11, Day: 20}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## okr sync 2026-11-20\n", "| `zeta` | 2 | 7 | file m.json /a |\n", "**Failed sources**", "- `mid`: "} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if strings.Contains(md.String(), "`alpha`") {
		t.Errorf("markdown lists an unchanged key result:\n%s", md.String())
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, items, false); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		DryRun bool   `json:"dry_run"`
		Items  []Item `json:"items"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || doc.DryRun || len(doc.Items) != 3 || doc.Items[2].Status != Changed {
		t.Errorf("json = %s (%v)", js.String(), err)
	}
}

func TestDescribeHidesSecrets(t *testing.T) {
	for _, tt := range []struct {
		m    model.MetricSource
		want string
	}{
		{model.MetricSource{Kind: "http", URL: "https://user:hunter2@metrics.example.com/v1/nps?key=hunter2#x", Pointer: "/nps", TokenEnv: "METRICS_TOKEN"}, "http https://metrics.example.com/v1/nps /nps"},
		{model.MetricSource{Kind: "file", Path: "m.csv", Column: "deals"}, "file m.csv column deals"},
		{model.MetricSource{Kind: "github", Search: "repo:a/b is:pr is:merged"}, `github search "repo:a/b is:pr is:merged"`},
		{model.MetricSource{Kind: "github", Repo: "a/b", Metric: "stars"}, "github a/b stars"},
		{model.MetricSource{Kind: "command", Argv: []string{"echo", "3"}}, "command echo 3"},
	} {
		if got := Describe(&tt.m); got != tt.want {
			t.Errorf("Describe(%+v) = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestSpecRejectsBadTimeout(t *testing.T) {
	if _, err := Spec(&model.MetricSource{Kind: "file", Path: "m.json", Pointer: "/a", Timeout: "soon"}); err == nil {
		t.Error("Spec accepted the timeout \"soon\"")
	}
	s, err := Spec(&model.MetricSource{Kind: "file", Path: "m.json", Pointer: "/a", Timeout: "2s"})
	if err != nil || s.Timeout.String() != "2s" {
		t.Errorf("Spec timeout = %v, %v", s.Timeout, err)
	}
}

// TestWritersReturnWriteErrors: the text, markdown and JSON writers return
// the error of a write that fails.
func TestWritersReturnWriteErrors(t *testing.T) {
	v, p := 3.0, 2.0
	items := []Item{{KR: "k", Status: Changed, Value: &v, Previous: &p, Source: "m.json"}, {KR: "f", Status: Failed, Error: "boom"}}
	for name, write := range map[string]func() error{
		"text":     func() error { return WriteText(golden.FailingWriter{}, items, false) },
		"markdown": func() error { return WriteMarkdown(golden.FailingWriter{}, items, model.NewDate(2026, 11, 23)) },
		"json":     func() error { return WriteJSON(golden.FailingWriter{}, items, false) },
	} {
		if err := write(); !errors.Is(err, golden.ErrWrite) {
			t.Errorf("%s: error %v, want %v", name, err, golden.ErrWrite)
		}
	}
}
