package hapiidps_test

import (
	"testing"

	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/hapiidps"
)

func TestIDPs(t *testing.T) {
	src := hapiidps.New()
	payload := sourcetest.Fetch(t, src, sourcetest.CSVPages(t, "hdx_hapi_idps_global.csv", "X-HDX-HAPI-APP-IDENTIFIER"), "/api/v2/affected-people/idps?output_format=csv")
	res := sourcetest.Run(t, src, payload)
	first, ok := sourcetest.Find(res.Rows, "hdx_hapi_idps/AFG/displaced/all/stock/returns_and_displacement_in_afghanistan_ba", "2017-03-30")
	if !ok || first.Value != 246362 || !first.PeriodStart.Equal(first.PeriodEnd) {
		t.Errorf("AFG 2017-03-30: %+v (found %v), want a stock of 246,362", first, ok)
	}
}
