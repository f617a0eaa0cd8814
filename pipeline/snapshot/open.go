package snapshot

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"toll/pipeline/duck"
	"toll/schemas"
)

// Open returns an in-memory DuckDB with views over snapshot id: observations, history (every version),
// series and revisions. It never opens the warehouse, so it works while a run holds it.
func Open(ctx context.Context, dataDir, id string) (*sql.DB, error) {
	m, err := ReadManifest(dataDir, id)
	if err != nil {
		return nil, err
	}
	db, err := duck.Open("", duck.Options{})
	if err != nil {
		return nil, err
	}
	file := func(name string) string { return duck.String(filepath.Join(Path(dataDir, id), name)) }
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
	if err := lockDown(ctx, db, Path(dataDir, id)); err != nil {
		db.Close()
		return nil, fmt.Errorf("snapshot %s: %w", id, err)
	}
	return db, nil
}

// observationsQuery selects a snapshot's current observations: the files of its observations dataset,
// which share one schema; before schema version 3, observations.parquet and the Hive folders of large
// sources, which left the source and the partition columns to the folders' names.
func observationsQuery(dataDir string, m Manifest) string {
	dir := Path(dataDir, m.ID)
	legacy := duck.String(filepath.Join(dir, legacyObsFile))
	if m.SchemaVersion < 2 {
		return `SELECT *, NULL::VARCHAR AS record_id FROM read_parquet(` + legacy + `)`
	}
	var files []string
	for _, f := range m.Files {
		if strings.HasPrefix(f.Path, ObservationsDir+"/") {
			files = append(files, duck.String(filepath.Join(dir, filepath.FromSlash(f.Path))))
		}
	}
	if m.SchemaVersion < 3 {
		q := `SELECT * FROM read_parquet(` + legacy + `)`
		if len(files) > 0 {
			q += "\n  UNION ALL BY NAME SELECT * FROM read_parquet([" + strings.Join(files, ", ") + "], hive_partitioning = true)"
		}
		return q
	}
	if len(files) == 0 { // nothing loaded yet: no rows, and the columns all the same
		var cols []string
		for _, c := range schemas.Columns() {
			cols = append(cols, "NULL::"+c.Type+" AS "+c.Name)
		}
		return `SELECT ` + strings.Join(cols, ", ") + ` WHERE false`
	}
	return `SELECT * FROM read_parquet([` + strings.Join(files, ", ") + `])`
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

// lockDown confines a database over a snapshot to reading its folder: no other file, no network, no
// extension, and no setting changed afterwards, whatever SQL it is given later (toll query's, serve's).
func lockDown(ctx context.Context, db *sql.DB, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for _, stmt := range []string{
		"SET allowed_directories = [" + duck.String(abs+string(filepath.Separator)) + "]",
		"SET enable_external_access = false",
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET lock_configuration = true",
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// ReadOnly is returned for SQL that is not one query: toll query reads a snapshot, never changes it or
// leaves it.
var ReadOnly = errors.New("toll query runs one SELECT statement (FROM, WITH, DESCRIBE, SHOW and SUMMARIZE are SELECTs)")

// Query runs one read-only statement on db, a database Open returned. The SQL is parsed first, without
// running it, by DuckDB's own parser (json_serialize_sql, which serializes SELECT statements only):
// anything but a single SELECT (ATTACH, COPY, INSTALL, LOAD, SET, CREATE, or several statements, of
// which a driver would run all but the last while preparing) is refused before any of it runs.
func Query(ctx context.Context, db *sql.DB, query string) (*sql.Rows, error) {
	var parsed string
	if err := db.QueryRowContext(ctx, `SELECT json_serialize_sql(?::VARCHAR)::VARCHAR`, query).Scan(&parsed); err != nil {
		return nil, err
	}
	var tree struct {
		Error        bool              `json:"error"`
		ErrorType    string            `json:"error_type"`
		ErrorMessage string            `json:"error_message"`
		Statements   []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(parsed), &tree); err != nil {
		return nil, fmt.Errorf("parsing the query: %w", err)
	}
	switch {
	case tree.Error && tree.ErrorType == "not implemented": // "Only SELECT statements can be serialized"
		return nil, fmt.Errorf("%w; this is not a SELECT", ReadOnly)
	case tree.Error: // a syntax error: DuckDB says it best when it runs
	case len(tree.Statements) != 1:
		return nil, fmt.Errorf("%w; this is %d statements", ReadOnly, len(tree.Statements))
	}
	return db.QueryContext(ctx, query)
}
