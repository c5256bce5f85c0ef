package edit

import (
	"fmt"
	"os"
)

// Lock is an advisory lock on a workspace, held from LockWorkspace until
// Unlock or the end of the process. It is a lock on an open file
// descriptor (flock on unix, LockFileEx on Windows), not a lock file whose
// existence is the lock: the operating system drops it when the process
// exits or crashes, so a killed okr never leaves a workspace locked.
// Locks taken by two goroutines of one process exclude each other too.
type Lock struct {
	f *os.File
}

// LockWorkspace takes the exclusive lock on the workspace at root, waiting
// for it as long as another okr holds it. onWait, when set, is called once
// before waiting, so a command can say why it pauses.
//
// On unix the lock is on the workspace folder itself, so nothing is
// created. On Windows, where a folder cannot be locked, it is on the file
// .okr.lock in root, created when missing and never removed (its presence
// means nothing). Where neither exists (plan9, wasm, solaris) there is no
// lock and Tx's check before each rename is the only guard.
func LockWorkspace(root string, onWait func()) (*Lock, error) {
	f, err := lockFile(root, onWait)
	if err != nil {
		return nil, fmt.Errorf("lock workspace %s: %w", root, err)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock. It is safe to call more than once.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
