package snapshot

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	"toll/pipeline/load"
)

// views are what Open creates over a snapshot's files ({file} stands for a file's quoted path;
// {large} for the files of large sources, under observations/source=<name>/).
var views = []struct{ name, query string }{
	{"observations", `SELECT * FROM read_parquet({observations.parquet}){large}`},
	// Every version of every observation: the current ones, and the ones later vintages replaced.
	{"history", `SELECT *, NULL::TIMESTAMPTZ AS superseded_at FROM observations
  UNION ALL BY NAME SELECT * FROM read_parquet({superseded.parquet})`},
	{"series", `SELECT * FROM read_parquet({series.parquet})`},
	{"revisions", `SELECT * FROM read_parquet({revisions.parquet})`},
}

// Open returns an in-memory DuckDB with views over snapshot id: observations, history (every version),
// series and revisions. It never opens the warehouse, so it works while a run holds it.
func Open(ctx context.Context, dataDir, id string) (*sql.DB, error) {
	db, err := load.OpenDuckDB("", "", "")
	if err != nil {
		return nil, err
	}
	dir := Path(dataDir, id)
	m, err := ReadManifest(dataDir, id)
	if err != nil {
		db.Close()
		return nil, err
	}
	var large []string
	for _, f := range m.Files {
		if strings.HasPrefix(f.Path, "observations/") {
			large = append(large, sqlString(filepath.Join(dir, filepath.FromSlash(f.Path))))
		}
	}
	unionLarge := ""
	if len(large) > 0 {
		unionLarge = "\n  UNION ALL BY NAME SELECT * FROM read_parquet([" + strings.Join(large, ", ") + "], hive_partitioning = true)"
	}
	for _, v := range views {
		query := strings.ReplaceAll(v.query, "{large}", unionLarge)
		for _, file := range []string{ObservationsFile, SupersededFile, SeriesFile, RevisionsFile} {
			path := filepath.Join(dir, file)
			query = strings.ReplaceAll(query, "{"+file+"}", "'"+strings.ReplaceAll(path, "'", "''")+"'")
		}
		q := fmt.Sprintf("CREATE VIEW %s AS %s", v.name, query)
		if _, err := db.ExecContext(ctx, q); err != nil {
			db.Close()
			return nil, fmt.Errorf("snapshot %s: %w", id, err)
		}
	}
	return db, nil
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
