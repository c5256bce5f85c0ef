package diff

import (
	"encoding/json"
	"io"
)

// jsonWriter prints the Diff as JSON indented by two spaces, with empty
// lists as [] rather than null; the shape is versioned (Version) and
// documented by the Diff type.
type jsonWriter struct{}

func (jsonWriter) Write(w io.Writer, d *Diff) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(normalized(d))
}

// normalized returns a copy of d whose nil slices are empty, so they encode
// as []. d itself is not changed.
func normalized(d *Diff) *Diff {
	out := *d
	out.Objectives = nonNil(d.Objectives)
	out.Goalposts = nonNil(d.Goalposts)
	for i := range out.Objectives {
		o := &out.Objectives[i]
		o.Fields = nonNil(o.Fields)
		o.KeyResults = nonNil(o.KeyResults)
		for j := range o.KeyResults {
			k := &o.KeyResults[j]
			k.Fields = nonNil(k.Fields)
			k.NewCheckins = nonNil(k.NewCheckins)
			k.RemovedCheckins = nonNil(k.RemovedCheckins)
		}
	}
	return &out
}

// nonNil returns a copy of s, empty rather than nil, so changes to its
// elements do not reach the caller's slice.
func nonNil[T any](s []T) []T {
	return append(make([]T, 0, len(s)), s...)
}
