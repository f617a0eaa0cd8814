package check

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/regexp"

	"toll/pipeline/obs"
)

// Period claims ("since the ceasefire", "since 18 March", "in the past 48 hours", "in 2024") are
// answered by differencing a running total: the total at the end of the period less the total reported
// on its first day (a report dated D gives the toll as published on D), or by summing a daily count. The result is toll's own figure (basis derived), shown with the two reports used.

// event is a dated event the news names to start a period, from events.csv.
type event struct {
	name, area string
	date       time.Time
	words      *regexp.Regexp // how the news names it, right after "since the"
	source     string         // a report that dates it
}

//go:embed events.csv
var eventsCSV string

// events are the dated events of events.csv; a malformed file is a build defect, caught by every test.
var events = func() []event {
	rows, err := csv.NewReader(strings.NewReader(eventsCSV)).ReadAll()
	if err != nil {
		panic("check: events.csv: " + err.Error())
	}
	var out []event
	for i, r := range rows[1:] {
		d, err := obs.ParseDate(r[2])
		if err != nil {
			panic(fmt.Sprintf("check: events.csv: record %d: field date: %v", i+1, err))
		}
		// "since the start of the truce", "since signing the ceasefire deal", "since the October 10 ceasefire"
		// "since the US-brokered ceasefire": one word may describe it
		out = append(out, event{name: r[0], area: r[1], date: d, words: regexp.MustCompile(`^(?:(?:start|beginning|onset) of (?:the )?|signing (?:of )?(?:the )?)?` +
			`(?:(?:` + monthWords + `)\.? \d{1,2}(?:st|nd|rd|th)?,? |\d{1,2} (?:` + monthWords + `),? )?(?:[\w.'’-]+ )?(?:` + r[3] + `)`), source: r[4]})
	}
	return out
}()

// window is the period a figure counts: from the first day to the last, both included.
type window struct {
	from, to time.Time
	label    string // how toll read it, for the explanation
	source   string // a report dating the event that starts it, if one does
}

var (
	// "the past week" is the seven days to publication; "last week" is a calendar week toll cannot place.
	pastRE      = mustPattern(`\b(?:past (\d+|twenty-four|forty-eight|seventy-two|two|three|four|five|six|seven)? ?|(?:last|previous|preceding) (\d+|twenty-four|forty-eight|seventy-two|two|three|four|five|six|seven) )(hours?|days?|weeks?)\b`)
	sinceDateRE = mustPattern(`\bsince (?:the \w+ of |early |mid-|late )?(?:(\d{1,2}) (` + monthWords + `)|(` + monthWords + `) (\d{1,2}))\b(?:,? (20\d\d))?`)
	// "since Israeli attacks on Lebanon began on March 2", "since military actions intensified on 2 March"
	sinceEventOnRE = mustPattern(`\bsince (?:[\w.'’-]+ ){1,6}?(?:on|in) (?:(\d{1,2}) (` + monthWords + `)|(` + monthWords + `)\.? (\d{1,2}))\b(?:,? (20\d\d))?`)
	// "between the afternoons of 26 and 29 August": from the report of the first day to that of the last
	betweenDaysRE    = mustPattern(`\bbetween (?:the (?:afternoons?|mornings?|evenings?|nights?) of )?(\d{1,2}) (?:(` + monthWords + `) )?and (?:the (?:afternoon|morning|evening|night) of )?(\d{1,2}) (` + monthWords + `)\b(?:,? (20\d\d))?`)
	inYearRE         = mustPattern(`\b(?:in|during) (202\d)\b`)
	inMonthRE        = mustPattern(`\b(?:in|during) (` + monthWords + `)(?: (202\d))?\b`)
	comparedPeriodRE = mustPattern(`\b(?:same|equivalent) period\b`)
	thisYearRE       = mustPattern(`\bthis year\b|\bsince the (?:start|beginning) of (?:the|this) year\b`)
	sinceYearRE      = mustPattern(`\bsince (?:the )?(?:start|beginning) of (20\d\d)\b`)
)

const monthWords = `january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`

var countWords = map[string]int{"twenty-four": 24, "forty-eight": 48, "seventy-two": 72, "two": 2, "three": 3, "four": 4,
	"five": 5, "six": 6, "seven": 7}

