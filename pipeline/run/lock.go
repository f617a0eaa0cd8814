package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// LockFile is the lock that lets one run at a time write a data directory.
const LockFile = "toll.lock"

// LockedError says that another process holds the data directory.
type LockedError struct {
	Path   string
	Holder string // what the holder wrote: "pid 1234 since 2026-11-25T01:30:00Z"
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("another toll run holds %s (%s)", e.Path, e.Holder)
}

// Lock takes the data directory's lock: an OS file lock, released by the kernel when the process exits
// however it exits, so a stale lock never needs cleaning up. With wait > 0 it retries until the lock is
// free or wait has passed; otherwise it fails at once with *LockedError.
func Lock(ctx context.Context, dataDir string, wait time.Duration, now func() time.Time) (unlock func(), err error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dataDir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	deadline := now().Add(wait)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if wait <= 0 || now().After(deadline) {
			holder, _ := os.ReadFile(path)
			f.Close()
			return nil, &LockedError{Path: path, Holder: strings.TrimSpace(string(holder))}
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	// Say who holds it, for the error the next process prints.
	f.Truncate(0)
	f.WriteAt([]byte(fmt.Sprintf("pid %d since %s\n", os.Getpid(), now().UTC().Format(time.RFC3339))), 0)
	return func() { f.Close() }, nil
}
