package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"toll/pipeline/duck"
	"toll/schemas"
)

// The store keeps the current observations of sources that normalize in SQL (source.QuerySource: event
// datasets of millions of rows) as Parquet files beside the warehouse, not in its observations table:
//
//	<data-dir>/store/<source>/<generation>/<country_iso3>/<metric>/<subgroup>/data_N.parquet
//
// Every file holds every observation column, in schemas' order and types, so that a snapshot takes the
// files as they are into its observations dataset, where every file has one schema.
//
// DuckDB writes Parquet about twice as fast as it inserts into its own tables, and a snapshot takes the
// files by hard link instead of exporting them again. The table stays the record of versions: it holds
// such a source's superseded versions, and the current rows of later vintages that changed (a few,
// where the files hold millions). The table stored_files lists each source's files; the view
// current_observations and the macro observations_as_of read them with the table.
//
// A generation is never modified. A later vintage that supersedes stored rows writes a new generation
// without them, in the transaction that records the change, and the old one is removed after the
// commit; a generation no transaction names (a run killed in between) is removed by RemoveUnstored.

// StoreDir is the folder of the store inside a data directory.
func StoreDir(dataDir string) string { return filepath.Join(dataDir, "store") }

// StoredFile is one Parquet file of a stored source.
type StoredFile struct {
	Path string // store/<source>/<generation>/<partition folders…>/<name>, relative to the data directory
	Rows int64
}

// Within returns the file's generation and its path inside it (partition folders and name).
func (f StoredFile) Within() (generation, path string) {
	parts := strings.SplitN(f.Path, "/", 4) // store, source, generation, the rest
	if len(parts) < 4 {
		return "", f.Path
	}
	return parts[2], parts[3]
}

// generation is a folder of files written for one source by one load.
type generation struct {
	dir   string // absolute
	files []StoredFile
}

func (g generation) rows() int64 {
	var n int64
	for _, f := range g.files {
		n += f.Rows
	}
	return n
}

