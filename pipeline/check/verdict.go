package check

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"toll/pipeline/obs"
)

// Verdicts.
const (
	VerdictConsistent  = "consistent"  // the data on or just before publication supports the figure
	VerdictOutdated    = "outdated"    // the figure matches a report older than FreshDays before publication
	VerdictUnderstated = "understated" // below what any report around publication said
	VerdictOverstated  = "overstated"  // above what any report up to publication said
	VerdictNoData      = "no_data"     // toll has no series that can answer it
	VerdictUnchecked   = "unchecked"   // a vague amount, a share, one incident, or a period a running total cannot answer
)

// Tolerances: how far the data may be from the printed figure, by qualifier, and still support it.
const (
	// FreshDays: a figure that matches a report from up to this many days before publication is
	// consistent (articles are written the day before, in another time zone, from yesterday's update).
	FreshDays = 3
	// StillCurrentDays: a publisher that reports every few days (OCHA's flash updates) leaves its last
	// report current until the next. The last report before the window is in it when the window opens
	// with no report of its own, if that report is at most this many days older than the window.
	StillCurrentDays = 7
	// OverMargin: "over X", "more than X", "at least X": the data is at or above X, by at most this share.
	OverMargin = 0.05
	// NearlyMargin: "nearly X", "almost X": the data is below X by at most this share (or equal).
	NearlyMargin = 0.05
	// AboutMargin: "about X", "some X": the data is within this share of X, either side.
	AboutMargin = 0.05
	// RoundAboutMargin: "about X" where X has one significant digit (1,000; 20,000; 3 million) rounds
	// more coarsely: the data is within this share of X.
	RoundAboutMargin = 0.10
	// UpToMargin: "up to X", "as many as X": the data is at most X, and above X by no more than this share.
	UpToMargin = 0.10
)

// Tolerance describes, in words, what counts as consistent for a qualifier.
func Tolerance(qualifier string) string {
	switch qualifier {
	case "over", "more than", "at least":
		return fmt.Sprintf("data from the quoted figure to %g%% above it", OverMargin*100)
	case "nearly":
		return fmt.Sprintf("data from %g%% below the quoted figure up to it", NearlyMargin*100)
	case "about":
		return fmt.Sprintf("data within %g%% of the quoted figure (%g%% for a figure of one significant digit, as 'about 1,000')", AboutMargin*100, RoundAboutMargin*100)
	case "up to":
		return fmt.Sprintf("data up to the quoted figure, down to %g%% below it", UpToMargin*100)
	case "range":
		return "data within the quoted range"
	}
	return "data equal to the quoted figure, or to it after the rounding the text uses"
}

// holds says whether a data value supports the printed figure under its qualifier: within the
// qualifier's range, or for a bare figure equal, or equal after the text's rounding (roundsTo).
func holds(f Figure, data int64) bool {
	low, high, qualified := qualifiedRange(f)
	if !qualified {
		return data == *f.Value || roundsTo(data, *f.Value)
	}
	d := float64(data)
	return d >= low && d <= high
}

// qualifiedRange is the span of data a qualifier allows ("over X": X to 5% above it); qualified is false
// for a bare figure.
func qualifiedRange(f Figure) (low, high float64, qualified bool) {
	v := float64(*f.Value)
	switch f.Qualifier {
	case "over", "more than", "at least":
		return v, v * (1 + OverMargin), true
	case "nearly":
		return v * (1 - NearlyMargin), v, true
	case "about":
		m := AboutMargin
		if roundFigure(*f.Value) {
			m = RoundAboutMargin // "about 1,000" for 936
		}
		return v * (1 - m), v * (1 + m), true
	case "up to":
		return v * (1 - UpToMargin), v, true
	case "range":
		return v, float64(*f.ValueMax), true
	}
	return 0, 0, false
}

// claimRange is the span of data a printed figure allows, a bare one spanning its rounding step ("1,200"
// is 1,150 to 1,250): what a sum of parts (judgeComposite) is compared with.
func claimRange(f Figure) (low, high float64) {
	if low, high, qualified := qualifiedRange(f); qualified {
		return low, high
	}
	v, slack := float64(*f.Value), float64(roundingSlack(*f.Value))
	return v - slack, v + slack
}

