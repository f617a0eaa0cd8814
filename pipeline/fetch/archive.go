package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrTooLarge is returned when a payload exceeds the size cap.
var ErrTooLarge = errors.New("payload exceeds the size cap")

// Archive keeps every payload ever fetched, as fetched, under <dir>/raw/<source>/<sha256>.<ext>.
// A file is written to a temporary name and renamed into place, so a path in the archive always holds
// a whole payload.
type Archive struct {
	Dir string // the data directory
}

// RemoveIncomplete deletes payloads that a killed process left half-written. Call it only while
// holding the data directory's lock, so that no fetch is writing.
func (a Archive) RemoveIncomplete() error {
	stale, err := filepath.Glob(filepath.Join(a.Dir, "raw", "*", ".incoming-*"))
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range stale {
		errs = append(errs, os.Remove(f))
	}
	return errors.Join(errs...)
}

// Path returns where the payload with this hash is kept.
func (a Archive) Path(source, sha256, ext string) string {
	return filepath.Join(a.Dir, "raw", source, sha256+"."+ext)
}

// Put streams r into the archive while hashing it, and returns the hash, the path and the size.
// It reads at most maxBytes (0 means no cap) and fails with ErrTooLarge beyond that.
func (a Archive) Put(source, ext string, r io.Reader, maxBytes int64) (sum, path string, n int64, err error) {
	dir := filepath.Join(a.Dir, "raw", source)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", 0, err
	}
	tmp, err := os.CreateTemp(dir, ".incoming-*")
	if err != nil {
		return "", "", 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	src := r
	if maxBytes > 0 {
		src = io.LimitReader(r, maxBytes+1)
	}
	h := sha256.New()
	if n, err = io.Copy(io.MultiWriter(tmp, h), src); err != nil {
		return "", "", n, fmt.Errorf("reading payload: %w", err)
	}
	if maxBytes > 0 && n > maxBytes {
		return "", "", n, fmt.Errorf("%w (%d bytes)", ErrTooLarge, maxBytes)
	}
	if err = tmp.Sync(); err != nil {
		return "", "", n, err
	}
	if err = tmp.Close(); err != nil {
		return "", "", n, err
	}
	sum = hex.EncodeToString(h.Sum(nil))
	path = a.Path(source, sum, ext)
	if err = os.Rename(tmp.Name(), path); err != nil {
		return "", "", n, err
	}
	return sum, path, n, nil
}
