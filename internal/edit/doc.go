// Package edit changes workspace files the way a careful person would:
// it adds a check-in, a key result or a field by splicing new lines into the
// file's bytes at positions taken from its yaml.Node tree, so comments, key
// order, quoting and blank lines everywhere else stay byte-identical, and
// it formats whole files canonically (Format) without losing comments.
// Every write is atomic: a temporary file renamed over the original.
package edit
