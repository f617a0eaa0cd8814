package check

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"toll/pipeline/obs"
)

// Official statements (the sources israel_oct7 and israel_hostages_held, which toll curates) are judged
// otherwise than a publisher's daily reports. They are sparse: each stands until the next statement of
// its series revises it, so a figure is compared with what stood on the article's day, however old. And
// the tables hold the statements found, not every statement made, so a figure that matches none of them
// is unchecked, never overstated or understated. Outdated is the one negative verdict: the figure matches
// a statement that a later one had revised before the article came out ("more than 1,400" after
// November 2023). docs/decisions/0006 says why.

// attackScope is the time frame of a figure about the 7 October 2023 attack on Israel: one incident,
// whose toll officials stated and revised for months.
const attackScope = "the 7 October attack"

// statementRule says which statement series answer a figure. Several series may stand at once (the
// officials' figure, and AFP's tally of the official data): a figure that fits any of them fits.
type statementRule struct {
	metric, subgroup, area string
	scopes                 []string
	series                 []string
	what                   string
	// outdates: a figure matching only a revised statement is outdated. Not for hostages still held:
	// counts differ by convention (whether the four held since 2014 and 2015 are in) by as much as they
	// moved between statements.
	outdates bool
}

var statementRules = []statementRule{
	{"killed", "all", "israel", []string{attackScope},
		[]string{"israel_oct7/ISR/killed/all/period/official", "israel_oct7/ISR/killed/all/period/afp"},
		"the 7 October attack's toll as officially stated", true},
	// Hostages "taken" are those of 7 October (hostageArea): the abductions, whatever words date them.
	{"taken_hostage", "all", "israel", []string{attackScope, "incident", "cumulative"},
		[]string{"israel_oct7/ISR/taken_hostage/all/period/official"},
		"the Israeli military's count of people taken hostage on 7 October", true},
	{"held_hostage", "all", "gaza", []string{"cumulative"},
		[]string{"israel_hostages_held/PS02/held_hostage/all/stock"},
		"Israeli officials' count of hostages still held in Gaza", false},
}

// composite is a total that news builds from parts toll holds separately: "1,455 Israelis have been
// killed" adds the 7 October toll and the soldiers killed in Gaza since. toll compares the figure with
// the sum of the parts as they stood on the article's day (basis derived). The parts leave something out
// (leftOut), so the sum can support a figure but never prove it wrong.
type composite struct {
	metric, subgroup, area, scope, population string
	parts                                     []part
	what, leftOut                             string
}

// part is one term of a composite: statement series (standing until revised), or one running total
// (reported within StillCurrentDays of the day).
type part struct {
	series     []string
	statements bool
	what       string
}

var composites = []composite{
	{"killed", "all", "israel", "cumulative", "israelis", []part{
		{statementRules[0].series, true, "the 7 October attack's toll as officially stated"},
		{[]string{"israel_soldiers_gaza/ISR/killed/security_forces/cumulative/in_gaza"}, false, "Israeli soldiers killed in Gaza since the ground operation (OCHA, as transcribed by 360info)"},
	}, "Israelis killed since 7 October", "Israelis killed elsewhere since 7 October (in the north, in the West Bank, by rockets), which no series toll holds counts"},
}

func statementRuleFor(f Figure) (statementRule, bool) {
	scope := f.Scope
	if f.ofTheAttack() {
		scope = attackScope
	}
	for _, r := range statementRules {
		if r.metric == f.Metric && r.subgroup == f.Subgroup && r.area == f.Area && slices.Contains(r.scopes, scope) {
			return r, true
		}
	}
	return statementRule{}, false
}

// compositeFor finds the composite a figure is given as. The text must name its people ("1,455
// Israelis") or date it from 7 October ("killed in Israel since the attack on October 7"): a running
// total "in Israel" alone is as often one campaign's (Hezbollah's, Iran's missiles).
func compositeFor(f Figure) (composite, bool) {
	for _, c := range composites {
		if c.metric == f.Metric && c.subgroup == f.Subgroup && c.area == f.Area && c.scope == f.Scope &&
			(f.Population == c.population || sevenOctoberRE.MatchString(f.scopeCue)) {
			return c, true
		}
	}
	return composite{}, false
}

