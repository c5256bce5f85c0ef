package diag

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
)

// junitWriter prints a JUnit XML report, which GitLab, Jenkins and most CI
// systems display as test results: one failing test case per finding and
// one passing test case per file without findings.
type junitWriter struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (junitWriter) Write(w io.Writer, r Report) error {
	suite := junitSuite{Name: r.Tool}
	seen := make(map[string]bool)
	for _, d := range r.Diagnostics {
		seen[d.File] = true
		suite.Cases = append(suite.Cases, junitCase{
			ClassName: d.File,
			Name:      fmt.Sprintf("%s:%d:%d [%s]", d.File, d.Line, d.Col, d.Code),
			Failure: &junitFailure{
				Message: d.Message,
				Type:    d.Code,
				Text:    d.String(),
			},
		})
	}
	for _, f := range r.Files {
		if !seen[f] {
			suite.Cases = append(suite.Cases, junitCase{ClassName: f, Name: f})
		}
	}
	// Group by file: findings in position order, then the file's own case.
	sort.SliceStable(suite.Cases, func(i, j int) bool { return suite.Cases[i].ClassName < suite.Cases[j].ClassName })
	suite.Tests = len(suite.Cases)
	suite.Failures = len(r.Diagnostics)
	doc := junitSuites{Name: r.Tool, Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
