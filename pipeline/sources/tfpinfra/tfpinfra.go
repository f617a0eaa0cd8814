// Package tfpinfra is the tfp_gaza_infrastructure connector: the Gaza Government Media Office's
// estimates of destroyed and damaged buildings as compiled by Tech for Palestine
// (infrastructure-damaged.json). See README.md beside this file.
package tfpinfra

import (
	"time"

	"toll/pipeline/source"
	"toll/pipeline/sources/tfp"
)

// Name is the source's name in toll.
const Name = "tfp_gaza_infrastructure"

// URL is the live payload.
const URL = "https://data.techforpalestine.org/api/v3/infrastructure-damaged.json"

// Publisher of every figure in the file.
const Publisher = "Gaza Government Media Office"

const def = "Government Media Office estimate, published roughly weekly and carried forward by the distributor between reports; a count of structures. "

// New returns the connector.
func New() source.RowSource {
	c := func(name, ext, metric, subgroup, title, definition string, headline bool) tfp.Field {
		return tfp.Cumulative(name, ext, metric, subgroup, title, def+definition, headline)
	}
	return &tfp.Dataset{
		About: source.Spec{
			Name:        Name,
			Title:       "Gaza: destroyed and damaged buildings (Government Media Office)",
			Publisher:   Publisher,
			Distributor: tfp.Distributor,
			Terms:       tfp.Terms("infrastructure-damaged", Publisher),
			URL:         URL,
			Format:      "json",
			Schedule:    "CRON_TZ=UTC 45 5 * * 1",
			Cadence:     7 * 24 * time.Hour,
			Docs:        "pipeline/sources/tfpinfra/README.md",
		},
		Place:     tfp.GazaStrip,
		PlaceName: "Gaza",
		Fields: []tfp.Field{
			c("residential.destroyed", "residential.ext_destroyed", "destroyed", "housing_units", "housing units destroyed", "Residential housing units destroyed since 2023-10-07.", true),
			c("educational_buildings.destroyed", "educational_buildings.ext_destroyed", "destroyed", "educational_buildings", "educational buildings destroyed", "Schools and other educational buildings destroyed.", false),
			c("educational_buildings.damaged", "educational_buildings.ext_damaged", "damaged", "educational_buildings", "educational buildings damaged", "Schools and other educational buildings damaged.", false),
			c("places_of_worship.mosques_destroyed", "places_of_worship.ext_mosques_destroyed", "destroyed", "mosques", "mosques destroyed", "Mosques destroyed.", false),
			c("places_of_worship.mosques_damaged", "places_of_worship.ext_mosques_damaged", "damaged", "mosques", "mosques damaged", "Mosques damaged.", false),
			c("places_of_worship.churches_destroyed", "places_of_worship.ext_churches_destroyed", "destroyed", "churches", "churches destroyed", "Churches destroyed.", false),
			c("civic_buildings.destroyed", "civic_buildings.ext_destroyed", "destroyed", "civic_buildings", "civic buildings destroyed", "Government and other civic buildings destroyed.", false),
		},
		Period: tfp.CumulativeSince(tfp.WarStart),
		Publisher: func(tfp.Record, tfp.Field) (string, error) {
			return Publisher, nil
		},
	}
}
