//go:build !amd64

package ucdpged

// useAVX2 is never true here; tests set it as they do on amd64.
var useAVX2 = false

// masksOf writes the masks of src's 64-byte blocks, len(dst) of them, into dst.
func masksOf(src []byte, dst []blockMasks) {
	masksGeneric(src, dst)
}
