package load

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/okrkit/okr/internal/model"
)

// TestDecoderKeepsNoFileText checks that the model does not point into the
// files' text, which would keep every file's bytes alive: a file's free
// text sits in one block of exactly its length, in the order decoded (the
// check-ins' notes and answers in another, their Source table's), and a
// name repeated in two files is one string.
func TestDecoderKeepsNoFileText(t *testing.T) {
	files := map[string]string{
		"objectives/a.yaml": `id: a
title: Delight customers
description: Long text
cycle: 2026-q4
owner: ada
tags: [growth]
key_results:
  - id: a-kr1
    title: NPS at 50
    type: increase
    start: 30
    target: 50
    owner: ada
    checkins:
      - {date: 2026-10-05, value: 35, confidence: 0.7, note: "first note", author: bob}
      - date: 2026-10-12
        value: 38
        confidence: 0.7
        note: second note
        answers: {blockers: none at all}
`,
		"objectives/b.yaml": `id: b
title: Grow
cycle: 2026-q4
owner: ada
tags: [growth]
key_results:
  - {id: b-kr1, title: Revenue, type: increase, start: 1, target: 2, owner: bob, checkins: [{date: 2026-10-05, value: 1.5, confidence: 0.7, note: b note, author: bob}]}
`,
	}
	d := newDecoder()
	var ws model.Workspace
	for _, path := range []string{"objectives/a.yaml", "objectives/b.yaml"} {
		doc, ds := Parse(path, KindObjective, []byte(files[path]))
		if doc.Root == nil || len(ds) > 0 {
			t.Fatalf("%s: %v", path, ds)
		}
		d.into(&ws, doc)
	}
	if len(ws.Objectives) != 2 {
		t.Fatalf("decoded %d objectives, want 2", len(ws.Objectives))
	}
	a, b := ws.Objectives[0], ws.Objectives[1]
	ca := a.KeyResults[0].Checkins
	// The entities' free text in one block, the check-ins' notes and
	// answers in another (the file's Source table's).
	blocks := [][]string{{a.ID, a.Title, a.Description, a.KeyResults[0].ID, a.KeyResults[0].Title},
		{ca[0].Note(), ca[1].Note(), ca[1].Answers()[0].Text}}
	want := [][]string{{"a", "Delight customers", "Long text", "a-kr1", "NPS at 50"}, {"first note", "second note", "none at all"}}
	for j, text := range blocks {
		for i, s := range text {
			if s != want[j][i] {
				t.Fatalf("block %d: text %d = %q, want %q", j, i, s, want[j][i])
			}
		}
		// Contiguous, in order, nothing between (but a note's length or
		// the index of a check-in's first answer, a byte here, in the
		// check-ins' block): one block of the text alone.
		at := unsafe.StringData(text[0])
		for i, s := range text {
			gap := uintptr(unsafe.Pointer(unsafe.StringData(s))) - uintptr(unsafe.Pointer(at))
			if want := uintptr(j); i > 0 && gap != want || i == 0 && gap != 0 {
				t.Errorf("block %d: text %d (%q) is %d bytes from where the block's previous string ends", j, i, s, gap)
			}
			at = (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(s)), len(s)))
		}
	}
	same := []struct {
		what string
		x, y string
	}{
		{"owner", a.Owner, b.Owner},
		{"cycle", a.Cycle, b.Cycle},
		{"tag", a.Tags[0], b.Tags[0]},
		{"author", ca[0].Author(), b.KeyResults[0].Checkins[0].Author()},
		{"kr owner and author", b.KeyResults[0].Owner, ca[0].Author()},
	}
	for _, s := range same {
		if s.x != s.y || unsafe.StringData(s.x) != unsafe.StringData(s.y) {
			t.Errorf("%s: %q and %q are not one interned string", s.what, s.x, s.y)
		}
	}
	// Equal confidences of one file are one number in its table.
	if ca[0].Confidence() != ca[1].Confidence() || *ca[0].Confidence() != 0.7 || *b.KeyResults[0].Checkins[0].Confidence() != 0.7 {
		t.Errorf("equal confidences of a file are not one number 0.7")
	}
	if got := ca[1].Source.At("note"); got != (model.Pos{Line: 19, Col: 15}) {
		t.Errorf("second check-in's note at %v, want 19:15", got)
	}
}