// storedFiles returns the files the store holds for each source, as the warehouse last committed them.
func storedFiles(ctx context.Context, db queryer) (map[string][]StoredFile, error) {
	rows, err := db.QueryContext(ctx, `SELECT source, path, rows FROM stored_files ORDER BY source, path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]StoredFile{}
	for rows.Next() {
		var source string
		var f StoredFile
		if err := rows.Scan(&source, &f.Path, &f.Rows); err != nil {
			return nil, err
		}
		out[source] = append(out[source], f)
	}
	return out, rows.Err()
}

// withFileRows are the read_parquet options of storedRelation that name each row by its file and its
// row number in it.
const withFileRows = ", filename = true, file_row_number = true"

// storedRelation is a source's stored rows as a parenthesised SELECT with every observation column, and
// with extra read_parquet options (", filename = true"). The files are named relative to the data
// directory, which the warehouse's connections search.
func storedRelation(files []StoredFile, options string) string {
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = duck.String(f.Path)
	}
	return fmt.Sprintf(`(SELECT * FROM read_parquet([%s], hive_partitioning = false%s))`, strings.Join(paths, ", "), options)
}

// storeColumns is the select list that writes the rows of a query (every observation column, as the
// stage's sources give them) to the store, each column of schemas' type, in schemas' order, with the
// source's name as its source. A missing value or a term outside the vocabularies fails the write
// naming the record and the field. Low-cardinality strings are written as ENUM: Parquet writes a
// repeated VARCHAR value by value and an ENUM as one dictionary, and both as the same UTF8 column, so
// that readers see one schema.
// provenance, when not empty, replaces the rows' provenance columns (constants of one vintage).
func storeColumns(name string, provenance map[string]string) string {
	// A failing row's message: what ends it is given as concat's arguments. Each message is one concat
	// of constants and columns, different for each field: messages that shared a part (the record and
	// the series) had DuckDB compute that part for every row, not only for the row that fails.
	fail := func(field, what string) string {
		return fmt.Sprintf(`error(concat(%s, ': record ', record_id, ' of series ', series_id, ': field %s ', %s))`,
			duck.String(name), field, what)
	}
	var cols []string
	for _, c := range schemas.Columns() {
		expr := c.Name
		switch terms := schemas.Terms(c.Name); {
		case c.Name == "source":
			expr = fmt.Sprintf("CAST(%s AS %s)", duck.String(name), duck.Enum(name))
		case provenance[c.Name] != "":
			expr = provenance[c.Name]
		case len(terms) > 0:
			expr = fmt.Sprintf(`coalesce(TRY_CAST(%s AS %s), %s)`, c.Name, duck.Enum(terms...),
				fail(c.Name, `'is ', coalesce(CAST(`+c.Name+` AS VARCHAR), 'empty'), ', not a term of schemas/vocabulary.yaml'`))
		case !c.Nullable:
			expr = fmt.Sprintf(`CAST(coalesce(%s, %s) AS %s)`, c.Name, fail(c.Name, `'is empty'`), c.Type)
		default: // a column a source leaves NULL would otherwise be written as DuckDB types the NULL
			expr = fmt.Sprintf(`CAST(%s AS %s)`, c.Name, c.Type)
		}
		cols = append(cols, expr+" AS "+c.Name)
	}
	return strings.Join(cols, ",\n  ")
}

// vintageProvenance is a vintage's provenance as constant columns for storeColumns.
func vintageProvenance(v Vintage) map[string]string {
	return map[string]string{
		"raw_sha256": fmt.Sprintf("CAST(%s AS %s)", duck.String(v.SHA256), duck.Enum(v.SHA256)),
		"fetched_at": fmt.Sprintf("TIMESTAMPTZ %s", duck.String(v.FetchedAt.UTC().Format("2006-01-02 15:04:05.999999Z07:00"))),
		"run_id":     fmt.Sprintf("CAST(%s AS %s)", duck.String(v.RunID), duck.Enum(v.RunID)),
	}
}

// writeGeneration writes the rows of query (a SELECT in storeColumns' shape) to a new generation folder
// of v's source, named after the run and the payload, and flushes the files to disk. On error nothing is
// left behind.
func (w *Warehouse) writeGeneration(ctx context.Context, db queryer, v Vintage, query string) (generation, error) {
	gen := generation{dir: filepath.Join(StoreDir(w.dir), v.Source, v.RunID+"-"+v.SHA256[:min(12, len(v.SHA256))])}
	if err := os.MkdirAll(filepath.Dir(gen.dir), 0o755); err != nil {
		return gen, err
	}
	os.RemoveAll(gen.dir) // a generation of this run that an earlier attempt left
	rows, err := db.QueryContext(ctx, `COPY (SELECT *, `+partitionCode()+
		` AS `+partitionColumn+` FROM (`+query+`)) TO `+duck.String(gen.dir)+
		fmt.Sprintf(` (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (%s), KV_METADATA {toll_schema_version: '%d'}, RETURN_STATS)`,
			partitionColumn, schemas.Version()))
	if err != nil {
		os.RemoveAll(gen.dir)
		return gen, err
	}
	defer rows.Close()
	var written []StoredFile // named as DuckDB wrote them
	for rows.Next() {
		var f StoredFile
		var ignored [4]any
		if err = rows.Scan(&f.Path, &f.Rows, &ignored[0], &ignored[1], &ignored[2], &ignored[3]); err != nil {
			break
		}
		written = append(written, f)
	}
	if err == nil {
		err = rows.Err()
	}
	if err == nil {
		gen.files, err = w.nameFolders(gen.dir, written)
	}
	if err == nil {
		err = syncTree(gen.dir) // the files are the only copy of the current rows once committed
	}
	if err != nil {
		os.RemoveAll(gen.dir)
	}
	return gen, err
}

// A generation is partitioned by country_iso3, metric and subgroup, what a dashboard or an analyst
// filters on first (not by year, which would make thousands of small files). It is written partitioned
// by one integer column, partitionColumn (partitionCode's value), that stands for the three, and its
// folders are renamed after the write (nameFolders). DuckDB's partitioned write builds a value for
// every row and partition column, and an integer costs less than a string or an ENUM. The measured
// gain is in docs/decisions/0004.
const partitionColumn = "store_partition"

// countryCodes is how many codes a stored row's country_iso3 can have: three letters A-Z, as every ISO
// 3166-1 alpha-3 code is. countryCode gives the i-th, from AAA to ZZZ.
const countryCodes = 26 * 26 * 26

func countryCode(i int) string {
	return string([]byte{'A' + byte(i/(26*26)), 'A' + byte(i/26%26), 'A' + byte(i%26)})
}

// partitionCode numbers a row's (country_iso3, metric, subgroup) by the places of its country among the
// country codes and of its metric and subgroup among the vocabulary's terms (storeColumns gives those as
// ENUMs of the terms, in order). A country code of another shape fails the write, naming the record.
// It is built once, when first needed: the ENUM of every country code is 120 KB of SQL.
var partitionCode = sync.OnceValue(func() string {
	codes := make([]string, countryCodes)
	for i := range codes {
		codes[i] = countryCode(i)
	}
	return fmt.Sprintf(`(coalesce(CAST(enum_code(TRY_CAST(country_iso3 AS %s)) AS BIGINT),
    error(concat('record ', record_id, ' of series ', series_id, ': field country_iso3 is ', country_iso3, ', not three letters A-Z (ISO 3166-1 alpha-3)')))
  * %d + enum_code(metric)) * %d + enum_code(subgroup)`,
		duck.Enum(codes...), len(schemas.Terms("metric")), len(schemas.Terms("subgroup")))
})

// nameFolders renames the partitionColumn folders of the generation at dir, which no reader sees before
// it is committed, to the folders of the country, metric and subgroup their codes stand for
// (<country_iso3>/<metric>/<subgroup>), and returns the files as they are then named, relative to the
// data directory.
func (w *Warehouse) nameFolders(dir string, written []StoredFile) ([]StoredFile, error) {
	metrics, subgroups := schemas.Terms("metric"), schemas.Terms("subgroup")
	named := map[string]string{} // partitionColumn=N -> <country_iso3>/<metric>/<subgroup>
	var files []StoredFile
	for _, f := range written {
		within, err := filepath.Rel(dir, f.Path)
		if err != nil {
			return nil, err
		}
		folder, name, _ := strings.Cut(filepath.ToSlash(within), "/")
		if _, ok := named[folder]; !ok {
			code, err := strconv.Atoi(strings.TrimPrefix(folder, partitionColumn+"="))
			if err != nil || code < 0 || code >= countryCodes*len(metrics)*len(subgroups) {
				return nil, fmt.Errorf("stored file %s: %s is not a partition's folder", f.Path, folder)
			}
			subgroup, code := subgroups[code%len(subgroups)], code/len(subgroups)
			metric, country := metrics[code%len(metrics)], countryCode(code/len(metrics))
			named[folder] = country + "/" + metric + "/" + subgroup
			to := filepath.Join(dir, filepath.FromSlash(named[folder]))
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				return nil, err
			}
			if err := os.Rename(filepath.Join(dir, folder), to); err != nil {
				return nil, err
			}
		}
		rel, err := filepath.Rel(w.dir, filepath.Join(dir, filepath.FromSlash(named[folder]+"/"+name)))
		if err != nil {
			return nil, err
		}
		files = append(files, StoredFile{Path: filepath.ToSlash(rel), Rows: f.Rows})
	}
	return files, nil
}

// syncTree flushes every file and folder under dir, and dir's parent, to disk.
func syncTree(dir string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return duck.Sync(path)
	})
	if err != nil {
		return err
	}
	return duck.Sync(filepath.Dir(dir))
}

// execer is a connection or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// setStored records gen as source's files (none: the source has no stored rows) and redefines the views
// over the store, on tx.
func (w *Warehouse) setStored(ctx context.Context, tx *sql.Tx, source string, gen generation) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM stored_files WHERE source = ?`, source); err != nil {
		return err
	}
	for _, f := range gen.files {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stored_files VALUES (?, ?, ?)`, source, f.Path, f.Rows); err != nil {
			return err
		}
	}
	return defineViews(ctx, tx)
}

// defineViews (re)defines current_observations and observations_as_of over the observations table and
// the store's files.
func defineViews(ctx context.Context, tx interface {
	execer
	queryer
}) error {
	stored, err := storedFiles(ctx, tx)
	if err != nil {
		return err
	}
	current := `SELECT * EXCLUDE (superseded_at) FROM observations WHERE superseded_at IS NULL`
	asOf := `SELECT * EXCLUDE (superseded_at) FROM observations WHERE fetched_at <= t AND (superseded_at IS NULL OR superseded_at > t)`
	for _, source := range slices.Sorted(maps.Keys(stored)) {
		rel := storedRelation(stored[source], "")
		current += "\n  UNION ALL BY NAME SELECT * FROM " + rel
		asOf += "\n  UNION ALL BY NAME SELECT * FROM " + rel + " WHERE fetched_at <= t"
	}
	for _, s := range []string{
		`CREATE OR REPLACE VIEW current_observations AS ` + current,
		`CREATE OR REPLACE MACRO observations_as_of(t) AS TABLE ` + asOf,
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("defining the views over the store: %w", err)
		}
	}
	return nil
}

// upgradeStore rewrites the generations that toll wrote before ddl version 6: their files left the
// source and the partition columns to Hive folders (country_iso3=…/metric=…/subgroup=…). Each source's
// rewrite is one transaction, after which every stored file has the observation's schema.
func (w *Warehouse) upgradeStore(ctx context.Context) error {
	stored, err := storedFiles(ctx, w.db)
	if err != nil {
		return err
	}
	for _, source := range slices.Sorted(maps.Keys(stored)) {
		files := stored[source]
		var current bool
		if err := w.db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM parquet_schema(?) WHERE name = 'source'`,
			filepath.Join(w.dir, filepath.FromSlash(files[0].Path))).Scan(&current); err != nil {
			return fmt.Errorf("upgrading the store of %s: %w", source, err)
		}
		if current {
			continue
		}
		paths := make([]string, len(files))
		for i, f := range files {
			paths[i] = duck.String(f.Path)
		}
		oldGen, _ := files[0].Within()
		gen, err := w.writeGeneration(ctx, w.db, Vintage{Source: source, RunID: "upgrade", SHA256: oldGen},
			`SELECT `+storeColumns(source, nil)+` FROM read_parquet([`+strings.Join(paths, ", ")+`], hive_partitioning = true)`)
		if err != nil {
			return fmt.Errorf("upgrading the store of %s: %w", source, err)
		}
		if err := w.commitStored(ctx, source, gen); err != nil {
			os.RemoveAll(gen.dir)
			return fmt.Errorf("upgrading the store of %s: %w", source, err)
		}
		os.RemoveAll(filepath.Join(StoreDir(w.dir), source, oldGen))
	}
	return nil
}

// commitStored records gen as source's files in a transaction of its own.
func (w *Warehouse) commitStored(ctx context.Context, source string, gen generation) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := w.setStored(ctx, tx, source, gen); err != nil {
		return err
	}
	return tx.Commit()
}

// RemoveUnstored removes the store's folders that the warehouse does not name: generations a killed
// run wrote or had still to remove. Call it only while holding the data directory's lock.
func (w *Warehouse) RemoveUnstored(ctx context.Context) error {
	stored, err := storedFiles(ctx, w.db)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for source, files := range stored {
		for _, f := range files {
			gen, _ := f.Within()
			keep[filepath.Join(StoreDir(w.dir), source, gen)] = true
		}
	}
	gens, err := filepath.Glob(filepath.Join(StoreDir(w.dir), "*", "*"))
	if err != nil {
		return err
	}
	var errs []error
	for _, g := range gens {
		if !keep[g] {
			errs = append(errs, os.RemoveAll(g))
		}
	}
	return errors.Join(errs...)
}
