package load

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"toll/pipeline/duck"
	"toll/pipeline/obs"
	"toll/pipeline/source"
)

// LoadQuery loads one vintage of a source that normalizes in SQL (a source.QuerySource): DuckDB runs
// q.Rows over the payload's file (the archived one, or what the source prepared of it), so the rows
// never pass through Go. check is given one row per series
// and basis (the normalize stage's checks) before anything is committed.
//
// Such a source's current rows are kept in the store (see store.go). Its first vintage is written there
// whole; a later one is compared by fingerprints, and only its rows that differ are staged and merged as
// Load merges them (see stageChanges), the stored rows they replace becoming superseded versions in the
// table.
func (w *Warehouse) LoadQuery(ctx context.Context, v Vintage, spec source.Spec, q source.Query,
	check func([]obs.Observation) error) (Stats, []obs.Warning, error) {
	current, err := currentRowCount(ctx, w.db, v.Source)
	if err != nil {
		return Stats{}, nil, err
	}
	var stats Stats
	if current == 0 {
		stats, err = w.storeFirst(ctx, v, spec, q.Rows, check)
	} else {
		stats, err = w.load(ctx, v, spec, func(conn *sql.Conn) (staged, error) {
			return w.stageChanges(ctx, conn, v, q.Rows, check)
		})
	}
	if err != nil {
		return stats, nil, err
	}
	var warnings []obs.Warning
	for _, query := range []string{q.Warnings, checksOver(q, v.Source)} {
		if query == "" {
			continue
		}
		more, err := w.queryWarnings(ctx, v.Source, query)
		if err != nil {
			return stats, warnings, err
		}
		warnings = append(warnings, more...)
	}
	return stats, warnings, nil
}

// checksOver is q's checks over the source's current rows, or "" when q has none.
func checksOver(q source.Query, name string) string {
	if q.Checks == nil {
		return ""
	}
	return q.Checks(`(SELECT * FROM current_observations WHERE source = ` + duck.String(name) + `)`)
}

