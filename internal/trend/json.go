package trend

import (
	"encoding/json"
	"io"
)

// jsonWriter writes the versioned JSON shapes, indented.
type jsonWriter struct{}

func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (jsonWriter) KeyResult(w io.Writer, s *KRSeries) error { return encode(w, s) }
func (jsonWriter) Weekly(w io.Writer, s *Weekly) error      { return encode(w, s) }