// periodOf reads the window a period figure counts from the words of its time frame (tail: the cue and
// the words after it), as of the publication date. ok is false when the words give no window toll can
// date: "since the renewed offensive" in a place with no event of that name, "in recent weeks".
func periodOf(tail, area string, published time.Time) (window, bool) {
	switch {
	case comparedPeriodRE.MatchString(tail):
		return window{}, false // "compared with 78 in the same period in 2023": a window toll cannot bound
	case pastRE.MatchString(tail):
		m := pastRE.FindStringSubmatch(tail)
		count, unit := m[1]+m[2], m[3]
		n := 1
		if count != "" {
			v, err := strconv.Atoi(count)
			if err != nil {
				v = countWords[count]
			}
			n = v
		}
		if n == 0 {
			return window{}, false
		}
		days := n
		switch {
		case strings.HasPrefix(unit, "hour"):
			if n%24 != 0 {
				return window{}, false
			}
			days = n / 24
		case strings.HasPrefix(unit, "week"):
			days = 7 * n
		}
		label := fmt.Sprintf("the %d days to %s", days, published.Format(obs.DateLayout))
		if days == 1 {
			label = "the day of " + published.Format(obs.DateLayout)
		}
		return window{from: published.AddDate(0, 0, -days), to: published, label: label}, true
	case sinceDateRE.MatchString(tail) || sinceEventOnRE.MatchString(tail):
		m := sinceDateRE.FindStringSubmatch(tail)
		if m == nil {
			m = sinceEventOnRE.FindStringSubmatch(tail)
		}
		from, ok := matchedDate(m, published)
		if !ok {
			return window{}, false
		}
		if from.After(published) || (from.Month() == time.October && from.Day() == 7 && (m[5] == "" || from.Year() == 2023)) {
			return window{}, false // "since 7 October (2023)" is the war's running total, not a period
		}
		return window{from: from, to: published, label: "since " + from.Format(obs.DateLayout)}, true
	case betweenDaysRE.MatchString(tail):
		m := betweenDaysRE.FindStringSubmatch(tail)
		d1, _ := strconv.Atoi(m[1])
		d2, _ := strconv.Atoi(m[3])
		m2, ok2 := monthOf(m[4])
		m1, ok1 := m2, true
		if m[2] != "" {
			m1, ok1 = monthOf(m[2])
		}
		if !ok1 || !ok2 || d1 < 1 || d1 > 31 || d2 < 1 || d2 > 31 {
			return window{}, false
		}
		to := dateIn(d2, m2, m[5], published)
		from := time.Date(to.Year(), m1, d1, 0, 0, 0, 0, time.UTC)
		if from.After(to) {
			from = from.AddDate(-1, 0, 0) // "between 28 December and 3 January"
		}
		if to.After(published) {
			return window{}, false
		}
		return window{from: from, to: to, label: "from " + from.Format(obs.DateLayout) + " to " + to.Format(obs.DateLayout)}, true
	case strings.HasPrefix(tail, "last year"):
		y := published.Year() - 1
		return window{from: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), to: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), label: fmt.Sprintf("in %d", y)}, true
	case sinceYearRE.MatchString(tail):
		y, _ := strconv.Atoi(sinceYearRE.FindStringSubmatch(tail)[1])
		from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		if from.After(published) {
			return window{}, false
		}
		return window{from: from, to: published, label: "since " + from.Format(obs.DateLayout)}, true
	case thisYearRE.MatchString(tail):
		from := time.Date(published.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return window{from: from, to: published, label: "since " + from.Format(obs.DateLayout)}, true
	case inYearRE.MatchString(tail):
		y, _ := strconv.Atoi(inYearRE.FindStringSubmatch(tail)[1])
		from, to := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
		if from.After(published) {
			return window{}, false
		}
		return window{from: from, to: minTime(to, published), label: fmt.Sprintf("in %d", y)}, true
	case inMonthRE.MatchString(tail):
		m := inMonthRE.FindStringSubmatch(tail)
		month, ok := monthOf(m[1])
		if !ok {
			return window{}, false
		}
		year := published.Year()
		if m[2] != "" {
			year, _ = strconv.Atoi(m[2])
		}
		from := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
		if m[2] == "" && from.After(published) {
			from = from.AddDate(-1, 0, 0)
		}
		if from.After(published) {
			return window{}, false
		}
		return window{from: from, to: minTime(from.AddDate(0, 1, -1), published), label: "in " + from.Format("January 2006")}, true
	case strings.HasPrefix(tail, "since "):
		named := strings.TrimPrefix(tail, "since ")
		named = strings.TrimPrefix(strings.TrimPrefix(named, "the "), "a ")
		var found *event
		for k := range events {
			e := &events[k]
			if e.area == area && !e.date.After(published) && e.words.MatchString(named) && (found == nil || e.date.After(found.date)) {
				found = e
			}
		}
		if found == nil {
			return window{}, false
		}
		return window{from: found.date, to: published, label: "since " + found.name + " (" + found.date.Format(obs.DateLayout) + ")", source: found.source}, true
	}
	return window{}, false
}