// storeFirst writes a source's first vintage to the store, checks the written rows and records them in
// one transaction.
func (w *Warehouse) storeFirst(ctx context.Context, v Vintage, spec source.Spec, rows string,
	check func([]obs.Observation) error) (stats Stats, err error) {
	conn, err := w.loadConn(ctx, v)
	if err != nil {
		return stats, err
	}
	defer conn.Close()
	gen, err := w.writeGeneration(ctx, conn, v, `SELECT `+storeColumns(v.Source, vintageProvenance(v))+` FROM (`+rows+`)`)
	if err != nil {
		return stats, &obs.RowError{Source: v.Source, Record: "payload " + v.Path, Err: err}
	}
	defer func() {
		if err != nil {
			os.RemoveAll(gen.dir)
		}
	}()
	stats.Rows, stats.Added = gen.rows(), gen.rows()
	var series []obs.Observation
	if len(gen.files) == 0 { // no rows: nothing to store or check
		os.RemoveAll(gen.dir)
		gen = generation{}
	} else if _, series, err = checkStaged(ctx, conn, v.Source, storedRelation(gen.files, ""), check); err != nil {
		return stats, err
	} else if err = checkHold(ctx, conn, v, spec, storedRelation(gen.files, ""), "", nil, 0, 0, false); err != nil {
		return stats, fmt.Errorf("load %s: %w", v.Source, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.incoming_series`)
	if err := stageSeries(ctx, conn, spec, series); err != nil {
		return stats, fmt.Errorf("load %s: staging series: %w", v.Source, err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return stats, err
	}
	defer tx.Rollback()
	if err := w.setStored(ctx, tx, v.Source, gen); err != nil {
		return stats, fmt.Errorf("load %s: %w", v.Source, err)
	}
	if err := finish(ctx, tx, v, spec, stats.Rows); err != nil {
		return stats, fmt.Errorf("load %s: %w", v.Source, err)
	}
	return stats, nil
}

// keyHash and rowHash fingerprint an observation's key and what makes two versions the same (sameRow).
// The key's is 128 bits, so that two keys of ten million never share one: the md5 of its strings,
// XORed with its three dates packed side by side (each DATE's 32 bits, offset to be unsigned). Two keys
// with the same strings then share it only with the same dates, and two with other strings only by
// chance, one in 2^128. Formatted as text, the dates would give md5 two blocks to hash instead of one.
// A 64-bit row fingerprint shared by two versions of one key would hide one revision in 2^64.
const (
	keyHash = `xor(md5_number(concat_ws('|', series_id, coalesce(record_id, ''))),
    ((period_start - DATE '1970-01-01' + 2147483648)::UHUGEINT << 64)
    | ((period_end - DATE '1970-01-01' + 2147483648)::UHUGEINT << 32)
    | (report_date - DATE '1970-01-01' + 2147483648)::UHUGEINT)`
	rowHash = `hash(value, value_low, value_high, basis, publisher, distributor, admin1_name, admin2_name)`
)

// stageChanges stages the rows of a later vintage that differ from the source's current rows (in the
// table and in the store). The payload's keys and rows are fingerprinted (24 bytes a row, where staging
// whole rows would hold gigabytes uncompressed) and compared with the current rows' fingerprints; then
// the payload is read again for the rows whose fingerprint is new, and the merge compares those with the
// current rows they replace by their real keys. Stored rows among those are copied out of the store into
// temp.replaced, and the merge's commit writes the store's next generation without the ones it
// supersedes (see replaceStored).
func (w *Warehouse) stageChanges(ctx context.Context, conn *sql.Conn, v Vintage, rows string, check func([]obs.Observation) error) (staged, error) {
	payloadErr := func(err error) error { return &obs.RowError{Source: v.Source, Record: "payload " + v.Path, Err: err} }
	var st staged
	stored, err := storedFiles(ctx, conn)
	if err != nil {
		return st, err
	}
	files := stored[v.Source]
	// The payload is read twice, so it is normalized once into a columnar file that both reads scan.
	work, err := NewWorkDir(w.dir, v.Source)
	if err != nil {
		return st, err
	}
	defer os.RemoveAll(work)
	normalized := filepath.Join(work, "payload.parquet")
	if _, err := conn.ExecContext(ctx, `COPY (`+rows+`) TO `+duck.String(normalized)+` (FORMAT parquet)`); err != nil {
		return st, payloadErr(err)
	}
	rows = `SELECT * FROM read_parquet(` + duck.String(normalized) + `)`
	// Each fingerprint keeps its row's number in the work file, so that the rows to stage are picked by
	// number, not by hashing every row again.
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE fingerprints AS
  SELECT file_row_number AS payload_row, `+keyHash+` AS key_hash, `+rowHash+` AS row_hash
  FROM read_parquet(`+duck.String(normalized)+`, file_row_number = true)`); err != nil {
		return st, payloadErr(err)
	}
	var distinct int64
	if err = conn.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT key_hash) FROM fingerprints`).Scan(&st.rows, &distinct); err != nil {
		return st, err
	}
	if distinct < st.rows { // a repeated key (or, in theory, two keys sharing a fingerprint): stage every
		// row and merge as Load does; checkStaged names a repeated key
		if _, err := conn.ExecContext(ctx, `INSERT INTO incoming BY NAME SELECT * FROM (`+rows+`)`); err != nil {
			return st, payloadErr(err)
		}
		_, st.series, err = checkStaged(ctx, conn, v.Source, "incoming", check)
		if err == nil && len(files) > 0 {
			err = fmt.Errorf("load %s: two keys share a fingerprint; the stored rows cannot be merged", v.Source)
		}
		return st, err
	}
	// The current rows whose fingerprint is not the payload's (changed or removed), and the payload's
	// keys whose fingerprint is not current (changed or added). A current row is a row of the table or a
	// row of a stored file.
	current := `SELECT rowid AS obs_row, NULL::VARCHAR AS file, NULL::BIGINT AS file_row, ` + keyHash + ` AS key_hash, ` + rowHash + ` AS row_hash
    FROM observations WHERE source = ? AND superseded_at IS NULL`
	if len(files) > 0 {
		current += `
    UNION ALL SELECT NULL, filename, file_row_number, ` + keyHash + `, ` + rowHash + ` FROM ` + storedRelation(files, withFileRows)
	}
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE differing AS
  SELECT c.obs_row, c.file, c.file_row, i.payload_row
  FROM fingerprints i FULL JOIN (`+current+`) c ON i.key_hash = c.key_hash AND i.row_hash = c.row_hash
  WHERE c.key_hash IS NULL OR i.key_hash IS NULL`, v.Source); err != nil {
		return st, err
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO incoming BY NAME SELECT * EXCLUDE (file_row_number)
  FROM read_parquet(`+duck.String(normalized)+`, file_row_number = true)
  WHERE file_row_number IN (SELECT payload_row FROM differing WHERE payload_row IS NOT NULL)`); err != nil {
		return st, payloadErr(err)
	}
	if _, _, err := checkStaged(ctx, conn, v.Source, "incoming", nil); err != nil { // check runs on every series below
		return st, err
	}
	// The merge sorts the staged rows and the current rows that differ (changed or removed) by their
	// real keys.
	st.current = `(SELECT * FROM observations WHERE rowid IN (SELECT obs_row FROM differing WHERE obs_row IS NOT NULL))`
	// The source's series after the load: those of the current rows that stay, and the staged ones'.
	after := fmt.Sprintf(`(SELECT * FROM observations WHERE source = %s AND superseded_at IS NULL
    AND rowid NOT IN (SELECT obs_row FROM differing WHERE obs_row IS NOT NULL)
  UNION ALL BY NAME SELECT * FROM incoming`, duck.String(v.Source))
	if len(files) > 0 {
		if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE replaced AS
  SELECT s.* FROM `+storedRelation(files, withFileRows)+` s
    SEMI JOIN differing d ON s.filename = d.file AND s.file_row_number = d.file_row`); err != nil {
			return st, err
		}
		st.current = `(SELECT * FROM ` + st.current + ` UNION ALL BY NAME SELECT * EXCLUDE (filename, file_row_number) FROM replaced)`
		after += `
  UNION ALL BY NAME SELECT s.* EXCLUDE (filename, file_row_number) FROM ` + storedRelation(files, withFileRows) + ` s
    ANTI JOIN replaced r USING (filename, file_row_number)`
		st.replaceStored = func(tx *sql.Tx) (func(committed bool), error) { return w.replaceStored(ctx, tx, v, files) }
	}
	st.series, err = stagedSeries(ctx, conn, after+")")
	if err == nil {
		err = check(st.series)
	}
	return st, err
}

