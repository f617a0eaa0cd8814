package load

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"toll/pipeline/obs"
	"toll/pipeline/source"
)

// LoadQuery loads one vintage of a source that normalizes in SQL (a source.QuerySource): query is run
// inside DuckDB straight into the staging table, so the payload never passes through Go. check is
// given one row per series and basis the query produced (the normalize stage's checks) before anything
// is merged. Rows the query could not place (country_iso3 NULL) are dropped and said in a warning.
// Otherwise it is Load: one transaction, unchanged rows kept, changed ones superseded.
func (w *Warehouse) LoadQuery(ctx context.Context, v Vintage, spec source.Spec, query string,
	check func([]obs.Observation) error) (Stats, []obs.Warning, error) {
	var warnings []obs.Warning
	stats, err := w.load(ctx, v, spec, func(conn *sql.Conn) (int64, []obs.Observation, error) {
		_, err := conn.ExecContext(ctx, `INSERT INTO incoming BY NAME
  SELECT *, ? AS raw_sha256, ? AS fetched_at, ? AS run_id FROM (`+query+`)`, v.SHA256, v.FetchedAt.UTC(), v.RunID)
		if err != nil {
			return 0, nil, &obs.RowError{Source: v.Source, Record: "payload " + v.Path, Err: err}
		}
		if w, err := dropUnplaced(ctx, conn, v.Source); err != nil {
			return 0, nil, err
		} else if w != nil {
			warnings = append(warnings, *w)
		}
		if err := checkKeys(ctx, conn, v.Source); err != nil {
			return 0, nil, err
		}
		series, err := stagedSeries(ctx, conn)
		if err != nil {
			return 0, nil, err
		}
		if err := check(series); err != nil {
			return 0, nil, err
		}
		var n int64
		err = conn.QueryRowContext(ctx, `SELECT count(*) FROM incoming`).Scan(&n)
		return n, series, err
	})
	return stats, warnings, err
}

func dropUnplaced(ctx context.Context, conn *sql.Conn, name string) (*obs.Warning, error) {
	var n int64
	var example, where sql.NullString
	err := conn.QueryRowContext(ctx, `SELECT count(*), min(record_id), arg_min(admin1_name, record_id)
  FROM incoming WHERE country_iso3 IS NULL`).Scan(&n, &example, &where)
	if err != nil || n == 0 {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, `DELETE FROM incoming WHERE country_iso3 IS NULL`); err != nil {
		return nil, err
	}
	record := "record " + example.String
	if where.Valid {
		record += " (" + where.String + ")"
	}
	return &obs.Warning{Source: name, Record: record, Field: "country_iso3",
		Msg: fmt.Sprintf("%d records have a country the source cannot map to ISO 3166; not loaded", n)}, nil
}

// checkKeys refuses a payload whose rows repeat a key: the merge would keep both.
func checkKeys(ctx context.Context, conn *sql.Conn, name string) error {
	var series, record sql.NullString
	var report sql.NullTime
	err := conn.QueryRowContext(ctx, `SELECT series_id, report_date, record_id FROM incoming
  GROUP BY series_id, period_start, period_end, report_date, record_id HAVING count(*) > 1 LIMIT 1`).Scan(&series, &report, &record)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	return &obs.RowError{Source: name, Record: fmt.Sprintf("record %s (series %s, %s)", record.String, series.String,
		report.Time.Format(obs.DateLayout)), Err: fmt.Errorf("%w: two rows for one observation", obs.ErrInvalid)}
}

// stagedSeries returns one staged row per series and basis, with its Series rebuilt from the columns
// and the series_id (the variant is only in the id).
func stagedSeries(ctx context.Context, conn *sql.Conn) ([]obs.Observation, error) {
	rows, err := conn.QueryContext(ctx, `SELECT DISTINCT source, series_id, country_iso3, admin1_pcode, admin2_pcode,
  metric, subgroup, measure, basis FROM incoming ORDER BY series_id, basis`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []obs.Observation
	for rows.Next() {
		var o obs.Observation
		var a1, a2 sql.NullString
		s := &o.Series
		if err := rows.Scan(&s.Source, &o.SeriesID, &s.Place.CountryISO3, &a1, &a2, &s.Metric, &s.Subgroup,
			&s.Measure, &o.Basis); err != nil {
			return nil, err
		}
		s.Place.Admin1Pcode, s.Place.Admin2Pcode = a1.String, a2.String
		if parts := strings.SplitN(o.SeriesID, "/", 6); len(parts) == 6 {
			s.Variant = parts[5]
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
