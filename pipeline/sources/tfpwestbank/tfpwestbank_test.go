package tfpwestbank_test

import (
	"errors"
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/tfpwestbank"
)

func TestConformance(t *testing.T) {
	sourcetest.RunFiles(t, tfpwestbank.New(), "west_bank_daily.json", "west_bank_daily.2024-05-11.json", "west_bank_daily.2025-06-01.json")
}

func TestGolden(t *testing.T) {
	sourcetest.GoldenSummary(t, tfpwestbank.New(), "west_bank_daily.json", "west_bank_daily.summary.golden")
}

// UN-verified and flash-update totals of the same quantity stay two series with their own publishers,
// and a flash value the distributor carried forward ("fill") is marked extrapolated.
func TestVerifiedAndFlashStayApart(t *testing.T) {
	res, err := tfpwestbank.New().Normalize(sourcetest.Testdata(t, "west_bank_daily.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		series, date string
		value        int64
		basis, pub   string
	}{
		{"tfp_west_bank_daily/PS01/killed/all/cumulative/verified", "2024-05-10", 480, obs.BasisReported, "UN OCHA (verified casualty database)"},
		{"tfp_west_bank_daily/PS01/killed/all/cumulative/flash", "2024-05-10", 480, obs.BasisExtrapolated, "Tech for Palestine"},
		{"tfp_west_bank_daily/PS01/killed/all/cumulative/flash", "2023-10-07", 3, obs.BasisReported, "UN OCHA (flash updates)"},
		{"tfp_west_bank_daily/PS01/displaced/all/cumulative/flash", "2024-05-09", 1441, obs.BasisExtrapolated, "Tech for Palestine"},
	}
	for _, tt := range tests {
		o, ok := sourcetest.Find(res.Rows, tt.series, tt.date)
		if !ok || o.Value != tt.value || o.Basis != tt.basis || o.Publisher != tt.pub {
			t.Errorf("%s %s: got %+v (found %v), want %d %s %q", tt.series, tt.date, o, ok, tt.value, tt.basis, tt.pub)
		}
	}
}

func TestUnknownFlashSource(t *testing.T) {
	_, err := tfpwestbank.New().Normalize([]byte(`[{"report_date": "2024-01-01", "killed_cum": 3, "flash_source": "rumour"}]`))
	var re *obs.RowError
	if !errors.As(err, &re) || re.Record != "record 0 (report_date 2024-01-01)" {
		t.Errorf("err = %v, want a RowError naming record 0", err)
	}
}
