package snapshot

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
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

// claimWithin claims snapshot id, waiting up to wait for its readers to let go of it.
func claimWithin(dataDir, id string, wait time.Duration) (release func(), ok bool, err error) {
	deadline := time.Now().Add(wait)
	for {
		release, ok, err = claim(dataDir, id)
		if ok || err != nil || !time.Now().Before(deadline) {
			return release, ok, err
		}
		time.Sleep(min(100*time.Millisecond, time.Until(deadline)))
	}
}

// claim takes snapshot id for removal: an exclusive flock on its manifest, which fails at once when
// some process holds it (see Hold). The caller removes the snapshot, then calls release.
func claim(dataDir, id string) (release func(), ok bool, err error) {
	f, err := os.Open(filepath.Join(Path(dataDir, id), ManifestFile))
	if err != nil {
		return nil, false, err
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return func() { f.Close() }, true, nil
}
