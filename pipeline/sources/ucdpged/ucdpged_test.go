package ucdpged_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"toll/pipeline/duck"
	"toll/pipeline/load"
	"toll/pipeline/normalize"
	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/ucdpged"
)

// testdata/ged191.zip is fixtures/ucdp/ged191.csv (OCHA's test slice of the GED 19.1 release: the
// 3,194 events of Myanmar and Bangladesh) zipped as UCDP publishes releases; the CSV bytes are unchanged.
const release = "testdata/ged191.zip"

func find(t *testing.T, rows []obs.Observation, seriesID, record string) obs.Observation {
	t.Helper()
	for _, o := range rows {
		if o.SeriesID == seriesID && o.RecordID == record {
			return o
		}
	}
	t.Fatalf("no row for %s record %s", seriesID, record)
	return obs.Observation{}
}

func TestRelease(t *testing.T) {
	rows := sourcetest.RunQuery(t, ucdpged.Release(), release)
	if len(rows) != 2*3194 {
		t.Errorf("%d rows, want two per event (6388)", len(rows))
	}
	// Event 209980, the first of the file: deaths_civilians 0, low 1, best 1, high 30, 2015-05-11..12.
	o := find(t, rows, "ucdp_ged/MMR/killed/all/period/state_based", "209980")
	if o.Value != 1 || *o.ValueLow != 1 || *o.ValueHigh != 30 || o.PeriodStart.Format(obs.DateLayout) != "2015-05-11" ||
		o.PeriodEnd.Format(obs.DateLayout) != "2015-05-12" || o.Basis != obs.BasisEstimated {
		t.Errorf("event 209980: %+v", o)
	}
	if c := find(t, rows, "ucdp_ged/MMR/killed/civilians/period/state_based", "209980"); c.Value != 0 || c.ValueLow != nil {
		t.Errorf("event 209980 civilians: %+v", c)
	}
	var bgd int64
	for _, o := range rows {
		if o.Series.Place.CountryISO3 == "BGD" && o.Series.Subgroup == "all" {
			bgd += o.Value
		}
	}
	// The same events as HDX's Bangladesh file, which ucdp_ged_bangladesh reads.
	if want := sumColumn(t, "../ucdpbgd/testdata/hdx_conflict_data_BGD.csv", "best", 1); bgd != want {
		t.Errorf("Bangladesh best total %d, want %d as in HDX's file", bgd, want)
	}
}

