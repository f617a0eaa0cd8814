package ucdpged

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"toll/pipeline/sources/ucdpged/gedgen"
)

// byteMask marks the bytes of a word that are c, and no other.
func TestByteMask(t *testing.T) {
	x := binary.LittleEndian.Uint64([]byte{',', 'a', ',', 0, 0x2d, 0xac, ',', 0xff})
	if got := byteMask(x, ','); got != 0x80<<48|0x80<<16|0x80 {
		t.Errorf("byteMask = %x", got)
	}
}

// masksOf marks exactly the quotes, commas and newlines of each block, whatever the other bytes are.
func TestMasks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	src := make([]byte, 64*300)
	for i := range src {
		src[i] = []byte{'"', ',', '\n', 'a', 0, 0xff, 0xa2, 0x2c | 0x80, '\r'}[rng.IntN(9)]
	}
	want := make([]blockMasks, len(src)/64)
	for i, c := range src {
		bit := uint64(1) << (i % 64)
		switch c {
		case '"':
			want[i/64].quote |= bit
		case ',':
			want[i/64].comma |= bit
		case '\n':
			want[i/64].newline |= bit
		}
	}
	for name, masks := range map[string]func([]byte, []blockMasks){"masksOf": masksOf} {
		got := make([]blockMasks, len(want))
		masks(src, got)
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: block %d: %+v, want %+v", name, i, got[i], want[i])
				break
			}
		}
	}
}

