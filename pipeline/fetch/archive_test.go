package fetch

import (
	"bytes"
	"crypto/sha256"
	"testing"
)

// The archive's hash, computed on a goroutine of its own, is the payload's sha256 whatever the sizes of
// the writes, across its buffers.
func TestConcurrentHash(t *testing.T) {
	data := make([]byte, 3*chunkSize+12345)
	for i := range data {
		data[i] = byte(i * 7 % 251)
	}
	h := newConcurrentHash()
	for rest, size := data, 1; len(rest) > 0; size = size*3 + 1 {
		k := min(size, len(rest))
		h.Write(rest[:k])
		rest = rest[k:]
	}
	want := sha256.Sum256(data)
	if got := h.Sum(); !bytes.Equal(got, want[:]) {
		t.Errorf("hash %x, want %x", got, want)
	}
}
