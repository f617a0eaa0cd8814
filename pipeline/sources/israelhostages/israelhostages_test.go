package israelhostages_test

import (
	"os"
	"strings"
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/israelhostages"
)

// The curated table as it ships: one count per statement, each citing the report that quotes it.
func TestHostagesHeldAsCurated(t *testing.T) {
	payload, err := os.ReadFile("../../../data/bundle/israel-oct7/hostages-held.csv")
	if err != nil {
		t.Fatal(err)
	}
	res := sourcetest.Run(t, israelhostages.New(), payload)
	if lines := strings.Count(strings.TrimSpace(string(payload)), "\n"); len(res.Rows) != lines || len(res.Warnings) != 0 {
		t.Fatalf("%d rows and %d warnings from %d statements, want a row each and no warning", len(res.Rows), len(res.Warnings), lines)
	}
	for _, o := range res.Rows {
		if !strings.HasPrefix(o.RecordID, "https://") || !o.PeriodStart.Equal(o.ReportDate) || o.Series.Place.Admin1Pcode != "PS02" {
			t.Errorf("%s %s: record_id %q, period from %s: want a cited count of the day, in Gaza", o.SeriesID,
				o.ReportDate.Format(obs.DateLayout), o.RecordID, o.PeriodStart.Format(obs.DateLayout))
		}
	}
	if o, ok := sourcetest.Find(res.Rows, "israel_hostages_held/PS02/held_hostage/all/stock", "2023-12-01"); !ok || o.Value != 137 {
		t.Errorf("after the November 2023 truce: %d (found %v), want 137", o.Value, ok)
	}
}
