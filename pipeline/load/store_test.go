package load_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"toll/pipeline/load"
	"toll/pipeline/obs"
	"toll/pipeline/source"
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
		{"a missing value", map[string]string{"value": "NULL::BIGINT"},
			[]string{"events", "record ev-7", "series events/MMR/killed/all/period", "field value is empty"}},
		{"a missing record id and period", map[string]string{"record_id": "NULL::VARCHAR", "period_end": "NULL::DATE"},
			[]string{"events", "series events/MMR/killed/all/period", "field period_end is empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := load.Open(context.Background(), dir, load.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			v := load.Vintage{Source: "events", SHA256: "0123456789abcdef", Path: "payload.csv",
				FetchedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), RunID: "run-1"}
			_, _, err = w.LoadQuery(context.Background(), v, spec, source.Query{Rows: storedRow(tc.fields)}, nil)
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
