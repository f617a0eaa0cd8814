package ucdpged

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// projectCSV copies the columns of a release's CSV that keep names from src to dst: a header of their
// names, then for each record its fields of those columns, byte for byte as the release has them
// (quotes included), in the release's order, each record on a line of its own. DuckDB then parses a
// file about a sixth of the release's size: GED's free-text columns (sources, names, places) are most
// of its bytes (README, Performance).
//
// The CSV is read as read_csv reads it with quote and escape '"' (RFC 4180): a quote opens or closes a
// quoted part, in which commas and newlines belong to the field (a doubled quote closes and opens at
// once), and a record ends at a newline outside quotes. A record whose fields are more or fewer than the
// header's, a quote that never closes and a record longer than maxRecord are errors naming the record
// (its number, and its id when it has one). A quote where RFC 4180 allows none either hides the commas
// after it, which the record's count of fields gives away, or stays in its field, copied as it is (so
// that read_csv judges a kept one as it would have in the release). Empty lines are skipped, as
// read_csv skips them.
//
// For each kept column named in values, projectCSV also returns its distinct values, sorted, as long as
// read_csv reads them as they are written: a column with a quoted field (which read_csv unquotes), a
// field that is not UTF-8 or more than maxValues values is left out. An empty field is NULL to
// read_csv, and no value.
func projectCSV(dst io.Writer, src io.Reader, keep func(column string) bool, values ...string) (map[string][]string, error) {
	p := &projector{src: src, buf: make([]byte, 0, projectBuffer)}
	if err := p.readHeader(keep, values); err != nil {
		return nil, err
	}
	p.out = append(p.out, strings.Join(p.names, ",")...)
	p.out = append(p.out, '\n')
	for {
		done, err := p.scan()
		if err != nil {
			return nil, err
		}
		if len(p.out) >= flushSize || done {
			if _, err := dst.Write(p.out); err != nil {
				return nil, err
			}
			p.out = p.out[:0]
		}
		if done {
			return p.distinct(), nil
		}
		if err := p.fill(); err != nil {
			return nil, err
		}
	}
}

// maxValues is how many distinct values projectCSV returns of a column at most.
const maxValues = 1 << 16

const (
	projectBuffer = 4 << 20  // how much of the release is held at a time
	maxRecord     = 64 << 20 // the longest record the buffer grows to hold
	flushSize     = 1 << 20  // how much projected output is gathered before it is written
)

// projector holds the part of the release read and not yet projected, buf[at:], which starts at a
// record's start.
type projector struct {
	src    io.Reader
	buf    []byte
	at     int
	eof    bool
	keep   []bool // by column
	header []string
	// seen holds, by column, the distinct values of a column named in values; given up says which
	// columns' values are not returned after all.
	seen    []map[string]struct{}
	givenUp []bool
	names   []string // of the kept columns
	id      int      // the id column, to name a bad record; -1 if none
	record  int64    // the number of the record at buf[at:]
	out     []byte
}

// fill moves what is left to the front of the buffer and reads more, growing the buffer when one record
// fills it.
func (p *projector) fill() error {
	n := copy(p.buf, p.buf[p.at:])
	p.buf, p.at = p.buf[:n], 0
	if n == cap(p.buf) {
		if n >= maxRecord {
			return p.bad(nil, fmt.Errorf("longer than %d MB", maxRecord>>20))
		}
		p.buf = slices.Grow(p.buf, n)
	}
	for len(p.buf) < cap(p.buf) && !p.eof {
		k, err := p.src.Read(p.buf[len(p.buf):cap(p.buf)])
		p.buf = p.buf[:len(p.buf)+k]
		if err == io.EOF {
			p.eof = true
		} else if err != nil {
			return err
		}
	}
	return nil
}

// readHeader reads the header line (names hold no newlines), without a byte-order mark, and which of
// its columns keep keeps.
func (p *projector) readHeader(keep func(string) bool, values []string) error {
	nl := -1
	for {
		if nl = bytes.IndexByte(p.buf, '\n'); nl >= 0 || p.eof {
			break
		}
		if err := p.fill(); err != nil {
			return err
		}
	}
	if nl < 0 {
		nl = len(p.buf)
	}
	line := bytes.TrimPrefix(p.buf[:nl], []byte("\ufeff"))
	header, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return fmt.Errorf("reading the header: %w", err)
	}
	p.header, p.keep = header, make([]bool, len(header))
	p.seen, p.givenUp = make([]map[string]struct{}, len(header)), make([]bool, len(header))
	for i, name := range header {
		if p.keep[i] = keep(name); p.keep[i] {
			p.names = append(p.names, name)
			if slices.Contains(values, name) {
				p.seen[i] = map[string]struct{}{}
			}
		}
	}
	p.id = slices.Index(header, "id")
	p.at, p.record = min(nl+1, len(p.buf)), 1
	return nil
}

