// Package tfplebanon is the tfp_lebanon_daily connector: Lebanon's Ministry of Public Health casualty
// reports as compiled by Tech for Palestine (lebanon_casualties_daily.json). See README.md beside this file.
package tfplebanon

import (
	"fmt"
	"time"

	"toll/pipeline/obs"
	"toll/pipeline/source"
	"toll/pipeline/sources/tfp"
)

// Name is the source's name in toll.
const Name = "tfp_lebanon_daily"

// URL is the live payload.
const URL = "https://data.techforpalestine.org/api/v3/lebanon_casualties_daily.json"

// The ministry restarts its count for each escalation ("phase"). Articles quote the per-phase total;
// the distributor also computes a continuous total across phases. Both are kept, as variants.
const (
	perPhase   = "phase"
	continuous = "continuous"
)

// phaseStart is the first day of each phase the ministry counts from. A payload with a phase not listed
// here is refused, so that a new escalation's start date is looked up rather than guessed.
var phaseStart = map[int64]time.Time{
	1: time.Date(2023, 10, 8, 0, 0, 0, 0, time.UTC),
	2: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
}

var continuousStart = phaseStart[1]

var publishers = map[string]string{
	"moph_lb": "Lebanon Ministry of Public Health",
	"ocha":    "UN OCHA (relaying Lebanon's Ministry of Public Health)",
	"who":     "WHO (relaying Lebanon's Ministry of Public Health)",
}

var byReportSource = tfp.PublisherBySource(publishers)

// New returns the connector.
func New() source.RowSource {
	const cum = obs.MeasureCumulative
	return &tfp.Dataset{
		About: source.Spec{
			Name:        Name,
			Title:       "Lebanon: casualty reports (Ministry of Public Health)",
			Publisher:   "Lebanon Ministry of Public Health",
			Distributor: tfp.Distributor,
			Terms:       tfp.Terms("lebanon_casualties_daily", "Lebanon Ministry of Public Health"),
			URL:         URL,
			Format:      "json",
			Schedule:    "CRON_TZ=UTC 40 5 * * *",
			Cadence:     7 * 24 * time.Hour,
			Docs:        "pipeline/sources/tfplebanon/README.md",
		},
		Place:     tfp.Lebanon,
		PlaceName: "Lebanon",
		Meta:      []string{"report_source", "report_period", "phase"},
		Fields: []tfp.Field{
			{Name: "killed_cum_reported", Metric: "killed", Subgroup: "all", Measure: cum, Variant: perPhase, Headline: true,
				Title:      "people killed in the current phase (as the ministry publishes it)",
				Definition: "The ministry's total within the current escalation phase; it restarts at each phase (phase 1 closed at 4,047 on 2024-12-04). This is the figure articles quote."},
			{Name: "injured_cum_reported", Metric: "injured", Subgroup: "all", Measure: cum, Variant: perPhase, Headline: true,
				Title:      "people injured in the current phase (as the ministry publishes it)",
				Definition: "The ministry's injured total within the current escalation phase (phase 1 closed at 16,638)."},
			{Name: "killed_cum", Metric: "killed", Subgroup: "all", Measure: cum, Variant: continuous,
				Title:      "people killed since 2023-10-08 (continuous)",
				Definition: "A continuous total across the ministry's phases, computed by the distributor; not a figure the ministry publishes."},
			{Name: "injured_cum", Metric: "injured", Subgroup: "all", Measure: cum, Variant: continuous,
				Title:      "people injured since 2023-10-08 (continuous)",
				Definition: "A continuous injured total across the ministry's phases, computed by the distributor."},
			tfp.Period("killed", "", "killed", "all", "people killed in the report's period",
				"Deaths added since the previous report (its period is report_period hours)."),
			tfp.Period("injured", "", "injured", "all", "people injured in the report's period",
				"Injuries added since the previous report."),
		},
		Period: func(r tfp.Record, f tfp.Field) (time.Time, time.Time, error) {
			switch f.Variant {
			case continuous:
				return continuousStart, r.Date, nil
			case perPhase:
				phase, ok, err := r.Int("phase")
				if err != nil || !ok {
					return time.Time{}, time.Time{}, fmt.Errorf("phase: missing or not an integer")
				}
				start, known := phaseStart[phase]
				if !known {
					return time.Time{}, time.Time{}, fmt.Errorf("phase %d has no known start date; add it to phaseStart in pipeline/sources/tfplebanon", phase)
				}
				return start, r.Date, nil
			}
			return tfp.ReportPeriod(r)
		},
		Publisher: func(r tfp.Record, f tfp.Field) (string, error) {
			if f.Variant == continuous {
				return tfp.Distributor, nil // the ministry never published this total
			}
			return byReportSource(r, f)
		},
	}
}
