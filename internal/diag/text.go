package diag

import (
	"bufio"
	"io"
)

// textWriter prints one compiler-style line per diagnostic,
// file:line:col: severity: message [code], which editors and terminals
// turn into links. The summary line belongs to the command, on stderr.
type textWriter struct{}

func (textWriter) Write(w io.Writer, r Report) error {
	bw := bufio.NewWriter(w)
	for _, d := range r.Diagnostics {
		bw.WriteString(d.String())
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