// A projection holds the kept columns of every record as encoding/csv reads them from the release,
// whatever the records hold (commas, quotes, newlines and CRLFs inside quotes, empty fields, CRLF line
// ends) and wherever the buffer's edges fall (a release of several buffers, a field longer than one,
// reads of any size).
func TestProjectCSV(t *testing.T) {
	// Runs of dropped fields (passed by count) and of kept ones (copied at once), a dropped last field.
	header := []string{"id", "text", "best", "notes", "a", "b", "c", "low", "high", "country", "z"}
	keepers := []int{0, 2, 7, 8, 9}
	keep := func(c string) bool { return slices.Contains(keepers, slices.Index(header, c)) }
	pieces := []string{"a", "b c", ",", "\"", "\n", "\r\n", "", "Rakhine State", "12", "é", "\"\""}
	rng := rand.New(rand.NewPCG(1, 2))
	field := func() string {
		var s strings.Builder
		for range rng.IntN(6) {
			s.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return s.String()
	}
	for _, tt := range []struct {
		name    string
		records int
		crlf    bool
		long    int // a field of this many bytes in the middle record
	}{
		{"one record", 1, false, 0},
		{"CRLF", 500, true, 0},
		{"several buffers", 300_000, false, 0},
		{"a field longer than the buffer", 3, false, projectBuffer + 12345},
	} {
		t.Run(tt.name, func(t *testing.T) {
			records := [][]string{header}
			for i := range tt.records {
				record := []string{fmt.Sprint(i)}
				for range len(header) - 1 {
					record = append(record, field())
				}
				records = append(records, record)
			}
			if tt.long > 0 {
				records[1+tt.records/2][1] = strings.Repeat("x,\"\n", tt.long/4)
			}
			var release bytes.Buffer
			w := csv.NewWriter(&release)
			w.UseCRLF = tt.crlf
			w.WriteAll(records)
			want, err := csv.NewReader(bytes.NewReader(release.Bytes())).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var projected bytes.Buffer
			if _, err := projectCSV(&projected, iotest.HalfReader(bytes.NewReader(release.Bytes())), keep); err != nil {
				t.Fatal(err)
			}
			checkProjected(t, projected.Bytes(), want, keepers)
		})
	}
}

// checkProjected fails t unless projected holds, record by record, the fields keepers of want.
func checkProjected(t *testing.T, projected []byte, want [][]string, keepers []int) {
	t.Helper()
	got, err := csv.NewReader(bytes.NewReader(projected)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i, r := range want {
		var want []string
		for _, k := range keepers {
			want = append(want, r[k])
		}
		if !slices.Equal(got[i], want) {
			t.Fatalf("record %d: %q, want %q", i, got[i], want)
		}
	}
}

// Whatever CSV encoding/csv reads with the header's count of fields in every record, the projection
// holds the kept fields of, as encoding/csv reads them: a run of two dropped fields, one of two kept
// fields, a dropped last field.
func FuzzProjectCSV(f *testing.F) {
	for _, seed := range []string{"1,a,b,c,d,e\n", "1,\"a,\n\",b,\"\"\"c\",d,e\r\n\n2,,,,,", "3,a,b,c,d,e\n4,\"x\ny\",,,\"\",\n"} {
		f.Add(seed)
	}
	header := "id,a,b,c,d,e\n"
	keepers := []int{0, 3, 4}
	keep := func(c string) bool { return c == "id" || c == "c" || c == "d" }
	f.Fuzz(func(t *testing.T, records string) {
		release := header + records
		want, err := csv.NewReader(strings.NewReader(release)).ReadAll()
		if err != nil {
			return // not CSV as both read it
		}
		var projected bytes.Buffer
		if _, err := projectCSV(&projected, strings.NewReader(release), keep); err != nil {
			t.Fatalf("%q: %v", release, err)
		}
		checkProjected(t, projected.Bytes(), want, keepers)
	})
}

// What read_csv skips or reads anyway is projected so: a byte-order mark, empty lines, a last record
// without a line end.
func TestProjectCSVEdges(t *testing.T) {
	release := "\ufeffid,x,best\n\n1,a,2\r\n\n2,\"b\",3"
	var out bytes.Buffer
	if _, err := projectCSV(&out, strings.NewReader(release), func(c string) bool { return c != "x" }); err != nil {
		t.Fatal(err)
	}
	if want := "id,best\n1,2\n2,3\n"; out.String() != want {
		t.Errorf("projected %q, want %q", out.String(), want)
	}
}

// A record read_csv would cut otherwise, or not at all, is an error naming the record and its id.
func TestProjectCSVErrors(t *testing.T) {
	for _, tt := range []struct{ release, want string }{
		{"id,a,b\n1,2,3\n7,4\n", "record 2 (id 7): 2 fields, want 3"},
		{"id,a,b\n1,2,3\n8,4,5,6\n", "record 2 (id 8): 4 fields, want 3"},
		{"id,a,b\n9,x\"y,z\"w\n", "record 1 (id 9): 2 fields, want 3"}, // the quotes hide a comma
		{"id,a,b\n10,\"open,3\n", "record 1 (id 10): a quoted field that never ends"},
		// Among fields passed by count (c, d and e are dropped below).
		{"id,c,d,e,f\n1,2,3,4,5\n11,2\n", "record 2 (id 11): 2 fields, want 5"},
		{"id,c,d,e,f\n12,2,3,4\n", "record 1 (id 12): 4 fields, want 5"},
		{"id,c,d,e,f\n13,2,3,4,5,6\n", "record 1 (id 13): 6 fields, want 5"},
	} {
		_, err := projectCSV(&bytes.Buffer{}, strings.NewReader(tt.release), func(c string) bool { return !strings.ContainsAny(c, "cde") })
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: %v, want %q", tt.release, err, tt.want)
		}
	}
}

// A bad record after several buffers is named by its number in the release.
func TestProjectCSVErrorCounted(t *testing.T) {
	var release strings.Builder
	release.WriteString("id,a,b\n")
	for i := range 2 * projectBuffer / 20 {
		fmt.Fprintf(&release, "%d,\"x,\ny\",z\n", i) // 15-20 bytes, a newline inside quotes
	}
	records := 2 * projectBuffer / 20
	release.WriteString("bad,1\n")
	_, err := projectCSV(&bytes.Buffer{}, strings.NewReader(release.String()), func(string) bool { return true })
	if want := fmt.Sprintf("record %d (id bad): 2 fields, want 3", records+1); err == nil || err.Error() != want {
		t.Errorf("%v, want %q", err, want)
	}
}

// BenchmarkProjectCSV projects a SYNTHETIC release of 20,000 events (gedgen: real 19.1 events resampled)
// to the columns the queries read; b.SetBytes makes it report the release's bytes per second.
func BenchmarkProjectCSV(b *testing.B) {
	header, templates, err := gedgen.Templates("testdata/ged191.zip")
	if err != nil {
		b.Fatal(err)
	}
	var release bytes.Buffer
	if err := gedgen.Write(&release, header, templates, gedgen.Options{Events: 20_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	keep := func(c string) bool { _, read := csvTypes[c]; return read }
	b.SetBytes(int64(release.Len()))
	for b.Loop() {
		if _, err := projectCSV(io.Discard, bytes.NewReader(release.Bytes()), keep); err != nil {
			b.Fatal(err)
		}
	}
}

// The distinct values of the columns asked for come back sorted, without the empty field (NULL to
// read_csv); a column with a quoted field, which read_csv would unquote, or with more than maxValues
// values is left out.
func TestProjectCSVValues(t *testing.T) {
	var release strings.Builder
	release.WriteString("id,adm_1,adm_2,many\n")
	for i := range maxValues + 1 {
		adm1 := []string{"Rakhine State", "", "Chin State"}[i%3]
		adm2 := "Maungdaw"
		if i == 7 {
			adm2 = `"Sittwe, District"`
		}
		fmt.Fprintf(&release, "%d,%s,%s,%d\n", i, adm1, adm2, i)
	}
	all := func(string) bool { return true }
	values, err := projectCSV(io.Discard, strings.NewReader(release.String()), all, "adm_1", "adm_2", "many")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{"adm_1": {"Chin State", "Rakhine State"}}; !reflect.DeepEqual(values, want) {
		t.Errorf("values %v, want %v", values, want)
	}
}
