package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"unsafe"

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
	return a.PutPreparing(source, ext, r, maxBytes, nil)
}

// PutPreparing is Put that also hands the payload's bytes, in order and as they stream in, to prepare
// (if not nil), which runs on a goroutine of its own and has returned when PutPreparing does. prepare
// reads the payload to its end, or to the error that ends it (a failed or oversized download), so that
// it keeps nothing of a payload that was not archived. What it returns is its own affair: the payload is
// archived whatever it says.
func (a Archive) PutPreparing(source, ext string, r io.Reader, maxBytes int64, prepare func(io.Reader) error) (sum, path string, n int64, err error) {
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
	var feed io.Writer // to prepare
	if prepare != nil {
		payload, pipe := io.Pipe()
		feed = pipe
		prepared := make(chan struct{})
		go func() {
			defer close(prepared)
			payload.CloseWithError(prepare(payload))
		}()
		defer func() {
			pipe.CloseWithError(err) // nil: the end of the payload
			<-prepared
		}()
	}
	src := r
	if maxBytes > 0 {
		src = io.LimitReader(r, maxBytes+1)
	}
	// Written with direct I/O, the payload never enters the page cache. Where the file system does not
	// take it, the payload's pages leave the cache as they reach the disk, and the fsync below has little
	// left to write.
	direct := setDirect(tmp, true)
	stopDropping := func() {}
	if !direct {
		stopDropping = pagecache.Limit(tmp.Name())
	}
	hash, n, err := copyHashed(blockFile{f: tmp, direct: direct}, src, feed)
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
	sum = hex.EncodeToString(hash)
	path = a.Path(source, sum, ext)
	if err = os.Rename(tmp.Name(), path); err != nil {
		return "", "", n, err
	}
	return sum, path, n, nil
}

// blockSize is how much of a payload is read, hashed and written at a time: a multiple of any disk's
// block size, as direct I/O needs.
const blockSize = 4 << 20

// copyHashed copies src to w, and to feed if not nil, and returns src's sha256 and size. Each block of
// src goes through a goroutine for each step (hashing, writing, feeding), which work on different
// blocks at once: while this one reads a block, the others hash, write and feed the blocks before it,
// so that the copy takes about as long as its slowest step (sha256 runs at 0.75 s per GiB on this
// project's machines; 4 MB direct writes alone ran at 2.1-2.5 GB/s, and several writers at once were no
// faster). w writes with direct I/O when its file system takes
// it: a payload of gigabytes then does not pass through the kernel's page cache, where bringing in new
// pages cost more than the write itself (docs/performance.md). Once feed fails (its reader gave up),
// it is fed no more.
func copyHashed(w blockFile, src io.Reader, feed io.Writer) (sum []byte, n int64, err error) {
	h := sha256.New()
	var writeErr, feedErr error
	var failed atomic.Bool
	steps := []func([]byte){
		func(b []byte) { h.Write(b) },
		func(b []byte) {
			if writeErr == nil {
				if writeErr = w.write(b); writeErr != nil {
					failed.Store(true)
				}
			}
		},
	}
	if feed != nil {
		steps = append(steps, func(b []byte) {
			if feedErr == nil {
				_, feedErr = feed.Write(b)
			}
		})
	}
	blocks := 2 * len(steps)
	free := make(chan []byte, blocks)
	for range blocks {
		free <- alignedBlock()
	}
	first := make(chan []byte, blocks)
	in, done := first, make(chan struct{})
	for k, step := range steps {
		out := make(chan []byte, blocks)
		go func(in <-chan []byte, out chan<- []byte, last bool) {
			for b := range in {
				step(b)
				if last {
					free <- b[:cap(b)]
				} else {
					out <- b
				}
			}
			close(out)
			if last {
				close(done)
			}
		}(in, out, k == len(steps)-1)
		in = out
	}
	for !failed.Load() {
		b := <-free
		k, readErr := fill(src, b)
		n += int64(k)
		first <- b[:k]
		if readErr != nil {
			if readErr != io.EOF {
				err = readErr
			}
			break
		}
	}
	close(first)
	<-done
	if err == nil {
		err = writeErr
	}
	return h.Sum(nil), n, err
}

// fill reads from r until b is full or r fails. Unlike io.ReadFull, it passes on r's own
// io.ErrUnexpectedEOF (a body cut short), and its io.EOF only ever means the end of r.
func fill(r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		k, err := r.Read(b[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// blockFile writes a payload's blocks in order, with direct I/O while it is on.
type blockFile struct {
	f      *os.File
	direct bool
}

// write writes b. Every block but the last is a whole one; direct I/O takes only whole blocks, so it is
// turned off for a shorter one, or when the file system refuses a direct write.
func (w *blockFile) write(b []byte) error {
	if w.direct && len(b) != blockSize {
		w.direct = !setDirect(w.f, false)
	}
	_, err := w.f.Write(b)
	if w.direct && errors.Is(err, syscall.EINVAL) && setDirect(w.f, false) {
		w.direct = false
		_, err = w.f.Write(b)
	}
	return err
}

// alignedBlock returns a buffer of blockSize bytes that starts at a multiple of directAlign, as direct
// I/O needs.
func alignedBlock() []byte {
	b := make([]byte, blockSize+directAlign)
	skip := (directAlign - int(uintptr(unsafe.Pointer(&b[0]))%directAlign)) % directAlign
	return b[skip : skip+blockSize : skip+blockSize]
}

// directAlign is the alignment of direct I/O buffers: a page, a multiple of any disk's block size.
const directAlign = 4096