// statedDate reads the day that words like "as of 20 March" give a figure, as of publication.
func statedDate(words string, published time.Time) (time.Time, bool) {
	for d := 0; d < 7; d++ { // "as of Tuesday": the last Tuesday on or before publication
		day := published.AddDate(0, 0, -d)
		if strings.HasSuffix(words, strings.ToLower(day.Weekday().String())) {
			return day, true
		}
	}
	all := statedDateRE.FindAllStringSubmatch(words, -1)
	if all == nil {
		return time.Time{}, false
	}
	return matchedDate(all[len(all)-1], published) // "between 7 October 2023 and 29 August 2024": the last
}

// matchedDate reads a date matched as "20 March" (groups 1 and 2) or "March 20" (3 and 4), with an
// optional year (5).
func matchedDate(m []string, published time.Time) (time.Time, bool) {
	dayText, monthText := m[1], m[2]
	if dayText == "" {
		dayText, monthText = m[4], m[3]
	}
	d, _ := strconv.Atoi(dayText)
	month, ok := monthOf(monthText)
	if !ok || d < 1 || d > 31 {
		return time.Time{}, false
	}
	return dateIn(d, month, m[5], published), true
}

var statedDateRE = mustPattern(`(?:(\d{1,2})(?:st|nd|rd|th)? (` + monthWords + `)|(` + monthWords + `)\.? (\d{1,2})(?:st|nd|rd|th)?)\b(?:,? (20\d\d))?`)

// dateIn is a day of a month as the text names it, in the year it gives, else in the publication's year,
// or the year before when that day is still to come ("since 18 March", read in January: last year's).
func dateIn(day int, month time.Month, year string, published time.Time) time.Time {
	y := published.Year()
	if year != "" {
		y, _ = strconv.Atoi(year)
	}
	d := time.Date(y, month, day, 0, 0, 0, 0, time.UTC)
	if year == "" && d.After(published) {
		d = d.AddDate(-1, 0, 0)
	}
	return d
}

func monthOf(s string) (time.Month, bool) {
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(strings.ToLower(m.String()), s) && len(s) >= 3 {
			return m, true
		}
	}
	return 0, false
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// derivation is a period figure computed from two reports of a running total.
type derivation struct {
	window
	start, end report // the report the window starts from, and the latest in it
	lo, hi     int64  // the range of the figure read as of the window's dates, a day earlier and a day later
}

// derive computes what a running total's reports say of a window: the report at its end less the
// report of the day it opens, read as shifted reads a window. A series that restarts its count
// (Lebanon's phases) counts from zero when the report the window starts from is above the one at its end.
func derive(reps []report, w window) (derivation, bool) {
	d, ok := shifted(w, func(from, to time.Time) (int64, report, report, bool) {
		end, ok := standing(reps, to)
		if !ok || to.Sub(end.Date) > FreshDays*24*time.Hour {
			return 0, report{}, report{}, false
		}
		// A report dated D gives the toll as published on D: what happens after it is in later reports.
		start, ok := standing(reps, from)
		if !ok || from.Sub(start.Date) > FreshDays*24*time.Hour {
			start = report{Point: Point{Date: from}} // no report before it: the count starts with the window
		}
		if start.Value > end.Value { // a count that restarted inside the window
			start.Value = 0
		}
		return end.Value - start.Value, start, end, true
	})
	return d, ok && d.lo >= 0
}

// sum adds a daily count's reports over a window, read as derive reads it.
func sum(reps []report, w window) (derivation, bool) {
	return shifted(w, func(from, to time.Time) (int64, report, report, bool) {
		var v int64
		var first, last report
		n := 0
		for _, p := range reps {
			if !p.Date.After(from) || p.Date.After(to) { // the report dated on the first day covers the day before
				continue
			}
			if n == 0 {
				first = p
			}
			v, last, n = v+p.Value, p, n+1
		}
		return v, first, last, n > 0 && to.Sub(last.Date) <= FreshDays*24*time.Hour
	})
}

