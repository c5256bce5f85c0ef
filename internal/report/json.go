package report

import (
	"encoding/json"
	"io"
)

func init() { writers["json"] = jsonWriter{} }

// jsonWriter prints the Report as indented JSON; the shape is versioned
// (Version) and documented by the Report type.
type jsonWriter struct{}

func (jsonWriter) Write(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
