package tfpgaza_test

import (
	"errors"
	"strings"
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/tfpgaza"
)

const killed = "tfp_gaza_daily/PS02/killed/all/cumulative"

func TestConformance(t *testing.T) {
	sourcetest.RunFiles(t, tfpgaza.New(), "casualties_daily.json", "casualties_daily.2024-02-01.json", "casualties_daily.2024-05-11.json", "casualties_daily.2025-01-20.json")
}

func TestGolden(t *testing.T) {
	sourcetest.GoldenSummary(t, tfpgaza.New(), "casualties_daily.json", "casualties_daily.summary.golden")
}

// Values checked by hand against the payload.
func TestRealValues(t *testing.T) {
	res, err := tfpgaza.New().Normalize(sourcetest.Testdata(t, "casualties_daily.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		series, date string
		value        int64
		basis, pub   string
		start, end   string
	}{
		// A ministry report: 34,904 killed on 2024-05-09.
		{killed, "2024-05-09", 34904, obs.BasisReported, "Gaza Ministry of Health", "2023-10-07", "2024-05-09"},
		// 2023-10-13 has report_source "missing": the day's figures are the distributor's fill.
		{killed, "2023-10-13", 1900, obs.BasisExtrapolated, "Tech for Palestine", "2023-10-07", "2023-10-13"},
		// Children killed is reported on some days only; 2024-05-09 has only the ext_ twin.
		{"tfp_gaza_daily/PS02/killed/children/cumulative", "2024-05-09", 15002, obs.BasisExtrapolated, "Tech for Palestine", "2023-10-07", "2024-05-09"},
		// A 48-hour report covers two days.
		{"tfp_gaza_daily/PS02/killed/all/period", "2026-08-22", 2, obs.BasisReported, "Gaza Ministry of Health", "2026-08-21", "2026-08-22"},
		{"tfp_gaza_daily/PS02/killed/famine/cumulative", "2025-07-20", 86, obs.BasisReported, "Gaza Ministry of Health", "2023-10-07", "2025-07-20"},
	}
	for _, tt := range tests {
		o, ok := sourcetest.Find(res.Rows, tt.series, tt.date)
		if !ok {
			t.Errorf("%s %s: no row", tt.series, tt.date)
			continue
		}
		got := []any{o.Value, o.Basis, o.Publisher, o.PeriodStart.Format(obs.DateLayout), o.PeriodEnd.Format(obs.DateLayout)}
		want := []any{tt.value, tt.basis, tt.pub, tt.start, tt.end}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s %s: got %v, want %v", tt.series, tt.date, got, want)
				break
			}
		}
	}
	// A field reported only on some days has no row before its first report.
	if _, ok := sourcetest.Find(res.Rows, "tfp_gaza_daily/PS02/killed/famine/cumulative", "2025-01-01"); ok {
		t.Error("famine series has a row before the ministry reported it")
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, payload string
		record, field string
	}{
		{"not JSON", `<html>Bad gateway</html>`, "payload", ""},
		{"not an array", `{"report_date": "2024-01-01"}`, "payload", ""},
		{"truncated", `[{"report_date": "2024-01-01", "report_source": "mohtel", "killed_cum": 5}, {"report_date": "2024-01-0`, "record 1", ""},
		{"missing report_date", `[{"report_source": "mohtel", "killed_cum": 5}]`, "record 0", "report_date"},
		{"bad report_date", `[{"report_date": "01/02/2024", "report_source": "mohtel"}]`, "record 0", "report_date"},
		{"wrong type", `[{"report_date": "2024-01-01", "report_source": "mohtel"}, {"report_date": "2024-01-02", "report_source": "mohtel", "killed_cum": "5"}]`,
			"record 1 (report_date 2024-01-02)", "killed_cum"},
		{"fraction", `[{"report_date": "2024-01-01", "report_source": "mohtel", "injured_cum": 5.5}]`, "record 0 (report_date 2024-01-01)", "injured_cum"},
		{"unknown report_source", `[{"report_date": "2024-01-01", "report_source": "telegram", "killed_cum": 5}]`, "record 0 (report_date 2024-01-01)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tfpgaza.New().Normalize([]byte(tt.payload))
			var re *obs.RowError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want *obs.RowError", err)
			}
			if re.Source != tfpgaza.Name || re.Record != tt.record || re.Field != tt.field {
				t.Errorf("error at (%q, %q, %q), want (%q, %q, %q): %v", re.Source, re.Record, re.Field, tfpgaza.Name, tt.record, tt.field, err)
			}
		})
	}
}

func TestNewFieldIsAWarningNotAnError(t *testing.T) {
	res, err := tfpgaza.New().Normalize([]byte(`[{"report_date": "2024-01-01", "report_source": "mohtel", "killed_cum": 5, "killed_elderly_cum": 2}]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].String(), "killed_elderly_cum") {
		t.Errorf("rows %d, warnings %v: want the known field loaded and one warning naming the new one", len(res.Rows), res.Warnings)
	}
}
