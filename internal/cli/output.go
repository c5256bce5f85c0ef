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

// emit writes what render produces to --output (see writeOutput) or to out.
func (r *reportFlags) emit(out io.Writer, render func(io.Writer) error) error {
	if r.Output == "" {
		return render(out)
	}
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	return writeOutput(r.Output, buf.Bytes())
}

// writeOutput writes an output file (-o PATH): a regular file is replaced
// atomically, so readers never see a half-written report; a symbolic link
// is followed and its target replaced; a device, FIFO or pipe (-o
// /dev/stdout) is written through; a folder is an error (exit 2).
func writeOutput(path string, data []byte) error { return edit.WriteOutput(path, data) }
