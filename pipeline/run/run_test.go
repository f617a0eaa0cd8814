package run_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	_ "github.com/duckdb/duckdb-go/v2"

	"toll/pipeline/config"
	"toll/pipeline/load"
	"toll/pipeline/run"
	"toll/pipeline/snapshot"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/all"
)

const bundle = "../../data/bundle"

// The current real payload of each source, as the bundle holds it.
var payloadFiles = map[string]string{
	"tfp_gaza_daily":          "techforpalestine/casualties_daily.json",
	"tfp_west_bank_daily":     "techforpalestine/west_bank_daily.json",
	"tfp_lebanon_daily":       "techforpalestine/lebanon_casualties_daily.json",
	"tfp_gaza_infrastructure": "techforpalestine/infrastructure-damaged.json",
}

// upstream serves the real payloads, one path per source; truncate cuts one source's payload in half,
// and rewrite, when set, changes every payload it serves.
type upstream struct {
	*httptest.Server
	truncate atomic.Value // source name
	rewrite  atomic.Value // func(source string, body []byte) []byte
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.truncate.Store("")
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		body, err := os.ReadFile(filepath.Join(bundle, payloadFiles[name]))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if u.truncate.Load() == name {
			body = body[:len(body)/2]
		}
		if f, ok := u.rewrite.Load().(func(string, []byte) []byte); ok && f != nil {
			body = f(name, body)
		}
		w.Write(body)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) options(dataDir string) run.Options {
	cfg := config.Config{Sources: map[string]config.Source{}}
	for name := range payloadFiles {
		cfg.Sources[name] = config.Source{URL: u.URL + "/" + name}
	}
	var names []string
	for name := range payloadFiles {
		names = append(names, name)
	}
	return run.Options{DataDir: dataDir, Config: cfg, TollVersion: "test", Sources: names,
		Now: func() time.Time { return time.Now() }}
}

