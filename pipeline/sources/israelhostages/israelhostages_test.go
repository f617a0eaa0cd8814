package israelhostages_test

import (
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/israelhostages"
)

// The curated table as it ships: one count per statement, of its day, in Gaza, each citing the report
// that quotes it.
func TestHostagesHeldAsCurated(t *testing.T) {
	res := sourcetest.Curated(t, israelhostages.New(), "../../../data/bundle/israel-oct7/hostages-held.csv")
	for _, o := range res.Rows {
		if !o.PeriodStart.Equal(o.ReportDate) || o.Series.Place.Admin1Pcode != "PS02" {
			t.Errorf("%s %s: period from %s in %s: want a count of the day, in Gaza", o.SeriesID,
				o.ReportDate.Format(obs.DateLayout), o.PeriodStart.Format(obs.DateLayout), o.Series.Place.Admin1Pcode)
		}
	}
	if o, ok := sourcetest.Find(res.Rows, "israel_hostages_held/PS02/held_hostage/all/stock", "2023-12-01"); !ok || o.Value != 137 {
		t.Errorf("after the November 2023 truce: %d (found %v), want 137", o.Value, ok)
	}
}
