// Package tfpgaza is the tfp_gaza_daily connector: the Gaza Ministry of Health's daily casualty reports
// as compiled by Tech for Palestine (casualties_daily.json). See README.md beside this file.
package tfpgaza

import (
	"time"

	"fmt"

	"toll/pipeline/source"
	"toll/pipeline/sources/tfp"
)

// Name is the source's name in toll.
const Name = "tfp_gaza_daily"

// URL is the live payload.
const URL = "https://data.techforpalestine.org/api/v2/casualties_daily.json"

// Publishers by report_source. "missing" marks a day without a report; its figures are filled by the
// distributor, so they are not attributed to any publisher.
var publishers = map[string]string{
	"mohtel":  "Gaza Ministry of Health",
	"gmotel":  "Gaza Government Media Office",
	"unocha":  "UN OCHA",
	"missing": tfp.Distributor,
}

const ministryDef = "Deaths registered by the Gaza Ministry of Health since 2023-10-07 (hospital and morgue records, " +
	"later also family reports reviewed by a judicial committee); combatants are not separated. "

// New returns the connector.
func New() source.RowSource {
	c := tfp.Cumulative
	p := tfp.Period
	return &tfp.Dataset{
		About: source.Spec{
			Name:        Name,
			Title:       "Gaza: daily casualty reports (Ministry of Health)",
			Publisher:   "Gaza Ministry of Health",
			Distributor: tfp.Distributor,
			Terms:       tfp.Terms("casualties_daily", "Gaza Ministry of Health"),
			URL:         URL,
			Format:      "json",
			Schedule:    "CRON_TZ=UTC 30 5 * * *",
			Cadence:     24 * time.Hour,
			Docs:        "pipeline/sources/tfpgaza/README.md",
		},
		Place:     tfp.GazaStrip,
		PlaceName: "Gaza",
		Meta:      []string{"report_source", "report_period"},
		Fields: []tfp.Field{
			c("killed_cum", "ext_killed_cum", "killed", "all", "people killed", ministryDef, true),
			c("injured_cum", "ext_injured_cum", "injured", "all", "people injured",
				"People injured registered by the Gaza Ministry of Health since 2023-10-07.", true),
			c("killed_children_cum", "ext_killed_children_cum", "killed", "children", "children killed",
				"Children among the ministry's identified dead; reported on some days only, carried forward by the distributor between reports.", true),
			c("killed_women_cum", "ext_killed_women_cum", "killed", "women", "women killed",
				"Women among the ministry's identified dead; reported on some days only.", true),
			c("med_killed_cum", "ext_med_killed_cum", "killed", "medical_staff", "medical personnel killed",
				"Medical and health personnel killed, as reported by the ministry.", false),
			c("press_killed_cum", "ext_press_killed_cum", "killed", "journalists", "journalists killed",
				"Journalists and media workers killed, as reported by the Gaza authorities (not CPJ's count).", false),
			c("civdef_killed_cum", "ext_civdef_killed_cum", "killed", "civil_defence", "civil defence personnel killed",
				"Civil defence and emergency-service personnel killed, as reported.", false),
			c("massacres_cum", "ext_massacres_cum", "massacres", "all", "massacres (events)",
				"Attacks the ministry counts as massacres; a count of events, not of people.", false),
			c("famine_cum", "", "killed", "famine", "deaths from starvation",
				"Deaths from malnutrition and starvation reported by the ministry (reported from July 2025).", false),
			c("child_famine_cum", "", "killed", "famine_children", "children's deaths from starvation",
				"Children's deaths from malnutrition and starvation reported by the ministry.", false),
			c("aid_seeker_killed_cum", "", "killed", "aid_seekers", "aid seekers killed",
				"People killed at or on the way to aid distribution points, as the ministry counts them (reported from June 2025).", false),
			c("aid_seeker_injured_cum", "", "injured", "aid_seekers", "aid seekers injured",
				"People injured at or on the way to aid distribution points, as the ministry counts them.", false),
			p("killed", "ext_killed", "killed", "all", "people killed in the report's period",
				"Deaths added by one report (its period is report_period hours); may include retroactive additions."),
			p("injured", "ext_injured", "injured", "all", "people injured in the report's period",
				"Injuries added by one report."),
			p("killed_recovered", "", "bodies_recovered", "all", "bodies recovered in the report's period",
				"Bodies recovered (mostly from rubble during truces) and added to the toll by one report."),
			p("killed_succumbed", "", "killed", "died_of_injuries", "deaths from earlier injuries in the report's period",
				"People who died during the report's period of injuries received earlier."),
			p("killed_truce_new", "", "killed", "newly_killed", "people newly killed in the report's period",
				"People newly killed during the report's period (since the January 2025 truce the ministry separates them from recovered bodies)."),
			p("killed_committee", "", "killed", "committee_recognised", "deaths added by the judicial committee",
				"Deaths added to the toll in one report after review of family reports by a judicial committee."),
		},
		Period:    tfp.CumulativeSince(tfp.WarStart),
		Publisher: tfp.PublisherBySource(publishers),
		Reported: func(r tfp.Record, _ tfp.Field) (bool, error) {
			code, _, err := r.String("report_source")
			if err != nil {
				return false, fmt.Errorf("field report_source: %w", err)
			}
			return code != "missing", nil
		},
	}
}
