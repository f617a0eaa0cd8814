package snapshot

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	"toll/pipeline/load"
)

// Views maps the view names Open creates to the snapshot files they read.
var Views = map[string]string{
	"observations": ObservationsFile,
	"history":      HistoryFile,
	"series":       SeriesFile,
	"revisions":    RevisionsFile,
}

// Open returns an in-memory DuckDB with one view per snapshot file (observations, history, series,
// revisions) over snapshot id. It never opens the warehouse, so it works while a run holds it.
func Open(ctx context.Context, dataDir, id string) (*sql.DB, error) {
	db, err := load.OpenDuckDB("", "", "")
	if err != nil {
		return nil, err
	}
	dir := Path(dataDir, id)
	for view, file := range Views {
		path := filepath.Join(dir, file)
		q := fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet('%s')", view, strings.ReplaceAll(path, "'", "''"))
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
