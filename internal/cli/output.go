package cli

import (
	"bufio"
	"bytes"
	"io"

	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/inert"
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

// emit writes what render produces to --output (see writeOutput) or to
// out, through an inert.Writer: no control character, DEL, bidirectional
// override or byte that is not UTF-8 from a file, a commit or the command
// line reaches the terminal or the document as itself (the status command's
// colours are its own, written past the filter: see inert.Unwrap).
func (r *reportFlags) emit(out io.Writer, render func(io.Writer) error) error {
	if r.Output == "" {
		// Buffered: a table's writer writes cell by cell, a system call
		// each on an unbuffered standard output.
		bw := bufio.NewWriterSize(out, 1<<16)
		iw := inert.NewWriter(bw)
		if err := render(iw); err != nil {
			bw.Flush() // what was rendered before the failure
			return err
		}
		if err := iw.Flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
	var buf bytes.Buffer
	iw := inert.NewWriter(&buf)
	if err := render(iw); err != nil {
		return err
	}
	if err := iw.Flush(); err != nil {
		return err
	}
	return writeOutput(r.Output, buf.Bytes())
}

// writeOutput writes an output file (-o PATH): a regular file is replaced
// atomically, so readers never see a half-written report; a symbolic link
// is followed and its target replaced; a device, FIFO or pipe (-o
// /dev/stdout) is written through; a folder is an error (exit 2).
func writeOutput(path string, data []byte) error { return edit.WriteOutput(path, data) }
