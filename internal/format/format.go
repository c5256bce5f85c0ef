// Package format is the registry of a package's output formats: report,
// trend, diff and diag each keep one Registry of their own Writer type,
// filled once from a literal that names every format (one file per
// format), and the command layer asks it for a writer by name.
package format

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Registry maps format names to writers of type W. It is not changed after
// New, so it is safe for concurrent use.
type Registry[W any] struct {
	writers map[string]W
}

// New returns the registry of the given formats.
func New[W any](writers map[string]W) Registry[W] {
	return Registry[W]{writers: maps.Clone(writers)}
}

// Names returns the format names, sorted.
func (r Registry[W]) Names() []string { return slices.Sorted(maps.Keys(r.writers)) }

// Get returns the writer of format name, or an error that lists the
// formats there are.
func (r Registry[W]) Get(name string) (W, error) {
	w, ok := r.writers[name]
	if !ok {
		return w, fmt.Errorf("unknown format %q (want one of %s)", name, strings.Join(r.Names(), ", "))
	}
	return w, nil
}
