package load

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/model"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFindRoot(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"okr.yaml": "version: 1\n", "objectives/a/b/x.yaml": "id: x\n"})
	for _, start := range []string{dir, filepath.Join(dir, "objectives", "a", "b")} {
		got, err := FindRoot(start)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := filepath.Abs(dir); got != want {
			t.Errorf("FindRoot(%s) = %s, want %s", start, got, want)
		}
	}
	if _, err := FindRoot(t.TempDir()); !errors.Is(err, ErrNoWorkspace) {
		t.Errorf("empty folder: got %v, want ErrNoWorkspace", err)
	}
}

func TestLoadWorkspace(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"okr.yaml":    "version: 1\nprogress_cap: null\nunits: [{id: eur}]\n",
		"org.yaml":    "people: [{id: ann, name: Ann}]\nteams: [{id: eng, name: Eng, lead: ann}]\n",
		"cycles.yaml": "cycles: [{id: q1, start: 2026-01-01, end: 2026-03-31}]\n",
		"objectives/z/b.yaml": `id: b
title: B
cycle: q1
aligns_to: [a, {objective: c, weight: 2}]
key_results:
  - id: kb
    title: K
    type: decrease
    start: 100
    target: 60
    checkins:
      - {date: 2026-01-10, value: 50, confidence: 0.5}
`,
		"objectives/a.yml":     "id: a\ntitle: A\ncycle: q1\n",
		"objectives/.hidden":   "not: read\n",
		"objectives/notes.txt": "ignored",
	})
	res, err := Load(dir, Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", res.Diagnostics)
	}
	var paths []string
	for _, d := range res.Documents {
		paths = append(paths, d.Path)
	}
	if got, want := strings.Join(paths, ","), "cycles.yaml,objectives/a.yml,objectives/z/b.yaml,okr.yaml,org.yaml"; got != want {
		t.Errorf("documents %s, want %s", got, want)
	}
	ws := res.Workspace
	if ws.Settings.ProgressCap != 0 || len(ws.Settings.Units) != 1 || ws.Settings.Version != 1 {
		t.Errorf("settings: %+v", ws.Settings)
	}
	if len(ws.People) != 1 || len(ws.Teams) != 1 || ws.Teams[0].Lead != "ann" || len(ws.Cycles) != 1 {
		t.Errorf("org/cycles: %+v %+v %+v", ws.People, ws.Teams, ws.Cycles)
	}
	if len(ws.Objectives) != 2 {
		t.Fatalf("objectives: %d", len(ws.Objectives))
	}
	b := ws.Objectives[1]
	if b.ID != "b" || b.Level != "team" || b.Weight != 1 || len(b.AlignsTo) != 2 || b.AlignsTo[1].Weight != 2 || b.AlignsTo[1].Objective != "c" {
		t.Errorf("objective b: %+v", b)
	}
	kr := b.KeyResults[0]
	if *kr.Start != 100 || *kr.Target != 60 || len(kr.Checkins) != 1 || kr.Checkins[0].Value != 50 || *kr.Checkins[0].Confidence() != 0.5 {
		t.Errorf("key result: %+v", kr)
	}
	if p := kr.Checkins[0].At("value"); p.Line != 12 || p.Col != 35 {
		t.Errorf("check-in value at %d:%d, want 12:35", p.Line, p.Col)
	}
}

func TestLoadRefusals(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"secret.yaml": "id: s\n"})
	writeFiles(t, dir, map[string]string{
		"okr.yaml":            "version: 1\nlimits: {max_file_bytes: 64}\n",
		"objectives/big.yaml": "id: big\ntitle: " + strings.Repeat("x", 100) + "\n",
		"objectives/ok.yaml":  "id: ok\n",
		"inside/target.yaml":  "id: t\n",
	})
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "objectives", "escape.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "objectives", "escdir")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "inside", "target.yaml"), filepath.Join(dir, "objectives", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	res, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, d.File+" "+d.Code)
	}
	want := "objectives/big.yaml file-too-large|objectives/escape.yaml symlink-escape|objectives/escdir symlink-escape"
	if strings.Join(got, "|") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, "|"), want)
	}
	ids := []string{}
	for _, o := range res.Workspace.Objectives {
		ids = append(ids, o.ID)
	}
	if strings.Join(ids, ",") != "t,ok" {
		t.Errorf("objectives %v, want the in-workspace link and ok", ids)
	}
}

