package load_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"toll/pipeline/load"
	"toll/pipeline/obs"
	"toll/pipeline/source"
	"toll/schemas"
)

// storedRow is one observation as a QuerySource's SQL yields it; fields replaces a column's expression.
func storedRow(fields map[string]string) string {
	cols := map[string]string{"source": "'events'", "series_id": "'events/MMR/killed/all/period'", "country_iso3": "'MMR'",
		"admin1_pcode": "NULL", "admin1_name": "'Rakhine State'", "admin2_pcode": "NULL", "admin2_name": "NULL",
		"metric": "'killed'", "subgroup": "'all'", "measure": "'period'", "period_start": "DATE '2024-01-02'",
		"period_end": "DATE '2024-01-03'", "report_date": "DATE '2024-01-03'", "record_id": "'ev-7'", "value": "4",
		"value_low": "2", "value_high": "9", "basis": "'estimated'", "publisher": "'UCDP'", "distributor": "'UCDP'"}
	for k, v := range fields {
		cols[k] = v
	}
	var list []string
	for k, v := range cols {
		list = append(list, v+" AS "+k)
	}
	return "SELECT " + strings.Join(list, ", ")
}

// eventsVintage is the vintage the tests load storedRow's rows as.
var eventsVintage = load.Vintage{Source: "events", SHA256: "0123456789abcdef", Path: "payload.csv",
	FetchedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), RunID: "run-1"}

// A stored source's rows are checked as they are written: a term outside the vocabularies, or a missing
// value, fails the vintage naming the source, the record, its series and the field, and nothing is
// left in the store.
func TestStoredRowErrors(t *testing.T) {
	spec := source.Spec{Name: "events", Series: []obs.SeriesInfo{{Series: obs.Series{Source: "events", Metric: "killed",
		Subgroup: "all", Measure: obs.MeasurePeriod, Variant: obs.AnyVariant}, Title: "deaths", Definition: "deaths per event"}}}
	for _, tc := range []struct {
		name   string
		fields map[string]string
		want   []string
	}{
		{"a term outside the vocabulary", map[string]string{"metric": "'deaths'"},
			[]string{"events", "record ev-7", "series events/MMR/killed/all/period", "field metric is deaths", "vocabulary"}},
		{"a country code of another shape", map[string]string{"country_iso3": "'Myanmar'"},
			[]string{"record ev-7", "series events/MMR/killed/all/period", "field country_iso3 is Myanmar", "ISO 3166-1 alpha-3"}},
		{"a missing value", map[string]string{"value": "NULL::BIGINT"},
			[]string{"events", "record ev-7", "series events/MMR/killed/all/period", "field value is empty"}},
		{"a missing record id and period", map[string]string{"record_id": "NULL::VARCHAR", "period_end": "NULL::DATE"},
			[]string{"events", "series events/MMR/killed/all/period", "field period_end is empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, _, err := openAt(t, dir).LoadQuery(context.Background(), eventsVintage, spec, source.Query{Rows: storedRow(tc.fields)}, nil)
			if err == nil {
				t.Fatal("loaded; want an error")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v, want it to say %q", err, want)
				}
			}
			if gens, _ := filepath.Glob(filepath.Join(load.StoreDir(dir), "events", "*")); len(gens) > 0 {
				t.Errorf("store holds %v after the failed load, want nothing", gens)
			}
		})
	}
}

