// Package edit changes workspace files the way a careful person would:
// it adds a check-in, a key result or a field by splicing new lines into the
// file's bytes at positions taken from its yaml.Node tree, so comments, key
// order, quoting and blank lines everywhere else stay byte-identical, and
// it formats whole files canonically (Format) without losing comments.
// Every write is atomic: a temporary file renamed over the original.
// Commands write workspace files through a Tx (tx.go), which holds the
// workspace lock, checks before each rename that the file is still what
// was read, and refuses links out of the workspace, read-only and
// non-regular files; output files (-o) go through WriteOutput
// (output.go), which writes devices, FIFOs and pipes through.
package edit
