package diag

import (
	"encoding/json"
	"io"
	"net/url"
)

// RulesURL is where each rule is documented; a rule's help link is
// RulesURL + "#" + code.
const RulesURL = "https://github.com/okrkit/okr/blob/main/docs/rules.md"

// sarifWriter prints a SARIF 2.1.0 log, the format GitHub code scanning and
// most security dashboards import. Every rule is listed in the driver, so a
// viewer can explain codes that did not fire; artifact URIs are relative to
// %SRCROOT%, the folder okr ran in.
type sarifWriter struct{}

const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	HelpURI              string       `json:"helpUri"`
	DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

func sarifLevel(s Severity) string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

func (sarifWriter) Write(w io.Writer, r Report) error {
	rules, doc := r.Rules, r.RulesURL
	if rules == nil {
		rules = Rules()
	}
	if doc == "" {
		doc = RulesURL
	}
	index := make(map[string]int, len(rules))
	driver := sarifDriver{Name: "okr", Version: r.Version, InformationURI: "https://github.com/okrkit/okr"}
	for i, rule := range rules {
		index[rule.Code] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   rule.Code,
			ShortDescription:     sarifMessage{Text: rule.Summary},
			HelpURI:              doc + "#" + rule.Code,
			DefaultConfiguration: sarifConfig{Level: sarifLevel(rule.Severity)},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, d := range r.Diagnostics {
		i, ok := index[d.Code]
		if !ok {
			i = -1 // SARIF's "not in the rules array"
		}
		run.Results = append(run.Results, sarifResult{
			RuleID:    d.Code,
			RuleIndex: i,
			Level:     sarifLevel(d.Severity),
			Message:   sarifMessage{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: (&url.URL{Path: d.File}).String(), URIBaseID: "%SRCROOT%"},
				Region:           sarifRegion{StartLine: d.Line, StartColumn: d.Col},
			}}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}
