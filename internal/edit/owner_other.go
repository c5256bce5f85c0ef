//go:build !unix

package edit

import "os"

// keepOwner does nothing where files have no unix owner.
func keepOwner(f *os.File, fi os.FileInfo) {}
