package tfplebanon_test

import (
	"errors"
	"strings"
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/tfplebanon"
)

const payload = "lebanon_casualties_daily.json"

func TestConformance(t *testing.T) {
	sourcetest.Run(t, tfplebanon.New(), sourcetest.Testdata(t, payload))
}

func TestGolden(t *testing.T) {
	sourcetest.GoldenSummary(t, tfplebanon.New(), payload, "lebanon_casualties_daily.summary.golden")
}

// The ministry's per-phase total (what articles quote) and the distributor's continuous total are both
// kept; the per-phase series restarts its period at each phase.
func TestPhases(t *testing.T) {
	res, err := tfplebanon.New().Normalize(sourcetest.Testdata(t, payload))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		series, date, start string
		value               int64
	}{
		{"tfp_lebanon_daily/LBN/killed/all/cumulative/phase", "2024-12-04", "2023-10-08", 4047},
		{"tfp_lebanon_daily/LBN/injured/all/cumulative/phase", "2024-12-04", "2023-10-08", 16638},
		{"tfp_lebanon_daily/LBN/killed/all/cumulative/phase", "2026-08-16", "2026-03-02", 4346},
		{"tfp_lebanon_daily/LBN/killed/all/cumulative/continuous", "2026-08-16", "2023-10-08", 8393},
		// The first report covers 888 hours: 37 days ending on its date.
		{"tfp_lebanon_daily/LBN/killed/all/period", "2023-12-05", "2023-11-30", 0},
	}
	for _, tt := range tests {
		o, ok := sourcetest.Find(res.Rows, tt.series, tt.date)
		if !ok || o.PeriodStart.Format(obs.DateLayout) != tt.start || (tt.value != 0 && o.Value != tt.value) {
			t.Errorf("%s %s: got %d from %s (found %v), want %d from %s", tt.series, tt.date, o.Value, o.PeriodStart.Format(obs.DateLayout), ok, tt.value, tt.start)
		}
	}
}

func TestUnknownPhaseIsRefused(t *testing.T) {
	_, err := tfplebanon.New().Normalize([]byte(`[{"report_date": "2027-01-01", "report_source": "moph_lb", "report_period": 24, "phase": 3, "killed_cum_reported": 10}]`))
	var re *obs.RowError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "phase 3") {
		t.Errorf("err = %v, want a RowError about phase 3", err)
	}
}
