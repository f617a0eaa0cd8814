package israelsoldiers_test

import (
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/israelsoldiers"
)

func TestIsraeliSoldiersKilledInGaza(t *testing.T) {
	res := sourcetest.Run(t, israelsoldiers.New(), sourcetest.Testdata(t, "israel-killed-soldiers-gaza-360info.csv"))
	// 193 lines, three of them repeating a date (2023-12-14: 115, then 116): the later line is kept.
	if len(res.Rows) != 190 || len(res.Warnings) != 3 {
		t.Errorf("%d rows and %d warnings, want 190 and 3", len(res.Rows), len(res.Warnings))
	}
	if o, _ := sourcetest.Find(res.Rows, res.Rows[0].SeriesID, "2023-12-14"); o.Value != 116 {
		t.Errorf("2023-12-14: %d, want the later line's 116", o.Value)
	}
	last := res.Rows[len(res.Rows)-1]
	if last.ReportDate.Format(obs.DateLayout) != "2024-09-27" || last.Series.Place.CountryISO3 != "ISR" ||
		last.PeriodStart.Format(obs.DateLayout) != "2023-10-07" || last.Series.Subgroup != "security_forces" {
		t.Errorf("last row %+v", last)
	}
}
