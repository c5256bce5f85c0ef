//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package history

// mapFile: no memory maps here; the file is read as it is.
func mapFile(path string) (data []byte, unmap func() error, ok bool) { return nil, nil, false }
