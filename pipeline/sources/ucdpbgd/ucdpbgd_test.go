package ucdpbgd_test

import (
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
}
