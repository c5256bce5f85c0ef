package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

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

// writeFileAtomic writes data to a temporary file beside path and renames it
// over path, so readers never see a half-written report.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", path, firstErr(werr, cerr))
	}
	if err := os.Chmod(name, 0o644); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