// roundFigure says whether a figure has one significant digit and at least three digits: 1,000, 20,000.
func roundFigure(v int64) bool {
	if v < 100 {
		return false
	}
	for v >= 10 {
		if v%10 != 0 {
			return false
		}
		v /= 10
	}
	return true
}

// roundsTo says whether data, rounded to the precision the printed figure shows (its trailing zeros),
// gives the printed figure, or cut to it when the figure keeps two significant digits or more: 50,021
// is "50,000"; 34,943 is "34,900"; 29,954 is not "20,000". Either way the data must be within
// AboutMargin of the figure.
func roundsTo(data, printed int64) bool {
	step := roundingStep(printed)
	if step < 100 || math.Abs(float64(data-printed)) > float64(printed)*AboutMargin {
		return false // "40" is precise enough to mean 40
	}
	rounded := (data + step/2) / step * step
	cut := data / step * step
	return rounded == printed || (cut == printed && step*10 <= printed)
}

// roundingStep is the precision a printed figure shows: 10 to the power of its trailing zeros (100 for
// 1,200; 1 for 1,189).
func roundingStep(v int64) int64 {
	step := int64(1)
	for p := v; p != 0 && p%10 == 0; p /= 10 {
		step *= 10
	}
	return step
}

// roundingSlack is half the rounding step of a figure rounded to a hundred or more (1,200 is 50 either
// way); a figure more precise is taken as printed.
func roundingSlack(v int64) int64 {
	if step := roundingStep(v); step >= 100 {
		return step / 2
	}
	return 0
}

// Point is one report of a series.
type Point struct {
	Date      time.Time
	Value     int64
	Basis     string
	Publisher string
	RecordID  string // for an official statement, the address of a report quoting it
}

// report is one version of a reported value: as first published, or as revised later.
type report struct {
	Point
	version string // "as first published", "as revised", or "" when the report was never revised
}

// NegativeMargin: beyond a qualifier's tolerance, how far outside the reports around publication a
// figure must lie before toll calls it overstated or understated. Closer than this, toll
// cannot tell a misreport from an update between the reports it holds.
const NegativeMargin = 0.02

// UnderstatedShare: a figure below this share of a running total around publication, matching none of
// its older reports, is not called understated: the total passed it earlier, and a text that meant the
// total would have quoted one of its reports. Counts of one strike or one day of a campaign fall here.
const UnderstatedShare = 0.8

// FarFactor: a figure more than this factor below or above the reports around publication is not
// called wrong; see judge.
const FarFactor = 2

// judgement is what the series says about a figure.
type judgement struct {
	verdict string
	why     string
	at      report // the report the figure was compared with
}

// reading is what a verdict may rest on: whether toll is sure of the figure's place, group and time
// frame, and if not, why.
type reading struct {
	sure   bool
	unsure []string
}

