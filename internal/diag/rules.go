package diag

import "sort"

// Rule describes a stable rule code. Codes never change meaning once
// released; docs/rules.md has a bad and a fixed example of each.
type Rule struct {
	Code     string
	Severity Severity
	// Summary is a one-line description, used by SARIF and JUnit output.
	Summary string
}

// Rule codes. Loader codes describe files that could not be read safely;
// the rest come from JSON Schema and semantic validation.
const (
	// Loader.
	CodeFileTooLarge  = "file-too-large"
	CodeNotUTF8       = "not-utf8"
	CodeYAMLSyntax    = "yaml-syntax"
	CodeNotMapping    = "not-mapping"
	CodeDuplicateKey  = "duplicate-key"
	CodeAliasBomb     = "alias-bomb"
	CodeSymlinkEscape = "symlink-escape"
	CodeSpecialFile   = "special-file"
	CodeBrokenLink    = "broken-link"
	CodeTooManyNodes  = "too-many-nodes"
	// Schema and format version.
	CodeSchema             = "schema"
	CodeUnsupportedVersion = "unsupported-version"
	// Semantic.
	CodeDuplicateID         = "duplicate-id"
	CodeUnknownCycle        = "unknown-cycle"
	CodeUnknownOwner        = "unknown-owner"
	CodeUnknownPerson       = "unknown-person"
	CodeUnknownTeam         = "unknown-team"
	CodeUnknownParent       = "unknown-parent"
	CodeAlignmentCycle      = "alignment-cycle"
	CodeControlCharacter    = "control-character"
	CodeNumberRange         = "number-range"
	CodeUnknownUnit         = "unknown-unit"
	CodeUnknownCategory     = "unknown-category"
	CodeUnknownQuestion     = "unknown-question"
	CodeUnknownKR           = "unknown-kr"
	CodeUnknownCarry        = "unknown-carry"
	CodeAlignmentLoop       = "alignment-loop"
	CodeTeamLoop            = "team-loop"
	CodeCycleLoop           = "cycle-loop"
	CodeNegativeWeight      = "negative-weight"
	CodeZeroWeights         = "zero-weights"
	CodeStartEqualsTarget   = "start-equals-target"
	CodeKRFields            = "kr-fields"
	CodeKRDirection         = "kr-direction"
	CodeCheckinValue        = "checkin-value"
	CodeConfidenceScale     = "confidence-scale"
	CodeCycleDates          = "cycle-dates"
	CodeDateOutsideCycle    = "date-outside-cycle"
	CodeCheckinOutsideCycle = "checkin-outside-cycle"
	CodeCheckinInFuture     = "checkin-in-future"
	CodeCheckinOrder        = "checkin-order"
	CodeMissingAnswer       = "missing-answer"
	CodeCommandSource       = "command-source"
)

