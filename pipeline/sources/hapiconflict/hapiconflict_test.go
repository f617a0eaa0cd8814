package hapiconflict_test

import (
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/hapiconflict"
)

const file = "hdx_hapi_conflict_event_global_2025.csv"

func TestConflictEvents(t *testing.T) {
	src := hapiconflict.New()
	// 14,373 rows in pages of 10,000: two pages, joined under one header.
	payload := sourcetest.Fetch(t, src, sourcetest.CSVPages(t, file, "X-HDX-HAPI-APP-IDENTIFIER"), "/api/v2/coordination-context/conflict-events?output_format=csv")
	res := sourcetest.Run(t, src, payload)
	again := sourcetest.Run(t, src, sourcetest.Testdata(t, file))
	if len(res.Rows) != len(again.Rows) {
		t.Errorf("paged fetch gave %d rows, the whole file %d", len(res.Rows), len(again.Rows))
	}
	// PSE, January 2025, political violence: 510 fatalities over its admin2 areas (SOURCES.md).
	var pse int64
	for _, o := range res.Rows {
		if o.Series.Place.CountryISO3 == "PSE" && o.Series.Metric == "killed" && o.Series.Variant == "political_violence" &&
			o.PeriodStart.Format(obs.DateLayout) == "2025-01-01" && o.PeriodEnd.Format(obs.DateLayout) == "2025-01-31" {
			pse += o.Value
		}
	}
	if pse != 510 {
		t.Errorf("PSE political-violence fatalities in January 2025: %d, want 510", pse)
	}
	khanYunis, ok := sourcetest.Find(res.Rows, "hdx_hapi_conflict_events/PS0270/killed/all/period/civilian_targeting", "2025-01-31")
	if !ok || khanYunis.Value != 41 || khanYunis.Series.Place.Admin2Name != "Khan Younis" {
		t.Errorf("Khan Younis civilian targeting: %+v (found %v), want 41", khanYunis, ok)
	}
}
