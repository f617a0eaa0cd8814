package hapireturnees_test

import (
	"testing"

	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/hapireturnees"
)

func TestReturnees(t *testing.T) {
	src := hapireturnees.New()
	res := sourcetest.Run(t, src, sourcetest.Testdata(t, "hdx_hapi_returnees_global.csv"))
	for _, o := range res.Rows {
		if o.Series.Metric != "returned" || o.PeriodStart.Month() != 1 || o.PeriodEnd.Month() != 12 {
			t.Fatalf("row %+v: want yearly returns", o)
		}
	}
	// Only the totals (gender all, age all) are read, not the breakdowns.
	seen := map[string]int{}
	for _, o := range res.Rows {
		seen[o.SeriesID+o.ReportDate.String()]++
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("%s: %d rows for one series and year", k, n)
		}
	}
}
