package cli

import (
	"bytes"
	"io"

	"github.com/okrkit/okr/internal/edit"
	"github.com/spf13/cobra"
)

// reportFlags are --format and --output, shared by every command that
// writes a report.
type reportFlags struct {
	Format string
	Output string
}

func (r *reportFlags) add(cmd *cobra.Command, formats string) {
	cmd.Flags().StringVarP(&r.Format, "format", "f", "", "output `FORMAT`: "+formats)
	cmd.Flags().StringVarP(&r.Output, "output", "o", "", "write the report to `FILE` instead of standard output")
}

// formatOr is --format, or def when it is not given.
func (r *reportFlags) formatOr(def string) string {
	if r.Format == "" {
		return def
	}
	return r.Format
}

// emit writes what render produces to --output (atomically) or to out.
func (r *reportFlags) emit(out io.Writer, render func(io.Writer) error) error {
	if r.Output == "" {
		return render(out)
	}
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	return writeFileAtomic(r.Output, buf.Bytes())
}

// writeFileAtomic writes a report the way editing commands write
// workspace files: a temporary file beside path renamed over it, so readers
// never see a half-written report.
func writeFileAtomic(path string, data []byte) error { return edit.WriteFile(path, data) }
