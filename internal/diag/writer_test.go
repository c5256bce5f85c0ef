package diag

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/okrkit/okr/internal/golden"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sample is a report with the characters each format must escape: commas
// and colons (GitHub properties), newlines and percent signs (workflow
// data), markup (XML), quotes and non-ASCII text.
func sample() Report {
	ds := []Diagnostic{
		New("objectives/b,c.yaml", 7, 3, CodeKRDirection, "increase key result has target 5 below start 10; did you mean type decrease?"),
		New("objectives/a b.yaml", 12, 9, CodeUnknownOwner, `owner "zoë" is neither a person nor a team in org.yaml`),
		New("objectives/a b.yaml", 3, 8, CodeUnknownCycle, "%s", "objective \"a\" is in cycle \"q9\": 100% <unknown> & gone,\nsee cycles.yaml"),
	}
	Sort(ds)
	return Report{
		Tool:        "okr validate",
		Version:     "1.2.3",
		Files:       []string{"cycles.yaml", "objectives/a b.yaml", "objectives/b,c.yaml", "okr.yaml"},
		Diagnostics: ds,
	}
}

func render(t *testing.T, format string, r Report) []byte {
	t.Helper()
	w, err := NewWriter(format)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, r); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name+".golden"), got)
}

func TestFormats(t *testing.T) {
	want := []string{"codeclimate", "github", "json", "junit", "sarif", "text"}
	if got := Formats(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Formats() = %v, want %v", got, want)
	}
	if _, err := NewWriter("yaml"); err == nil || !strings.Contains(err.Error(), "codeclimate, github, json, junit, sarif, text") {
		t.Fatalf("NewWriter(yaml) error = %v, want the list of formats", err)
	}
}

func TestGolden(t *testing.T) {
	clean := Report{Tool: "okr validate", Version: "1.2.3", Files: []string{"okr.yaml", "org.yaml"}}
	for _, f := range Formats() {
		t.Run(f, func(t *testing.T) {
			golden(t, f, render(t, f, sample()))
			golden(t, f+"-clean", render(t, f, clean))
		})
	}
}

func TestText(t *testing.T) {
	got := string(render(t, "text", sample()))
	want := "objectives/a b.yaml:3:8: error: objective \"a\" is in cycle \"q9\": 100% <unknown> & gone,\nsee cycles.yaml [unknown-cycle]\n"
	if !strings.HasPrefix(got, want) {
		t.Fatalf("text output starts\n%s\nwant\n%s", got, want)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var rep JSONReport
	if err := json.Unmarshal(render(t, "json", sample()), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Version != JSONVersion || rep.Summary != (JSONSummary{Files: 4, Errors: 2, Warnings: 1}) {
		t.Fatalf("header = %+v", rep)
	}
	s := sample()
	for i, d := range rep.Diagnostics {
		w := s.Diagnostics[i]
		if d.File != w.File || d.Line != w.Line || d.Column != w.Col || d.Code != w.Code || d.Message != w.Message || d.Severity != w.Severity.String() {
			t.Errorf("diagnostic %d = %+v, want %+v", i, d, w)
		}
	}
	var empty map[string]any
	if err := json.Unmarshal(render(t, "json", Report{}), &empty); err != nil {
		t.Fatal(err)
	}
	if ds, ok := empty["diagnostics"].([]any); !ok || len(ds) != 0 {
		t.Fatalf("clean report diagnostics = %#v, want []", empty["diagnostics"])
	}
}

func TestGitHubEscaping(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(string(render(t, "github", sample())), "\n"), "\n")
	want := []string{
		"::error file=objectives/a b.yaml,line=3,col=8,title=okr%3A unknown-cycle::objective \"a\" is in cycle \"q9\": 100%25 <unknown> & gone,%0Asee cycles.yaml",
		"::error file=objectives/a b.yaml,line=12,col=9,title=okr%3A unknown-owner::owner \"zoë\" is neither a person nor a team in org.yaml",
		"::warning file=objectives/b%2Cc.yaml,line=7,col=3,title=okr%3A kr-direction::increase key result has target 5 below start 10; did you mean type decrease?",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("github output:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// TestSARIFSchema validates the SARIF output against the official SARIF
// 2.1.0 JSON Schema (testdata/sarif-schema-2.1.0.json, copied from OASIS).
func TestSARIFSchema(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]Report{"findings": sample(), "clean": {Tool: "okr validate"}} {
		out := render(t, "sarif", r)
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s: SARIF output does not match the SARIF 2.1.0 schema: %v", name, err)
		}
	}
	// The schema must be able to fail: a result without a message is invalid.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"okr"}},"results":[{"ruleId":"x"}]}]}`))
	if err := sch.Validate(bad); err == nil {
		t.Fatal("schema accepted a result without a message; the check is toothless")
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID, HelpURI string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(render(t, "sarif", sample()), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != len(Rules()) {
		t.Fatalf("driver lists %d rules, want %d", len(run.Tool.Driver.Rules), len(Rules()))
	}
	for i, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d points at %s, not %s", i, res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID, res.RuleID)
		}
	}
	loc := run.Results[0].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "objectives/a%20b.yaml" || loc.Region.StartLine != 3 || loc.Region.StartColumn != 8 {
		t.Fatalf("first location = %+v", loc)
	}
}

// TestJUnitXML parses the JUnit output and checks one failing test case per
// finding and one passing case per clean file.
func TestJUnitXML(t *testing.T) {
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				ClassName string `xml:"classname,attr"`
				Name      string `xml:"name,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	s := sample()
	if err := xml.Unmarshal(render(t, "junit", s), &doc); err != nil {
		t.Fatalf("junit output is not XML: %v", err)
	}
	if doc.Tests != 5 || doc.Failures != 3 || len(doc.Suites) != 1 {
		t.Fatalf("tests=%d failures=%d suites=%d, want 5, 3, 1", doc.Tests, doc.Failures, len(doc.Suites))
	}
	var failing []string
	passing := map[string]bool{}
	for _, c := range doc.Suites[0].Cases {
		if c.Failure != nil {
			failing = append(failing, c.Failure.Type+" "+c.Failure.Message)
		} else {
			passing[c.ClassName] = true
		}
	}
	if len(failing) != len(s.Diagnostics) {
		t.Fatalf("%d failing cases, want %d", len(failing), len(s.Diagnostics))
	}
	for i, d := range s.Diagnostics {
		if failing[i] != d.Code+" "+d.Message {
			t.Errorf("failure %d = %q, want %q", i, failing[i], d.Code+" "+d.Message)
		}
	}
	if !passing["cycles.yaml"] || !passing["okr.yaml"] || len(passing) != 2 {
		t.Fatalf("passing cases = %v, want cycles.yaml and okr.yaml", passing)
	}
}
