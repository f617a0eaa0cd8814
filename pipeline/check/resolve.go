package check

import (
	"fmt"
	"slices"
	"strings"
)

// A rule says which series can answer a claim about (metric, subgroup, area, scope). The rules are the
// whole of toll's judgement about which published figure an article's figure should be compared with;
// keep them here, in one readable table. A claim no rule matches gets verdict no_data, with why.
type rule struct {
	metric, subgroup, area, scope string
	series                        string
	what                          string // what the series is, for the explanation
}

// whoseCount: whose count each series is, as a text attributes figures. A figure the text gives as another
// source's count (the Palestinian Health Ministry's West Bank toll against OCHA's, the Government Media
// Office's toll with the missing against the ministry's, CPJ's journalists) is read unsurely, and so never
// called wrong. anonymous: a figure with no source named is read as this count (journalists are counted
// by so many monitors that it is not).
var whoseCount = []struct {
	prefix    string
	own       []string
	anonymous bool
}{
	{"tfp_gaza_daily/PS02/killed/journalists/", []string{"Gaza Government Media Office", "Gaza Health Ministry"}, false},
	{"tfp_gaza_daily/PS02/killed/civil_defence/", []string{"Gaza Government Media Office", "Gaza Health Ministry", "Palestinian Civil Defense"}, true},
	{"tfp_gaza_daily/", []string{"Gaza Health Ministry", "UN", "OCHA", "UNRWA", "UNICEF", "WHO", "WAFA"}, true},
	{"tfp_west_bank_daily/", []string{"OCHA", "UN"}, false},
	{"israel_soldiers_gaza/", []string{"Israeli military", "Israeli authorities", "OCHA", "UN"}, true},
	{"tfp_lebanon_daily/", []string{"Lebanese Health Ministry", "UN", "OCHA", "WHO"}, true},
}

// countedBy says whether a figure attributed to source (or to none) is the series' own count, and if not,
// whose count the series is.
func countedBy(series, source string) (ok bool, own []string) {
	for _, w := range whoseCount {
		if strings.HasPrefix(series, w.prefix) {
			return slices.Contains(w.own, source) || source == "" && w.anonymous, w.own
		}
	}
	return true, nil
}

// dailyScope is the scope of a count "in the past 24 hours": the ministry's daily report answers it.
const dailyScope = "daily"

var rules = []rule{
	{"killed", "all", "gaza", "cumulative", "tfp_gaza_daily/PS02/killed/all/cumulative", "the Gaza Ministry of Health's cumulative death toll"},
	{"injured", "all", "gaza", "cumulative", "tfp_gaza_daily/PS02/injured/all/cumulative", "the Gaza Ministry of Health's cumulative injured count"},
	{"killed", "children", "gaza", "cumulative", "tfp_gaza_daily/PS02/killed/children/cumulative", "the Gaza Ministry of Health's count of children killed"},
	{"killed", "women", "gaza", "cumulative", "tfp_gaza_daily/PS02/killed/women/cumulative", "the Gaza Ministry of Health's count of women killed"},
	{"killed", "medical_staff", "gaza", "cumulative", "tfp_gaza_daily/PS02/killed/medical_staff/cumulative", "the Gaza Ministry of Health's count of medical personnel killed"},
	{"killed", "journalists", "gaza", "cumulative", "tfp_gaza_daily/PS02/killed/journalists/cumulative", "the Gaza authorities' count of journalists killed (not CPJ's)"},
	{"killed", "civil_defence", "gaza", "cumulative", "tfp_gaza_daily/PS02/killed/civil_defence/cumulative", "the Gaza authorities' count of civil defence personnel killed"},
	{"killed", "famine", "gaza", "cumulative", "tfp_gaza_daily/PS02/killed/famine/cumulative", "the Gaza Ministry of Health's count of deaths from starvation"},
	// The ministry counts aid seekers since the GHF sites opened (27 May 2025): "since the GHF began" is
	// a period (events.csv) that starts with the count.
	{"killed", "aid_seekers", "gaza", "cumulative", "tfp_gaza_daily/PS02/killed/aid_seekers/cumulative", "the Gaza Ministry of Health's count of aid seekers killed"},
	{"injured", "aid_seekers", "gaza", "cumulative", "tfp_gaza_daily/PS02/injured/aid_seekers/cumulative", "the Gaza Ministry of Health's count of aid seekers injured"},
	{"killed", "all", "gaza", dailyScope, "tfp_gaza_daily/PS02/killed/all/period", "the deaths added by the Gaza Ministry of Health's daily report"},
	{"injured", "all", "gaza", dailyScope, "tfp_gaza_daily/PS02/injured/all/period", "the injuries added by the Gaza Ministry of Health's daily report"},
	// West Bank: OCHA's flash-update totals are current; its verified totals lag weeks behind.
	{"killed", "all", "west_bank", "cumulative", "tfp_west_bank_daily/PS01/killed/all/cumulative/flash", "UN OCHA's West Bank death toll since 2023-10-07 (flash updates)"},
	{"killed", "children", "west_bank", "cumulative", "tfp_west_bank_daily/PS01/killed/children/cumulative/flash", "UN OCHA's count of West Bank children killed since 2023-10-07 (flash updates)"},
	{"injured", "all", "west_bank", "cumulative", "tfp_west_bank_daily/PS01/injured/all/cumulative/flash", "UN OCHA's West Bank injured count since 2023-10-07 (flash updates)"},
	{"injured", "children", "west_bank", "cumulative", "tfp_west_bank_daily/PS01/injured/children/cumulative/flash", "UN OCHA's count of West Bank children injured since 2023-10-07 (flash updates)"},
	// From February 2024 OCHA's flash updates give Palestinians killed and injured "across the West Bank,
	// including East Jerusalem, and Israel"; the flash series carries those totals.
	{"killed", "all", "west_bank_israel", "cumulative", "tfp_west_bank_daily/PS01/killed/all/cumulative/flash", "UN OCHA's toll of Palestinians in the West Bank and Israel since 2023-10-07 (flash updates)"},
	{"killed", "children", "west_bank_israel", "cumulative", "tfp_west_bank_daily/PS01/killed/children/cumulative/flash", "UN OCHA's count of Palestinian children killed in the West Bank and Israel since 2023-10-07 (flash updates)"},
	{"injured", "all", "west_bank_israel", "cumulative", "tfp_west_bank_daily/PS01/injured/all/cumulative/flash", "UN OCHA's count of Palestinians injured in the West Bank and Israel since 2023-10-07 (flash updates)"},
	{"injured", "children", "west_bank_israel", "cumulative", "tfp_west_bank_daily/PS01/injured/children/cumulative/flash", "UN OCHA's count of Palestinian children injured in the West Bank and Israel since 2023-10-07 (flash updates)"},
	// Israeli soldiers killed in Gaza since the ground operation (a transcription of OCHA flash updates);
	// it cannot answer soldiers killed elsewhere or all Israelis killed.
	{"killed", "security_forces", "gaza", "cumulative", "israel_soldiers_gaza/ISR/killed/security_forces/cumulative/in_gaza", "OCHA's count of Israeli soldiers killed in Gaza since the ground operation (as transcribed by 360info)"},
	// Lebanon: articles quote the ministry's total within the current phase of hostilities.
	{"killed", "all", "lebanon", "cumulative", "tfp_lebanon_daily/LBN/killed/all/cumulative/phase", "Lebanon's Ministry of Public Health total for the current phase"},
	{"injured", "all", "lebanon", "cumulative", "tfp_lebanon_daily/LBN/injured/all/cumulative/phase", "Lebanon's Ministry of Public Health injured total for the current phase"},
}

