package acledpv_test

import (
	"testing"

	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/acledpv"
)

func TestPoliticalViolence(t *testing.T) {
	res := sourcetest.Run(t, acledpv.New(), sourcetest.Testdata(t, "political-violence-events-and-fatalities-as-of-2025-01-10.xlsx"))
	// The HAPI conflict-events CSV of January 2025 is made from this workbook: PSE political violence 510.
	var pse int64
	for _, o := range res.Rows {
		if o.Series.Place.CountryISO3 == "PSE" && o.Series.Metric == "killed" && o.PeriodStart.Format("2006-01") == "2025-01" {
			pse += o.Value
		}
	}
	if pse != 510 {
		t.Errorf("PSE fatalities in January 2025: %d, want 510 (as HDX HAPI's CSV has them)", pse)
	}
}