func mustRun(t *testing.T, opts run.Options) run.Result {
	t.Helper()
	res, err := run.Run(context.Background(), all.Registry(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// readParquet reads columns of a Parquet file with arrow-go, independently of DuckDB, as strings.
// readObservations reads every file of a snapshot's observations dataset with readParquet.
func readObservations(t *testing.T, dir string, m snapshot.Manifest) []map[string]string {
	t.Helper()
	var rows []map[string]string
	for _, f := range m.Files {
		if strings.HasPrefix(f.Path, snapshot.ObservationsDir+"/") {
			rows = append(rows, readParquet(t, filepath.Join(snapshot.Path(dir, m.ID), f.Path))...)
		}
	}
	return rows
}

// openParquet opens a Parquet file with arrow-go's reader, closed when the test ends.
func openParquet(t *testing.T, path string) *pqarrow.FileReader {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r, err := file.NewParquetReader(f)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	fr, err := pqarrow.NewFileReader(r, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	return fr
}

// parquetSchema is a Parquet file's schema as arrow-go reads it.
func parquetSchema(t *testing.T, path string) *arrow.Schema {
	t.Helper()
	schema, err := openParquet(t, path).Schema()
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

func readParquet(t *testing.T, path string) []map[string]string {
	t.Helper()
	fr := openParquet(t, path)
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	rows := make([]map[string]string, tbl.NumRows())
	for i := range rows {
		rows[i] = map[string]string{}
	}
	for c := 0; c < int(tbl.NumCols()); c++ {
		name := tbl.Schema().Field(c).Name
		i := 0
		for _, chunk := range tbl.Column(c).Data().Chunks() {
			for j := 0; j < chunk.Len(); j++ {
				if chunk.IsNull(j) {
					rows[i][name] = "NULL"
				} else {
					rows[i][name] = chunk.ValueStr(j)
				}
				i++
			}
		}
	}
	return rows
}

func find(rows []map[string]string, match map[string]string) map[string]string {
	for _, r := range rows {
		ok := true
		for k, v := range match {
			ok = ok && r[k] == v
		}
		if ok {
			return r
		}
	}
	return nil
}

func latest(t *testing.T, dataDir string) snapshot.Manifest {
	t.Helper()
	id, err := snapshot.Latest(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := snapshot.ReadManifest(dataDir, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := snapshot.Verify(dataDir, m); err != nil {
		t.Fatalf("snapshot %s does not match its manifest: %v", id, err)
	}
	return m
}

func TestRunFromHTTP(t *testing.T) {
	u := newUpstream(t)
	dir := t.TempDir()
	res := mustRun(t, u.options(dir))
	if res.Status != load.StatusOK || res.Snapshot == nil {
		t.Fatalf("status %s, snapshot %v: want ok with a snapshot", res.Status, res.Snapshot)
	}
	m := latest(t, dir)
	if len(m.Sources) != len(payloadFiles) {
		t.Fatalf("manifest lists %d sources, want %d", len(m.Sources), len(payloadFiles))
	}
	for _, s := range m.Sources {
		archived := filepath.Join(dir, "raw", s.Name, s.RawSHA256+".json")
		if _, err := os.Stat(archived); err != nil || s.Status != load.StatusOK || s.Rows == 0 {
			t.Errorf("source %+v: archived payload %v", s, err)
		}
	}

	obs := readObservations(t, dir, m)
	for _, want := range []map[string]string{
		{"series_id": "tfp_gaza_daily/PS02/killed/all/cumulative", "report_date": "2024-05-09", "value": "34904"},
		{"series_id": "tfp_west_bank_daily/PS01/killed/all/cumulative/verified", "report_date": "2024-05-10", "value": "480"},
		{"series_id": "tfp_lebanon_daily/LBN/killed/all/cumulative/phase", "report_date": "2024-12-04", "value": "4047"},
	} {
		if find(obs, want) == nil {
			t.Errorf("the observations have no row %v", want)
		}
	}
	row := find(obs, map[string]string{"series_id": "tfp_gaza_daily/PS02/killed/all/cumulative", "report_date": "2024-05-09"})
	if row["basis"] != "reported" || row["publisher"] != "Gaza Ministry of Health" || row["distributor"] != "Tech for Palestine" ||
		row["raw_sha256"] == "" || row["run_id"] != res.RunID || row["country_iso3"] != "PSE" || row["admin1_name"] != "Gaza Strip" {
		t.Errorf("provenance of the 2024-05-09 Gaza total: %v", row)
	}

	// The same upstream again: nothing added, nothing revised, no new snapshot.
	again := mustRun(t, u.options(dir))
	if again.Status != load.StatusUnchanged || again.Snapshot != nil {
		t.Errorf("second run: status %s, snapshot %v; want unchanged and no snapshot", again.Status, again.Snapshot)
	}
	if latest(t, dir).ID != m.ID {
		t.Error("LATEST moved although nothing changed")
	}

	// A truncated payload for one source: that source fails, naming itself; the rest of the warehouse
	// and the previous snapshot are untouched.
	u.truncate.Store("tfp_gaza_daily")
	bad, err := run.Run(context.Background(), all.Registry(), u.options(dir))
	if err != nil {
		t.Fatal(err)
	}
	if bad.Status != load.StatusPartial {
		t.Errorf("status %s, want partial", bad.Status)
	}
	for _, s := range bad.Sources {
		if s.Source == "tfp_gaza_daily" && (s.Status != load.StatusFailed || !strings.Contains(s.Error, "tfp_gaza_daily: record")) {
			t.Errorf("gaza: status %s, error %q: want failed with the record named", s.Status, s.Error)
		}
		if s.Source != "tfp_gaza_daily" && s.Status == load.StatusFailed {
			t.Errorf("%s failed with gaza: %s", s.Source, s.Error)
		}
	}
	after := latest(t, dir)
	if after.ID != m.ID {
		t.Errorf("LATEST moved to %s after a failed source with no other change", after.ID)
	}
	if rows := readObservations(t, dir, m); len(rows) != len(obs) {
		t.Errorf("previous snapshot now has %d rows, had %d", len(rows), len(obs))
	}
}

func TestTruncatedSourceDoesNotStopTheOthers(t *testing.T) {
	u := newUpstream(t)
	u.truncate.Store("tfp_lebanon_daily")
	dir := t.TempDir()
	res, err := run.Run(context.Background(), all.Registry(), u.options(dir))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != load.StatusPartial || res.Snapshot == nil {
		t.Fatalf("status %s, snapshot %v: want partial, with a snapshot of the three good sources", res.Status, res.Snapshot)
	}
	for _, s := range latest(t, dir).Sources {
		switch {
		case s.Name == "tfp_lebanon_daily" && (s.Status != load.StatusFailed || s.Rows != 0 || s.Error == ""):
			t.Errorf("lebanon in manifest: %+v, want failed with its error and no rows", s)
		case s.Name != "tfp_lebanon_daily" && (s.Status != load.StatusOK || s.Rows == 0):
			t.Errorf("%s in manifest: %+v, want ok with rows", s.Name, s)
		}
	}
	// The rejected payload stays archived for inspection.
	entries, _ := os.ReadDir(filepath.Join(dir, "raw", "tfp_lebanon_daily"))
	if len(entries) != 1 {
		t.Errorf("archive of the rejected payload: %d files, want 1", len(entries))
	}
}

func TestOfflineRunHasRealRevisions(t *testing.T) {
	dir := t.TempDir()
	res := mustRun(t, run.Options{DataDir: dir, Offline: true, BundleDir: bundle, TollVersion: "test"})
	if res.Status != load.StatusOK {
		t.Fatalf("status %s", res.Status)
	}
	m := latest(t, dir)
	revs := readParquet(t, filepath.Join(snapshot.Path(dir, m.ID), snapshot.RevisionsFile))
	if find(revs, map[string]string{"series_id": "tfp_gaza_daily/PS02/killed/all/cumulative", "report_date": "2023-10-07",
		"old_value": "198", "new_value": "232"}) == nil {
		t.Error("revisions.parquet lacks the 2023-10-07 Gaza total's revision from 198 to 232")
	}
	// superseded.parquet keeps the version "what did the data say as fetched on 2024-03-01" answers: 198.
	hist := readParquet(t, filepath.Join(snapshot.Path(dir, m.ID), snapshot.SupersededFile))
	v := find(hist, map[string]string{"series_id": "tfp_gaza_daily/PS02/killed/all/cumulative", "report_date": "2023-10-07", "value": "198"})
	if v == nil || v["superseded_at"] == "NULL" {
		t.Errorf("history lacks the superseded 198 version: %v", v)
	}

	// Spot checks of other sources against their payloads (SOURCES.md), read with arrow-go's Parquet
	// reader rather than DuckDB.
	current := readObservations(t, dir, m)
	for _, want := range []map[string]string{
		// UCDP GED 19.1 event 209980: best 1, low 1, high 30, 2015-05-11 to 2015-05-12.
		{"series_id": "ucdp_ged/MMR/killed/all/period/state_based", "record_id": "209980", "value": "1", "value_low": "1",
			"value_high": "30", "period_start": "2015-05-11", "period_end": "2015-05-12"},
		// IDMC GIDD: Palestine's people displaced by conflict at the end of 2023.
		{"series_id": "idmc_gidd_conflict/PSE/displaced/all/stock", "report_date": "2023-12-31", "value": "1707498"},
		// IOM DTM: IDPs in Sudan at the round of July 2024.
		{"series_id": "iom_dtm_sudan/SDN/displaced/all/stock/armed_clashes_in_sudan_overview", "report_date": "2024-07-31", "value": "10710015"},
		// HDX HAPI (ACLED): Khan Younis, civilian targeting, January 2025.
		{"series_id": "hdx_hapi_conflict_events/PS0270/killed/all/period/civilian_targeting", "report_date": "2025-01-31", "value": "41"},
	} {
		if find(current, want) == nil {
			t.Errorf("the snapshot's observations lack %v", want)
		}
	}

	again := mustRun(t, run.Options{DataDir: dir, Offline: true, BundleDir: bundle, TollVersion: "test"})
	for _, s := range again.Sources {
		if s.Source == "ucdp_ged_candidate" && s.Status == load.StatusSkipped {
			continue // no API response in the bundle
		}
		if s.Status != load.StatusUnchanged || s.Stats.Added != 0 || s.Stats.Revisions != 0 {
			t.Errorf("offline again, %s: %s %+v; want unchanged", s.Source, s.Status, s.Stats)
		}
	}
}

func TestSecondRunIsLockedOut(t *testing.T) {
	dir := t.TempDir()
	unlock, err := run.Lock(context.Background(), dir, 0, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = run.Run(context.Background(), all.Registry(), run.Options{DataDir: dir, Offline: true, BundleDir: bundle})
	var locked *run.LockedError
	if !errors.As(err, &locked) || !strings.Contains(locked.Holder, "pid ") {
		t.Fatalf("err = %v, want a LockedError naming the holder", err)
	}
}

func TestSourceWithoutItsKeyIsSkipped(t *testing.T) {
	res, err := run.Run(context.Background(), all.Registry(), run.Options{DataDir: t.TempDir(), Sources: []string{"hdx_hapi_idps"},
		Config: config.Config{Sources: map[string]config.Source{"hdx_hapi_idps": {URL: "http://127.0.0.1:1/never-called"}}}})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Sources[0]
	if res.Status == load.StatusFailed || res.Status == load.StatusPartial || s.Status != load.StatusSkipped ||
		s.Error != "hdx_hapi_idps needs an API key: set TOLL_HAPI_APP_IDENTIFIER" {
		t.Errorf("run %s, source %s: %q", res.Status, s.Status, s.Error)
	}
}

// A stalled source fails at its own timeout while the others load alongside it: they finish first.
func TestSlowSourceDoesNotHoldUpTheOthers(t *testing.T) {
	u := newUpstream(t)
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("[{"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer stall.Close()
	opts := u.options(t.TempDir())
	opts.Config.Sources["tfp_gaza_daily"] = config.Source{URL: stall.URL, Timeout: 2 * time.Second}
	res, err := run.Run(context.Background(), all.Registry(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var slow load.SourceRun
	for _, s := range res.Sources {
		if s.Source == "tfp_gaza_daily" {
			slow = s
		}
	}
	if slow.Status != load.StatusFailed || !strings.Contains(slow.Error, "gave up after 2s") {
		t.Fatalf("stalled source: %s %q", slow.Status, slow.Error)
	}
	for _, s := range res.Sources {
		if s.Source != "tfp_gaza_daily" && (s.Status != load.StatusOK || !s.FinishedAt.Before(slow.FinishedAt)) {
			t.Errorf("%s: %s, finished %s; want ok and before the stalled source (%s)", s.Source, s.Status, s.FinishedAt, slow.FinishedAt)
		}
	}
	if res.Status != load.StatusPartial || res.Snapshot == nil {
		t.Errorf("run %s, snapshot %v: want partial with a snapshot of the others", res.Status, res.Snapshot)
	}
}

func TestRunPublishes(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	opts := run.Options{DataDir: dir, Offline: true, BundleDir: bundle, Sources: []string{"tfp_lebanon_daily"}}
	opts.Config.Publish.URL = "file://" + out
	res := mustRun(t, opts)
	if res.PublishErr != nil || res.Snapshot == nil || res.Published != res.Snapshot.ID {
		t.Fatalf("published %q, err %v, snapshot %v", res.Published, res.PublishErr, res.Snapshot)
	}
	if latest, err := snapshot.Latest(out); err != nil || latest != res.Snapshot.ID {
		t.Errorf("published LATEST %q, %v", latest, err)
	}
	// A destination that cannot be written: the data is loaded all the same, and the failure is said.
	opts.DataDir = t.TempDir()
	opts.Config.Publish.URL = "file:///proc/toll-cannot-write-here"
	res = mustRun(t, opts)
	if res.Status != load.StatusOK || res.PublishErr == nil {
		t.Errorf("status %s, publish error %v; want ok and an error", res.Status, res.PublishErr)
	}
}

// The snapshot's observations are one dataset: a folder per source under observations/, a stored
// source's (ucdp_ged: see load.StoreDir) taking the store's files by hard link, and every file of one
// schema, so that one read of the folder gets every row.
func TestObservationsDataset(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, run.Options{DataDir: dir, Offline: true, BundleDir: bundle, TollVersion: "test",
		Sources: []string{"ucdp_ged", "tfp_lebanon_daily"}})
	m := latest(t, dir)
	eventsDir := snapshot.SourceDir("ucdp_ged") + "/MMR/killed/civilians/"
	var listed, exported bool
	var rows int64
	for _, f := range m.Files {
		listed = listed || strings.HasPrefix(f.Path, eventsDir) && strings.HasSuffix(f.Path, "-data_0.parquet")
		exported = exported || f.Path == snapshot.SourceDir("tfp_lebanon_daily")+"/data.parquet"
		if strings.HasPrefix(f.Path, snapshot.SourceDir("ucdp_ged")+"/") {
			rows += f.Rows
		}
	}
	if !listed || !exported || rows != 6388 {
		t.Fatalf("manifest files %+v, want a file under %s and tfp_lebanon_daily's data.parquet, and ucdp_ged's files of 6388 rows in all",
			m.Files, eventsDir)
	}
	stored, err := filepath.Glob(filepath.Join(load.StoreDir(dir), "ucdp_ged", "*", "MMR", "killed", "civilians", "data_0.parquet"))
	if err != nil || len(stored) != 1 {
		t.Fatalf("store files %v (%v), want one", stored, err)
	}
	linked, err1 := os.Stat(stored[0])
	var first *arrow.Schema
	for _, f := range m.Files {
		if !strings.HasPrefix(f.Path, snapshot.ObservationsDir+"/") {
			continue
		}
		path := filepath.Join(snapshot.Path(dir, m.ID), f.Path)
		if strings.HasPrefix(f.Path, eventsDir) {
			in, err2 := os.Stat(path)
			if err := errors.Join(err1, err2); err != nil || !os.SameFile(linked, in) {
				t.Errorf("snapshot file %s is not the store's file %s by hard link (%v)", f.Path, stored[0], err)
			}
		}
		// The schema as arrow-go reads it, metadata aside (the store's files name no snapshot).
		schema := arrow.NewSchema(parquetSchema(t, path).Fields(), nil)
		if first == nil {
			first = schema
		} else if !schema.Equal(first) {
			t.Errorf("%s has the schema\n%s\nwhere the first file has\n%s", f.Path, schema, first)
		}
	}
	if err := snapshot.Verify(dir, m); err != nil {
		t.Fatal(err)
	}
	// One read of the folder, as an analyst's DuckDB does it.
	plain, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	var all int64
	glob := filepath.Join(snapshot.Path(dir, m.ID), snapshot.ObservationsDir, "**", "*.parquet")
	if err := plain.QueryRow(`SELECT count(*) FROM read_parquet(?, hive_partitioning = true)`, glob).Scan(&all); err != nil || all != m.Observations() {
		t.Errorf("read_parquet of the folder: %d rows (%v), the manifest says %d", all, err, m.Observations())
	}
	db, err := snapshot.Open(context.Background(), dir, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var events, lebanon, history int
	if err := db.QueryRow(`SELECT count(*) FILTER (WHERE source = 'ucdp_ged' AND record_id = '209980' AND country_iso3 = 'MMR'),
  count(*) FILTER (WHERE source = 'tfp_lebanon_daily'), (SELECT count(*) FROM history WHERE source = 'ucdp_ged')
  FROM observations`).Scan(&events, &lebanon, &history); err != nil {
		t.Fatal(err)
	}
	if events != 2 || lebanon == 0 || history != 6388 {
		t.Errorf("through the views: event 209980 has %d rows (want 2), Lebanon %d (want > 0), history of ucdp_ged %d (want 6388)",
			events, lebanon, history)
	}
}

// The warehouse names the store's files relative to the data directory, so a moved data directory
// still reads them, read-only too.
func TestMovedDataDirReadsItsStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "before")
	mustRun(t, run.Options{DataDir: dir, Offline: true, BundleDir: bundle, TollVersion: "test", Sources: []string{"ucdp_ged"}})
	moved := filepath.Join(filepath.Dir(dir), "after")
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	w, err := load.Open(context.Background(), moved, load.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var n int
	if err := w.DB().QueryRow(`SELECT count(*) FROM current_observations WHERE source = 'ucdp_ged'`).Scan(&n); err != nil || n != 6388 {
		t.Errorf("moved warehouse: %d current ucdp_ged rows (%v), want 6388", n, err)
	}
}

// A release is fetched, archived and then read from the archive: zipped as UCDP publishes it, unzipped
// into the load's work folder, or as a plain CSV. Both load the same rows, and no work file stays behind.
func TestEventsReadFromTheArchive(t *testing.T) {
	zipPath := filepath.Join(bundle, "ucdp", "ged191.zip")
	zipped, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	plain := sourcetest.ZipMember(t, zipPath)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(map[string][]byte{"/ged.csv": plain, "/ged.zip": zipped}[r.URL.Path])
	}))
	defer srv.Close()
	for _, path := range []string{"/ged.csv", "/ged.zip"} {
		dir := t.TempDir()
		res := mustRun(t, run.Options{DataDir: dir, TollVersion: "test", Sources: []string{"ucdp_ged"},
			Config: config.Config{Sources: map[string]config.Source{"ucdp_ged": {URL: srv.URL + path}}}})
		if s := res.Sources[0]; s.Status != load.StatusOK || s.Stats.Rows != 6388 {
			t.Errorf("%s: %s, %d rows (%s); want ok, 6388", path, s.Status, s.Stats.Rows, s.Error)
		}
		if left, _ := os.ReadDir(load.WorkDir(dir)); len(left) > 0 {
			t.Errorf("%s: left in the work folder: %v", path, left)
		}
	}
}

// The normalize stage's checks run for a source that normalizes in SQL: an event of the real release
// moved into the future is warned about, in the words a Go source's row would get, and an event given
// twice is loaded once, with a warning naming it.
func TestEventsGetNormalizeWarnings(t *testing.T) {
	recs, err := csv.NewReader(bytes.NewReader(sourcetest.ZipMember(t, filepath.Join(bundle, "ucdp", "ged191.zip")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs[1][slices.Index(recs[0], "date_end")] = "2099-01-01"
	recs = append(recs, recs[2])
	var out strings.Builder
	cw := csv.NewWriter(&out)
	cw.WriteAll(recs)
	body := out.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	defer srv.Close()
	res := mustRun(t, run.Options{DataDir: t.TempDir(), TollVersion: "test", Sources: []string{"ucdp_ged"},
		Config: config.Config{Sources: map[string]config.Source{"ucdp_ged": {URL: srv.URL + "/ged.csv"}}}})
	s := res.Sources[0]
	warned := func(want string) bool {
		return slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.Contains(w, want) })
	}
	if s.Status != load.StatusOK || s.Stats.Rows != 6388 || !warned("report_date 2099-01-01: field report_date: date is in the future") ||
		!warned("record "+recs[2][0]+" (series ucdp_ged/") || !warned("2 rows for one observation") {
		t.Errorf("%s, %d rows, warnings %q; want 6388 rows, the event dated 2099 and the repeated event %s warned about",
			s.Status, s.Stats.Rows, s.Warnings, recs[2][0])
	}
}

// A payload that parses but would make the current data implausible is held back: archived, not
// loaded, the run partial (exit 3) naming the source and the rule, the other sources loaded and the
// current data as it was. --accept loads it.
func TestImplausiblePayloadsAreHeldBack(t *testing.T) {
	dir := t.TempDir()
	u := newUpstream(t)
	opts := u.options(dir)
	mustRun(t, opts)
	before := latest(t, dir)

	// The real Gaza payload, changed: its daily records, the last one edited by edit.
	gaza := func(edit func(records []map[string]any) []map[string]any) func(string, []byte) []byte {
		return func(name string, body []byte) []byte {
			if name != "tfp_gaza_daily" {
				return append(body, '\n') // a new payload, loaded as a new vintage
			}
			var records []map[string]any
			if err := json.Unmarshal(body, &records); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(edit(records))
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
	}
	last := func(field string, value float64) func([]map[string]any) []map[string]any {
		return func(records []map[string]any) []map[string]any {
			records[len(records)-1][field] = value
			return records
		}
	}
	for _, tc := range []struct {
		name    string
		rewrite func(string, []byte) []byte
		rule    string
	}{
		{"an empty array", gaza(func([]map[string]any) []map[string]any { return []map[string]any{} }), "has 0 rows where the source has 12723"},
		{"cut at a record boundary", gaza(func(r []map[string]any) []map[string]any { return r[:len(r)/3] }), "more than 10% fewer"},
		{"a negative count", gaza(last("killed_cum", -5)), "a negative count"},
		{"a running total that falls", gaza(last("killed_cum", 60000)), "falls from 73419"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u.rewrite.Store(tc.rewrite)
			res, err := run.Run(context.Background(), all.Registry(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != load.StatusPartial {
				t.Errorf("run status %s, want partial", res.Status)
			}
			for _, sr := range res.Sources {
				switch {
				case sr.Source == "tfp_gaza_daily" && (sr.Status != load.StatusHeld || !strings.Contains(sr.Error, tc.rule)):
					t.Errorf("tfp_gaza_daily: %s: %s; want held, for %q", sr.Status, sr.Error, tc.rule)
				case sr.Source != "tfp_gaza_daily" && sr.Status != load.StatusOK && sr.Status != load.StatusUnchanged:
					t.Errorf("%s: %s %s; want it loaded", sr.Source, sr.Status, sr.Error)
				}
			}
			now := latest(t, dir)
			for _, s := range now.Sources {
				for _, b := range before.Sources {
					if s.Name == "tfp_gaza_daily" && b.Name == s.Name && (s.Rows != b.Rows || s.RawSHA256 != b.RawSHA256) {
						t.Errorf("the held payload became current: %d rows of %s, before %d of %s", s.Rows, s.RawSHA256[:12], b.Rows, b.RawSHA256[:12])
					}
				}
			}
			archived, _ := filepath.Glob(filepath.Join(dir, "raw", "tfp_gaza_daily", "*"))
			if len(archived) < 2 {
				t.Errorf("the held payload is not in the archive: %v", archived)
			}
		})
	}

	// After a person has looked: --accept loads the last one.
	opts.Accept = []string{"tfp_gaza_daily"}
	res := mustRun(t, opts)
	for _, sr := range res.Sources {
		if sr.Source == "tfp_gaza_daily" && sr.Status != load.StatusOK {
			t.Errorf("with --accept: %s %s", sr.Status, sr.Error)
		}
	}
}

// noNetwork fails every request: a run that uses it fetches nothing over the network.
type noNetwork struct{}

func (noNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("no network in this test: %s", r.URL)
}

// A curated source (israel_oct7, toll's own table of official statements) has no publisher's dataset
// to fetch: an online run reads it from the bundle, and each row keeps the report that quotes it.
func TestCuratedSourceInAnOnlineRun(t *testing.T) {
	dir := t.TempDir()
	res := mustRun(t, run.Options{DataDir: dir, BundleDir: bundle, TollVersion: "test", Sources: []string{"israel_oct7"},
		HTTPClient: &http.Client{Transport: noNetwork{}}, Now: time.Now})
	if res.Status != load.StatusOK || len(res.Sources) != 1 || res.Sources[0].Stats.Rows == 0 {
		t.Fatalf("status %s, sources %+v: want the curated table loaded without the network", res.Status, res.Sources)
	}
	m := latest(t, dir)
	rows := readObservations(t, dir, m)
	row := find(rows, map[string]string{"series_id": "israel_oct7/ISR/killed/all/period/official", "report_date": "2023-11-10"})
	if row == nil || row["value"] != "1200" || !strings.HasPrefix(row["record_id"], "https://") || row["publisher"] != "Israeli authorities" {
		t.Errorf("the revision of 10 November 2023: %v", row)
	}

	// A deployment without the bundle: the curated source is skipped, saying where it looked; the run
	// does not fail every night for it.
	res = mustRun(t, run.Options{DataDir: t.TempDir(), BundleDir: filepath.Join(t.TempDir(), "no-bundle"), TollVersion: "test",
		Sources: []string{"israel_oct7"}, HTTPClient: &http.Client{Transport: noNetwork{}}, Now: time.Now})
	if s := res.Sources[0]; s.Status != load.StatusSkipped || !strings.Contains(s.Error, "--bundle-dir") {
		t.Errorf("without the bundle: %s, %q; want skipped, naming --bundle-dir", s.Status, s.Error)
	}
}

// Each source's licence, citation and what its terms do not allow travel with the data: in the
// manifest and in every one of its series in series.parquet.
func TestTermsTravelWithTheData(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, run.Options{DataDir: dir, Offline: true, BundleDir: bundle, TollVersion: "test",
		Sources: []string{"iom_dtm_sudan", "tfp_lebanon_daily"}})
	m := latest(t, dir)
	for _, s := range m.Sources {
		if s.License == "" || s.LicenseURL == "" || s.Citation == "" {
			t.Errorf("manifest: %s has licence %q at %q, citation %q", s.Name, s.License, s.LicenseURL, s.Citation)
		}
		if want := map[string]string{"iom_dtm_sudan": "non-commercial, no redistribution"}[s.Name]; s.Restrictions != want {
			t.Errorf("manifest: %s restricts %q, want %q", s.Name, s.Restrictions, want)
		}
	}
	series := readParquet(t, filepath.Join(snapshot.Path(dir, m.ID), snapshot.SeriesFile))
	if len(series) == 0 {
		t.Fatal("series.parquet is empty")
	}
	seen := map[string]int{}
	for _, row := range series {
		seen[row["source"]]++
		switch {
		case row["source"] == "iom_dtm_sudan" && (row["restrictions"] != "non-commercial, no redistribution" || !strings.Contains(row["citation"], "IOM")):
			t.Errorf("series %s: restrictions %q, citation %q", row["series_id"], row["restrictions"], row["citation"])
		case row["source"] == "tfp_lebanon_daily" && (row["license"] != "Public domain" || row["restrictions"] != "NULL"):
			t.Errorf("series %s: licence %q, restrictions %q", row["series_id"], row["license"], row["restrictions"])
		}
	}
	if seen["iom_dtm_sudan"] == 0 || seen["tfp_lebanon_daily"] == 0 {
		t.Errorf("series.parquet has series of %v, want both sources'", seen)
	}
}