// shifted computes a window's figure as of its dates, one day earlier (an article quoting the day
// before's report) and one day later (an event that took effect late in its day, a report dated the day
// after), and returns the range of the three with the reports of the first that could be read.
func shifted(w window, compute func(from, to time.Time) (v int64, start, end report, ok bool)) (derivation, bool) {
	d := derivation{window: w}
	found := false
	for _, shift := range []int{0, -1, 1} {
		v, start, end, ok := compute(w.from.AddDate(0, 0, shift), w.to.AddDate(0, 0, shift))
		if !ok {
			continue
		}
		if !found {
			d.start, d.end, d.lo, d.hi, found = start, end, v, v, true
		}
		d.lo, d.hi = min(d.lo, v), max(d.hi, v)
	}
	return d, found
}

// dailyCounts names, for a running total, its daily reports' own counts, which answer the shortest
// periods ("in the past 48 hours") as published, recovered bodies included.
var dailyCounts = map[string]string{
	"tfp_gaza_daily/PS02/killed/all/cumulative":  "tfp_gaza_daily/PS02/killed/all/period",
	"tfp_gaza_daily/PS02/injured/all/cumulative": "tfp_gaza_daily/PS02/injured/all/period",
}

// periodCounts names, for a running total, the daily count to sum instead of differencing it, from the
// first report of that count on: since the January 2025 truce the Gaza ministry adds recovered bodies
// and committee-recognised deaths to its total, and counts the newly killed apart. A period after that
// ("since the ceasefire") is the sum of the newly killed, not the growth of the total.
var periodCounts = map[string]string{
	"tfp_gaza_daily/PS02/killed/all/cumulative": "tfp_gaza_daily/PS02/killed/newly_killed/period",
}

// PeriodMargin: how far outside what the reports give for a period a figure must lie before toll calls
// it wrong. The period's bounds are toll's reading of words like "since the ceasefire", so the margin is
// wider than for a report quoted as it stands.
const PeriodMargin = 0.10

// MinPeriodGap: a period figure must also be this many people away from what toll computes: small
// counts are dominated by when a death is announced.
const MinPeriodGap = 5

// growthCovers says whether v is the running total's growth over the window, within PeriodMargin: a
// figure the text may have taken from the total's growth, recovered bodies and all.
func growthCovers(reps []report, w window, v float64) bool {
	g, ok := derive(reps, w)
	return ok && v >= float64(g.lo)*(1-PeriodMargin) && v <= float64(g.hi)*(1+PeriodMargin)
}

// Derivation is how toll computed a period figure: the running total at the end less the total the
// window starts from, or the sum of a daily count over it.
type Derivation struct {
	Period string     `json:"period"`           // the window as toll read it
	Source string     `json:"source,omitempty"` // a report dating the event that starts it
	From   *DataPoint `json:"from"`             // the report the window starts from
	To     *DataPoint `json:"to"`               // the report at its end
	Low    int64      `json:"low"`              // the range of the figure as of the window's dates,
	High   int64      `json:"high"`             // a day earlier and a day later
	// Parts: for a total built from parts toll holds separately (composite), each part's report; Low and
	// High are then the sum's range, widened by the parts' rounding.
	Parts []*DataPoint `json:"parts,omitempty"`
}

