package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/model"
)

// TestRulesDocumented checks docs/rules.md against the code: every rule
// has a section with a bad and a fixed example, the section's example
// workspace in examples/invalid/<code> fails with that code, and every
// message the section quotes is one okr really prints for it.
func TestRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{}
	heading := regexp.MustCompile(`(?m)^## ([a-z0-9-]+)\n`)
	locs := heading.FindAllStringSubmatchIndex(string(doc), -1)
	for i, l := range locs {
		end := len(doc)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		sections[string(doc[l[2]:l[3]])] = string(doc[l[1]:end])
	}
	readme, err := os.ReadFile("../../examples/invalid/README.md")
	if err != nil {
		t.Fatal(err)
	}
	caseTable := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\| \[([a-z0-9-]+)\]\(.*$`).FindAllStringSubmatch(string(readme), -1) {
		caseTable[m[1]] = m[0]
	}
	message := regexp.MustCompile("(?s)\\*\\*Message.*?```\n(.*?)```")
	for _, r := range diag.Rules() {
		t.Run(r.Code, func(t *testing.T) {
			sec, ok := sections[r.Code]
			if !ok {
				t.Fatalf("docs/rules.md has no section \"## %s\"", r.Code)
			}
			for _, want := range []string{"**Bad**", "**Fixed", "**Severity:** " + r.Severity.String()} {
				if !strings.Contains(sec, want) {
					t.Errorf("section %s lacks %q", r.Code, want)
				}
			}
			if !strings.Contains(string(doc), "[`"+r.Code+"`]") && !strings.Contains(string(doc), "["+r.Code+"](#"+r.Code+")") {
				t.Errorf("rule index does not link %s", r.Code)
			}
			dir := filepath.Join("../../examples/invalid", r.Code)
			// The date the testscripts pin with OKR_TODAY.
			res, err := Run(dir, Options{Today: model.Date{Year: 2026, Month: 11, Day: 23}, Workers: 2})
			if err != nil {
				t.Fatalf("examples/invalid/%s: %v", r.Code, err)
			}
			got := map[string]bool{}
			fired := false
			for _, d := range res.Diagnostics {
				got[d.String()] = true
				fired = fired || d.Code == r.Code
			}
			if !fired {
				t.Fatalf("examples/invalid/%s does not produce %s; it produces %v", r.Code, r.Code, res.Diagnostics)
			}
			for _, d := range res.Diagnostics {
				if d.Code != r.Code {
					t.Errorf("examples/invalid/%s breaks another rule too: %s", r.Code, d)
				}
			}
			if want := "| `" + fmt.Sprintf("%s:%d:%d", res.Diagnostics[0].File, res.Diagnostics[0].Line, res.Diagnostics[0].Col) + "` |"; !strings.Contains(caseTable[r.Code], want) {
				t.Errorf("examples/invalid/README.md row %q does not end with %s", caseTable[r.Code], want)
			}
			m := message.FindStringSubmatch(sec)
			if m == nil {
				t.Fatalf("section %s has no **Message:** block", r.Code)
			}
			for _, line := range strings.Split(strings.TrimSpace(m[1]), "\n") {
				if !got[line] {
					t.Errorf("docs quote a message okr does not print for examples/invalid/%s:\n  %s\nokr prints:\n  %v", r.Code, line, res.Diagnostics)
				}
			}
		})
	}
}

// TestFormatsDocumented checks docs/rules.md's table of output formats
// against the registry: every format okr validate takes has a row, and
// every row names a format it takes.
func TestFormatsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(doc), "## Output formats")
	if start < 0 {
		t.Fatal(`docs/rules.md has no "## Output formats" section`)
	}
	sec := string(doc[start:])
	if end := strings.Index(sec[3:], "\n## "); end >= 0 {
		sec = sec[:end+3]
	}
	var rows []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z]+)` \\|").FindAllStringSubmatch(sec, -1) {
		rows = append(rows, m[1])
	}
	formats := diag.Formats()
	for _, f := range formats {
		if !slices.Contains(rows, f) {
			t.Errorf("docs/rules.md's format table has no row for %q", f)
		}
	}
	for _, r := range rows {
		if !slices.Contains(formats, r) {
			t.Errorf("docs/rules.md's format table has %q, which okr validate does not take", r)
		}
	}
	if len(rows) == 0 {
		t.Error("no format rows found")
	}
}
