// Package gedgen writes SYNTHETIC releases shaped like UCDP GED, for benchmarks only. Nothing it writes
// is data: every event is marked synthetic in its source_headline and relid, and the files are named
// synthetic-*.
//
// Each synthetic event copies a real event of the GED 19.1 slice in ../testdata (chosen at random), so
// the columns, the text lengths and the distributions of deaths, ranges, types of violence and
// countries are the real release's; its id is new and its dates are moved to a random day of
// 1989–2024, keeping the real event's length. The layout is the current one: 19.1's 42 columns plus
// the six later releases added.
package gedgen

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"toll/pipeline/source"
)

// added are the columns releases from 23.1 on have beyond 19.1's.
var added = []string{"relid", "code_status", "conflict_dset_id", "dyad_dset_id", "side_a_dset_id", "side_b_dset_id"}

// Templates reads the real events the generator copies from a GED release zip (or CSV).
func Templates(path string) (header []string, rows [][]string, err error) {
	var r io.ReadCloser
	if strings.HasSuffix(path, ".zip") {
		r, _, err = source.OpenZipFile(path, nil)
	} else {
		r, err = os.Open(path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("gedgen: %s: %w", path, err)
	}
	defer r.Close()
	all, err := csv.NewReader(r).ReadAll()
	if err != nil || len(all) < 2 {
		return nil, nil, fmt.Errorf("gedgen: %s: %v", path, err)
	}
	return all[0], all[1:], nil
}

// Options say what to write.
type Options struct {
	Events int    // how many events
	Seed   uint64 // the same seed writes the same bytes
	// Revised, when > 0, changes the best estimate (and high) of that many events, spread over the
	// file, so that the file stands for the next release of the one written without it.
	Revised int
}

// Write writes a synthetic release of opts.Events events as CSV, copying the template rows.
func Write(w io.Writer, header []string, templates [][]string, opts Options) error {
	col := func(name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			panic("gedgen: template lacks column " + name)
		}
		return i
	}
	id, year, start, end, best, high := col("id"), col("year"), col("date_start"), col("date_end"), col("best"), col("high")
	headline := col("source_headline")
	rng := rand.New(rand.NewPCG(opts.Seed, 0x70_11))
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := csv.NewWriter(bw)
	if err := cw.Write(append(slices.Clone(header), added...)); err != nil {
		return err
	}
	first := time.Date(1989, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC).Sub(first).Hours() / 24)
	every := 0
	if opts.Revised > 0 {
		every = max(1, opts.Events/opts.Revised)
	}
	row := make([]string, len(header)+len(added))
	for i := range opts.Events {
		t := templates[rng.IntN(len(templates))]
		copy(row, t)
		s, err1 := time.Parse(time.DateOnly, t[start][:10])
		e, err2 := time.Parse(time.DateOnly, t[end][:10])
		if err1 != nil || err2 != nil {
			return fmt.Errorf("gedgen: template event %s: bad dates", t[id])
		}
		newStart := first.AddDate(0, 0, rng.IntN(days))
		newEnd := newStart.Add(e.Sub(s))
		row[id] = strconv.Itoa(i + 1)
		row[year] = strconv.Itoa(newStart.Year())
		row[start] = newStart.Format(time.DateOnly)
		row[end] = newEnd.Format(time.DateOnly)
		row[headline] = "SYNTHETIC (toll benchmark): " + t[headline]
		if every > 0 && i%every == 0 && i/every < opts.Revised {
			b, _ := strconv.Atoi(t[best])
			h, _ := strconv.Atoi(t[high])
			row[best], row[high] = strconv.Itoa(b+1), strconv.Itoa(max(h, b+1))
		} else {
			row[best], row[high] = t[best], t[high]
		}
		n := len(header)
		row[n], row[n+1], row[n+2], row[n+3], row[n+4], row[n+5] = "SYN-"+strconv.Itoa(i+1), "synthetic", t[col("conflict_new_id")],
			t[col("dyad_new_id")], t[col("side_a_new_id")], t[col("side_b_new_id")]
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
