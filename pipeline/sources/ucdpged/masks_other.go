//go:build !amd64

package ucdpged

// masksOf writes the masks of src's 64-byte blocks, len(dst) of them, into dst.
func masksOf(src []byte, dst []blockMasks) {
	masksGeneric(src, dst)
}
