// Package schema embeds the JSON Schemas (draft 2020-12) of every okr file kind,
// so the binary validates and prints them without touching the network, and
// the schema of okr report's JSON (kind report, docs/report.md), which okr
// schema prints like the others.
package schema

import (
	"embed"
	"sort"
	"strings"
)

//go:embed *.schema.json
var files embed.FS

// Kinds returns the names of the file kinds that have a schema, sorted.
func Kinds() []string {
	entries, _ := files.ReadDir(".")
	kinds := make([]string, 0, len(entries))
	for _, e := range entries {
		kinds = append(kinds, strings.TrimSuffix(e.Name(), ".schema.json"))
	}
	sort.Strings(kinds)
	return kinds
}

// Get returns the schema document of kind, and false when there is no such kind.
func Get(kind string) ([]byte, bool) {
	b, err := files.ReadFile(kind + ".schema.json")
	return b, err == nil
}

// URL returns the $id of kind's schema, the address editors use in
// "# yaml-language-server: $schema=" lines.
func URL(kind string) string {
	return "https://raw.githubusercontent.com/okrkit/okr/main/schema/" + kind + ".schema.json"
}

// LocalPath returns the workspace-relative path of the copy of kind's
// schema that `okr init` writes into a workspace (.okr/schema).
func LocalPath(kind string) string { return ".okr/schema/" + kind + ".schema.json" }

// RelRef returns target, a workspace-relative slash path, as seen from the
// workspace file rel: the form a "# yaml-language-server: $schema=" line
// in rel takes.
func RelRef(rel, target string) string {
	return strings.Repeat("../", strings.Count(rel, "/")) + target
}
