//go:build unix

package edit

import (
	"os"
	"syscall"
)

// keepOwner gives f the owner and group of the file fi describes, where
// the process may (root, or the owner keeping its own group); where it may
// not, the new file keeps the writer's, as any editor's save would.
func keepOwner(f *os.File, fi os.FileInfo) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	_ = f.Chown(int(st.Uid), int(st.Gid))
}