// A stored source's files are partitioned by country, metric and subgroup, each row in the folder of its
// own values (the write numbers the partitions, and names the folders after it), and every file has the
// observation's schema: every column, in order, of its type, whatever the source's SQL typed a NULL as.
func TestStoredPartitions(t *testing.T) {
	spec := source.Spec{Name: "events"}
	var rows []string
	for i, p := range [][2]string{{"MMR", "all"}, {"BGD", "civilians"}, {"ZWE", "all"}, {"AAA", "women"}, {"MMR", "civilians"}} {
		rows = append(rows, storedRow(map[string]string{"country_iso3": "'" + p[0] + "'", "subgroup": "'" + p[1] + "'",
			"series_id": "'events/" + p[0] + "/killed/" + p[1] + "/period'", "record_id": "'ev-" + string(rune('a'+i)) + "'"}))
	}
	dir := t.TempDir()
	ctx := context.Background()
	w := openAt(t, dir)
	if _, _, err := w.LoadQuery(ctx, eventsVintage, spec, source.Query{Rows: strings.Join(rows, " UNION ALL BY NAME ")}, nil); err != nil {
		t.Fatal(err)
	}
	gens := filepath.Join(load.StoreDir(dir), "events")
	files, _ := filepath.Glob(filepath.Join(gens, "*", "*", "*", "*", "*.parquet"))
	var folders []string
	for _, f := range files {
		rel, _ := filepath.Rel(gens, filepath.Dir(f))
		_, partition, _ := strings.Cut(filepath.ToSlash(rel), "/") // below the generation's folder
		folders = append(folders, partition)
	}
	slices.Sort(folders)
	want := []string{"AAA/killed/women", "BGD/killed/civilians", "MMR/killed/all", "MMR/killed/civilians", "ZWE/killed/all"}
	if !slices.Equal(folders, want) {
		t.Errorf("store folders = %v, want %v", folders, want)
	}
	schema := observationSchema(t, w.DB())
	for _, f := range files {
		if got := parquetSchema(t, w.DB(), f); got != schema {
			t.Errorf("%s has the schema\n%s\nwant\n%s", f, got, schema)
		}
	}
	var line string
	if err := w.DB().QueryRowContext(ctx, `SELECT string_agg(record_id || ' ' || country_iso3 || ' ' || metric || ' ' || subgroup, ', ' ORDER BY record_id)
  FROM current_observations WHERE source = 'events'`).Scan(&line); err != nil {
		t.Fatal(err)
	}
	if want := "ev-a MMR killed all, ev-b BGD killed civilians, ev-c ZWE killed all, ev-d AAA killed women, ev-e MMR killed civilians"; line != want {
		t.Errorf("stored rows = %q, want %q", line, want)
	}
}

// A later vintage of a stored source is compared with the stored rows by its keys' fingerprints, dates
// included: a row whose only change is a date is another observation (the old one removed, the new one
// added), however equal its strings and value; the rows that did not change stay as they were.
func TestStoredKeyDates(t *testing.T) {
	spec := source.Spec{Name: "events"}
	ctx := context.Background()
	w := openAt(t, t.TempDir())
	rows := func(fields ...map[string]string) string {
		var out []string
		for _, f := range fields {
			out = append(out, storedRow(f))
		}
		return strings.Join(out, " UNION ALL BY NAME ")
	}
	first := rows(map[string]string{"record_id": "'ev-1'"}, map[string]string{"record_id": "'ev-2'"},
		map[string]string{"record_id": "'ev-3'"}, map[string]string{"record_id": "'ev-4'"})
	if _, _, err := w.LoadQuery(ctx, eventsVintage, spec, source.Query{Rows: first}, nil); err != nil {
		t.Fatal(err)
	}
	next := eventsVintage
	next.SHA256, next.FetchedAt, next.RunID = "fedcba9876543210", next.FetchedAt.Add(24*time.Hour), "run-2"
	second := rows(map[string]string{"record_id": "'ev-1'"},
		map[string]string{"record_id": "'ev-2'", "report_date": "DATE '2024-01-04'"},
		map[string]string{"record_id": "'ev-3'", "period_start": "DATE '2024-01-01'"},
		map[string]string{"record_id": "'ev-4'", "period_end": "DATE '2024-01-04'"})
	stats, _, err := w.LoadQuery(ctx, next, spec, source.Query{Rows: second}, func([]obs.Observation) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if stats.Added != 3 || stats.Removed != 3 || stats.Changed != 0 {
		t.Errorf("added %d, removed %d, changed %d; want 3, 3, 0", stats.Added, stats.Removed, stats.Changed)
	}
	var line string
	if err := w.DB().QueryRowContext(ctx, `SELECT string_agg(record_id || ' ' || period_start || ' ' || period_end || ' ' || report_date, ', '
    ORDER BY record_id) FROM current_observations WHERE source = 'events'`).Scan(&line); err != nil {
		t.Fatal(err)
	}
	if want := "ev-1 2024-01-02 2024-01-03 2024-01-03, ev-2 2024-01-02 2024-01-03 2024-01-04, " +
		"ev-3 2024-01-01 2024-01-03 2024-01-03, ev-4 2024-01-02 2024-01-04 2024-01-03"; line != want {
		t.Errorf("current rows = %q, want %q", line, want)
	}
}

// A stored source's vintage is held back for a negative count, first vintage or not, and the normalize
// stage's checks (Query.Checks) run over its rows once loaded.
func TestStoredVintageHeldOrWarned(t *testing.T) {
	spec := source.Spec{Name: "events"}
	ctx := context.Background()
	w := openAt(t, t.TempDir())
	_, _, err := w.LoadQuery(ctx, eventsVintage, spec, source.Query{Rows: storedRow(map[string]string{"value_low": "-5"})}, nil)
	if !load.IsHeld(err) || !strings.Contains(err.Error(), "value_low is -5, a negative count") || !strings.Contains(err.Error(), "record ev-7") {
		t.Fatalf("a negative count: %v; want it held back, naming the record and the field", err)
	}
	next := eventsVintage // the next run's payload (a run writes a payload's files once)
	next.SHA256, next.RunID = "fedcba9876543210", "run-2"
	checks := func(rows string) string {
		return `SELECT 'report_date ' || report_date, 'report_date', 'date is in the future' FROM ` + rows + ` WHERE report_date > DATE '2026-11-01'`
	}
	_, warnings, err := w.LoadQuery(ctx, next, spec, source.Query{Rows: storedRow(map[string]string{"report_date": "DATE '2099-01-03'",
		"period_end": "DATE '2099-01-03'"}), Checks: checks}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0].String(), "2099-01-03") || !strings.Contains(warnings[0].String(), "in the future") {
		t.Errorf("a row dated 2099: warnings %v", warnings)
	}
}

