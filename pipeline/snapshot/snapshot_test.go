package snapshot_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"toll/pipeline/load"
	"toll/pipeline/snapshot"
)

func TestWriteListVerify(t *testing.T) {
	dir, w := warehouse(t)
	now := time.Date(2026, 11, 25, 5, 30, 0, 0, time.UTC)
	first, err := snapshot.Write(context.Background(), w.DB(), dir, snapshot.Manifest{RunID: "r1"}, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A second snapshot in the same second gets its own folder.
	second, err := snapshot.Write(context.Background(), w.DB(), dir, snapshot.Manifest{RunID: "r2"}, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID != "20261125T053000Z" || second.ID != "20261125T053000Z-2" {
		t.Errorf("ids %s, %s", first.ID, second.ID)
	}
	if id, _ := snapshot.Latest(dir); id != second.ID {
		t.Errorf("LATEST = %s, want %s", id, second.ID)
	}
	if len(first.Files) != 4 || first.SchemaVersion < 1 { // an empty warehouse: no observations' files
		t.Errorf("manifest %+v", first)
	}

	// An unfinished export (a folder that was never renamed into place) is not a snapshot.
	os.MkdirAll(filepath.Join(snapshot.Dir(dir), ".incoming-x"), 0o755)
	ms, err := snapshot.List(dir)
	if err != nil || len(ms) != 2 {
		t.Errorf("List: %d snapshots, %v; want 2", len(ms), err)
	}

	if err := snapshot.Verify(dir, second); err != nil {
		t.Errorf("Verify of an untouched snapshot: %v", err)
	}
	os.WriteFile(filepath.Join(snapshot.Path(dir, second.ID), snapshot.SeriesFile), []byte("tampered"), 0o644)
	if err := snapshot.Verify(dir, second); err == nil || !strings.Contains(err.Error(), snapshot.SeriesFile) {
		t.Errorf("Verify of a tampered file: %v", err)
	}
}

func TestLatestRefusesAPath(t *testing.T) {
	dir := t.TempDir()
	if _, err := snapshot.Latest(dir); err != snapshot.ErrNoSnapshot {
		t.Errorf("no snapshot: %v", err)
	}
	os.MkdirAll(snapshot.Dir(dir), 0o755)
	os.WriteFile(filepath.Join(snapshot.Dir(dir), snapshot.LatestFile), []byte("../../etc\n"), 0o644)
	if _, err := snapshot.Latest(dir); err == nil {
		t.Error("LATEST naming a path outside snapshots/ was accepted")
	}
}

// Snapshots written by schema versions 1 (history.parquet with every version, no record_id) and 2
// (observations.parquet, and Hive folders for large sources) still open, and diff against a current
// one.
func TestOpenSchema1Snapshot(t *testing.T) {
	ctx := context.Background()
	dir, w := warehouse(t)
	if _, err := w.DB().Exec(`INSERT INTO observations BY NAME SELECT 'tfp_gaza_daily' AS source,
  'tfp_gaza_daily/PS02/killed/all/cumulative' AS series_id, 'PSE' AS country_iso3, 'killed' AS metric, 'all' AS subgroup,
  'cumulative' AS measure, DATE '2023-10-07' AS period_start, DATE '2023-10-07' AS period_end, DATE '2023-10-07' AS report_date,
  232 AS value, 'reported' AS basis, 'Gaza Ministry of Health' AS publisher, 'Tech for Palestine' AS distributor,
  'abc' AS raw_sha256, TIMESTAMPTZ '2024-05-11 00:00:00+00' AS fetched_at, 'r1' AS run_id`); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 5, 30, 0, 0, time.UTC)
	v2, err := snapshot.Write(ctx, w.DB(), dir, snapshot.Manifest{RunID: "r2"}, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Make a version 1 snapshot of the same data beside it, as toll wrote them before.
	v1 := filepath.Join(snapshot.Dir(dir), "20261124T000000Z")
	os.MkdirAll(v1, 0o755)
	for file, query := range map[string]string{
		"observations.parquet": `SELECT * EXCLUDE (record_id, superseded_at) FROM observations`,
		"history.parquet":      `SELECT * EXCLUDE (record_id) FROM observations`,
		"series.parquet":       `SELECT * FROM series`,
		"revisions.parquet":    `SELECT * EXCLUDE (record_id) FROM revisions`,
	} {
		if _, err := w.DB().Exec(`COPY (` + query + `) TO '` + filepath.Join(v1, file) + `' (FORMAT parquet)`); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(v1, snapshot.ManifestFile), []byte(`{"id": "20261124T000000Z", "schema_version": 1}`), 0o644)

	db, err := snapshot.Open(ctx, dir, "20261124T000000Z")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var current, versions int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM observations WHERE record_id IS NULL), (SELECT count(*) FROM history)`).Scan(&current, &versions); err != nil || current != 1 || versions != 1 {
		t.Errorf("schema 1 snapshot through the views: %d current, %d versions, %v; want 1 and 1", current, versions, err)
	}
	d, err := snapshot.DiffSnapshots(ctx, dir, "20261124T000000Z", v2.ID, 10, "")
	if err != nil || d.RowsAdded != 0 || d.RowsRemoved != 0 || d.ValuesChanged != 0 {
		t.Errorf("diff of the same data across schema versions: %+v, %v; want no change", d, err)
	}

	// Schema version 2 kept most sources in observations.parquet and a large source's in Hive folders
	// whose files left the source and the partition columns to the folders' names.
	v2dir := filepath.Join(snapshot.Dir(dir), "20261124T120000Z")
	large := "observations/source=tfp_gaza_daily/country_iso3=PSE/metric=killed/subgroup=all/data_0.parquet"
	os.MkdirAll(filepath.Join(v2dir, filepath.Dir(large)), 0o755)
	for file, query := range map[string]string{
		"observations.parquet": `SELECT * EXCLUDE (superseded_at) FROM observations WHERE false`,
		large:                  `SELECT * EXCLUDE (source, country_iso3, metric, subgroup, superseded_at) FROM observations`,
		"superseded.parquet":   `SELECT * FROM observations WHERE false`,
		"series.parquet":       `SELECT * FROM series`,
		"revisions.parquet":    `SELECT * FROM revisions`,
	} {
		if _, err := w.DB().Exec(`COPY (` + query + `) TO '` + filepath.Join(v2dir, file) + `' (FORMAT parquet)`); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(v2dir, snapshot.ManifestFile), []byte(`{"id": "20261124T120000Z", "schema_version": 2,
  "files": [{"path": "observations.parquet"}, {"path": "`+large+`", "rows": 1}]}`), 0o644)
	d, err = snapshot.DiffSnapshots(ctx, dir, "20261124T120000Z", v2.ID, 10, "")
	if err != nil || d.RowsAdded != 0 || d.RowsRemoved != 0 || d.ValuesChanged != 0 {
		t.Errorf("diff of a schema 2 snapshot with the same data: %+v, %v; want no change", d, err)
	}
	db2, err := snapshot.Open(ctx, dir, "20261124T120000Z")
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	var row string
	if err := db2.QueryRow(`SELECT concat_ws(' ', source, country_iso3, metric, subgroup, value) FROM observations`).Scan(&row); err != nil ||
		row != "tfp_gaza_daily PSE killed all 232" {
		t.Errorf("schema 2 snapshot through the views: %q, %v", row, err)
	}
}

// A database over a snapshot, as toll serve and toll check use it, reads the snapshot's folder and
// nothing else, and its settings cannot be changed back, whatever is run on it.
func TestOpenIsLockedDown(t *testing.T) {
	ctx := context.Background()
	dir, w := warehouse(t)
	m, err := snapshot.Write(ctx, w.DB(), dir, snapshot.Manifest{RunID: "r1"}, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := snapshot.Open(ctx, dir, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "SELECT count(*) FROM observations"); err != nil {
		t.Errorf("reading the snapshot: %v", err)
	}
	for _, stmt := range []string{
		"SELECT * FROM read_csv('/etc/passwd')",
		"ATTACH '" + filepath.Join(dir, load.FileName) + "' AS w",
		"COPY (SELECT 1) TO '" + filepath.Join(dir, "snapshots", "LATEST") + "'",
		"SET enable_external_access = true",
		"SET allowed_directories = ['/']",
		"INSTALL httpfs",
	} {
		if _, err := db.ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s: ran", stmt)
		}
	}
}

// Prune waits, up to its Wait, for a reader to let go of a snapshot it would remove, then removes it;
// without waiting it leaves the snapshot to a later prune.
func TestPruneWaitsForReaders(t *testing.T) {
	ctx := context.Background()
	dir, w := warehouse(t)
	now := time.Now()
	old, err := snapshot.Write(ctx, w.DB(), dir, snapshot.Manifest{RunID: "r1"}, now.Add(-48*time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Write(ctx, w.DB(), dir, snapshot.Manifest{RunID: "r2"}, now, nil); err != nil {
		t.Fatal(err)
	}
	release, err := snapshot.Hold(dir, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if removed, err := snapshot.Prune(dir, snapshot.PruneKeep{}); err != nil || len(removed) != 0 {
		t.Fatalf("prune without waiting, while a reader holds %s: removed %v, %v", old.ID, removed, err)
	}
	time.AfterFunc(300*time.Millisecond, release)
	removed, err := snapshot.Prune(dir, snapshot.PruneKeep{Wait: 10 * time.Second})
	if err != nil || len(removed) != 1 || removed[0] != old.ID {
		t.Errorf("prune waiting for the reader: removed %v, %v; want %s", removed, err, old.ID)
	}
}

// warehouse opens a new, empty warehouse in a temporary data directory, closed when the test ends.
func warehouse(t *testing.T) (string, *load.Warehouse) {
	t.Helper()
	dir := t.TempDir()
	w, err := load.Open(context.Background(), dir, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return dir, w
}
