package acledct_test

import (
	"testing"

	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/acledct"
)

func TestCivilianTargeting(t *testing.T) {
	res := sourcetest.Run(t, acledct.New(), sourcetest.Testdata(t, "civilian-targeting-events-and-fatalities-as-of-2025-01-10.xlsx"))
	var pse int64
	for _, o := range res.Rows {
		if o.Series.Place.CountryISO3 == "PSE" && o.Series.Metric == "killed" && o.PeriodEnd.Format("2006-01-02") == "2025-01-31" {
			pse += o.Value
		}
	}
	if pse != 436 {
		t.Errorf("PSE civilian-targeting fatalities in January 2025: %d, want 436 (as HDX HAPI's CSV has them)", pse)
	}
}