// replaceStored supersedes, inside the merge's transaction tx, the stored rows in temp.replaced that the
// merge (temp.matched) found changed or removed: they are inserted into the table as superseded
// versions, and the source's next generation is written without them. It returns what to do once the
// transaction ends: remove the generation the store no longer names.
func (w *Warehouse) replaceStored(ctx context.Context, tx *sql.Tx, v Vintage, files []StoredFile) (func(committed bool), error) {
	noop := func(bool) {}
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE superseded_stored AS
  SELECT a.* FROM replaced a SEMI JOIN (SELECT * FROM matched WHERE NOT added AND NOT same) b ON `+keyMatch); err != nil {
		return noop, err
	}
	var n int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM superseded_stored`).Scan(&n); err != nil || n == 0 {
		return noop, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO observations BY NAME
  SELECT * EXCLUDE (filename, file_row_number), ?::TIMESTAMPTZ AS superseded_at FROM superseded_stored`, v.FetchedAt.UTC()); err != nil {
		return noop, err
	}
	oldGen, _ := files[0].Within()
	old := filepath.Join(StoreDir(w.dir), v.Source, oldGen)
	gen, err := w.writeGeneration(ctx, tx, v, `SELECT `+storeColumns(v.Source, nil)+`
  FROM `+storedRelation(files, withFileRows)+` s
  ANTI JOIN superseded_stored r USING (filename, file_row_number)`)
	if err != nil {
		return noop, err
	}
	done := func(committed bool) {
		if committed {
			os.RemoveAll(old)
		} else {
			os.RemoveAll(gen.dir)
		}
	}
	if len(gen.files) == 0 {
		os.RemoveAll(gen.dir)
		gen = generation{}
	}
	return done, w.setStored(ctx, tx, v.Source, gen)
}

// currentRowCount returns how many current rows a source has, in the table and in the store.
func currentRowCount(ctx context.Context, q queryer, source string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM observations WHERE source = ? AND superseded_at IS NULL) +
  (SELECT coalesce(sum(rows), 0) FROM stored_files WHERE source = ?)`, source, source).Scan(&n)
	return n, err
}

