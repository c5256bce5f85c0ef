package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestDesignMapsEveryPackage checks that docs/design.md, the map of the
// code, names every package under internal/ with its one-line job (a line
// "internal/NAME  job" in its package list), and names none that is gone.
func TestDesignMapsEveryPackage(t *testing.T) {
	doc, err := os.ReadFile("../../docs/design.md")
	if err != nil {
		t.Fatal(err)
	}
	mapped := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^internal/([a-z0-9]+) +\S`).FindAllSubmatch(doc, -1) {
		mapped[string(m[1])] = true
	}
	dirs, err := os.ReadDir("../../internal")
	if err != nil {
		t.Fatal(err)
	}
	pkgs := map[string]bool{}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		if gos, _ := filepath.Glob(filepath.Join("../../internal", d.Name(), "*.go")); len(gos) == 0 {
			continue
		}
		pkgs[d.Name()] = true
		if !mapped[d.Name()] {
			t.Errorf("docs/design.md does not map internal/%s: add a line with its one-line job", d.Name())
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("found no package under internal/")
	}
	for name := range mapped {
		if !pkgs[name] {
			t.Errorf("docs/design.md maps internal/%s, which is not a package", name)
		}
	}
}
