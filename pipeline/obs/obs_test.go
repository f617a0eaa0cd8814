package obs

import "testing"

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 34943: "34,943", 1234567: "1,234,567", -4047: "-4,047"} {
		if got := GroupDigits(n); got != want {
			t.Errorf("GroupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSeriesID(t *testing.T) {
	s := Series{Source: "tfp_west_bank_daily", Place: Place{CountryISO3: "PSE", Admin1Pcode: "PS01"}, Metric: "killed",
		Subgroup: "all", Measure: MeasureCumulative, Variant: "verified"}
	if got := s.ID(); got != "tfp_west_bank_daily/PS01/killed/all/cumulative/verified" {
		t.Errorf("ID() = %q", got)
	}
	s.Variant, s.Place = "", Place{CountryISO3: "LBN"}
	if got := s.ID(); got != "tfp_west_bank_daily/LBN/killed/all/cumulative" {
		t.Errorf("ID() = %q", got)
	}
}