func TestOverlay(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("okr.yaml", "version: 1\n")
	write("objectives/a.yaml", "id: a\ntitle: A\n")
	write("objectives/b.yaml", "id: b\ntitle: B\n")
	res, err := Load(root, Options{Overlay: map[string][]byte{
		"objectives/a.yaml": []byte("id: a2\ntitle: A two\n"),
		"objectives/b.yaml": nil,
		"objectives/c.yaml": []byte("id: c\ntitle: C\n"),
		"notes.txt":         []byte("ignored"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range res.Workspace.Objectives {
		got = append(got, o.File()+"="+o.ID)
	}
	want := []string{"objectives/a.yaml=a2", "objectives/c.yaml=c"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("objectives = %v, want %v", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "objectives/a.yaml")); string(b) != "id: a\ntitle: A\n" {
		t.Errorf("overlay wrote to disk: %q", b)
	}
}

// TestCheckinTextOption checks that Options.CheckinText keeps the notes
// and answers' texts it picks, reads the others as "", and keeps every
// answer's question and position.
func TestCheckinTextOption(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"okr.yaml": "version: 1\n",
		"objectives/x.yaml": `id: x
title: X
cycle: q1
key_results:
  - id: k
    title: K
    type: at_least
    threshold: 1
    checkins:
      - {date: 2026-01-05, value: 1, note: drop me, answers: {a: keep this, b: drop}}
      - {date: 2026-01-12, value: 2, note: keep that, status: on_track, author: ann}
`,
	})
	res, err := Load(dir, Options{CheckinText: func(s string) bool { return strings.HasPrefix(s, "keep") }})
	if err != nil {
		t.Fatal(err)
	}
	cs := res.Workspace.Objectives[0].KeyResults[0].Checkins
	if cs[0].Note() != "" || cs[1].Note() != "keep that" {
		t.Errorf("notes %q, %q; want \"\", \"keep that\"", cs[0].Note(), cs[1].Note())
	}
	want := []model.Answer{{Question: "a", Text: "keep this", At: model.Pos{Line: 10, Col: 63}}, {Question: "b", Text: "", At: model.Pos{Line: 10, Col: 77}}}
	if got := cs[0].Answers(); !reflect.DeepEqual(got, want) {
		t.Errorf("answers %v, want %v", got, want)
	}
	if cs[1].Status() != "on_track" || cs[1].Author() != "ann" {
		t.Errorf("status %q, author %q; want on_track, ann", cs[1].Status(), cs[1].Author())
	}
}

// TestSized checks that Options.Sized is called once, before the files
// are read, with their bytes (okr.yaml's not counted, Overlay's counted).
func TestSized(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"okr.yaml":          "version: 1\n",
		"org.yaml":          "people: [{id: ann, name: Ann}]\n",
		"objectives/a.yaml": "id: a\ntitle: A\n",
		"objectives/b.yaml": "id: b\ntitle: B\n",
	}
	writeFiles(t, dir, files)
	var calls []int64
	over := []byte("id: c\ntitle: Longer C\n")
	if _, err := Load(dir, Options{Sized: func(n int64) { calls = append(calls, n) }, Overlay: map[string][]byte{"objectives/c.yaml": over}}); err != nil {
		t.Fatal(err)
	}
	want := int64(len(files["org.yaml"]) + len(files["objectives/a.yaml"]) + len(files["objectives/b.yaml"]) + len(over))
	if len(calls) != 1 || calls[0] != want {
		t.Errorf("Sized called with %v, want once with %d", calls, want)
	}
}
