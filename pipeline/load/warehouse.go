// Package load is the load stage: the DuckDB warehouse (<data-dir>/toll.duckdb) that keeps every
// vintage of every observation, the revisions between vintages, the index of loaded payloads and the
// run records.
//
// Vintages are kept as versions: a row of the observations table is one version of one observation
// (series, period, report date), known from its fetched_at until its superseded_at (NULL while it is
// current). What the data said as fetched at time T is therefore
//
//	SELECT * FROM observations_as_of(TIMESTAMP 'T')
//
// and a new vintage that leaves most values unchanged costs only the rows that changed. Each source run
// is one transaction: a failure leaves the warehouse as it was. The current rows of sources that
// normalize in SQL (millions of events) are kept as Parquet files beside it, in the store (store.go);
// current_observations and observations_as_of read them with the table.
package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"toll/pipeline/duck"
	"toll/schemas"
)

// FileName is the warehouse's file name inside the data directory.
const FileName = "toll.duckdb"

// WorkDir holds files a load derives from a payload while it runs (an unzipped release, a columnar
// copy of a payload); only the lock holder uses it, so a run starts by emptying it.
func WorkDir(dataDir string) string { return filepath.Join(dataDir, "work") }

// NewWorkDir makes a fresh folder under WorkDir for one load; the caller removes it.
func NewWorkDir(dataDir, prefix string) (string, error) {
	if err := os.MkdirAll(WorkDir(dataDir), 0o755); err != nil {
		return "", err
	}
	return os.MkdirTemp(WorkDir(dataDir), prefix+"-")
}

// Options tune how the warehouse is opened.
type Options struct {
	ReadOnly    bool
	MemoryLimit string // DuckDB memory_limit, e.g. "1GB"; empty means DuckDB's default
}

// Warehouse is an open warehouse.
type Warehouse struct {
	db  *sql.DB
	dir string
}

// Open opens (and on first use creates) the warehouse in dataDir. Every connection runs in UTC, with
// DuckDB's spill files kept inside the data directory.
func Open(ctx context.Context, dataDir string, opts Options) (*Warehouse, error) {
	if !opts.ReadOnly {
		if err := os.MkdirAll(dataDir, 0o755); err != nil {
			return nil, fmt.Errorf("open warehouse: %w", err)
		}
	}
	path := filepath.Join(dataDir, FileName)
	dsn := path
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open warehouse: %w (run `toll run` first)", err)
		}
		dsn += "?access_mode=READ_ONLY"
	}
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("open warehouse: %w", err)
	}
	// The views name the store's files relative to the data directory, so that it can move.
	db, err := duck.Open(dsn, duck.Options{TempDir: filepath.Join(dataDir, "tmp"), MemoryLimit: opts.MemoryLimit, SearchDir: dir})
	if err != nil {
		return nil, fmt.Errorf("open warehouse %s: %w", path, err)
	}
	w := &Warehouse{db: db, dir: dir}
	if !opts.ReadOnly {
		if err := w.migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open warehouse %s: %w", path, err)
		}
	}
	return w, nil
}

// Close closes the warehouse.
func (w *Warehouse) Close() error { return w.db.Close() }

// DB returns the database, for the snapshot stage and read-only queries.
func (w *Warehouse) DB() *sql.DB { return w.db }

// observationColumns returns the DDL column list of the observation table, from schemas.
func observationColumns() string {
	var cols []string
	for _, c := range schemas.Columns() {
		col := c.Name + " " + c.Type
		if !c.Nullable {
			col += " NOT NULL"
		}
		cols = append(cols, col)
	}
	return strings.Join(cols, ",\n  ")
}