// queryer is a connection or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ErrRepeatedKey is the error for rows that give one observation (its key) twice. The normalize stage
// decides what to keep (normalize.KeepOnePerKey).
var ErrRepeatedKey = fmt.Errorf("%w: two rows for one observation", obs.ErrInvalid)

// checkStaged checks rows a query produced (relation: a table or a parenthesised SELECT): no key twice,
// and, unless check is nil, check on one row per series and basis. It returns the row count and those
// rows.
func checkStaged(ctx context.Context, db queryer, name, relation string, check func([]obs.Observation) error) (int64, []obs.Observation, error) {
	// Counting distinct key hashes is much cheaper than grouping by the key; only when the counts differ
	// (a repeated key, or a hash collision) is the key grouped to find it.
	var n, distinct int64
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT hash(series_id, period_start, period_end,
  report_date, record_id)) FROM `+relation).Scan(&n, &distinct); err != nil {
		return 0, nil, err
	}
	if distinct < n {
		var series, record sql.NullString
		var report sql.NullTime
		err := db.QueryRowContext(ctx, `SELECT series_id, report_date, record_id FROM `+relation+`
  GROUP BY series_id, period_start, period_end, report_date, record_id HAVING count(*) > 1 LIMIT 1`).Scan(&series, &report, &record)
		switch {
		case err == nil:
			return 0, nil, &obs.RowError{Source: name, Record: fmt.Sprintf("record %s (series %s, %s)", record.String,
				series.String, report.Time.Format(obs.DateLayout)), Err: ErrRepeatedKey}
		case err != sql.ErrNoRows:
			return 0, nil, err
		}
	}
	if check == nil {
		return n, nil, nil
	}
	rows, err := stagedSeries(ctx, db, relation)
	if err != nil {
		return 0, nil, err
	}
	return n, rows, check(rows)
}

// stagedSeries returns one row per series and basis of relation, with its Series rebuilt from the
// columns and the series_id. The columns a store's folders hold come first: they are constant within
// each file, which makes DuckDB's DISTINCT over stored rows cheaper.
func stagedSeries(ctx context.Context, db queryer, relation string) ([]obs.Observation, error) {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT source, country_iso3, metric, subgroup, series_id,
  admin1_pcode, admin2_pcode, measure, basis FROM `+relation+` ORDER BY series_id, basis`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []obs.Observation
	for rows.Next() {
		var o obs.Observation
		var a1, a2 sql.NullString
		s := &o.Series
		if err := rows.Scan(&s.Source, &s.Place.CountryISO3, &s.Metric, &s.Subgroup, &o.SeriesID, &a1, &a2,
			&s.Measure, &o.Basis); err != nil {
			return nil, err
		}
		s.Place.Admin1Pcode, s.Place.Admin2Pcode = a1.String, a2.String
		s.Variant = obs.VariantOf(o.SeriesID)
		out = append(out, o)
	}
	return out, rows.Err()
}

// queryWarnings runs a source's warnings query: (record, field, message) rows.
func (w *Warehouse) queryWarnings(ctx context.Context, name, query string) ([]obs.Warning, error) {
	rows, err := w.db.QueryContext(ctx, query)
	if err != nil {
		return nil, &obs.RowError{Source: name, Record: "payload", Err: err}
	}
	defer rows.Close()
	var out []obs.Warning
	for rows.Next() {
		wr := obs.Warning{Source: name}
		if err := rows.Scan(&wr.Record, &wr.Field, &wr.Msg); err != nil {
			return nil, err
		}
		out = append(out, wr)
	}
	return out, rows.Err()
}
