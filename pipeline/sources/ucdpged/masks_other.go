//go:build !amd64

package ucdpged

// useAVX2 is false: there is no AVX2 here (tests read it to know which masks they can run).
var useAVX2 = false

// masksOf writes the masks of src's 64-byte blocks, len(dst) of them, into dst.
func masksOf(src []byte, dst []blockMasks) {
	masksGeneric(src, dst)
}
