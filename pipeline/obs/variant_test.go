package obs_test

import (
	"testing"

	"toll/pipeline/obs"
)

func TestVariantOfIsTheIDsLastPart(t *testing.T) {
	for _, s := range []obs.Series{
		{Source: "ucdp_ged", Place: obs.Place{CountryISO3: "MMR"}, Metric: "killed", Subgroup: "all", Measure: "period", Variant: "one_sided"},
		{Source: "tfp_gaza_daily", Place: obs.Place{CountryISO3: "PSE", Admin1Pcode: "PS02"}, Metric: "killed", Subgroup: "all", Measure: "cumulative"},
	} {
		if got := obs.VariantOf(s.ID()); got != s.Variant {
			t.Errorf("VariantOf(%q) = %q, want %q", s.ID(), got, s.Variant)
		}
	}
}