// scan projects the whole records in buf[at:] into out and reports whether the release is done. It
// looks at eight bytes at a time, for which it makes masks of the commas, quotes and newlines (a bit a
// byte), and keeps the commas and newlines outside quotes (those where a prefix XOR of the quotes is
// even): a record's dozens of fields then cost a few instructions each, not a search each. (Measured on
// a 1 M-event release held in memory, 459 MiB: 0.46 s, against 0.56 s searching each field's end.)
func (p *projector) scan() (done bool, err error) {
	b := p.buf
	n := len(p.keep)
	start := p.at                  // of the record
	field, fieldStart := 0, start  // the field being read, and where it starts
	kept, mark := 0, len(p.out)    // kept fields of the record written, and the output before it
	idStart, idEnd := start, start // the record's id, to name it
	var inQuote uint64             // every byte's high bit, while a quoted part goes on past a word
	var word [8]byte
	for i := start; i < len(b); i += 8 {
		var x uint64
		if i+8 <= len(b) {
			x = binary.LittleEndian.Uint64(b[i:])
		} else if !p.eof { // wait for the rest of the word
			break
		} else { // the release's last bytes, and zeros
			word = [8]byte{}
			copy(word[:], b[i:])
			x = binary.LittleEndian.Uint64(word[:])
		}
		quoted := byteMask(x, '"')
		if quoted|inQuote != 0 {
			quoted ^= quoted << 8
			quoted ^= quoted << 16
			quoted ^= quoted << 32
			quoted ^= inQuote
			if inQuote = -(quoted >> 63) & highBits; quoted == highBits && i+8 < len(b) {
				// All of the word is quoted, and the quoted part goes on: it ends at the next quote.
				if k := bytes.IndexByte(b[i+8:], '"'); k > 0 {
					i += k // the next word starts at that quote, inside quotes
				}
				continue
			}
		}
		for seps := (byteMask(x, ',') | byteMask(x, '\n')) &^ quoted; seps != 0; seps &= seps - 1 {
			at := i + bits.TrailingZeros64(seps)>>3
			end, last := at, b[at] == '\n'
			if last && end > fieldStart && b[end-1] == '\r' {
				end--
			}
			if last && field == 0 && end == fieldStart { // an empty line
				start, fieldStart, p.at = at+1, at+1, at+1
				continue
			}
			if field == p.id {
				idStart, idEnd = fieldStart, end
			}
			if field < n && p.keep[field] {
				if kept > 0 {
					p.out = append(p.out, ',')
				}
				p.out = append(p.out, b[fieldStart:end]...)
				kept++
				if p.seen[field] != nil && end > fieldStart {
					p.note(field, b[fieldStart:end])
				}
			}
			fieldStart = at + 1
			if !last {
				field++
				continue
			}
			if field != n-1 {
				return false, p.bad(b[idStart:idEnd], fmt.Errorf("%d fields, want %d", field+1, n))
			}
			p.out = append(p.out, '\n')
			p.record++
			start, field, kept, mark = at+1, 0, 0, len(p.out)
			p.at, idStart, idEnd = start, start, start
		}
	}
	p.out = p.out[:mark] // a record that goes on past what is read is projected again after fill
	switch {
	case !p.eof:
		return false, nil
	case inQuote != 0:
		return false, p.bad(b[idStart:idEnd], errUnterminated)
	case start < len(b): // the last record, without a line end: scanned again with one
		p.buf = append(p.buf, '\n')
		return false, nil
	}
	return true, nil
}

var errUnterminated = errors.New("a quoted field that never ends")

// bad is err naming the record at buf[at:] by its number and id.
func (p *projector) bad(id []byte, err error) error {
	name := fmt.Sprintf("record %d", p.record)
	if len(id) > 0 && len(id) < 100 {
		name += " (id " + string(id) + ")"
	}
	return fmt.Errorf("%s: %w", name, err)
}

// highBits is the high bit of every byte of a word: byteMask's marks.
const highBits = 0x8080808080808080

// byteMask has the high bit set in each byte of x that is c, and no other bit.
func byteMask(x uint64, c byte) uint64 {
	const low7 = 0x7f7f7f7f7f7f7f7f
	y := x ^ (0x0101010101010101 * uint64(c)) // zero where x holds c
	return ^((y&low7 + low7) | y | low7)
}

// note adds a field of column i, not empty, to the column's distinct values.
func (p *projector) note(i int, field []byte) {
	if _, ok := p.seen[i][string(field)]; ok {
		return
	}
	if field[0] == '"' || len(p.seen[i]) == maxValues || !utf8.Valid(field) {
		p.seen[i], p.givenUp[i] = nil, true
		return
	}
	p.seen[i][string(field)] = struct{}{}
}

// distinct returns the distinct values of the columns not given up, sorted.
func (p *projector) distinct() map[string][]string {
	out := map[string][]string{}
	for i, seen := range p.seen {
		if seen != nil && !p.givenUp[i] {
			out[p.header[i]] = slices.Sorted(maps.Keys(seen))
		}
	}
	return out
}
