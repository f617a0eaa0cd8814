package ucdpged

import "golang.org/x/sys/cpu"

// useAVX2 is whether masksOf uses masksAVX2 (tests turn it off to run the projection in Go).
var useAVX2 = cpu.X86.HasAVX2

// masksOf writes the masks of src's 64-byte blocks, len(dst) of them, into dst.
func masksOf(src []byte, dst []blockMasks) {
	if len(dst) == 0 {
		return
	}
	_ = src[64*len(dst)-1]
	if useAVX2 {
		masksAVX2(&src[0], len(dst), &dst[0])
		return
	}
	masksGeneric(src, dst)
}

// masksAVX2 is masksOf with AVX2: a comparison of 32 bytes with each of the three and a VPMOVMSKB of
// each, twice a block (masks_amd64.s).
//
//go:noescape
func masksAVX2(src *byte, blocks int, dst *blockMasks)