// judgeStatements compares a figure with the statements that stood from FreshDays before publication
// to the day after (the one standing when that window opened, and any made in it).
func (c *Checker) judgeStatements(cl Claim, sr statementRule, published time.Time, rd reading) Claim {
	f := cl.Figure
	lo, hi := published.AddDate(0, 0, -FreshDays), published.AddDate(0, 0, 1)
	type stated struct {
		series string
		report
		next report // the statement that revised it, if any
	}
	var current, older []stated
	for _, id := range sr.series {
		reps := c.reports[id]
		for i, p := range reps {
			if p.Date.After(hi) {
				break
			}
			s := stated{series: id, report: p}
			if i+1 < len(reps) {
				s.next = reps[i+1]
			}
			if !s.next.Date.IsZero() && !s.next.Date.After(lo) {
				older = append(older, s)
			} else {
				current = append(current, s)
			}
		}
	}
	if len(current) == 0 {
		cl.Verdict, cl.Why = VerdictNoData, fmt.Sprintf("toll holds no statement of %s made on or before %s", sr.what, hi.Format(obs.DateLayout))
		return cl
	}
	// The statement nearest publication first.
	slices.SortStableFunc(current, func(a, b stated) int {
		return absDays(a.Date.Sub(published)) - absDays(b.Date.Sub(published))
	})
	stood := make([]string, len(current))
	for k, s := range current {
		stood[k] = statedAs(s.report)
	}
	cite := func(s stated) {
		cl.Data = c.cite(s.series, s.report)
		cl.CurrentFrom = s.Date.Format(obs.DateLayout)
		if !s.next.Date.IsZero() {
			cl.CurrentUntil = s.next.Date.AddDate(0, 0, -1).Format(obs.DateLayout)
		}
	}
	for _, s := range current {
		if holds(f, s.Value) {
			cl.Verdict, cl.Why = VerdictConsistent, fmt.Sprintf("%s stood at %s", sr.what, statedAs(s.report))
			cite(s)
			return cl
		}
	}
	if v := float64(*f.Value); !slices.ContainsFunc(current, func(s stated) bool {
		return v >= float64(s.Value)/FarFactor && v <= float64(s.Value)*FarFactor
	}) {
		cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("%s stood at %s; a figure so far from it most likely counts something else (a part of them)",
			sr.what, strings.Join(stood, "; "))
		cite(current[0])
		return cl
	}
	if lowerBound(f.Qualifier) && slices.ContainsFunc(current, func(s stated) bool { return float64(s.Value) >= float64(*f.Value) }) {
		cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("true as a bound (%s): %s stood at %s", f.Qualifier, sr.what, strings.Join(stood, "; "))
		cite(current[0])
		return cl
	}
	// Outdated: it fits a statement that a later one had revised, by more than NegativeMargin, before the
	// article's window opened. The newest such statement is the one the text most likely quotes.
	for k := len(older) - 1; k >= 0 && sr.outdates; k-- {
		s := older[k]
		if !holds(f, s.Value) {
			continue
		}
		revisedBy, _ := standing(c.reports[s.series], hi)
		if math.Abs(float64(revisedBy.Value-*f.Value)) <= float64(*f.Value)*NegativeMargin {
			break
		}
		why := fmt.Sprintf("the figure matches the statement of %s, revised on %s, %d days before publication; %s then stood at %s",
			statedAs(s.report), s.next.Date.Format(obs.DateLayout), absDays(published.Sub(s.next.Date)), sr.what, strings.Join(stood, "; "))
		cite(s)
		if !rd.sure {
			cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("toll is not sure of its reading (%s), so it does not call the figure outdated; %s",
				strings.Join(rd.unsure, "; "), why)
			return cl
		}
		cl.Verdict, cl.Why = VerdictOutdated, why
		return cl
	}
	cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("it matches none of the statements toll holds, which are those found, not every one made; %s stood at %s",
		sr.what, strings.Join(stood, "; "))
	cite(current[0])
	return cl
}

// statedAs names a statement to cite: its value, who made it and when.
func statedAs(p report) string {
	return fmt.Sprintf("%s (%s, %s)", obs.GroupDigits(p.Value), p.Publisher, p.Date.Format(obs.DateLayout))
}

