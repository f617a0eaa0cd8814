package sourcetest

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"toll/pipeline/duck"
	"toll/pipeline/obs"
	"toll/pipeline/source"
)

// RunQuery is Run for a source that normalizes in SQL: its query, run in an in-memory DuckDB over the
// payload file at path, must be deterministic and give rows that pass the same checks; a truncated
// payload must fail with an error naming the source. It returns the rows in key order.
func RunQuery(t *testing.T, src source.QuerySource, path string) []obs.Observation {
	t.Helper()
	spec := src.Spec()
	if err := spec.Validate(); err != nil {
		t.Fatalf("spec: %v", err)
	}
	rows, err := QueryRows(t, src, path)
	if err != nil {
		t.Fatalf("query real payload: %v", err)
	}
	if len(rows) == 0 {
		t.Fatal("query real payload: no rows")
	}
	again, err := QueryRows(t, src, path)
	if err != nil || !reflect.DeepEqual(rows, again) {
		t.Fatalf("query is not deterministic (second error: %v)", err)
	}
	seen := map[obs.Key]bool{}
	for i, o := range rows {
		if err := checkRow(o, spec); err != nil {
			t.Fatalf("row %d (%s record %s): %v", i, o.SeriesID, o.RecordID, err)
		}
		if seen[o.Key()] {
			t.Fatalf("row %d: two rows for %s record %s", i, o.SeriesID, o.RecordID)
		}
		seen[o.Key()] = true
	}

	payload, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	truncated := t.TempDir() + "/truncated"
	if err := os.WriteFile(truncated, payload[:len(payload)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := QueryRows(t, src, truncated); err == nil || !strings.Contains(err.Error(), spec.Name) {
		t.Errorf("truncated payload: err = %v, want an error naming %s", err, spec.Name)
	}
	return rows
}

// QueryRows runs src's query over the payload file at path in an in-memory DuckDB and returns its rows
// in key order. Errors name the source.
func QueryRows(t *testing.T, src source.QuerySource, path string) ([]obs.Observation, error) {
	t.Helper()
	workDir := t.TempDir()
	name := src.Spec().Name
	wrap := func(err error) error {
		var rowErr *obs.RowError
		if err == nil || errors.As(err, &rowErr) {
			return err
		}
		return &obs.RowError{Source: name, Record: "payload", Err: err}
	}
	q, err := src.Query(path, workDir)
	if err != nil {
		return nil, wrap(err)
	}
	db, err := duck.Open("", duck.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.QueryContext(context.Background(), `SELECT source, series_id, country_iso3, admin1_pcode, admin1_name,
  admin2_pcode, admin2_name, metric, subgroup, measure, period_start, period_end, report_date, record_id, value,
  value_low, value_high, basis, publisher, distributor FROM (`+q.Rows+`)
  ORDER BY series_id, period_start, period_end, report_date, record_id`)
	if err != nil {
		return nil, wrap(err)
	}
	defer res.Close()
	var out []obs.Observation
	for res.Next() {
		var o obs.Observation
		var country, a1, a1n, a2, a2n, record sql.NullString
		var low, high sql.NullInt64
		s := &o.Series
		if err := res.Scan(&s.Source, &o.SeriesID, &country, &a1, &a1n, &a2, &a2n, &s.Metric, &s.Subgroup, &s.Measure,
			&o.PeriodStart, &o.PeriodEnd, &o.ReportDate, &record, &o.Value, &low, &high, &o.Basis, &o.Publisher,
			&o.Distributor); err != nil {
			return nil, wrap(err)
		}
		s.Place = obs.Place{CountryISO3: country.String, Admin1Pcode: a1.String, Admin2Pcode: a2.String}
		s.Variant = obs.VariantOf(o.SeriesID)
		o.RecordID = record.String
		if low.Valid {
			o.ValueLow = &low.Int64
		}
		if high.Valid {
			o.ValueHigh = &high.Int64
		}
		out = append(out, o)
	}
	return out, wrap(res.Err())
}