// judgePeriod answers a period figure from the reports of r.series, or of the daily count that answers
// it better (dailyCounts, periodCounts).
func (c *Checker) judgePeriod(cl Claim, r rule, published time.Time, rd reading) Claim {
	f := cl.Figure
	w, ok := periodOf(f.scopeTail, f.Area, published)
	if !ok {
		cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("a count within a period toll cannot date (%q)", f.scopeCue)
		return cl
	}
	d, ok := derive(c.reports[r.series], w)
	// Whether the computed figure can prove a text wrong, and if not, why.
	how, cannotRefute := "the running total's growth", "a running total's growth includes what was recorded late, so toll does not call a period figure wrong on it"
	short := w.to.Sub(w.from) < FreshDays*24*time.Hour
	if daily := c.reports[dailyCounts[r.series]]; short && len(daily) > 0 {
		d, ok = sum(daily, w)
		// A daily report can cover several days after a gap (the ministry's report of 22 December 2023
		// covers the 19th to the 22nd), so a few days' sum cannot prove a figure wrong either.
		how, cannotRefute = "the sum of the daily reports' counts", "a daily report can cover more than a day, so toll does not call a figure for a few days wrong on their sum"
	} else if counts := c.reports[periodCounts[r.series]]; !short && len(counts) > 0 && !w.from.Before(counts[0].Date) {
		d, ok = sum(counts, w)
		how, cannotRefute = "the sum of the ministry's daily counts of the newly killed (recovered bodies apart)", ""
	}
	if !ok {
		cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("%s has no reports around %s to difference", r.what, w.label)
		return cl
	}
	point := func(p report) *DataPoint {
		if p.Publisher == "" {
			return nil // the count starts with the window
		}
		return c.cite(r.series, p)
	}
	cl.Derived = &Derivation{Period: w.label, Source: w.source, From: point(d.start), To: point(d.end), Low: d.lo, High: d.hi}
	cl.Data = c.cite(r.series, d.end)
	cl.Data.Value, cl.Data.Basis, cl.Data.Version = d.lo, obs.BasisDerived, ""
	v := float64(*f.Value)
	// A window that opens well before the series' first report (West Bank deaths "in 2023", a series that
	// starts on 7 October): toll's figure counts only from that report, so a larger one may be right.
	partial := ""
	if reps := c.reports[r.series]; len(reps) > 0 && w.from.Before(reps[0].Date.AddDate(0, 0, -FreshDays)) {
		partial = fmt.Sprintf("the series starts on %s, after the window opens, so toll's figure counts only from then", reps[0].Date.Format(obs.DateLayout))
	}
	span := obs.GroupDigits(d.lo)
	if d.hi != d.lo {
		span += " to " + obs.GroupDigits(d.hi)
	}
	said := fmt.Sprintf("%s, %s: %s, computed by toll as %s from the reports of %s to %s", r.what, w.label, span, how,
		d.start.Date.Format(obs.DateLayout), d.end.Date.Format(obs.DateLayout))
	switch {
	case holds(f, d.lo) || holds(f, d.hi) || (v >= float64(d.lo) && v <= float64(d.hi)):
		cl.Verdict, cl.Why = VerdictConsistent, said
	case !rd.sure:
		cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("toll is not sure of its reading (%s); %s", strings.Join(rd.unsure, "; "), said)
	case partial != "" && v > float64(d.hi):
		cl.Verdict, cl.Why = VerdictUnchecked, partial+"; "+said
	case cannotRefute != "":
		// A total also grows by deaths and injuries recorded late, which a publisher's own count for the
		// period leaves out: its growth can support a period figure, never prove it wrong.
		cl.Verdict, cl.Why = VerdictUnchecked, cannotRefute+"; "+said
	case v < min(float64(d.lo)*(1-PeriodMargin), float64(d.lo)-MinPeriodGap) && v >= float64(d.lo)/FarFactor && !lowerBound(f.Qualifier):
		cl.Verdict, cl.Why = VerdictUnderstated, "below "+said
	case v > max(float64(d.hi)*(1+PeriodMargin), float64(d.hi)+MinPeriodGap) && growthCovers(c.reports[r.series], w, v):
		// The total grew by recovered bodies too: a text may give that growth as the period's dead.
		cl.Verdict, cl.Why = VerdictUnchecked, "it is the running total's growth over the window, which also counts recovered bodies; "+said
	case v > max(float64(d.hi)*(1+PeriodMargin), float64(d.hi)+MinPeriodGap) && v <= float64(d.hi)*FarFactor && f.Qualifier != "up to":
		cl.Verdict, cl.Why = VerdictOverstated, "above "+said
	case v >= min(float64(d.lo)*(1-PeriodMargin), float64(d.lo)-MinPeriodGap) && v <= max(float64(d.hi)*(1+PeriodMargin), float64(d.hi)+MinPeriodGap):
		cl.Verdict, cl.Why = VerdictUnchecked, fmt.Sprintf("within %g%% of what toll computes, too close to call wrong; %s", PeriodMargin*100, said)
	default:
		cl.Verdict, cl.Why = VerdictUnchecked, "so far from what toll computes that it most likely counts something else; "+said
	}
	return cl
}
