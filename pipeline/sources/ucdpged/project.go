package ucdpged

import (
	"bytes"
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
// of its bytes (docs/performance.md).
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
	p := &projector{src: src, buf: make([]byte, 0, projectBuffer), masks: make([]blockMasks, scanBlocks)}
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
	scanBlocks    = 256      // how many blocks' masks are made at a time (6 KB of them, for 16 KB)
)

// projector holds the part of the release read and not yet projected, buf[at:], which starts at a
// record's start.
type projector struct {
	src    io.Reader
	buf    []byte
	at     int
	eof    bool
	keep   []bool // by column
	next   []int  // by column, the first column from it on whose field matters to scan
	header []string
	// seen holds, by column, the distinct values of a column named in values; given up says which
	// columns' values are not returned after all.
	seen    []map[string]struct{}
	givenUp []bool
	names   []string // of the kept columns
	id      int      // the id column, to name a bad record; -1 if none
	record  int64    // the number of the record at buf[at:]
	out     []byte
	masks   []blockMasks // of the blocks being scanned
}

// fill moves what is left to the front of the buffer and reads more, growing the buffer when one record
// fills it.
func (p *projector) fill() error {
	n := copy(p.buf, p.buf[p.at:])
	p.buf, p.at = p.buf[:n], 0
	if n == cap(p.buf) {
		if n >= maxRecord {
			return badRecord(p.record, nil, fmt.Errorf("longer than %d MB", maxRecord>>20))
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
	// The fields that matter: the first (an empty line ends it), the kept ones, the id, the last.
	p.next = make([]int, len(header))
	for i := len(header) - 1; i >= 0; i-- {
		if i == 0 || p.keep[i] || i == p.id || i == len(header)-1 {
			p.next[i] = i
		} else {
			p.next[i] = p.next[i+1]
		}
	}
	p.at, p.record = min(nl+1, len(p.buf)), 1
	return nil
}

// scan projects the whole records in buf[at:] into out and reports whether the release is done. It
// takes the release 64 bytes at a time, for which masksOf marks the commas, quotes and newlines (a bit a
// byte, eight bytes at a time), and keeps the commas and newlines outside quotes (those where a prefix
// XOR of the quotes is even): a record's dozens of fields then cost a few instructions each, not a
// search each (BenchmarkProjectCSV).
func (p *projector) scan() (done bool, err error) {
	b, out, record := p.buf, p.out, p.record
	n := len(p.keep)
	start := p.at                  // of the record
	field, fieldStart := 0, start  // the field being read, and where it starts
	spans, mark := 0, len(out)     // runs of kept fields of the record written, and the output before it
	spanStart := -1                // where the run of kept fields being read starts, or -1
	idStart, idEnd := start, start // the record's id, to name it
	var inQuote uint64             // all ones while a quoted part goes on past a block
blocks:
	for i := start; i < len(b); {
		blocks := min((len(b)-i)/64, len(p.masks))
		switch {
		case blocks > 0:
			masksOf(b[i:], p.masks[:blocks])
		case !p.eof: // wait for the rest of the block
			break blocks
		default: // the release's last bytes, and zeros
			var last [64]byte
			copy(last[:], b[i:])
			masksOf(last[:], p.masks[:1])
			blocks = 1
		}
		for _, m := range p.masks[:blocks] {
			var quoted uint64
			if m.quote|inQuote != 0 {
				quoted = prefixXOR(m.quote) ^ inQuote
				inQuote = uint64(int64(quoted) >> 63)
			}
			for seps := (m.comma | m.newline) &^ quoted; seps != 0; seps &= seps - 1 {
				if field < n && p.next[field] > field {
					// The fields up to the next one that matters end at commas, passed by count.
					skip := p.next[field] - field
					passed := seps
					if bits.OnesCount64(seps) <= skip {
						seps = 0
					} else {
						for range skip {
							seps &= seps - 1
						}
						passed ^= seps
					}
					if nl := passed & m.newline; nl != 0 { // the record ends before its last field
						fields := field + bits.OnesCount64(passed&(nl&-nl-1)) + 1
						return false, badRecord(record, b[idStart:idEnd], fmt.Errorf("%d fields, want %d", fields, n))
					}
					field += bits.OnesCount64(passed)
					fieldStart = i + 64 - bits.LeadingZeros64(passed)
					if seps == 0 {
						break
					}
				}
				at := i + bits.TrailingZeros64(seps)
				end, last := at, b[at] == '\n'
				if last && end > fieldStart && b[end-1] == '\r' {
					end--
				}
				if last && field == 0 && end == fieldStart { // an empty line
					start, fieldStart = at+1, at+1
					continue
				}
				if field == p.id {
					idStart, idEnd = fieldStart, end
				}
				if field < n && p.keep[field] {
					if p.seen[field] != nil && end > fieldStart {
						p.note(field, b[fieldStart:end])
					}
					if spanStart < 0 {
						spanStart = fieldStart
					}
					// A run of kept fields is copied at once, with the commas between them.
					if last || field+1 == n || !p.keep[field+1] {
						if spans > 0 {
							out = append(out, ',')
						}
						out = append(out, b[spanStart:end]...)
						spans, spanStart = spans+1, -1
					}
				}
				fieldStart = at + 1
				if !last {
					field++
					continue
				}
				if field != n-1 {
					return false, badRecord(record, b[idStart:idEnd], fmt.Errorf("%d fields, want %d", field+1, n))
				}
				out = append(out, '\n')
				record++
				start, field, spans, mark = at+1, 0, 0, len(out)
				idStart, idEnd = start, start
			}
			i += 64
		}
	}
	// A record that goes on past what is read is projected again after fill.
	p.out, p.record, p.at = out[:mark], record, start
	switch {
	case !p.eof:
		return false, nil
	case inQuote != 0:
		return false, badRecord(record, b[idStart:idEnd], errUnterminated)
	case start < len(b): // the last record, without a line end: scanned again with one
		p.buf = append(p.buf, '\n')
		return false, nil
	}
	return true, nil
}

// prefixXOR sets bit k of its result to the parity of x's bits 0 to k: with x the quotes of a block,
// the bytes from an opening quote up to its closing one.
func prefixXOR(x uint64) uint64 {
	x ^= x << 1
	x ^= x << 2
	x ^= x << 4
	x ^= x << 8
	x ^= x << 16
	x ^= x << 32
	return x
}

var errUnterminated = errors.New("a quoted field that never ends")

// badRecord is err naming a record by its number and id.
func badRecord(record int64, id []byte, err error) error {
	name := fmt.Sprintf("record %d", record)
	if len(id) > 0 && len(id) < 100 {
		name += " (id " + string(id) + ")"
	}
	return fmt.Errorf("%s: %w", name, err)
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
