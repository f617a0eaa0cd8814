package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"toll/pipeline/crashpoint"
	"toll/pipeline/obs"
	"toll/pipeline/source"
)

// Vintage is the provenance of one payload being loaded.
type Vintage struct {
	Source    string
	SHA256    string
	URL       string
	Path      string
	Bytes     int64
	FetchedAt time.Time
	RunID     string
	Accept    bool // a person has looked: load it even where the source's Hold rules would hold it back
}

// Stats says what loading a vintage changed.
type Stats struct {
	Rows      int64 // observations in the payload
	Added     int64 // keys the previous vintage did not have
	Changed   int64 // keys whose value, range, basis or publisher changed
	Removed   int64 // keys the new vintage no longer has
	Revisions int64 // rows written to revisions (value changes and removals)
}

// ErrOlderVintage is returned for a payload fetched no later than the newest vintage already loaded for
// its source: versions are kept in fetch order, so it cannot be placed in the history.
var ErrOlderVintage = errors.New("payload is not newer than the latest loaded vintage")

// Loaded reports whether the payload with this hash was already loaded for the source.
func (w *Warehouse) Loaded(ctx context.Context, source, sha256 string) (bool, error) {
	var n int
	err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM payloads WHERE source = ? AND raw_sha256 = ?`, source, sha256).Scan(&n)
	return n > 0, err
}

// appendOrder is the column order the appender writes to the staging table: the observation's columns
// but the provenance ones, which are the same for every row of a vintage and added when rows are
// inserted. A test checks it against schemas.
var appendOrder = []string{"source", "series_id", "country_iso3", "admin1_pcode", "admin1_name", "admin2_pcode",
	"admin2_name", "metric", "subgroup", "measure", "period_start", "period_end", "report_date", "record_id", "value",
	"value_low", "value_high", "basis", "publisher", "distributor"}

// provenance are the observation columns a vintage gives every row.
const provenance = "raw_sha256, fetched_at, run_id"

// withProvenance is the select list that adds a vintage's provenance to staged rows, by name; its
// arguments are provenanceArgs.
const withProvenance = `*, ?::VARCHAR AS raw_sha256, ?::TIMESTAMPTZ AS fetched_at, ?::VARCHAR AS run_id`

func provenanceArgs(v Vintage) []any { return []any{v.SHA256, v.FetchedAt.UTC(), v.RunID} }

func nullable(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func nullableInt(p *int64) driver.Value {
	if p == nil {
		return nil
	}
	return *p
}

func rowValues(o obs.Observation) []driver.Value {
	p := o.Series.Place
	return []driver.Value{o.Series.Source, o.SeriesID, p.CountryISO3, nullable(p.Admin1Pcode), nullable(p.Admin1Name),
		nullable(p.Admin2Pcode), nullable(p.Admin2Name), o.Series.Metric, o.Series.Subgroup, o.Series.Measure,
		o.PeriodStart, o.PeriodEnd, o.ReportDate, nullable(o.RecordID), o.Value, nullableInt(o.ValueLow), nullableInt(o.ValueHigh),
		o.Basis, o.Publisher, o.Distributor}
}

// The key of an observation across vintages, and what makes two versions the same.
const (
	keyMatch = `a.series_id = b.series_id AND a.period_start = b.period_start AND a.period_end = b.period_end AND a.report_date = b.report_date
  AND a.record_id IS NOT DISTINCT FROM b.record_id`
	sameValue = `a.value = b.value AND a.value_low IS NOT DISTINCT FROM b.value_low AND a.value_high IS NOT DISTINCT FROM b.value_high`
	sameRow   = sameValue + ` AND a.basis = b.basis AND a.publisher = b.publisher AND a.distributor = b.distributor
  AND a.admin1_name IS NOT DISTINCT FROM b.admin1_name AND a.admin2_name IS NOT DISTINCT FROM b.admin2_name`
)

// Load loads one vintage of a source in one transaction: unchanged observations stay as they are,
// changed and removed ones are superseded, new versions are inserted, and value changes and removals are
// written to revisions. The source's series metadata is replaced by spec's.
func (w *Warehouse) Load(ctx context.Context, v Vintage, spec source.Spec, rows []obs.Observation) (Stats, error) {
	return w.load(ctx, v, spec, func(conn *sql.Conn) (staged, error) {
		return staged{rows: int64(len(rows)), series: rows}, stage(conn, rows)
	})
}

// staged is what a stager did.
type staged struct {
	rows   int64             // observations in the payload
	series []obs.Observation // rows that show every series the source has after the load
	// current is the relation of current rows the staged ones are merged with; empty means all the
	// source's. A source staged in part (only its rows that changed) names the current rows they replace.
	current string
	// replaceStored, when not nil, is run in the merge's transaction after the table's rows are
	// superseded, for the rows of current that are stored files; the func it returns is told whether
	// the transaction committed.
	replaceStored func(tx *sql.Tx) (func(committed bool), error)
}

// stager fills temp.incoming on conn.
type stager func(conn *sql.Conn) (staged, error)

// allCurrent is the relation of a source's current rows (one argument: the source).
const allCurrent = `(SELECT * FROM observations WHERE source = ? AND superseded_at IS NULL)`

func (w *Warehouse) load(ctx context.Context, v Vintage, spec source.Spec, stageRows stager) (Stats, error) {
	var stats Stats
	conn, err := w.loadConn(ctx, v)
	if err != nil {
		return stats, err
	}
	defer conn.Close()
	defer conn.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.incoming; DROP TABLE IF EXISTS temp.incoming_series;
  DROP TABLE IF EXISTS temp.matched; DROP TABLE IF EXISTS temp.fingerprints; DROP TABLE IF EXISTS temp.differing;
  DROP TABLE IF EXISTS temp.replaced; DROP TABLE IF EXISTS temp.superseded_stored`)
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE incoming AS
  SELECT * EXCLUDE (`+provenance+`, superseded_at) FROM observations LIMIT 0`); err != nil {
		return stats, err
	}
	st, err := stageRows(conn)
	if err != nil {
		return stats, fmt.Errorf("load %s: staging rows: %w", v.Source, err)
	}
	stats.Rows = st.rows
	current, currentArgs := allCurrent, []any{v.Source}
	if st.current != "" {
		current, currentArgs = st.current, nil
	}
	if err := stageSeries(ctx, conn, spec, st.series); err != nil {
		return stats, fmt.Errorf("load %s: staging series: %w", v.Source, err)
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return stats, err
	}
	defer tx.Rollback()
	count := func(dst *int64, query string, args ...any) {
		if err != nil {
			return
		}
		var res sql.Result
		if res, err = tx.ExecContext(ctx, query, args...); err == nil {
			*dst, err = res.RowsAffected()
		}
	}
	var ignored, revChanged, revRemoved int64
	// One full join sorts every staged key and current row: added (only staged), removed (only
	// current), the same, or changed. After it only the rows that changed are touched, so a vintage
	// that differs in a few rows costs one pass over the source, not a copy of it. (A source staged in
	// part compares with the current rows its fingerprints found differing: see stageChanges.)
	count(&ignored, `CREATE TEMP TABLE matched AS
  SELECT b.rowid AS incoming_row, a.series_id IS NULL AS added, b.series_id IS NULL AS removed,
    coalesce(`+sameRow+`, false) AS same, coalesce(`+sameValue+`, false) AS same_value,
    coalesce(b.series_id, a.series_id) AS series_id, coalesce(b.period_start, a.period_start) AS period_start,
    coalesce(b.period_end, a.period_end) AS period_end, coalesce(b.report_date, a.report_date) AS report_date,
    CASE WHEN b.series_id IS NULL THEN a.record_id ELSE b.record_id END AS record_id,
    a.value AS old_value, b.value AS new_value, a.basis AS old_basis, b.basis AS new_basis,
    a.raw_sha256 AS old_raw_sha256, a.fetched_at AS old_fetched_at
  FROM incoming b FULL JOIN `+current+` a ON `+keyMatch, currentArgs...)
	count(&revChanged, `INSERT INTO revisions BY NAME
  SELECT ? AS source, series_id, period_start, period_end, report_date, record_id, old_value, new_value, old_basis,
         new_basis, old_raw_sha256, ? AS new_raw_sha256, old_fetched_at, ? AS new_fetched_at, ? AS run_id
  FROM matched WHERE NOT added AND NOT removed AND NOT same_value`, v.Source, v.SHA256, v.FetchedAt.UTC(), v.RunID)
	count(&revRemoved, `INSERT INTO revisions BY NAME
  SELECT ? AS source, series_id, period_start, period_end, report_date, record_id, old_value, old_basis,
         old_raw_sha256, ? AS new_raw_sha256, old_fetched_at, ? AS new_fetched_at, ? AS run_id
  FROM matched WHERE removed`, v.Source, v.SHA256, v.FetchedAt.UTC(), v.RunID)
	if err == nil {
		err = tx.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE added) FROM matched`).Scan(&stats.Added)
	}
	if err == nil {
		var before int64
		if before, err = currentRowCount(ctx, tx, v.Source); err == nil {
			err = checkHold(ctx, tx, v, spec, "incoming", current, currentArgs, stats.Rows, before, st.current == "")
		}
	}
	count(&ignored, `UPDATE observations AS a SET superseded_at = ?
  FROM (SELECT series_id, period_start, period_end, report_date, record_id FROM matched WHERE NOT added AND NOT same) AS b
  WHERE a.source = ? AND a.superseded_at IS NULL AND `+keyMatch, v.FetchedAt.UTC(), v.Source)
	var inserted int64
	count(&inserted, `INSERT INTO observations BY NAME SELECT `+withProvenance+` FROM incoming
  WHERE rowid IN (SELECT incoming_row FROM matched WHERE NOT removed AND NOT same)`, provenanceArgs(v)...)
	if err == nil && st.replaceStored != nil {
		var done func(committed bool)
		done, err = st.replaceStored(tx)
		defer func() { done(err == nil) }()
	}
	if err == nil {
		err = finish(ctx, tx, v, spec, stats.Rows)
	}
	if err != nil {
		return stats, fmt.Errorf("load %s: %w", v.Source, err)
	}
	stats.Removed = revRemoved
	stats.Changed = inserted - stats.Added
	stats.Revisions = revChanged + revRemoved
	return stats, nil
}

