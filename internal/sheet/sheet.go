// Package sheet converts a workspace's objectives to and from CSV, for
// spreadsheet users and for moving from other OKR tools. Export writes one
// row per key result with its objective's fields (and one row for an
// objective without key results); ExportCheckins writes one row per
// check-in and ExportInitiatives one row per initiative. Import reads such sheets back into objective files' bytes,
// checking every cell first, and can map the validator's findings on the
// generated files back to the CSV cells they came from. docs/csv.md
// documents the columns.
package sheet

import (
	"strings"
)

// Columns are the columns of the key-result sheet, in the order Export
// writes them.
var Columns = []string{
	"objective", "objective_title", "cycle", "level", "objective_owner", "contributors", "category", "tags",
	"objective_weight", "rollup", "aligns_to", "visible_to", "hidden_from", "objective_description",
	"key_result", "key_result_title", "type", "start", "target", "threshold", "low", "high", "steps", "unit",
	"key_result_owner", "key_result_weight", "due", "score", "key_result_description", "file",
}

// CheckinColumns are the fixed columns of the check-in sheet, in the order
// ExportCheckins writes them; one AnswerPrefix column per check-in
// question follows them.
var CheckinColumns = []string{"kr", "date", "value", "confidence", "status", "author", "note"}

// InitiativeColumns are the columns of the initiative sheet, in the order
// ExportInitiatives writes them.
var InitiativeColumns = []string{"objective", "id", "title", "link", "status", "owner", "key_result", "due"}

// AnswerPrefix starts the name of a check-in sheet column that holds the
// answers to one question: answer:QUESTION-ID.
const AnswerPrefix = "answer:"

// krColumns are the columns that belong to the key result of a row; a row
// with all of them empty is an objective's row only.
var krColumns = map[string]bool{
	"key_result": true, "key_result_title": true, "type": true, "start": true, "target": true, "threshold": true,
	"low": true, "high": true, "steps": true, "unit": true, "key_result_owner": true, "key_result_weight": true,
	"due": true, "score": true, "key_result_description": true,
}

// krTypes are the key-result types, in the order the format lists them.
var krTypes = []string{"increase", "decrease", "at_least", "at_most", "range", "milestone"}

// risky reports whether a spreadsheet would run text cell s as a formula
// once one leading apostrophe is taken off, that is whether s is any
// number of apostrophes followed by = + - @, a tab or a carriage return.
func risky(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && strings.ContainsRune("=+-@\t\r", rune(t[0]))
}

// Safe neutralises a text cell a spreadsheet would run as a formula by
// prefixing a single quote, as okr report --format csv does. Text that
// already starts with quotes before such a character gets one more, so
// Unsafe undoes Safe exactly.
func Safe(s string) string {
	if risky(s) {
		return "'" + s
	}
	return s
}

// Unsafe undoes Safe: it drops the leading quote of a cell that Safe
// would have written, and leaves every other cell as it is.
func Unsafe(s string) string {
	if strings.HasPrefix(s, "'") && risky(s) {
		return s[1:]
	}
	return s
}
