// Package tfpwestbank is the tfp_west_bank_daily connector: West Bank casualty and displacement figures
// from UN OCHA as compiled by Tech for Palestine (west_bank_daily.json). See README.md beside this file.
package tfpwestbank

import (
	"time"

	"fmt"

	"toll/pipeline/source"
	"toll/pipeline/sources/tfp"
)

// Name is the source's name in toll.
const Name = "tfp_west_bank_daily"

// URL is the live payload.
const URL = "https://data.techforpalestine.org/api/v2/west_bank_daily.json"

// The two kinds of figure in the file, kept apart as series variants: OCHA's verified casualty
// database lags but is checked; flash updates are current but not yet verified.
const (
	verified = "verified"
	flash    = "flash"

	verifiedPublisher = "UN OCHA (verified casualty database)"
	flashPublisher    = "UN OCHA (flash updates)"
)

func field(variant, name, metric, subgroup, measure, title, definition string, headline bool) tfp.Field {
	return tfp.Field{Name: name, Metric: metric, Subgroup: subgroup, Measure: measure, Variant: variant,
		Title: title, Definition: definition, Headline: headline}
}

// New returns the connector.
func New() source.RowSource {
	const (
		cum    = "cumulative"
		period = "period"
		vDef   = "Verified by UN OCHA's casualty database; lags days to weeks behind events, so recent reports lack it. "
		fDef   = "From OCHA flash updates, not yet verified; carried forward by the distributor on days without an update. "
	)
	return &tfp.Dataset{
		About: source.Spec{
			Name:        Name,
			Title:       "West Bank: daily casualty and displacement figures (UN OCHA)",
			Publisher:   "UN OCHA",
			Distributor: tfp.Distributor,
			Terms:       tfp.Terms("west_bank_daily", "UN OCHA"),
			URL:         URL,
			Format:      "json",
			Schedule:    "CRON_TZ=UTC 35 5 * * *",
			Cadence:     24 * time.Hour,
			Docs:        "pipeline/sources/tfpwestbank/README.md",
		},
		Place:     tfp.WestBank,
		PlaceName: "West Bank",
		Meta:      []string{"flash_source"},
		Fields: []tfp.Field{
			field(verified, "verified.killed_cum", "killed", "all", cum, "people killed (UN-verified)", vDef+"Palestinians killed since 2023-10-07.", true),
			field(verified, "verified.injured_cum", "injured", "all", cum, "people injured (UN-verified)", vDef+"Palestinians injured since 2023-10-07.", false),
			field(verified, "verified.killed_children_cum", "killed", "children", cum, "children killed (UN-verified)", vDef+"Palestinian children killed since 2023-10-07.", false),
			field(verified, "verified.injured_children_cum", "injured", "children", cum, "children injured (UN-verified)", vDef+"Palestinian children injured since 2023-10-07.", false),
			field(verified, "verified.killed", "killed", "all", period, "people killed on the day (UN-verified)", vDef+"Palestinians killed on the report date.", false),
			field(verified, "verified.injured", "injured", "all", period, "people injured on the day (UN-verified)", vDef+"Palestinians injured on the report date.", false),
			field(verified, "verified.killed_children", "killed", "children", period, "children killed on the day (UN-verified)", vDef+"Palestinian children killed on the report date.", false),
			field(verified, "verified.injured_children", "injured", "children", period, "children injured on the day (UN-verified)", vDef+"Palestinian children injured on the report date.", false),
			field(flash, "killed_cum", "killed", "all", cum, "people killed (flash updates)", fDef+"Palestinians killed since 2023-10-07.", true),
			field(flash, "killed_children_cum", "killed", "children", cum, "children killed (flash updates)", fDef+"Palestinian children killed since 2023-10-07.", false),
			field(flash, "injured_cum", "injured", "all", cum, "people injured (flash updates)", fDef+"Palestinians injured since 2023-10-07.", false),
			field(flash, "injured_children_cum", "injured", "children", cum, "children injured (flash updates)", fDef+"Palestinian children injured since 2023-10-07.", false),
			field(flash, "settler_attacks_cum", "settler_attacks", "all", cum, "settler attacks (events)", fDef+"Attacks by Israeli settlers since 2023-10-07; a count of events, not of people.", false),
			field(flash, "displaced_persons_cum", "displaced", "all", cum, "people displaced", fDef+"People displaced since 2023-10-07 by demolitions, settler violence and access restrictions (a flow summed over time, not a stock).", false),
			field(flash, "displaced_children_cum", "displaced", "children", cum, "children displaced", fDef+"Children among the people displaced since 2023-10-07.", false),
			field(flash, "displaced_households_cum", "displaced_households", "all", cum, "households displaced", fDef+"Households displaced since 2023-10-07; a count of households, not of people.", false),
		},
		Period: tfp.CumulativeSince(tfp.WarStart),
		Publisher: func(_ tfp.Record, f tfp.Field) (string, error) {
			if f.Variant == verified {
				return verifiedPublisher, nil
			}
			return flashPublisher, nil
		},
		// flash_source says whether the day's flash figures are OCHA's ("un") or carried forward ("fill").
		Reported: func(r tfp.Record, f tfp.Field) (bool, error) {
			if f.Variant == verified {
				return true, nil
			}
			src, ok, err := r.String("flash_source")
			switch {
			case err != nil:
				return false, fmt.Errorf("field flash_source: %w", err)
			case !ok:
				return false, fmt.Errorf("field flash_source: missing")
			case src == "un":
				return true, nil
			case src == "fill":
				return false, nil
			}
			return false, fmt.Errorf("field flash_source: unknown value %q (known: fill, un)", src)
		},
	}
}
