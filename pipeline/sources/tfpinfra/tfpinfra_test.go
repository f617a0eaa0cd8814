package tfpinfra_test

import (
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/tfpinfra"
)

const payload = "infrastructure-damaged.json"

func TestConformance(t *testing.T) {
	sourcetest.Run(t, tfpinfra.New(), sourcetest.Testdata(t, payload))
}

func TestGolden(t *testing.T) {
	sourcetest.GoldenSummary(t, tfpinfra.New(), payload, "infrastructure-damaged.summary.golden")
}

func TestNestedFieldsAndExtTwins(t *testing.T) {
	res, err := tfpinfra.New().Normalize(sourcetest.Testdata(t, payload))
	if err != nil {
		t.Fatal(err)
	}
	last, ok := sourcetest.Find(res.Rows, "tfp_gaza_infrastructure/PS02/destroyed/housing_units/cumulative", "2025-10-05")
	if !ok || last.Value != 416000 || last.Basis != obs.BasisReported || last.Publisher != tfpinfra.Publisher {
		t.Errorf("2025-10-05 housing units: %+v (found %v), want 416000 reported by the Media Office", last, ok)
	}
	first, ok := sourcetest.Find(res.Rows, "tfp_gaza_infrastructure/PS02/destroyed/housing_units/cumulative", "2023-10-07")
	if !ok || first.Value != 80 || first.Basis != obs.BasisExtrapolated {
		t.Errorf("2023-10-07 housing units: %+v (found %v), want 80 extrapolated (only the ext_ twin exists)", first, ok)
	}
}
