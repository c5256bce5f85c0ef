package edit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormatExamplesUnchanged(t *testing.T) {
	var files []string
	err := filepath.Walk("../../examples", func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && strings.HasSuffix(p, ".yaml") && !strings.Contains(p, "invalid") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) < 20 {
		t.Fatalf("found %d example files: %v", len(files), err)
	}
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Format(p, src)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if string(got) != string(src) {
			t.Errorf("%s is not in canonical layout; Format gives:\n%s", p, got)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"indentation and spacing", `

# head comment

id:    grow
title: "Grow: now"   # trailing spaces after this   
key_results:
- id:   k1
  type: increase
      # an odd comment, indented like nothing
  checkins:
        -   date: 2026-10-01
            value: 3
            note: |
                  literal
                    keeps relative indent
        # foot of the list
-   id: k2


    title: two
tags: [a,  b]
`, `# head comment

id: grow
title: "Grow: now" # trailing spaces after this
key_results:
  - id: k1
    type: increase
    # an odd comment, indented like nothing
    checkins:
      - date: 2026-10-01
        value: 3
        note: |
          literal
            keeps relative indent
      # foot of the list
  - id: k2

    title: two
tags: [a,  b]
`},
		{"already canonical", "id: a\nkey_results:\n  - id: k\n    checkins: []\n", "id: a\nkey_results:\n  - id: k\n    checkins: []\n"},
		{"no final newline, CRLF", "id: a\r\ntitle: b", "id: a\ntitle: b\n"},
		// An anchor or tag alone after the key: the parser puts the
		// mapping at the anchor, but its keys go two spaces in.
		{"anchored mapping", "n: &x\n  a: 1\n  b: 2\nm: *x\n", "n: &x\n  a: 1\n  b: 2\nm: *x\n"},
		{"anchored mapping, odd indent", "n: &x\n      a: 1\n      b: {c: 2}\n", "n: &x\n  a: 1\n  b: {c: 2}\n"},
		{"tagged mapping", "n: !!map\n    a: 1\n", "n: !!map\n  a: 1\n"},
		{"anchor and tag", "n: &x !!map # c\n   a: 1\n", "n: &x !!map # c\n  a: 1\n"},
		{"anchored sequence", "l: &y\n- a\n- b\nm: *y\n", "l: &y\n  - a\n  - b\nm: *y\n"},
		{"anchored item", "k:\n  -   &x\n        a: 1\n  - &z b: 2\n    c: 3\n", "k:\n  - &x\n    a: 1\n  - &z b: 2\n    c: 3\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Format("x.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			again, err := Format("x.yaml", got)
			if err != nil || string(again) != string(got) {
				t.Errorf("not idempotent: second run gives:\n%s (err %v)", again, err)
			}
		})
	}
}

func FuzzFormat(f *testing.F) {
	// Small seeds: the mutator works best on short inputs. The whole
	// example files are covered by TestFormatExamplesUnchanged.
	for _, p := range []string{"../../examples/okr.yaml", "../../examples/objectives/engineering/platform/reliability.yaml"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		lines := strings.SplitAfter(string(b), "\n")
		f.Add([]byte(strings.Join(lines[:min(40, len(lines))], "")))
	}
	f.Add([]byte("a:\n    - b: |\n         x\n        # c\n    -   d: [1,\n       2]\n"))
	f.Add([]byte("n: &x !!map\n    a: 1\nl: &y\n- *x\n-   &z\n      b: 2\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := Format("f.yaml", src)
		if err != nil {
			return // a syntax error, or a layout Format refuses to touch
		}
		// Format checked the data and comments itself; it must also be a
		// fixed point.
		again, err := Format("f.yaml", out)
		if err != nil {
			t.Fatalf("formatted output refused: %v\ninput:\n%s\noutput:\n%s", err, src, out)
		}
		if string(again) != string(out) {
			t.Fatalf("not idempotent\ninput:\n%q\nfirst:\n%q\nsecond:\n%q", src, out, again)
		}
	})
}