// parquetSchema is a Parquet file's columns as DuckDB's parquet_schema gives them: name, physical type
// and logical type, one line each, in order.
func parquetSchema(t *testing.T, db *sql.DB, path string) string {
	t.Helper()
	var schema string
	if err := db.QueryRow(`SELECT string_agg(concat_ws(' ', name, type, converted_type, logical_type::VARCHAR), chr(10))
  FROM parquet_schema(?) WHERE num_children IS NULL`, path).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	return schema
}

// observationSchema is parquetSchema of a file DuckDB writes from a SELECT of every observation
// column, each a NULL of its schemas type.
func observationSchema(t *testing.T, db *sql.DB) string {
	t.Helper()
	var cols []string
	for _, c := range schemas.Columns() {
		cols = append(cols, "NULL::"+c.Type+" AS "+c.Name)
	}
	path := filepath.Join(t.TempDir(), "schema.parquet")
	if _, err := db.Exec(`COPY (SELECT ` + strings.Join(cols, ", ") + `) TO '` + path + `' (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	return parquetSchema(t, db, path)
}

// A store written before every file held every column (toll before ddl version 6: the source and the
// partition columns left to Hive folders) is rewritten when the warehouse is opened, its rows kept.
func TestUpgradeStoreWithoutColumns(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := load.Open(ctx, dir, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := storedRow(map[string]string{"record_id": "'ev-1'"}) + " UNION ALL BY NAME " +
		storedRow(map[string]string{"record_id": "'ev-2'", "country_iso3": "'BGD'", "series_id": "'events/BGD/killed/all/period'"})
	if _, _, err := w.LoadQuery(ctx, eventsVintage, source.Spec{Name: "events"}, source.Query{Rows: rows}, nil); err != nil {
		t.Fatal(err)
	}
	current := `SELECT string_agg(concat_ws(' ', source, record_id, country_iso3, metric, subgroup, value, admin1_name, raw_sha256), ', ' ORDER BY record_id)
  FROM current_observations`
	var before string
	if err := w.DB().QueryRow(current).Scan(&before); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(load.StoreDir(dir), "events", "run-0-old")
	for _, s := range []string{
		`COPY (SELECT * EXCLUDE (source) FROM current_observations) TO '` + old + `' (FORMAT parquet, PARTITION_BY (country_iso3, metric, subgroup))`,
		`DELETE FROM stored_files`,
		`INSERT INTO stored_files SELECT 'events', 'store/' || split_part(file, '/store/', 2), 1
  FROM glob('` + old + `/*/*/*/*.parquet')`,
		`UPDATE meta SET value = '5' WHERE key = 'ddl_version'`,
	} {
		if _, err := w.DB().Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	w.Close()

	w = openAt(t, dir)
	var after string
	if err := w.DB().QueryRow(current).Scan(&after); err != nil || after != before {
		t.Errorf("rows after the upgrade:\n%s (%v)\nwant\n%s", after, err, before)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the old generation is still there: %v", err)
	}
	schema := observationSchema(t, w.DB())
	var paths []string
	r, err := w.DB().Query(`SELECT path FROM stored_files`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var p string
		r.Scan(&p)
		paths = append(paths, p)
	}
	if len(paths) != 2 {
		t.Fatalf("stored files after the upgrade: %v", paths)
	}
	for _, p := range paths {
		if got := parquetSchema(t, w.DB(), filepath.Join(dir, p)); got != schema {
			t.Errorf("%s after the upgrade has the schema\n%s\nwant\n%s", p, got, schema)
		}
	}
}