var rules = map[string]Rule{
	CodeFileTooLarge:  {CodeFileTooLarge, Error, "a file is larger than the workspace's size cap"},
	CodeNotUTF8:       {CodeNotUTF8, Error, "a file is not valid UTF-8 text"},
	CodeYAMLSyntax:    {CodeYAMLSyntax, Error, "a file is not valid YAML"},
	CodeNotMapping:    {CodeNotMapping, Error, "a file's top level is not a YAML mapping"},
	CodeDuplicateKey:  {CodeDuplicateKey, Error, "a mapping has the same key twice"},
	CodeAliasBomb:     {CodeAliasBomb, Error, "YAML aliases expand to far more nodes than the file holds"},
	CodeSymlinkEscape: {CodeSymlinkEscape, Error, "a symbolic link points outside the workspace"},
	CodeSpecialFile:   {CodeSpecialFile, Error, "a workspace file is a FIFO, socket or device, not a regular file"},
	CodeBrokenLink:    {CodeBrokenLink, Error, "a symbolic link points to nothing, or is part of a loop of links"},
	CodeTooManyNodes:  {CodeTooManyNodes, Error, "a file holds more YAML nodes, or nests deeper, than the loader's caps"},

	CodeSchema:             {CodeSchema, Error, "a value does not match the file kind's JSON Schema"},
	CodeUnsupportedVersion: {CodeUnsupportedVersion, Error, "the workspace format version is newer than this okr reads"},

	CodeDuplicateID:         {CodeDuplicateID, Error, "two entities share an id"},
	CodeUnknownCycle:        {CodeUnknownCycle, Error, "a cycle reference names no cycle"},
	CodeUnknownOwner:        {CodeUnknownOwner, Error, "an owner or contributor names no person or team"},
	CodeUnknownPerson:       {CodeUnknownPerson, Error, "a person reference names no person"},
	CodeUnknownTeam:         {CodeUnknownTeam, Error, "a team reference names no team"},
	CodeUnknownParent:       {CodeUnknownParent, Error, "an alignment names no objective"},
	CodeAlignmentCycle:      {CodeAlignmentCycle, Error, "an objective aligns to a parent whose cycle does not contain its own"},
	CodeControlCharacter:    {CodeControlCharacter, Warning, "text people read holds a control character or bidirectional override"},
	CodeNumberRange:         {CodeNumberRange, Error, "a number is too large for okr to score (beyond ±1e15)"},
	CodeUnknownUnit:         {CodeUnknownUnit, Error, "a key result's unit is not a workspace unit"},
	CodeUnknownCategory:     {CodeUnknownCategory, Error, "an objective's category is not a workspace category"},
	CodeUnknownQuestion:     {CodeUnknownQuestion, Error, "a check-in answers a question the workspace does not ask"},
	CodeUnknownKR:           {CodeUnknownKR, Error, "an initiative names no key result of its objective"},
	CodeUnknownCarry:        {CodeUnknownCarry, Error, "a carried_from or carried_to link names no objective or key result"},
	CodeAlignmentLoop:       {CodeAlignmentLoop, Error, "objectives align to each other in a loop"},
	CodeTeamLoop:            {CodeTeamLoop, Error, "teams are each other's parents in a loop"},
	CodeCycleLoop:           {CodeCycleLoop, Error, "cycles are each other's parents in a loop"},
	CodeNegativeWeight:      {CodeNegativeWeight, Error, "a weight is negative"},
	CodeZeroWeights:         {CodeZeroWeights, Error, "every key result of an objective has weight 0"},
	CodeStartEqualsTarget:   {CodeStartEqualsTarget, Error, "a key result's start equals its target"},
	CodeKRFields:            {CodeKRFields, Error, "a key result's fields do not fit its type"},
	CodeKRDirection:         {CodeKRDirection, Warning, "an increase or decrease key result points the other way"},
	CodeCheckinValue:        {CodeCheckinValue, Error, "a check-in value does not fit its key result's type"},
	CodeConfidenceScale:     {CodeConfidenceScale, Error, "a check-in confidence is outside the workspace scale"},
	CodeCycleDates:          {CodeCycleDates, Error, "a cycle ends before it starts"},
	CodeDateOutsideCycle:    {CodeDateOutsideCycle, Error, "a date falls outside its cycle"},
	CodeCheckinOutsideCycle: {CodeCheckinOutsideCycle, Error, "a check-in is dated outside its objective's cycle"},
	CodeCheckinInFuture:     {CodeCheckinInFuture, Error, "a check-in is dated after today"},
	CodeCheckinOrder:        {CodeCheckinOrder, Warning, "a key result's check-ins are not in date order"},
	CodeMissingAnswer:       {CodeMissingAnswer, Warning, "a check-in leaves a required question unanswered"},
	CodeCommandSource:       {CodeCommandSource, Error, "a key result reads its value from a command, but okr.yaml does not allow command sources"},
}

// Lookup returns the rule with code.
func Lookup(code string) (Rule, bool) {
	r, ok := rules[code]
	return r, ok
}

// Rules returns every rule, sorted by code.
func Rules() []Rule {
	out := make([]Rule, 0, len(rules))
	for _, r := range rules {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