// loadConn returns a connection to load v on, refusing a vintage fetched no later than the source's
// newest loaded one.
func (w *Warehouse) loadConn(ctx context.Context, v Vintage) (*sql.Conn, error) {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkNewer(ctx, conn, v); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

func checkNewer(ctx context.Context, conn *sql.Conn, v Vintage) error {
	var newest sql.NullTime
	if err := conn.QueryRowContext(ctx, `SELECT max(fetched_at) FROM payloads WHERE source = ?`, v.Source).Scan(&newest); err != nil {
		return err
	}
	if newest.Valid && !v.FetchedAt.After(newest.Time) {
		return fmt.Errorf("load %s: %w (payload fetched %s, latest %s)", v.Source, ErrOlderVintage,
			v.FetchedAt.UTC().Format(time.RFC3339), newest.Time.UTC().Format(time.RFC3339))
	}
	return nil
}

// finish records the payload, replaces the source's series with the staged ones and commits.
func finish(ctx context.Context, tx *sql.Tx, v Vintage, spec source.Spec, rows int64) error {
	for _, s := range []struct {
		query string
		args  []any
	}{
		{`INSERT INTO payloads VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())`,
			[]any{v.Source, v.SHA256, v.URL, v.FetchedAt.UTC(), v.Bytes, v.Path, v.RunID, rows}},
		{`DELETE FROM series WHERE source = ?`, []any{spec.Name}},
		{`INSERT INTO series SELECT * FROM incoming_series`, nil},
	} {
		if _, err := tx.ExecContext(ctx, s.query, s.args...); err != nil {
			return err
		}
	}
	crashpoint.Here(ctx, crashpoint.LoadBeforeCommit)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	crashpoint.Here(ctx, crashpoint.LoadCommitted)
	return nil
}

// stage appends the payload's rows to a temporary table on conn, with matching Go types (the appender
// converts silently otherwise).
func stage(conn *sql.Conn, rows []obs.Observation) error {
	return conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "incoming")
		if err != nil {
			return err
		}
		for _, o := range rows {
			if err := app.AppendRow(rowValues(o)...); err != nil {
				app.Close()
				return fmt.Errorf("row %s %s: %w", o.SeriesID, o.ReportDate.Format(obs.DateLayout), err)
			}
		}
		return app.Close()
	})
}

