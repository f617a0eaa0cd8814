package snapshot

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Hold marks snapshot id as in use by this process until release is called, so that Prune leaves it
// alone: a shared flock on its manifest. The kernel drops it when the process dies, so a reader that
// crashed never pins a snapshot. toll serve holds the snapshot it answers from.
func Hold(dataDir, id string) (release func(), err error) {
	f, err := os.Open(filepath.Join(Path(dataDir, id), ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", id, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		f.Close()
		return nil, fmt.Errorf("snapshot %s: hold: %w", id, err)
	}
	return func() { f.Close() }, nil
}

// held reports whether some process holds snapshot id (see Hold).
func held(dataDir, id string) (bool, error) {
	f, err := os.Open(filepath.Join(Path(dataDir, id), ManifestFile))
	if err != nil {
		return false, err
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err // our own exclusive lock goes with f
}