// judgeComposite compares a figure with the sum of a composite's parts as they stood on the day of
// publication. Each part's own rounding ("around 1,200") widens the sum; so do several statements
// standing at once (the officials' 1,200 and AFP's 1,163). A figure that fits the widened sum is
// consistent; any other is unchecked, with the gap stated, because the parts leave something out.
func (c *Checker) judgeComposite(cl Claim, cp composite, published time.Time, rd reading) Claim {
	f := cl.Figure
	day := published.AddDate(0, 0, 1)
	var parts []*DataPoint
	var sumLow, sumHigh, sumMin, sumMax int64
	var terms []string
	for _, pt := range cp.parts {
		// Every statement standing for the part, each widened by its own rounding.
		var values []int64
		var stood []string
		for _, id := range pt.series {
			p, ok := standing(c.reports[id], day)
			if !ok || !pt.statements && day.Sub(p.Date) > StillCurrentDays*24*time.Hour {
				continue
			}
			values = append(values, p.Value)
			parts = append(parts, c.cite(id, p))
			stood = append(stood, statedAs(p))
		}
		if len(values) == 0 {
			cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("toll would add up %s, but holds no report of %s current on %s",
				cp.what, pt.what, published.Format(obs.DateLayout))
			return cl
		}
		sumMin += slices.Min(values)
		sumMax += slices.Max(values)
		sumLow += slices.Min(widened(values, -1))
		sumHigh += slices.Max(widened(values, +1))
		terms = append(terms, pt.what+": "+strings.Join(stood, " or "))
	}
	cl.Derived = &Derivation{Period: "sum of parts on " + published.Format(obs.DateLayout), Parts: parts, Low: sumLow, High: sumHigh}
	cl.Data = &DataPoint{Series: "sum of " + strings.Join(seriesOf(parts), " + "), Value: sumMin, ReportDate: published.Format(obs.DateLayout),
		Publisher: "toll", Basis: obs.BasisDerived, Snapshot: c.snapshotID}
	sum := obs.GroupDigits(sumMin)
	if sumMax != sumMin {
		sum += " to " + obs.GroupDigits(sumMax)
	}
	said := fmt.Sprintf("toll built %s from its parts: %s; sum %s, or %s to %s with the parts' rounding; %s",
		cp.what, strings.Join(terms, "; "), sum, obs.GroupDigits(sumLow), obs.GroupDigits(sumHigh), gapTo(*f.Value, sumMin, sumMax))
	low, high := claimRange(f)
	switch {
	case high >= float64(sumLow) && low <= float64(sumHigh):
		cl.Verdict, cl.Why = VerdictConsistent, said
	case lowerBound(f.Qualifier) && float64(sumLow) >= float64(*f.Value):
		cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("true as a bound (%s); %s", f.Qualifier, said)
	case high < float64(sumLow)/FarFactor:
		cl.Verdict, cl.Why = VerdictUnchecked, said+"; a figure so far below it most likely counts something narrower (one attack, one campaign)"
	case high < float64(sumLow):
		cl.Verdict, cl.Why = VerdictUnchecked, said+"; the figure is below that sum, but it may count fewer parts (the 7 October attack alone) or fewer people (Israelis, not the foreigners killed), so toll does not call it wrong"
	default:
		cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("%s; the figure is above that sum, but the parts leave out %s, so toll does not call it wrong",
			said, cp.leftOut)
	}
	if !rd.sure && cl.Verdict == VerdictConsistent {
		cl.Why += " (toll is not sure of its reading: " + strings.Join(rd.unsure, "; ") + ")"
	}
	return cl
}

// widened moves each value by its rounding slack, down (sign -1) or up (+1).
func widened(values []int64, sign int64) []int64 {
	out := make([]int64, len(values))
	for i, v := range values {
		out[i] = v + sign*roundingSlack(v)
	}
	return out
}

// gapTo says plainly how far a figure is from a sum, or from the two ends of a span of sums.
func gapTo(v, sumMin, sumMax int64) string {
	side := func(sum int64) string {
		switch {
		case v > sum:
			return fmt.Sprintf("%s above %s", obs.GroupDigits(v-sum), obs.GroupDigits(sum))
		case v < sum:
			return fmt.Sprintf("%s below %s", obs.GroupDigits(sum-v), obs.GroupDigits(sum))
		}
		return "equal to " + obs.GroupDigits(sum)
	}
	if sumMin == sumMax {
		return fmt.Sprintf("the figure, %s, is %s", obs.GroupDigits(v), side(sumMin))
	}
	return fmt.Sprintf("the figure, %s, is %s and %s", obs.GroupDigits(v), side(sumMin), side(sumMax))
}

func seriesOf(parts []*DataPoint) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p.Series)
	}
	return out
}
