package hapiconflict_test

import (
	"bytes"
	"slices"
	"strings"
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

// HAPI sums the records of one area and month; a payload that repeats a record exactly would double
// its count, so it is suspect (the run holds it back). The real payload repeats none.
func TestRepeatedRecordIsSuspect(t *testing.T) {
	src := hapiconflict.New()
	body := sourcetest.Testdata(t, file)
	if res := sourcetest.Run(t, src, body); len(res.Suspect) != 0 {
		t.Fatalf("the real payload is suspect: %v", res.Suspect)
	}
	lines := bytes.SplitAfter(body, []byte("\n"))
	repeated := slices.Concat(lines[:3], lines[2:3], lines[3:])
	res, err := src.Normalize(bytes.Join(repeated, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Suspect) != 1 || !strings.Contains(res.Suspect[0], "repeats") || !strings.Contains(res.Suspect[0], "sums its records") {
		t.Errorf("a repeated record: suspect %v", res.Suspect)
	}
}
