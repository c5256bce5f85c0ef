package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/okrkit/okr/internal/report"
)

// jsonWriter prints the Report as indented JSON; the shape is versioned
// (Version) and documented by the Report type.
type jsonWriter struct{}

// objectivesTail is how the indented JSON of a Report without objectives
// ends: the objectives, the last field, are written one by one in its
// place.
const objectivesTail = "\"objectives\": []\n}\n"

// Write encodes r as encoding/json would encode it whole, but objective
// by objective: a large report is never held in memory a second time as
// one buffer of JSON (TestJSONStreamsAsWhole checks the bytes).
func (jsonWriter) Write(w io.Writer, r *report.Report) error {
	head := *r
	head.Objectives = []report.Objective{}
	var buf bytes.Buffer
	if err := encodeJSON(&buf, "", &head); err != nil {
		return err
	}
	if len(r.Objectives) == 0 || !bytes.HasSuffix(buf.Bytes(), []byte(objectivesTail)) {
		return encodeJSON(w, "", r)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.Write(buf.Bytes()[:buf.Len()-len("]\n}\n")])
	for i := range r.Objectives {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		buf.Reset()
		if err := encodeJSON(&buf, "    ", &r.Objectives[i]); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

// encodeJSON writes v as indented JSON, each line after the first
// prefixed, without escaping HTML.
func encodeJSON(w io.Writer, prefix string, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
