// Package snapshot is the snapshot stage: it exports the warehouse to Parquet files and a manifest in a
// new folder <data-dir>/snapshots/<id>/, then moves <data-dir>/snapshots/LATEST to it by rename. The
// folder is complete before LATEST names it, and never modified afterwards, so readers (analysts,
// dashboards, toll check) never see a half-written snapshot. Reading snapshots needs no warehouse.
package snapshot

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"toll/pipeline/crashpoint"
	"toll/pipeline/duck"
	"toll/schemas"
)

// Files of a snapshot.
const (
	ObservationsDir = "observations"       // current value of every observation: one dataset, a folder per source
	SupersededFile  = "superseded.parquet" // every version that a later vintage replaced: with observations, the history
	SeriesFile      = "series.parquet"     // one row per series: metadata and latest value
	RevisionsFile   = "revisions.parquet"  // values that changed between vintages
	ManifestFile    = "manifest.json"
	LatestFile      = "LATEST"
	legacyObsFile   = "observations.parquet" // schema versions 1 and 2: most sources' current values
)

// Manifest describes a snapshot: what it holds and where every value came from.
type Manifest struct {
	ID            string    `json:"id"`
	CreatedAt     time.Time `json:"created_at"`
	TollVersion   string    `json:"toll_version"`
	SchemaVersion int       `json:"schema_version"`
	RunID         string    `json:"run_id"`
	// Loads is how many payloads the warehouse had loaded when the snapshot was written; fewer than it
	// has now means the snapshot lags it. Manifests before this field read 0.
	Loads   int64         `json:"loads"`
	Sources []SourceEntry `json:"sources"`
	Files   []FileEntry   `json:"files"`
}

// Observations returns how many current observations the snapshot holds.
func (m Manifest) Observations() int64 {
	var n int64
	for _, f := range m.Files {
		if strings.HasPrefix(f.Path, ObservationsDir+"/") || f.Path == legacyObsFile {
			n += f.Rows
		}
	}
	return n
}

// SourceEntry is the state of one source in a snapshot.
type SourceEntry struct {
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	FetchedAt time.Time `json:"fetched_at"`
	RawSHA256 string    `json:"raw_sha256"`
	Rows      int64     `json:"rows"`
	Status    string    `json:"status"` // of the source's last run: ok, unchanged, failed
	Error     string    `json:"error,omitempty"`
	// The publisher's licence or terms of use, where they are published, how to cite the data, and what
	// the terms do not allow ("non-commercial", "no redistribution"; "" for neither).
	License      string `json:"license,omitempty"`
	LicenseURL   string `json:"license_url,omitempty"`
	Citation     string `json:"citation,omitempty"`
	Restrictions string `json:"restrictions,omitempty"`
}