// ObservationColumnNames returns the observation columns in table order, comma-separated.
func ObservationColumnNames() string {
	var names []string
	for _, c := range schemas.Columns() {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}

func (w *Warehouse) migrate(ctx context.Context) error {
	// An up-to-date warehouse needs no DDL; skipping it keeps a no-change night cheap.
	var current string
	if err := w.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'ddl_version'`).Scan(&current); err == nil &&
		current == ddlVersion {
		return nil
	}
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
		`CREATE TABLE IF NOT EXISTS observations (
  ` + observationColumns() + `,
  superseded_at TIMESTAMPTZ)`,
		`CREATE TABLE IF NOT EXISTS revisions (
  source VARCHAR NOT NULL, series_id VARCHAR NOT NULL,
  period_start DATE NOT NULL, period_end DATE NOT NULL, report_date DATE NOT NULL,
  old_value BIGINT, new_value BIGINT, old_basis VARCHAR, new_basis VARCHAR,
  old_raw_sha256 VARCHAR, new_raw_sha256 VARCHAR, old_fetched_at TIMESTAMPTZ, new_fetched_at TIMESTAMPTZ NOT NULL,
  run_id VARCHAR NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS series (
  series_id VARCHAR NOT NULL, source VARCHAR NOT NULL, country_iso3 VARCHAR NOT NULL,
  admin1_pcode VARCHAR, admin1_name VARCHAR, admin2_pcode VARCHAR, admin2_name VARCHAR,
  metric VARCHAR NOT NULL, subgroup VARCHAR NOT NULL, measure VARCHAR NOT NULL, variant VARCHAR,
  title VARCHAR NOT NULL, definition VARCHAR NOT NULL, field VARCHAR, headline BOOLEAN NOT NULL,
  distributor VARCHAR NOT NULL, docs VARCHAR)`,
		`CREATE TABLE IF NOT EXISTS payloads (
  source VARCHAR NOT NULL, raw_sha256 VARCHAR NOT NULL, url VARCHAR, fetched_at TIMESTAMPTZ NOT NULL,
  bytes BIGINT, path VARCHAR, run_id VARCHAR NOT NULL, rows BIGINT, loaded_at TIMESTAMPTZ NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS runs (
  run_id VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ, status VARCHAR NOT NULL,
  offline BOOLEAN NOT NULL, snapshot_id VARCHAR, error VARCHAR)`,
		`CREATE TABLE IF NOT EXISTS source_runs (
  run_id VARCHAR NOT NULL, source VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ NOT NULL,
  status VARCHAR NOT NULL, url VARCHAR, http_status INTEGER, payloads INTEGER, bytes BIGINT, raw_sha256 VARCHAR,
  rows BIGINT, added BIGINT, changed BIGINT, removed BIGINT, revisions BIGINT, warnings VARCHAR[], error VARCHAR)`,
		`ALTER TABLE revisions ADD COLUMN IF NOT EXISTS record_id VARCHAR`,
		`ALTER TABLE series ADD COLUMN IF NOT EXISTS publisher VARCHAR`,
		`ALTER TABLE series ADD COLUMN IF NOT EXISTS cadence_days INTEGER`,
		`CREATE TABLE IF NOT EXISTS http_validators (
  source VARCHAR NOT NULL, url VARCHAR NOT NULL, etag VARCHAR, last_modified VARCHAR, updated_at TIMESTAMPTZ NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS stored_files (source VARCHAR NOT NULL, path VARCHAR NOT NULL, rows BIGINT NOT NULL)`,
	}
	for _, s := range stmts {
		if _, err := w.db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	if err := w.upgradeStore(ctx); err != nil {
		return err
	}
	if err := defineViews(ctx, w.db); err != nil {
		return err
	}
	var version string
	err := w.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&version)
	want := fmt.Sprint(schemas.Version())
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = w.db.ExecContext(ctx, `INSERT INTO meta VALUES ('schema_version', ?)`, want)
		return err
	case err != nil:
		return err
	case version == "1" && want == "3":
		if err := w.upgradeFrom1(ctx); err != nil {
			return fmt.Errorf("upgrading the warehouse from schema version 1: %w", err)
		}
	case version == "2" && want == "3": // the snapshot's layout changed, not the tables
		if _, err := w.db.ExecContext(ctx, `UPDATE meta SET value = '3' WHERE key = 'schema_version'`); err != nil {
			return err
		}
	case version != want:
		return fmt.Errorf("warehouse has schema version %s, this toll writes %s", version, want)
	}
	_, err = w.db.ExecContext(ctx, `INSERT OR REPLACE INTO meta VALUES ('ddl_version', ?)`, ddlVersion)
	return err
}

// ddlVersion names the warehouse's tables as this code creates them; bump it with every DDL change so
// that existing warehouses get the change (statements above must be idempotent).
const ddlVersion = "6"

// upgradeFrom1 adds schema version 2's record_id to the observations of a version 1 warehouse, in its
// place among the columns (ADD COLUMN would put it after superseded_at), in one transaction. Version 3
// changed no table.
func (w *Warehouse) upgradeFrom1(ctx context.Context) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var cols []string
	for _, c := range schemas.Columns() {
		if c.Name == "record_id" {
			cols = append(cols, "NULL::VARCHAR AS record_id")
		} else {
			cols = append(cols, c.Name)
		}
	}
	for _, s := range []string{
		`ALTER TABLE observations RENAME TO observations_v1`,
		`CREATE TABLE observations (
  ` + observationColumns() + `,
  superseded_at TIMESTAMPTZ)`,
		`INSERT INTO observations SELECT ` + strings.Join(cols, ", ") + `, superseded_at FROM observations_v1`,
		`DROP TABLE observations_v1`,
		`UPDATE meta SET value = '3' WHERE key = 'schema_version'`,
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return tx.Commit()
}