// sumColumn adds up a CSV column, skipping skip rows after the header.
func sumColumn(t *testing.T, path, column string, skip int) int64 {
	t.Helper()
	recs := readCSV(t, path)
	col := slices.Index(recs[0], column)
	var sum int64
	for _, r := range recs[1+skip:] {
		n, err := strconv.ParseInt(r[col], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		sum += n
	}
	return sum
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func writeCSV(t *testing.T, recs [][]string) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(recs)
	path := filepath.Join(t.TempDir(), "release.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Releases differ in their columns' order and number: columns are found by name.
func TestColumnsByName(t *testing.T) {
	want, err := sourcetest.QueryRows(t, ucdpged.Release(), release)
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, unzipped(t))
	for _, r := range recs { // reversed, with a column later releases add
		slices.Reverse(r)
	}
	recs[0] = append(recs[0], "relid")
	for i := range recs[1:] {
		recs[i+1] = append(recs[i+1], fmt.Sprint("MMR-", i))
	}
	got, err := sourcetest.QueryRows(t, ucdpged.Release(), writeCSV(t, recs))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || !slicesEqual(got, want) {
		t.Errorf("reordered release gives %d rows, differing from the release's %d", len(got), len(want))
	}
}

// The columns are read from the header, not sniffed: a byte-order mark before it changes nothing, and a
// column the mapping reads that the header lacks fails the payload, naming the source and the column.
func TestHeader(t *testing.T) {
	want, err := sourcetest.QueryRows(t, ucdpged.Release(), release)
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(unzipped(t))
	if err != nil {
		t.Fatal(err)
	}
	bom := filepath.Join(t.TempDir(), "bom.csv")
	if err := os.WriteFile(bom, append([]byte("\uFEFF"), body...), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := sourcetest.QueryRows(t, ucdpged.Release(), bom); err != nil || !slicesEqual(got, want) {
		t.Errorf("with a byte-order mark: %d rows, err %v; want the release's %d", len(got), err, len(want))
	}
	recs := readCSV(t, unzipped(t))
	civilians := slices.Index(recs[0], "deaths_civilians")
	for i := range recs {
		recs[i] = slices.Delete(recs[i], civilians, civilians+1)
	}
	_, err = ucdpged.Release().Query(writeCSV(t, recs), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "ucdp_ged") || !strings.Contains(err.Error(), "deaths_civilians") {
		t.Errorf("err = %v, want one naming ucdp_ged and deaths_civilians", err)
	}
}

func slicesEqual(a, b []obs.Observation) bool {
	show := func(o obs.Observation) string {
		return fmt.Sprint(o.SeriesID, o.RecordID, o.PeriodStart, o.PeriodEnd, o.Value, rangeEnd(o.ValueLow), rangeEnd(o.ValueHigh), o.Series.Place)
	}
	return slices.EqualFunc(a, b, func(x, y obs.Observation) bool { return show(x) == show(y) })
}

func rangeEnd(p *int64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatInt(*p, 10)
}

// A value that is not a number fails the payload, naming the source, the field and where it is.
func TestBadValue(t *testing.T) {
	recs := readCSV(t, unzipped(t))
	best := slices.Index(recs[0], "best")
	recs[7][best] = "about forty"
	_, err := sourcetest.QueryRows(t, ucdpged.Release(), writeCSV(t, recs))
	if err == nil || !strings.Contains(err.Error(), "ucdp_ged") || !strings.Contains(err.Error(), "best") ||
		!strings.Contains(err.Error(), "about forty") {
		t.Errorf("err = %v, want one naming ucdp_ged, the field best and the value", err)
	}
	recs = readCSV(t, unzipped(t))
	tov := slices.Index(recs[0], "type_of_violence")
	recs[7][tov] = "4"
	_, err = sourcetest.QueryRows(t, ucdpged.Release(), writeCSV(t, recs))
	if err == nil || !strings.Contains(err.Error(), "event "+recs[7][0]) || !strings.Contains(err.Error(), "type_of_violence") {
		t.Errorf("err = %v, want one naming event %s and type_of_violence", err, recs[7][0])
	}
	// A fraction of a death is not rounded: counts are whole.
	for _, field := range []string{"best", "high"} {
		recs = readCSV(t, unzipped(t))
		recs[7][slices.Index(recs[0], field)] = "1.5"
		_, err = sourcetest.QueryRows(t, ucdpged.Release(), writeCSV(t, recs))
		if err == nil || !strings.Contains(err.Error(), "event "+recs[7][0]) || !strings.Contains(err.Error(), "field "+field+" is 1.5, not a whole number") {
			t.Errorf("%s of 1.5: err = %v, want one naming event %s, the field and the value", field, err, recs[7][0])
		}
	}
}

// unzipped returns the release's CSV in a temporary folder.
func unzipped(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ged191.csv")
	if err := os.WriteFile(path, sourcetest.ZipMember(t, release), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Through the warehouse: events of a country the code table lacks are dropped with a warning naming
// one; a second release that revises one event supersedes only that event's rows.
func TestLoadAndRevise(t *testing.T) {
	ctx := context.Background()
	w, err := load.Open(ctx, t.TempDir(), load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	src := ucdpged.Release()
	loadCSV := func(recs [][]string, at time.Time) (load.Stats, []obs.Warning) {
		t.Helper()
		path := writeCSV(t, recs)
		q, err := src.Query(path, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		v := load.Vintage{Source: "ucdp_ged", SHA256: at.Format(time.RFC3339), Path: path, FetchedAt: at, RunID: "test"}
		stats, warnings, err := w.LoadQuery(ctx, v, src.Spec(), q, func(rows []obs.Observation) error {
			return normalize.CheckTerms("ucdp_ged", rows)
		})
		if err != nil {
			t.Fatal(err)
		}
		return stats, warnings
	}
	recs := readCSV(t, unzipped(t))
	country, best := slices.Index(recs[0], "country_id"), slices.Index(recs[0], "best")
	// An event twice is refused, as a first release and as a later one, naming the event.
	for _, at := range []time.Time{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)} {
		path := writeCSV(t, append(slices.Clone(recs), recs[9]))
		q, err := src.Query(path, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		v := load.Vintage{Source: "ucdp_ged", SHA256: "dup" + at.String(), Path: path, FetchedAt: at, RunID: "dup"}
		_, _, err = w.LoadQuery(ctx, v, src.Spec(), q, func([]obs.Observation) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "record "+recs[9][0]) || !strings.Contains(err.Error(), "two rows") {
			t.Errorf("duplicated event at %s: err = %v, want one naming record %s", at, err, recs[9][0])
		}
		if at.Month() == 1 { // the second try meets a loaded source
			loadCSV(recs, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
		}
	}
	w.Close()
	dataDir := t.TempDir()
	if w, err = load.Open(ctx, dataDir, load.Options{}); err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	recs[1][country] = "999"
	stats, warnings := loadCSV(recs, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if stats.Rows != 2*3193 || len(warnings) != 1 || !strings.Contains(warnings[0].String(), "event "+recs[1][0]+": field country_id: 1 events of country_id 999") {
		t.Fatalf("first release: %+v, warnings %v; want 6386 rows and a warning naming event %s", stats, warnings, recs[1][0])
	}
	recs[1][country] = "775"
	recs[5][best] = "99"
	gone := recs[9][0]
	recs = slices.Delete(recs, 9, 10)
	stats, _ = loadCSV(recs, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	if stats.Added != 2 || stats.Changed != 1 || stats.Removed != 2 || stats.Revisions != 3 {
		t.Errorf("second release: %+v; want the placed event's 2 rows added, 1 revised, and the dropped event's 2 removed", stats)
	}
	// The current rows are stored files (load.StoreDir); the versions they replaced are in the table.
	var current, superseded int
	if err := w.DB().QueryRow(`SELECT (SELECT count(*) FROM current_observations WHERE record_id = $1),
  (SELECT count(*) FROM observations WHERE superseded_at IS NOT NULL AND record_id = $1)`, gone).Scan(&current, &superseded); err != nil ||
		current != 0 || superseded != 2 {
		t.Errorf("dropped event %s: %d current, %d superseded rows (%v); want 0 and 2", gone, current, superseded, err)
	}
	revised := fmt.Sprintf(`SELECT value FROM %%s WHERE record_id = '%s' AND subgroup = 'all'`, recs[5][0])
	var now, then int64
	if err := w.DB().QueryRow(fmt.Sprintf(revised, "current_observations")).Scan(&now); err != nil || now != 99 {
		t.Errorf("revised event %s: current value %d (%v), want 99", recs[5][0], now, err)
	}
	if err := w.DB().QueryRow(fmt.Sprintf(revised, "observations_as_of(TIMESTAMPTZ '2026-01-01 00:00:00+00')")).Scan(&then); err != nil || then == 99 {
		t.Errorf("revised event %s: value as of 2026-01-01 %d (%v), want the first release's", recs[5][0], then, err)
	}
	var total int
	if err := w.DB().QueryRow(`SELECT count(*) FROM current_observations`).Scan(&total); err != nil || total != 2*3193 {
		t.Errorf("%d current rows (%v), want %d", total, err, 2*3193)
	}
	// The generation the second release replaced is gone; one is left.
	if gens, _ := filepath.Glob(filepath.Join(load.StoreDir(dataDir), "ucdp_ged", "*")); len(gens) != 1 {
		t.Errorf("store generations %v, want one", gens)
	}
	stats, _ = loadCSV(recs, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC))
	if stats.Rows != 2*3193 || stats.Added+stats.Changed+stats.Removed+stats.Revisions != 0 {
		t.Errorf("the same release again: %+v; want nothing changed", stats)
	}
}

// The API's candidate events: pages of {"Result": [...], "NextPageUrl": ...} behind a token. No API
// response was captured, so the pages here are the real GED 19.1 events of the fixture, re-encoded as
// JSON in the envelope SOURCES.md documents, numbers as numbers and dates as datetimes.
func TestCandidateAPI(t *testing.T) {
	recs := readCSV(t, unzipped(t))
	var events []map[string]any
	for _, r := range recs[1:] {
		ev := map[string]any{}
		for i, col := range recs[0] {
			switch n, err := strconv.ParseInt(r[i], 10, 64); {
			case col == "date_start" || col == "date_end":
				ev[col] = r[i] + "T00:00:00" // as the API writes dates (a GED API record in public code)
			case err == nil:
				ev[col] = n
			default:
				ev[col] = r[i]
			}
		}
		events = append(events, ev)
	}
	const pageSize = 1000
	var tokens []string
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokens = append(tokens, r.Header.Get("x-ucdp-access-token"))
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		lo, hi := min(page*pageSize, len(events)), min((page+1)*pageSize, len(events))
		next := ""
		if hi < len(events) {
			next = fmt.Sprintf("http://%s/api/gedevents/26.0.10?pagesize=%d&page=%d", r.Host, pageSize, page+1)
		}
		json.NewEncoder(w).Encode(map[string]any{"TotalCount": len(events), "TotalPages": (len(events) + pageSize - 1) / pageSize,
			"PreviousPageUrl": "", "NextPageUrl": next, "Result": events[lo:hi]})
	})
	src := ucdpged.Candidate()
	body := sourcetest.Fetch(t, src, handler, "/api/gedevents/26.0.10?pagesize=1000")
	if len(tokens) != 4 || slices.ContainsFunc(tokens, func(s string) bool { return s != "test-key" }) {
		t.Errorf("token headers %q, want test-key on each of 4 pages", tokens)
	}
	path := filepath.Join(t.TempDir(), "pages.json")
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	rows := sourcetest.RunQuery(t, src, path)
	fromRelease, err := sourcetest.QueryRows(t, ucdpged.Release(), release)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(fromRelease) {
		t.Fatalf("%d rows from the API, %d from the release", len(rows), len(fromRelease))
	}
	for i := range rows {
		a, b := rows[i], fromRelease[i]
		if a.RecordID != b.RecordID || a.Value != b.Value || a.PeriodStart != b.PeriodStart ||
			strings.TrimPrefix(a.SeriesID, "ucdp_ged_candidate") != strings.TrimPrefix(b.SeriesID, "ucdp_ged") {
			t.Fatalf("row %d: API %+v, release %+v", i, a, b)
		}
	}
}

// A release is read as UCDP publishes it, zipped, or as a plain CSV: the same rows. A record short of
// fields fails the payload, naming it.
func TestZippedOrPlain(t *testing.T) {
	plain := unzipped(t)
	fromPlain, err := sourcetest.QueryRows(t, ucdpged.Release(), plain)
	if err != nil {
		t.Fatal(err)
	}
	fromZip, err := sourcetest.QueryRows(t, ucdpged.Release(), release)
	if err != nil {
		t.Fatal(err)
	}
	if len(fromZip) != 2*3194 || !reflect.DeepEqual(fromZip, fromPlain) {
		t.Errorf("zipped: %d rows, plain %d; want the same 6388", len(fromZip), len(fromPlain))
	}
	recs := readCSV(t, plain)
	recs[5] = recs[5][:10]
	if _, err := sourcetest.QueryRows(t, ucdpged.Release(), writeCSV(t, recs)); err == nil ||
		!strings.Contains(err.Error(), "ucdp_ged") || !strings.Contains(err.Error(), "Line: 6") {
		t.Errorf("a record of 10 fields: %v, want an error naming ucdp_ged and the record's line", err)
	}
}

// A zip whose CSV expands far beyond any release's ratio is refused, naming the source.
func TestZipBombRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("ged.csv")
	lines := bytes.Repeat([]byte("0,0\n"), 1<<18)
	w.Write([]byte("a,b\n"))
	for range 200 { // 200 MiB of short lines compress to a few hundred KiB
		w.Write(lines)
	}
	zw.Close()
	f.Close()
	_, err = ucdpged.Release().Query(path, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "ucdp_ged") || !strings.Contains(err.Error(), "expands beyond") {
		t.Errorf("err = %v, want a refusal naming ucdp_ged", err)
	}
}

// GED codes Gaza Strip events under Israel's code: countries.csv places them in Palestine by their
// adm_1, and leaves Israel's other events out with a warning.
func TestGazaEventsArePlacedInPalestine(t *testing.T) {
	recs := readCSV(t, unzipped(t))
	country, adm1 := slices.Index(recs[0], "country_id"), slices.Index(recs[0], "adm_1")
	recs[1][country], recs[1][adm1] = "666", "Gaza Strip"
	recs[2][country], recs[2][adm1] = "666", "Tel Aviv"
	path := writeCSV(t, recs)
	rows, err := sourcetest.QueryRows(t, ucdpged.Release(), path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2*3193 {
		t.Errorf("%d rows, want 6386: the Tel Aviv event left out", len(rows))
	}
	if o := find(t, rows, "ucdp_ged/PSE/killed/all/period/state_based", recs[1][0]); o.Series.Place.CountryISO3 != "PSE" {
		t.Errorf("Gaza Strip event: %+v", o)
	}
	q, err := ucdpged.Release().Query(path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db, err := duck.Open("", duck.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var record, field, msg string
	if err := db.QueryRow(q.Warnings).Scan(&record, &field, &msg); err != nil || record != "event "+recs[2][0] ||
		!strings.Contains(msg, "1 events of country_id 666") {
		t.Errorf("warning: %q %q %q (%v); want event %s, one event of 666", record, field, msg, err, recs[2][0])
	}
}

// writeZip writes body as the one member of a zip at path, as UCDP publishes releases.
func writeZip(t *testing.T, path string, body []byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	w, err := zw.Create("ged.csv")
	if err == nil {
		_, err = w.Write(body)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
}

// A release of no events loads as nothing, with no file in the store.
func TestEmptyRelease(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := load.Open(ctx, dir, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	recs := readCSV(t, unzipped(t))[:1] // the header alone
	path := writeCSV(t, recs)
	q, err := ucdpged.Release().Query(path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	v := load.Vintage{Source: "ucdp_ged", SHA256: "empty", Path: path, FetchedAt: time.Now(), RunID: "test"}
	stats, _, err := w.LoadQuery(ctx, v, ucdpged.Release().Spec(), q, func([]obs.Observation) error { return nil })
	if err != nil || stats.Rows != 0 {
		t.Errorf("stats %+v, err %v; want no rows and no error", stats, err)
	}
	if files, _ := filepath.Glob(filepath.Join(load.StoreDir(dir), "ucdp_ged", "*")); len(files) != 0 {
		t.Errorf("store holds %v, want nothing", files)
	}
}
