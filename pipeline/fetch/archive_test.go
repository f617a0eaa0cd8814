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

// A payload is archived whole, under its sha256, whatever its size (none, a byte, the copy's buffer,
// several buffers and a part) and however the reader splits it.
func TestPut(t *testing.T) {
	const blockSize = 32 << 10 // io.Copy's buffer
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
	const blockSize = 32 << 10
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
