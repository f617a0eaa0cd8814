package check

import (
	"testing"
	"time"

	"toll/pipeline/obs"
)

// What each qualifier allows, with the data a report gave.
func TestHolds(t *testing.T) {
	tests := []struct {
		qualifier string
		value     int64
		data      int64
		want      bool
	}{
		{"exactly", 34943, 34943, true},
		{"exactly", 50000, 50021, true}, // the rounding the text uses
		{"exactly", 34900, 34943, true}, // cut to the figure's precision
		{"exactly", 40, 42, false},      // "40" is precise enough to mean 40
		{"over", 34900, 34971, true},    // from the figure to 5% above
		{"over", 34900, 36800, false},   // more than 5% above: not what "over" says
		{"nearly", 35000, 34100, true},  // up to 5% below
		{"nearly", 35000, 35100, false}, // above is not "nearly"
		{"about", 1200, 1250, true},     // within 5%
		{"about", 1250, 1180, false},    // 5.6% off a figure of several digits
		{"about", 1000, 936, true},      // one significant digit: within 10%
		{"up to", 500, 460, true},       // up to 10% below
		{"up to", 500, 520, false},      // above the bound
	}
	for _, tt := range tests {
		f := Figure{Qualifier: tt.qualifier, Value: &tt.value}
		if got := holds(f, tt.data); got != tt.want {
			t.Errorf("%s %d with data %d: holds = %v, want %v", tt.qualifier, tt.value, tt.data, got, tt.want)
		}
	}
}

// A running total above the report of the publication day is not overstated while toll holds no report
// of a later day: the ministry updates several times a day, and the article may quote a later update.
func TestAboveTheDaysReportWithoutALaterOne(t *testing.T) {
	day := func(d string) time.Time { t, _ := obs.ParseDate(d); return t }
	reps := []report{{Point: Point{Date: day("2023-10-25"), Value: 1584, Basis: obs.BasisReported}},
		{Point: Point{Date: day("2023-10-27"), Value: 1726, Basis: obs.BasisReported}}}
	value := int64(1792)
	f := Figure{Qualifier: "exactly", Value: &value}
	sure := reading{sure: true}
	if j := judge(f, reps, day("2023-10-27"), "women killed", true, sure); j.verdict != VerdictUnchecked {
		t.Errorf("without a later report: %s (%s), want unchecked", j.verdict, j.why)
	}
	reps = append(reps, report{Point: Point{Date: day("2023-10-28"), Value: 1730, Basis: obs.BasisReported}})
	if j := judge(f, reps, day("2023-10-27"), "women killed", true, sure); j.verdict != VerdictOverstated {
		t.Errorf("above the next day's report too: %s (%s), want overstated", j.verdict, j.why)
	}
}
