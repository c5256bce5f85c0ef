package diag

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// githubWriter prints GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request's changed lines:
//
//	::error file=F,line=L,col=C,title=okr%3A CODE::MESSAGE
type githubWriter struct{}

var (
	// Workflow command data escapes %, CR and LF; property values also
	// escape : and , which delimit properties.
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func (githubWriter) Write(w io.Writer, r Report) error {
	bw := bufio.NewWriter(w)
	for _, d := range r.Diagnostics {
		level := "error"
		if d.Severity == Warning {
			level = "warning"
		}
		fmt.Fprintf(bw, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level,
			githubProperty.Replace(d.File), d.Line, d.Col,
			githubProperty.Replace("okr: "+d.Code), githubData.Replace(d.Message))
	}
	return bw.Flush()
}
