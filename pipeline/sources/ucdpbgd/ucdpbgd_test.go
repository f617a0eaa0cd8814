package ucdpbgd_test

import (
	"strings"
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/ucdpbgd"
)

func TestEvents(t *testing.T) {
	res := sourcetest.Run(t, ucdpbgd.New(), sourcetest.Testdata(t, "hdx_conflict_data_BGD.csv"))
	// Event 71663: Barisal Division, 2013-12-13..14, non-state violence, best 1 (low 1, high 1).
	o, ok := sourcetest.Find(res.Rows, "ucdp_ged_bangladesh/BGD/killed/all/period/non_state", "2013-12-14")
	if !ok || o.ValueLow == nil || o.ValueHigh == nil || o.Basis != obs.BasisEstimated || o.Series.Place.Admin1Name == "" {
		t.Errorf("2013-12-14: %+v (found %v)", o, ok)
	}
	// Summing events never loses a death: the rows add up to the file's best estimates (1,362).
	var best int64
	for _, o := range res.Rows {
		if o.Series.Subgroup == "all" {
			best += o.Value
		}
	}
	if best != 1362 {
		t.Errorf("best estimates add up to %d, want the file's 1,362", best)
	}
	// Event 84006 has low 0, best 3, high 0: its range is left out, with a warning.
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].String(), "value 3 outside its range 0..0") {
		t.Errorf("warnings %v", res.Warnings)
	}
}
