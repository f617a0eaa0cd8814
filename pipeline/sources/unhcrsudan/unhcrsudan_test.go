package unhcrsudan_test

import (
	"testing"

	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/unhcrsudan"
)

func TestRefugeesInSudan(t *testing.T) {
	res := sourcetest.Run(t, unhcrsudan.New(), sourcetest.Testdata(t, "odp-population-get-origin-geo_id-295-population_collection-4_29.json"))
	o, ok := sourcetest.Find(res.Rows, "unhcr_odp_sudan/SSD/refugees/all/stock/ref_in_sudan", "2024-03-31")
	if !ok || o.Value != 663396 {
		t.Errorf("South Sudanese refugees in Sudan: %+v (found %v), want 663,396 (a number sent as a string)", o, ok)
	}
}
