package snapshot

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	"toll/pipeline/load"
)

// Open returns an in-memory DuckDB with views over snapshot id: observations, history (every version),
// series and revisions. It never opens the warehouse, so it works while a run holds it.
func Open(ctx context.Context, dataDir, id string) (*sql.DB, error) {
	m, err := ReadManifest(dataDir, id)
	if err != nil {
		return nil, err
	}
	db, err := load.OpenDuckDB("", "", "")
	if err != nil {
		return nil, err
	}
	file := func(name string) string { return sqlString(filepath.Join(Path(dataDir, id), name)) }
	history := `SELECT *, NULL::TIMESTAMPTZ AS superseded_at FROM observations
  UNION ALL BY NAME SELECT * FROM read_parquet(` + file(SupersededFile) + `)`
	revisions := `SELECT * FROM read_parquet(` + file(RevisionsFile) + `)`
	if m.SchemaVersion < 2 { // history.parquet held every version; no record_id yet
		history = `SELECT *, NULL::VARCHAR AS record_id FROM read_parquet(` + file("history.parquet") + `)`
		revisions = `SELECT *, NULL::VARCHAR AS record_id FROM read_parquet(` + file(RevisionsFile) + `)`
	}
	for _, v := range []struct{ name, query string }{
		{"observations", observationsQuery(dataDir, m)},
		{"history", history}, // every version: the current ones, and the ones later vintages replaced
		{"series", `SELECT * FROM read_parquet(` + file(SeriesFile) + `)`},
		{"revisions", revisions},
	} {
		if _, err := db.ExecContext(ctx, "CREATE VIEW "+v.name+" AS "+v.query); err != nil {
			db.Close()
			return nil, fmt.Errorf("snapshot %s: %w", id, err)
		}
	}
	return db, nil
}

// observationsQuery selects a snapshot's current observations: observations.parquet and the folders of
// large sources (observations/source=<name>/, which leave the source column to the folder name).
func observationsQuery(dataDir string, m Manifest) string {
	dir := Path(dataDir, m.ID)
	file := sqlString(filepath.Join(dir, ObservationsFile))
	if m.SchemaVersion < 2 {
		return `SELECT *, NULL::VARCHAR AS record_id FROM read_parquet(` + file + `)`
	}
	q := `SELECT * FROM read_parquet(` + file + `)`
	var large []string
	for _, f := range m.Files {
		if strings.HasPrefix(f.Path, "observations/") {
			large = append(large, sqlString(filepath.Join(dir, filepath.FromSlash(f.Path))))
		}
	}
	if len(large) > 0 {
		q += "\n  UNION ALL BY NAME SELECT * FROM read_parquet([" + strings.Join(large, ", ") + "], hive_partitioning = true)"
	}
	return q
}

// OpenLatest opens the snapshot LATEST names, as Open does, and returns its id.
func OpenLatest(ctx context.Context, dataDir string) (*sql.DB, string, error) {
	id, err := Latest(dataDir)
	if err != nil {
		return nil, "", err
	}
	db, err := Open(ctx, dataDir, id)
	return db, id, err
}
