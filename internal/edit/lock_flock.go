//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package edit

import (
	"errors"
	"os"
	"syscall"
)

// lockFile locks the folder root with flock(2), exclusive. Every open of
// the folder is its own open file description, so two goroutines of one
// process exclude each other as two processes do.
func lockFile(root string, onWait func()) (*os.File, error) {
	f, err := os.Open(root)
	if err != nil {
		return nil, err
	}
	fd := int(f.Fd())
	err = flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		if onWait != nil {
			onWait()
		}
		err = flock(fd, syscall.LOCK_EX)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func flock(fd, how int) error {
	for {
		err := syscall.Flock(fd, how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

func unlockFile(f *os.File) error { return flock(int(f.Fd()), syscall.LOCK_UN) }

// lockSupported says whether LockWorkspace really locks here (tests).
const lockSupported = true