// decodeSeeds are the example workspace's files and those of its invalid
// cases, each with its path relative to its workspace and its kind.
func decodeSeeds(tb testing.TB) (paths []string, kinds []Kind, datas [][]byte) {
	tb.Helper()
	root := filepath.Join("..", "..", "examples")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || !isYAML(p) {
			return err
		}
		rel := filepath.ToSlash(p[len(root)+1:])
		// A case of examples/invalid is a workspace of its own.
		if rest, ok := strings.CutPrefix(rel, "invalid/"); ok {
			if _, after, ok := strings.Cut(rest, "/"); ok {
				rel = after
			}
		}
		kind, ok := KindOf(rel)
		if !ok {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		paths, kinds, datas = append(paths, rel), append(kinds, kind), append(datas, data)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return paths, kinds, datas
}

// checkKeepsNoBytes decodes data, then overwrites data, and checks that
// the File equals one decoded from a copy: DecodeFile parses in place, so
// a File sharing data's bytes would change with them (and would keep
// them alive).
func checkKeepsNoBytes(t *testing.T, rel string, kind Kind, data []byte, keep func(string) bool) {
	t.Helper()
	orig := bytes.Clone(data)
	got := DecodeFileWith(rel, kind, data, 0, keep)
	for i := range data {
		data[i] = "#x\n:"[i%4]
	}
	if want := DecodeFileWith(rel, kind, orig, 0, keep); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: the File decoded changed when its bytes did:\n got  %+v\n want %+v", rel, got, want)
	}
}

// TestDecodeFileKeepsNoBytes checks, on every example file, that
// DecodeFile's File shares no bytes with the data it parsed in place.
func TestDecodeFileKeepsNoBytes(t *testing.T) {
	paths, kinds, datas := decodeSeeds(t)
	if len(paths) < 20 {
		t.Fatalf("found %d example files, want the whole examples folder", len(paths))
	}
	for i := range paths {
		checkKeepsNoBytes(t, paths[i], kinds[i], datas[i], nil)
		checkKeepsNoBytes(t, paths[i], kinds[i], bytes.Clone(datas[i]), func(s string) bool { return strings.Contains(s, "a") })
	}
}

// TestDecoderReuse: a decoder that has decoded one file decodes the next
// as a new decoder does, for every ordered pair of example files, with
// every check-in text kept and with some: decodeInto's pool hands one
// decoder file after file.
func TestDecoderReuse(t *testing.T) {
	paths, kinds, datas := decodeSeeds(t)
	decode := func(d *decoder, i int, keep func(string) bool) *model.Workspace {
		arena := arenas.Get().(*fastArena)
		defer arena.release()
		doc, _ := parse(paths[i], kinds[i], bytes.Clone(datas[i]), true, arena, DefaultMaxNodes)
		ws := &model.Workspace{}
		d.file(ws, doc, keep)
		return ws
	}
	pairs := 0
	for _, keep := range []func(string) bool{nil, func(s string) bool { return strings.Contains(s, "a") }} {
		for j := range paths {
			if kinds[j] == KindWorkspace {
				continue // decodeSettings: a decoder of its own
			}
			want := decode(&decoder{}, j, keep)
			for i := range paths {
				if kinds[i] == KindWorkspace {
					continue
				}
				d := &decoder{names: map[string]string{}}
				decode(d, i, keep)
				if got := decode(d, j, keep); !reflect.DeepEqual(got, want) {
					t.Errorf("%s decoded after %s differs from %s decoded alone:\n got  %+v\n want %+v", paths[j], paths[i], paths[j], got, want)
				}
				pairs++
			}
		}
	}
	if pairs < 200 {
		t.Errorf("checked %d pairs of files, want every pair of the examples", pairs)
	}
}

// FuzzDecodeFileKeepsNoBytes is TestDecodeFileKeepsNoBytes on arbitrary
// bytes, as each kind of file, with every check-in text kept and with
// some (a walk recycles the bytes of a file once it is decoded).
func FuzzDecodeFileKeepsNoBytes(f *testing.F) {
	paths, _, datas := decodeSeeds(f)
	for i := range paths {
		f.Add(paths[i], datas[i])
	}
	f.Fuzz(func(t *testing.T, rel string, data []byte) {
		kind, ok := KindOf(rel)
		if !ok {
			rel, kind = "objectives/fuzz.yaml", KindObjective
		}
		checkKeepsNoBytes(t, rel, kind, bytes.Clone(data), nil)
		checkKeepsNoBytes(t, rel, kind, data, func(s string) bool { return strings.Contains(s, "a") })
	})
}
