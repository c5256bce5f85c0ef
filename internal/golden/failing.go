package golden

import "errors"

// ErrWrite is the error of every FailingWriter write.
var ErrWrite = errors.New("write failed")

// FailingWriter is an io.Writer whose every write fails with ErrWrite, for
// the tests that check a writer returns its write errors.
type FailingWriter struct{}

func (FailingWriter) Write([]byte) (int, error) { return 0, ErrWrite }
