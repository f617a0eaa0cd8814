package fetch

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
)

// A payload is archived whole, under its sha256, whatever its size against the blocks it is copied in
// (none, a part of one, exactly one, several and a part) and however the reader splits it.
func TestPut(t *testing.T) {
	for _, size := range []int{0, 1, blockSize, 2*blockSize + 12345} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i * 7 % 251)
		}
		a := Archive{Dir: t.TempDir()}
		sum, path, n, err := a.Put("src", "csv", iotest.HalfReader(bytes.NewReader(data)), 0)
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		want := sha256.Sum256(data)
		if sum != hex.EncodeToString(want[:]) || n != int64(size) || path != a.Path("src", sum, "csv") {
			t.Errorf("%d bytes: got %s, %d bytes at %s; want %x", size, sum, n, path, want)
		}
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, data) {
			t.Errorf("%d bytes: the archived file differs from the payload (%d bytes read, %v)", size, len(got), err)
		}
	}
}

// A payload whose reading fails, or that exceeds the cap, leaves nothing in the archive.
func TestPutFails(t *testing.T) {
	broken := errors.New("connection reset")
	a := Archive{Dir: t.TempDir()}
	payload := io.MultiReader(bytes.NewReader(make([]byte, blockSize+1)), iotest.ErrReader(broken))
	if _, _, _, err := a.Put("src", "csv", payload, 0); !errors.Is(err, broken) {
		t.Errorf("a broken read: %v, want %v", err, broken)
	}
	if _, _, _, err := a.Put("src", "csv", bytes.NewReader(make([]byte, blockSize+2)), blockSize+1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a payload over the cap: %v, want ErrTooLarge", err)
	}
	if left, _ := filepath.Glob(filepath.Join(a.Dir, "raw", "src", "*")); len(left) > 0 {
		t.Errorf("left in the archive: %v", left)
	}
}

// prepare reads each payload as it is archived: all of it when the archive succeeds, and an error in
// place of the end when the download breaks, so that it keeps nothing of a payload never archived. A
// prepare that gives up early changes nothing of the archive.
func TestPutPreparing(t *testing.T) {
	data := make([]byte, 2*blockSize+777)
	for i := range data {
		data[i] = byte(i % 253)
	}
	a := Archive{Dir: t.TempDir()}
	var seen []byte
	var readErr error
	read := func(r io.Reader) error {
		seen, readErr = io.ReadAll(r)
		return readErr
	}
	sum, path, _, err := a.PutPreparing("src", "csv", bytes.NewReader(data), 0, read)
	if err != nil || readErr != nil || !bytes.Equal(seen, data) {
		t.Fatalf("prepare read %d of %d bytes (%v), put: %v", len(seen), len(data), readErr, err)
	}

	broken := errors.New("connection reset")
	payload := io.MultiReader(bytes.NewReader(data[:blockSize+5]), iotest.ErrReader(broken))
	if _, _, _, err := a.PutPreparing("src", "csv", payload, 0, read); !errors.Is(err, broken) || !errors.Is(readErr, broken) {
		t.Errorf("a broken download: put %v, prepare read %v; want both %v", err, readErr, broken)
	}
	if _, _, _, err := a.PutPreparing("src", "csv", bytes.NewReader(data), blockSize, read); !errors.Is(err, ErrTooLarge) || !errors.Is(readErr, ErrTooLarge) {
		t.Errorf("a payload over the cap: put %v, prepare read %v; want both ErrTooLarge", err, readErr)
	}

	quitter := func(r io.Reader) error {
		_, err := r.Read(make([]byte, 10))
		return errors.Join(err, errors.New("not mine"))
	}
	again, path2, _, err := a.PutPreparing("src", "csv", bytes.NewReader(data), 0, quitter)
	if err != nil || again != sum || path2 != path {
		t.Errorf("with a prepare that gives up: %s %s %v; want %s at %s", again, path2, err, sum, path)
	}
}

// A block direct I/O refuses (here, from a buffer off its alignment) is written through the cache, and
// direct I/O stays off for the rest of the file.
func TestBlockFileFallsBack(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "payload"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := blockFile{f: f, direct: setDirect(f, true)}
	if !w.direct {
		t.Skip("no direct I/O on this file system")
	}
	unaligned := make([]byte, blockSize+1)[1:]
	for i := range unaligned {
		unaligned[i] = byte(i % 251)
	}
	if err := w.write(unaligned); err != nil || w.direct {
		t.Fatalf("write: %v, direct still %v", err, w.direct)
	}
	if err := w.write([]byte("tail")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil || !bytes.Equal(got, append(unaligned, "tail"...)) {
		t.Errorf("file of %d bytes (%v), want the %d written", len(got), err, len(unaligned)+4)
	}
}