// judge compares a figure with the reports of a series (every reported version, sorted by date) around
// the publication date:
//   - consistent: it fits a report from FreshDays before publication to the day after (or the report
//     still current when that window opened, StillCurrentDays), in any version, or lies between two of
//     them a day or two apart (an update the ministry issued between its daily reports);
//   - outdated: it fits only an older report, or lies between two older ones a day or two apart, and
//     nothing newer;
//   - overstated or understated: it lies outside every report of the window by more than its tolerance
//     and NegativeMargin (and a running total's figure is not far below it, UnderstatedShare).
//
// A negative verdict needs a sure reading; otherwise the claim is unchecked, with the reason. A daily
// count (cumulative false) is compared with the window only: an older day says nothing about it.
func judge(f Figure, reps []report, published time.Time, what string, cumulative bool, r reading) judgement {
	lo, hi := published.AddDate(0, 0, -FreshDays), published.AddDate(0, 0, 1)
	var near []report
	latest := -1 // the latest report on or before the day after publication
	for i, p := range reps {
		if p.Date.After(hi) {
			break
		}
		latest = i
		if !p.Date.Before(lo) {
			near = append(near, p)
		}
	}
	if latest < 0 {
		return judgement{verdict: VerdictNoData, why: fmt.Sprintf("%s has no report on or before %s", what, hi.Format(obs.DateLayout))}
	}
	// The report that was still current when the window opened: an article of the 20th quoting the report
	// of the 16th is current when the next came out on the 20th.
	if len(near) > 0 {
		if prev := previous(reps, near); !prev.Date.IsZero() && oldest(near).Date.After(lo) && lo.Sub(prev.Date) <= StillCurrentDays*24*time.Hour {
			near = append(near, prev)
		}
	}
	if len(near) == 0 {
		return judgement{verdict: VerdictUnchecked, at: reps[latest],
			why: fmt.Sprintf("%s has no report from %s to %s; its latest before was %s on %s", what,
				lo.Format(obs.DateLayout), hi.Format(obs.DateLayout), obs.GroupDigits(reps[latest].Value), reps[latest].Date.Format(obs.DateLayout))}
	}
	// The report nearest publication first: on the day, the day before, the day after, then older.
	sort.SliceStable(near, func(a, b int) bool {
		return absDays(near[a].Date.Sub(published)) < absDays(near[b].Date.Sub(published))
	})
	for _, p := range near {
		if holds(f, p.Value) {
			j := judgement{verdict: VerdictConsistent, at: p}
			j.why = fmt.Sprintf("%s was %s on %s%s", what, obs.GroupDigits(p.Value), p.Date.Format(obs.DateLayout), versionNote(p))
			return j
		}
	}
	low, high := near[0], near[0]
	for _, p := range near {
		if p.Value < low.Value {
			low = p
		}
		if p.Value > high.Value {
			high = p
		}
	}
	v := float64(*f.Value)
	if cumulative && v >= float64(low.Value) && v <= float64(high.Value) {
		// Between two reports a day or two apart: an update the publisher issued between them. Further
		// apart, toll cannot tell which report the figure quotes.
		byDate := slices.Clone(near)
		slices.SortFunc(byDate, func(a, b report) int { return a.Date.Compare(b.Date) })
		for k := 1; k < len(byDate); k++ {
			a, b := byDate[k-1], byDate[k]
			if v < float64(min(a.Value, b.Value)) || v > float64(max(a.Value, b.Value)) {
				continue
			}
			if b.Date.Sub(a.Date) <= 48*time.Hour {
				at := a // the one nearer publication
				if absDays(b.Date.Sub(published)) < absDays(a.Date.Sub(published)) {
					at = b
				}
				return judgement{verdict: VerdictConsistent, at: at, why: fmt.Sprintf(
					"between the reports of %s (%s) and %s (%s): %s issued updates between the reports toll holds",
					a.Date.Format(obs.DateLayout), obs.GroupDigits(a.Value), b.Date.Format(obs.DateLayout), obs.GroupDigits(b.Value), a.Publisher)}
			}
			return judgement{verdict: VerdictUnchecked, at: a, why: fmt.Sprintf(
				"between the reports of %s (%s) and %s (%s), %d days apart: it may quote a report between them that toll does not hold",
				a.Date.Format(obs.DateLayout), obs.GroupDigits(a.Value), b.Date.Format(obs.DateLayout), obs.GroupDigits(b.Value), absDays(b.Date.Sub(a.Date)))}
		}
	}
	j := judgement{at: near[0]}
	if cumulative {
		for i := latest; i >= 0; i-- {
			p := reps[i]
			if !p.Date.Before(lo) {
				continue
			}
			if holds(f, p.Value) {
				j.verdict, j.at = VerdictOutdated, p
				j.why = fmt.Sprintf("the figure matches %s as of %s (%s%s), %d days before publication; around publication it was %s (%s)",
					what, p.Date.Format(obs.DateLayout), obs.GroupDigits(p.Value), versionNote(p), absDays(p.Date.Sub(published)),
					obs.GroupDigits(near[0].Value), near[0].Date.Format(obs.DateLayout))
				break
			}
			// Between a report and the next, a day or two apart: an update issued between them. Any figure
			// below a running total lies between two of its reports, so this holds only near the total; far
			// below, the figure more likely counts something narrower (see UnderstatedShare).
			if i == latest || v < float64(min(p.Value, reps[i+1].Value)) || v > float64(max(p.Value, reps[i+1].Value)) ||
				v < float64(low.Value)*UnderstatedShare {
				continue
			}
			if next := reps[i+1]; next.Date.Sub(p.Date) > 48*time.Hour {
				// Between two older reports days apart: an update between them toll does not hold, most
				// likely; not a figure below everything published.
				return judgement{verdict: VerdictUnchecked, at: p, why: fmt.Sprintf(
					"between the reports of %s (%s) and %s (%s), %d days apart and before publication: it may quote an update between them that toll does not hold",
					p.Date.Format(obs.DateLayout), obs.GroupDigits(p.Value), next.Date.Format(obs.DateLayout), obs.GroupDigits(next.Value), absDays(next.Date.Sub(p.Date)))}
			}
			next := reps[i+1]
			if !next.Date.Before(lo) {
				// The update lies on the window's edge: too close to call it outdated.
				return judgement{verdict: VerdictUnchecked, at: next, why: fmt.Sprintf(
					"between the reports of %s (%s) and %s (%s): it may quote an update between them, about %d days before publication",
					p.Date.Format(obs.DateLayout), obs.GroupDigits(p.Value), next.Date.Format(obs.DateLayout), obs.GroupDigits(next.Value), absDays(next.Date.Sub(published)))}
			}
			j.verdict, j.at = VerdictOutdated, p
			j.why = fmt.Sprintf("the figure lies between %s as of %s (%s) and %s (%s), an update about %d days before publication; around publication it was %s (%s)",
				what, p.Date.Format(obs.DateLayout), obs.GroupDigits(p.Value), next.Date.Format(obs.DateLayout), obs.GroupDigits(next.Value),
				absDays(next.Date.Sub(published)), obs.GroupDigits(near[0].Value), near[0].Date.Format(obs.DateLayout))
			break
		}
	}
	// What the data said at publication: for a running total, the latest report on or before the day
	// (later ones may have grown); for a daily count, every report of the window.
	var atPub *report
	for k := range near {
		if !near[k].Date.After(published) && (atPub == nil || near[k].Date.After(atPub.Date)) {
			atPub = &near[k]
		}
	}
	// A report of a later day than publication: a running total above it was above anything published
	// by then. One of the day itself is not enough: the ministry updates several times a day, and an
	// article can quote an update later than the report toll holds for that day.
	after := false
	for _, p := range near {
		after = after || p.Date.After(published)
	}
	if j.verdict == "" {
		switch {
		case cumulative && gapBefore(reps, near, v):
			return judgement{verdict: VerdictUnchecked, at: near[0], why: fmt.Sprintf(
				"toll holds no report of %s between %s and %s; the figure lies between them and may quote a report toll does not hold",
				what, previous(reps, near).Date.Format(obs.DateLayout), oldest(near).Date.Format(obs.DateLayout))}
		case v < float64(low.Value)*(1-NegativeMargin) && (!cumulative || atPub != nil && v < float64(atPub.Value)*(1-NegativeMargin)):
			j.verdict, j.at = VerdictUnderstated, low
			if atPub != nil {
				j.at = *atPub
			}
			j.why = fmt.Sprintf("below every report of %s from %s to %s; on %s it was %s", what,
				lo.Format(obs.DateLayout), hi.Format(obs.DateLayout), j.at.Date.Format(obs.DateLayout), obs.GroupDigits(j.at.Value))
		case v > float64(high.Value)*(1+NegativeMargin) && (!cumulative || after):
			j.verdict, j.at = VerdictOverstated, high
			j.why = fmt.Sprintf("above every report of %s from %s to %s; the highest was %s on %s", what,
				lo.Format(obs.DateLayout), hi.Format(obs.DateLayout), obs.GroupDigits(high.Value), high.Date.Format(obs.DateLayout))
		case v > float64(high.Value) && !after:
			return judgement{verdict: VerdictUnchecked, at: high, why: fmt.Sprintf(
				"above the latest report of %s toll holds (%s on %s), and toll holds none from after the day of publication: it may quote a newer update",
				what, obs.GroupDigits(high.Value), high.Date.Format(obs.DateLayout))}
		default:
			return judgement{verdict: VerdictUnchecked, at: near[0], why: fmt.Sprintf(
				"within %g%% of %s around publication (%s on %s), or below only reports published after the article: too close to tell a misreport from an update toll does not hold",
				NegativeMargin*100, what, obs.GroupDigits(near[0].Value), near[0].Date.Format(obs.DateLayout))}
		}
	}
	// A bound stays true as the data moves away from it on its side: "over 13,000" is not understated
	// or outdated when the data is 14,000, nor is "up to 500" overstated when it is 400.
	if (lowerBound(f.Qualifier) && j.verdict != VerdictOverstated) || (f.Qualifier == "up to" && j.verdict == VerdictOverstated) {
		return judgement{verdict: VerdictUnchecked, at: j.at, why: fmt.Sprintf("true as a bound (%s), though %s was %s on %s",
			f.Qualifier, what, obs.GroupDigits(reps[latest].Value), reps[latest].Date.Format(obs.DateLayout))}
	}
	// A figure off by more than a factor of FarFactor counts something else than the series (one
	// incident, a period, a narrower group) far more often than it misreports it.
	if v < float64(low.Value)/FarFactor || v > float64(high.Value)*FarFactor {
		return judgement{verdict: VerdictUnchecked, at: near[0], why: fmt.Sprintf(
			"%s was %s on %s; a figure so far from it most likely counts something else (one incident, a period, a narrower group)",
			what, obs.GroupDigits(near[0].Value), near[0].Date.Format(obs.DateLayout))}
	}
	if !r.sure {
		return judgement{verdict: VerdictUnchecked, at: j.at, why: fmt.Sprintf("toll is not sure of its reading (%s), so it does not call the figure %s; %s was %s on %s",
			strings.Join(r.unsure, "; "), j.verdict, what, obs.GroupDigits(near[0].Value), near[0].Date.Format(obs.DateLayout))}
	}
	if j.verdict == VerdictUnderstated && cumulative && v < float64(low.Value)*UnderstatedShare {
		// Well below what was already published, and matching no older report: a running total does not
		// fall, so the text counts something narrower ("the death toll from Israeli airstrikes had risen
		// to 356", of one day's strikes, when the war's toll was 613) or quotes an update toll does not hold.
		return judgement{verdict: VerdictUnchecked, at: low, why: fmt.Sprintf(
			"below %g%% of %s around publication (%s on %s), and matching no older report: it most likely counts something narrower (one incident, a period, a group)",
			UnderstatedShare*100, what, obs.GroupDigits(low.Value), low.Date.Format(obs.DateLayout))}
	}
	return j
}

