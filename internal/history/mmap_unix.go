//go:build unix

package history

import (
	"os"
	"syscall"
)

// mapFile maps a pack file read-only into memory: its pages come from the
// page cache without a copy. The mapping lives as long as the process,
// like the pack files go-git keeps open with KeepDescriptors.
func mapFile(path string, size int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}

// unmapFile releases a mapping made by mapFile.
func unmapFile(b []byte) error { return syscall.Munmap(b) }
