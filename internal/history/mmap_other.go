//go:build !unix

package history

import "errors"

// mapFile is not available here: pack files are read into memory instead.
func mapFile(string, int64) ([]byte, error) { return nil, errors.New("no mmap") }

func unmapFile([]byte) error { return nil }