func lowerBound(qualifier string) bool {
	return qualifier == "over" || qualifier == "more than" || qualifier == "at least"
}

// standing returns the last report of reps on or before day (ok false when there is none).
func standing(reps []report, day time.Time) (report, bool) {
	var at report
	for _, p := range reps {
		if p.Date.After(day) {
			break
		}
		at = p
	}
	return at, !at.Date.IsZero()
}

// previous returns the report just before the window's oldest one (zero when there is none).
func previous(reps, near []report) report {
	first := oldest(near)
	var prev report
	for _, p := range reps {
		if p.Date.Before(first.Date) {
			prev = p
		}
	}
	return prev
}

func oldest(near []report) report {
	o := near[0]
	for _, p := range near {
		if p.Date.Before(o.Date) {
			o = p
		}
	}
	return o
}

// gapBefore: a running total published irregularly (Lebanon's ministry) can have reports toll does not
// hold; a figure between the report before the window and the window's oldest, more than a day apart,
// may quote one.
func gapBefore(reps, near []report, v float64) bool {
	prev, first := previous(reps, near), oldest(near)
	return !prev.Date.IsZero() && first.Date.Sub(prev.Date) > 36*time.Hour &&
		v >= float64(min(prev.Value, first.Value)) && v <= float64(max(prev.Value, first.Value))
}

// absDays is the number of whole days in d, either way round.
func absDays(d time.Duration) int {
	if d < 0 {
		d = -d
	}
	return int(d.Hours() / 24)
}

func versionNote(p report) string {
	if p.version == "" {
		return ""
	}
	return ", " + p.version
}

// currentRun returns the first and last report dates of the run of current reports around at for which
// the figure holds: when the quoted figure was current.
func currentRun(f Figure, points []Point, at time.Time) (from, till time.Time) {
	k := sort.Search(len(points), func(i int) bool { return !points[i].Date.Before(at) })
	if k == len(points) || !holds(f, points[k].Value) {
		return
	}
	a, b := k, k
	for a > 0 && holds(f, points[a-1].Value) {
		a--
	}
	for b+1 < len(points) && holds(f, points[b+1].Value) {
		b++
	}
	return points[a].Date, points[b].Date
}