// ruleSeries lists the series the rules use, for loading only those from a snapshot.
func ruleSeries() []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, r := range rules {
		add(r.series)
		add(periodCounts[r.series])
		add(dailyCounts[r.series])
	}
	for _, r := range statementRules {
		for _, id := range r.series {
			add(id)
		}
	}
	for _, c := range composites {
		for _, p := range c.parts {
			for _, id := range p.series {
				add(id)
			}
		}
	}
	return ids
}

// dailyRE: the wording of a count the ministry's daily report answers (its period is 24 hours).
var dailyRE = mustPattern(`\b(?:(?:past|last|previous) (?:24|twenty-four) hours|24 hours)\b`)

// unjudgeable says why no series can judge a figure, before any is looked for (verdict unchecked or
// no_data), or returns an empty verdict.
func unjudgeable(f Figure) (verdict, why string) {
	switch {
	case f.Value == nil:
		return VerdictUnchecked, "a vague amount (" + f.Qualifier + ") has no number to compare"
	case f.Unit == "percent":
		return VerdictUnchecked, "toll does not compare shares (percentages)"
	case f.Area == "":
		return VerdictUnchecked, "the text names no place for this figure, and toll does not guess one"
	}
	return "", ""
}

// resolve finds the rule for a figure that unjudgeable passed, or says why there is none (verdict
// unchecked or no_data).
// derive is true for a period figure that the rule's running total answers by differencing.
func resolve(f Figure) (r rule, derive bool, verdict, why string) {
	if f.Population == "israelis" && countryOfArea[f.Area] != "ISR" {
		// The rules' series outside Israel count Palestinians (Israelis held in Gaza are statements'; see
		// statementRules).
		return rule{}, false, VerdictNoData, fmt.Sprintf("it counts Israelis in %s; toll's series there count Palestinians", f.Area)
	}
	scope := f.Scope
	if scope == "period" && dailyRE.MatchString(f.scopeCue) {
		scope = dailyScope
	}
	for _, r := range rules {
		if r.metric == f.Metric && r.subgroup == f.Subgroup && r.area == f.Area && r.scope == scope {
			return r, false, "", ""
		}
	}
	switch scope {
	case "incident":
		return rule{}, false, VerdictUnchecked, "a count for one incident or attack; a running total cannot answer it"
	case "historical":
		return rule{}, false, VerdictUnchecked, "a figure about an earlier conflict"
	case "period":
		for _, r := range rules {
			if r.metric == f.Metric && r.subgroup == f.Subgroup && r.area == f.Area && r.scope == "cumulative" {
				return r, true, "", ""
			}
		}
	}
	return rule{}, false, VerdictNoData, fmt.Sprintf("toll has no series of %s/%s for %s; it would need a source that publishes that count",
		f.Metric, f.Subgroup, f.Area)
}
