package ucdpged

import "encoding/binary"

// blockMasks marks the quotes, commas and newlines of 64 bytes of a release, a bit a byte (bit k for the
// block's byte k): what the projection needs of a block to find its fields.
type blockMasks struct{ quote, comma, newline uint64 }

// masksOf writes the masks of src's 64-byte blocks, len(dst) of them, into dst, eight bytes at a time.
func masksOf(src []byte, dst []blockMasks) {
	for k := range dst {
		var m blockMasks
		for w := range 8 {
			x := binary.LittleEndian.Uint64(src[64*k+8*w:])
			m.quote |= gather(byteMask(x, '"')) << (8 * w)
			m.comma |= gather(byteMask(x, ',')) << (8 * w)
			m.newline |= gather(byteMask(x, '\n')) << (8 * w)
		}
		dst[k] = m
	}
}

// gather packs the high bits of a word's bytes (byteMask's marks) into its low byte, byte k's into bit
// k: multiplying by the constant moves byte k's bit to bit 56+k, and no two products meet.
func gather(marks uint64) uint64 {
	return (marks >> 7) * 0x0102040810204080 >> 56
}

// byteMask has the high bit set in each byte of x that is c, and no other bit.
func byteMask(x uint64, c byte) uint64 {
	const low7 = 0x7f7f7f7f7f7f7f7f
	y := x ^ (0x0101010101010101 * uint64(c)) // zero where x holds c
	return ^((y&low7 + low7) | y | low7)
}
