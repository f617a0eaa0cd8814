package check

import (
	"fmt"
	"math"
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
	// OverMargin: "over X", "more than X", "at least X": the data is at or above X, by at most this share.
	OverMargin = 0.05
	// NearlyMargin: "nearly X", "almost X": the data is below X by at most this share (or equal).
	NearlyMargin = 0.05
	// AboutMargin: "about X", "some X": the data is within this share of X, either side.
	AboutMargin = 0.05
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
		return fmt.Sprintf("data within %g%% of the quoted figure", AboutMargin*100)
	case "up to":
		return fmt.Sprintf("data up to the quoted figure, down to %g%% below it", UpToMargin*100)
	case "range":
		return "data within the quoted range"
	}
	return "data equal to the quoted figure, or to it after the rounding the text uses"
}

// holds says whether a data value supports the printed figure under its qualifier.
func holds(f Figure, data int64) bool {
	v := float64(*f.Value)
	d := float64(data)
	switch f.Qualifier {
	case "over", "more than", "at least":
		return d >= v && d <= v*(1+OverMargin)
	case "nearly":
		return d <= v && d >= v*(1-NearlyMargin)
	case "about":
		return math.Abs(d-v) <= v*AboutMargin
	case "up to":
		return d <= v && d >= v*(1-UpToMargin)
	case "range":
		return d >= v && d <= float64(*f.ValueMax)
	}
	return data == *f.Value || roundsTo(data, *f.Value)
}

// roundsTo says whether data, rounded to the precision the printed figure shows (its trailing zeros),
// gives the printed figure, or cut to it when the figure keeps two significant digits or more: 50,021
// is "50,000"; 34,943 is "34,900"; 29,954 is not "20,000". Either way the data must be within
// AboutMargin of the figure.
func roundsTo(data, printed int64) bool {
	step := int64(1)
	for p := printed; p != 0 && p%10 == 0 && step < printed; p /= 10 {
		step *= 10
	}
	if step < 100 || math.Abs(float64(data-printed)) > float64(printed)*AboutMargin {
		return false // "400" is precise enough to mean 400
	}
	rounded := (data + step/2) / step * step
	cut := data / step * step
	return rounded == printed || (cut == printed && step*10 <= printed)
}

// Point is one report of a series.
type Point struct {
	Date      time.Time
	Value     int64
	Basis     string
	Publisher string
}

// judgement is what the series says about a figure.
type judgement struct {
	verdict                  string
	why                      string
	at                       Point // the latest report on or before publication
	currentFrom, currentTill time.Time
}

// judge compares a figure with a series' reports (sorted by date) as of the publication date. For a
// running total a figure can match an old report (outdated); a daily count is compared with the
// reports of the last FreshDays only, since an old day's count says nothing about the quoted one.
func judge(f Figure, points []Point, published time.Time, what string, cumulative bool) judgement {
	last := -1
	for i, p := range points {
		if p.Date.After(published) {
			break
		}
		last = i
	}
	if last < 0 {
		return judgement{verdict: VerdictNoData, why: fmt.Sprintf("%s has no report on or before %s", what, published.Format("2006-01-02"))}
	}
	j := judgement{at: points[last]}
	// The most recent report up to publication that supports the figure, and the run of reports around it.
	match := -1
	for i := last; i >= 0; i-- {
		if !cumulative && published.Sub(points[i].Date) > FreshDays*24*time.Hour {
			break
		}
		if holds(f, points[i].Value) {
			match = i
			break
		}
	}
	if match >= 0 {
		from, till := match, match
		for from > 0 && holds(f, points[from-1].Value) {
			from--
		}
		for till+1 < len(points) && holds(f, points[till+1].Value) {
			till++
		}
		j.currentFrom, j.currentTill = points[from].Date, points[till].Date
	}
	age := int(published.Sub(j.at.Date).Hours() / 24)
	stale := ""
	if age > FreshDays {
		stale = fmt.Sprintf(" (the latest report toll holds is %d days older than the article)", age)
	}
	switch {
	case match >= 0 && published.Sub(points[match].Date) <= FreshDays*24*time.Hour:
		j.verdict = VerdictConsistent
		j.why = fmt.Sprintf("%s was %s on %s%s", what, obs.GroupDigits(points[match].Value), points[match].Date.Format("2006-01-02"), stale)
	case match >= 0:
		j.verdict = VerdictOutdated
		j.why = fmt.Sprintf("the figure matches %s as of %s (%s), %d days before publication; on %s it was %s",
			what, points[match].Date.Format("2006-01-02"), obs.GroupDigits(points[match].Value),
			int(published.Sub(points[match].Date).Hours()/24), j.at.Date.Format("2006-01-02"), obs.GroupDigits(j.at.Value))
	case *f.Value < j.at.Value:
		j.verdict = VerdictUnderstated
		j.why = fmt.Sprintf("below %s, which was %s on %s%s", what, obs.GroupDigits(j.at.Value), j.at.Date.Format("2006-01-02"), stale)
	default:
		j.verdict = VerdictOverstated
		j.why = fmt.Sprintf("above %s, which was %s on %s%s", what, obs.GroupDigits(j.at.Value), j.at.Date.Format("2006-01-02"), stale)
	}
	return j
}