// stageSeries appends the source's series to a temporary table on conn: each one declared with a
// place, and each one the rows use, described by the template it fits. Load replaces the source's series
// with them inside its transaction.
func stageSeries(ctx context.Context, conn *sql.Conn, spec source.Spec, rows []obs.Observation) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE incoming_series AS SELECT * FROM series LIMIT 0`); err != nil {
		return err
	}
	var infos []obs.SeriesInfo
	seen := map[string]bool{}
	for _, si := range spec.Series {
		if !si.IsTemplate() {
			infos = append(infos, si)
			seen[si.ID()] = true
		}
	}
	for _, o := range rows {
		if seen[o.SeriesID] {
			continue
		}
		seen[o.SeriesID] = true
		if si, ok := spec.Describe(o.Series); ok {
			infos = append(infos, si)
		}
	}
	return conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "incoming_series")
		if err != nil {
			return err
		}
		for _, s := range infos {
			p := s.Place
			if err := app.AppendRow(s.ID(), s.Source, p.CountryISO3, nullable(p.Admin1Pcode), nullable(p.Admin1Name),
				nullable(p.Admin2Pcode), nullable(p.Admin2Name), s.Metric, s.Subgroup, s.Measure, nullable(s.Variant),
				s.Title, s.Definition, nullable(s.Field), s.Headline, spec.Distributor, nullable(spec.Docs),
				nullable(spec.Publisher), int32(spec.Cadence.Hours()/24)); err != nil {
				app.Close()
				return fmt.Errorf("series %s: %w", s.ID(), err)
			}
		}
		return app.Close()
	})
}