// FileEntry is one file of a snapshot.
type FileEntry struct {
	Path   string `json:"path"`
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// MediaType is the media type of a snapshot's file, by its name: what serve and publish say it is.
func MediaType(name string) string {
	switch {
	case strings.HasSuffix(name, ".parquet"):
		return "application/vnd.apache.parquet"
	case strings.HasSuffix(name, ".json"):
		return "application/json"
	}
	return "text/plain; charset=utf-8" // LATEST
}

// Dir returns the folder that holds the snapshots of a data directory.
func Dir(dataDir string) string { return filepath.Join(dataDir, "snapshots") }

const obsOrder = "country_iso3, metric, series_id, report_date, period_start"

// SourceDir is the folder of one source's current observations in a snapshot's observations dataset.
// It holds data.parquet, the rows the warehouse's table holds, sorted by country, metric, series and
// date; and for a source kept in the warehouse's store, the store's files by hard link, in the store's
// folders (<country_iso3>/<metric>/<subgroup>/<generation>-data_N.parquet). Every file of the dataset
// has every observation column, in schemas' order and types, so that any reader takes the folder
// observations/ whole in one call; and no folder is named column=value, so that no reader adds a column
// from a folder's name that the files already hold.
func SourceDir(source string) string { return ObservationsDir + "/" + source }

// rowGroupRows is the most rows a row group of the dataset's data.parquet files holds. A row group's
// statistics let a reader skip it, so that a reader by Range requests fetches for one country about
// that country's share of the bytes; smaller groups skip more finely and compress less well.
const rowGroupRows = 10_240

// export is one file of a snapshot and the query that makes it, or the files of the warehouse's store
// that a source's folder takes as they are, by hard link (stored, with folder).
type export struct {
	file, query string
	rowGroups   bool // sized by rowGroupRows
	folder      string
	stored      []storedFile
}

// exportsFor lists the files of a snapshot and the queries that make them: a source's folder of the
// observations dataset for each source with current rows (inTable: the sources whose current rows the
// table holds; stored: the store's files of each source).
func exportsFor(inTable []string, stored map[string][]storedFile) []export {
	var out []export
	for _, name := range inTable {
		out = append(out, export{file: SourceDir(name) + "/data.parquet", rowGroups: true, query: `SELECT ` + observationColumns() +
			` FROM observations WHERE superseded_at IS NULL AND source = ` + duck.String(name) + ` ORDER BY ` + obsOrder})
	}
	for _, name := range slices.Sorted(maps.Keys(stored)) {
		out = append(out, export{folder: SourceDir(name), stored: stored[name]})
	}
	return out
}

// observationColumns selects every observation column of a table's rows, in schemas' order and types.
func observationColumns() string {
	var cols []string
	for _, c := range schemas.Columns() {
		cols = append(cols, fmt.Sprintf("CAST(%s AS %s) AS %s", c.Name, c.Type, c.Name))
	}
	return strings.Join(cols, ", ")
}

// storedFile is one Parquet file of a source kept in the warehouse's store, as the warehouse's table
// stored_files lists it: store/<source>/<generation>/<partition folders…>/<name>, relative to the data
// directory, and its rows. The table is the store's contract; the load stage writes it.
type storedFile struct {
	Path string
	Rows int64
}

// within returns the file's generation and its path inside it (partition folders and name).
func (f storedFile) within() (generation, path string) {
	parts := strings.SplitN(f.Path, "/", 4) // store, source, generation, the rest
	if len(parts) < 4 {
		return "", f.Path
	}
	return parts[2], parts[3]
}

// storedFiles returns the files the store holds for each source, as the warehouse last committed them.
func storedFiles(ctx context.Context, db *sql.DB) (map[string][]storedFile, error) {
	rows, err := db.QueryContext(ctx, `SELECT source, path, rows FROM stored_files ORDER BY source, path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]storedFile{}
	for rows.Next() {
		var source string
		var f storedFile
		if err := rows.Scan(&source, &f.Path, &f.Rows); err != nil {
			return nil, err
		}
		out[source] = append(out[source], f)
	}
	return out, rows.Err()
}

// link puts a stored file into a stored source's folder of the snapshot at root, by hard link (a copy
// where the file system refuses one), keeping its partition folders, and returns its manifest entry.
// A stored file is never modified, so the snapshot's copy stays as the manifest describes it.
func link(dataDir, root, folder string, f storedFile) (FileEntry, error) {
	gen, within := f.within()
	if gen == "" {
		return FileEntry{}, fmt.Errorf("stored file %s: not in a generation folder", f.Path)
	}
	// The generation goes into the name, which tells which files two snapshots share.
	folders, name := path.Split(within)
	rel := folder + "/" + folders + gen + "-" + name
	src, dst := filepath.Join(dataDir, filepath.FromSlash(f.Path)), filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return FileEntry{}, err
	}
	if err := os.Link(src, dst); err != nil {
		if err := copyFile(src, dst); err != nil {
			return FileEntry{}, err
		}
	}
	sum, size, err := hashFile(dst, false)
	return FileEntry{Path: rel, Rows: f.Rows, Bytes: size, SHA256: sum}, err
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// queryStrings returns the one string column a query selects.
func queryStrings(ctx context.Context, db *sql.DB, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// exports are the files every snapshot has besides the observations. sources' terms go into
// series.parquet.
func exports(sources []SourceEntry) []export {
	return []export{
		// Only the replaced versions: the current ones are in the observations dataset already, and
		// writing every version again doubled the export of a large source.
		{file: SupersededFile, query: `SELECT ` + observationColumns() + `, superseded_at FROM observations WHERE superseded_at IS NOT NULL ORDER BY ` + obsOrder + `, fetched_at`},
		// One pass over the current observations: DuckDB materializes a CTE that is read twice whole.
		{file: SeriesFile, query: `
SELECT s.*, st.observations, st.first_report_date, st.last_report_date, st.latest_value, st.latest_report_date,
       st.latest_basis, st.latest_publisher, st.latest_reported_value, st.latest_reported_date,
       t.license, t.license_url, t.citation, t.restrictions
FROM series s LEFT JOIN (
  SELECT series_id, count(*) AS observations, min(report_date) AS first_report_date, max(report_date) AS last_report_date,
         arg_max(value, report_date) AS latest_value, max(report_date) AS latest_report_date,
         arg_max(basis, report_date) AS latest_basis, arg_max(publisher, report_date) AS latest_publisher,
         arg_max(value, report_date) FILTER (WHERE basis = 'reported') AS latest_reported_value,
         max(report_date) FILTER (WHERE basis = 'reported') AS latest_reported_date
  FROM current_observations GROUP BY series_id) st USING (series_id)
LEFT JOIN ` + termsRelation(sources) + ` USING (source)
ORDER BY country_iso3, metric, series_id`},
		{file: RevisionsFile, query: `SELECT * FROM revisions ORDER BY new_fetched_at, series_id, report_date, period_start`},
	}
}

// termsRelation is the sources' terms as a relation t(source, license, license_url, citation,
// restrictions), restrictions NULL where the terms allow commercial use and redistribution.
func termsRelation(sources []SourceEntry) string {
	rows := []string{`(NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR)`} // types, and no source
	for _, e := range sources {
		restrictions := "NULL"
		if e.Restrictions != "" {
			restrictions = duck.String(e.Restrictions)
		}
		if e.License != "" {
			rows = append(rows, fmt.Sprintf("(%s, %s, %s, %s, %s)", duck.String(e.Name), duck.String(e.License),
				duck.String(e.LicenseURL), duck.String(e.Citation), restrictions))
		}
	}
	return `(VALUES ` + strings.Join(rows, ", ") + `) t(source, license, license_url, citation, restrictions)`
}

// Write exports a new snapshot from the warehouse db and points LATEST at it. m supplies the run, the
// sources and the toll version; Write fills in the id, the files and the schema version. progress, when
// not nil, is told after each file.
func Write(ctx context.Context, db *sql.DB, dataDir string, m Manifest, now time.Time, progress func(done, total int)) (Manifest, error) {
	root := Dir(dataDir)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	m.CreatedAt = now.UTC()
	m.SchemaVersion = schemas.Version()
	m.ID = newID(root, now)
	tmp, err := os.MkdirTemp(root, ".incoming-"+m.ID+"-")
	if err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	// MkdirTemp makes the folder private; snapshot readers are often other users.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}

	stored, err := storedFiles(ctx, db)
	if err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	inTable, err := queryStrings(ctx, db, `SELECT DISTINCT source FROM observations WHERE superseded_at IS NULL ORDER BY source`)
	if err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	files := append(exportsFor(inTable, stored), exports(m.Sources)...)
	m.Files = nil
	for _, e := range files {
		for _, f := range e.stored {
			entry, err := link(dataDir, tmp, e.folder, f)
			if err != nil {
				return Manifest{}, fmt.Errorf("snapshot: %w", err)
			}
			m.Files = append(m.Files, entry)
		}
		if e.file != "" {
			entry, err := writeFile(ctx, db, tmp, e, m)
			if err != nil {
				return Manifest{}, fmt.Errorf("snapshot: writing %s: %w", e.file, err)
			}
			m.Files = append(m.Files, entry)
		}
		if progress != nil {
			progress(len(m.Files), len(files))
		}
		if len(m.Files) >= 2 {
			crashpoint.Here(ctx, crashpoint.SnapshotHalfway)
		}
	}
	if err := writeDataPackage(ctx, db, tmp, m); err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	sum, size, err := hashFile(filepath.Join(tmp, DataPackageFile), false) // written and flushed
	if err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	m.Files = append(m.Files, FileEntry{Path: DataPackageFile, Bytes: size, SHA256: sum})
	if err := writeFileSync(filepath.Join(tmp, ManifestFile), m.marshal()); err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	final := filepath.Join(root, m.ID)
	if err := os.Rename(tmp, final); err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	if err := duck.Sync(root); err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	crashpoint.Here(ctx, crashpoint.SnapshotBeforeLatest)
	if err := setLatest(root, m.ID); err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	return m, nil
}

// writeFile writes one export's file under root and returns its manifest entry.
func writeFile(ctx context.Context, db *sql.DB, root string, e export, m Manifest) (FileEntry, error) {
	path := filepath.Join(root, filepath.FromSlash(e.file))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return FileEntry{}, err
	}
	options := ""
	if e.rowGroups {
		options = fmt.Sprintf(", ROW_GROUP_SIZE %d", rowGroupRows)
	}
	res, err := db.ExecContext(ctx, fmt.Sprintf(`COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd, KV_METADATA {toll_schema_version: '%d', toll_snapshot: %s}%s)`,
		e.query, duck.String(path), m.SchemaVersion, duck.String(m.ID), options))
	if err != nil {
		return FileEntry{}, err
	}
	rows, _ := res.RowsAffected()
	sum, size, err := hashFile(path, true)
	return FileEntry{Path: e.file, Rows: rows, Bytes: size, SHA256: sum}, err
}

func (m Manifest) marshal() []byte {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // a Manifest always marshals
	}
	return append(b, '\n')
}

// newID returns a sortable id from the time, with a suffix when a snapshot of that second exists.
func newID(root string, now time.Time) string {
	base := now.UTC().Format("20060102T150405Z")
	id := base
	for i := 2; ; i++ {
		if _, err := os.Stat(filepath.Join(root, id)); errors.Is(err, os.ErrNotExist) {
			return id
		}
		id = fmt.Sprintf("%s-%d", base, i)
	}
}

// setLatest replaces LATEST by rename, so a reader sees the old id or the new one, never a partial file.
func setLatest(root, id string) error {
	tmp := filepath.Join(root, ".LATEST.tmp")
	if err := writeFileSync(tmp, []byte(id+"\n")); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(root, LatestFile)); err != nil {
		return err
	}
	return duck.Sync(root)
}

// RemoveIncomplete deletes snapshot folders that a killed export left behind (never named by LATEST).
// Call it only while holding the data directory's lock.
func RemoveIncomplete(dataDir string) error {
	stale, err := filepath.Glob(filepath.Join(Dir(dataDir), ".incoming-*"))
	if err != nil {
		return err
	}
	var errs []error
	for _, d := range stale {
		errs = append(errs, os.RemoveAll(d))
	}
	return errors.Join(errs...)
}

// ErrNoSnapshot is returned when a data directory has no snapshot yet.
var ErrNoSnapshot = errors.New("no snapshot yet (run `toll run` first)")

// Latest returns the id LATEST names.
func Latest(dataDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(Dir(dataDir), LatestFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", ErrNoSnapshot
	}
	if err != nil {
		return "", err
	}
	id := strings.TrimSpace(string(b))
	if id == "" || strings.ContainsAny(id, `/\`) || strings.HasPrefix(id, ".") {
		return "", fmt.Errorf("snapshot: LATEST holds %q, not a snapshot id", id)
	}
	return id, nil
}

// Path returns the folder of snapshot id.
func Path(dataDir, id string) string { return filepath.Join(Dir(dataDir), id) }

// ReadManifest reads the manifest of snapshot id.
func ReadManifest(dataDir, id string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(Path(dataDir, id), ManifestFile))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("snapshot %s: manifest: %w", id, err)
	}
	return m, nil
}

// ReadLatest reads the manifest of the snapshot LATEST names.
func ReadLatest(dataDir string) (Manifest, error) {
	id, err := Latest(dataDir)
	if err != nil {
		return Manifest{}, err
	}
	return ReadManifest(dataDir, id)
}

// List returns the manifests of every complete snapshot, oldest first.
func List(dataDir string) ([]Manifest, error) {
	entries, err := os.ReadDir(Dir(dataDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ms []Manifest
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		m, err := ReadManifest(dataDir, e.Name())
		if err != nil {
			continue // not a complete snapshot
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].ID < ms[j].ID })
	return ms, nil
}

// Verify checks that every file a manifest lists has the size and sha256 it records.
func Verify(dataDir string, m Manifest) error {
	var errs []error
	for _, f := range m.Files {
		sum, size, err := hashFile(filepath.Join(Path(dataDir, m.ID), f.Path), false)
		switch {
		case err != nil:
			errs = append(errs, err)
		case sum != f.SHA256 || size != f.Bytes:
			errs = append(errs, fmt.Errorf("%s: sha256 %s (%d bytes), manifest says %s (%d bytes)", f.Path, sum, size, f.SHA256, f.Bytes))
		}
	}
	return errors.Join(errs...)
}

// hashFile returns a file's sha256 and size; with sync it also flushes the file to disk (DuckDB's
// COPY does not), so that the rename that publishes a snapshot never publishes a file still in flight.
func hashFile(path string, sync bool) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	if sync {
		if err := f.Sync(); err != nil {
			return "", 0, err
		}
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
