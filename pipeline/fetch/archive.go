package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"

	"toll/pipeline/pagecache"
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
	h := newConcurrentHash()
	defer h.Close()
	src := r
	if maxBytes > 0 {
		src = io.LimitReader(r, maxBytes+1)
	}
	// The payload is written once, in sequence: its pages leave the cache as they reach the disk, and
	// the fsync below has little left to write.
	stopDropping := pagecache.Limit(tmp.Name())
	n, err = io.CopyBuffer(io.MultiWriter(tmp, h), src, make([]byte, chunkSize))
	stopDropping()
	if err != nil {
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
	sum = hex.EncodeToString(h.Sum())
	path = a.Path(source, sum, ext)
	if err = os.Rename(tmp.Name(), path); err != nil {
		return "", "", n, err
	}
	return sum, path, n, nil
}

// chunkSize is how much of a payload is copied at a time.
const chunkSize = 1 << 20

// concurrentHash is a sha256 that hashes what is written to it on a goroutine of its own, so that
// hashing a large payload (about a second per 2 GB on one core) overlaps writing it to disk.
type concurrentHash struct {
	h          hash.Hash
	work, free chan []byte
	done       chan struct{}
	closed     bool
}

func newConcurrentHash() *concurrentHash {
	const buffers = 8
	c := &concurrentHash{h: sha256.New(), work: make(chan []byte, buffers), free: make(chan []byte, buffers),
		done: make(chan struct{})}
	for range buffers {
		c.free <- make([]byte, chunkSize)
	}
	go func() {
		defer close(c.done)
		for b := range c.work {
			c.h.Write(b)
			c.free <- b[:cap(b)]
		}
	}()
	return c
}

// Write hands a copy of p to the hashing goroutine.
func (c *concurrentHash) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		b := <-c.free
		k := copy(b, p)
		c.work <- b[:k]
		p = p[k:]
	}
	return n, nil
}

// Sum waits for everything written to be hashed and returns the hash.
func (c *concurrentHash) Sum() []byte {
	c.Close()
	return c.h.Sum(nil)
}

// Close stops the hashing goroutine.
func (c *concurrentHash) Close() {
	if !c.closed {
		c.closed = true
		close(c.work)
	}
	<-c.done
}
