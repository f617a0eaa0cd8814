// Package obs is the small vocabulary every stage of toll imports: the Observation (one row of the long
// table), the series it belongs to, warnings, and the errors that say where bad input is.
//
// It holds types and pure helpers only: no I/O, no database, no network. The column list and the closed
// vocabularies themselves live in the schemas package.
package obs

import (
	"fmt"
	"strings"
	"time"
)

// Values of the basis column.
const (
	BasisReported     = "reported"
	BasisExtrapolated = "extrapolated"
	BasisEstimated    = "estimated"
	BasisDerived      = "derived"
)

// Values of the measure column.
const (
	MeasureCumulative = "cumulative"
	MeasurePeriod     = "period"
	MeasureStock      = "stock"
)

// Place is where a series is about: a country and optionally humanitarian p-coded admin areas.
type Place struct {
	CountryISO3 string
	Admin1Pcode string
	Admin1Name  string
	Admin2Pcode string
	Admin2Name  string
}

// Code returns the most specific code of the place: the admin2 or admin1 p-code, else the country.
func (p Place) Code() string {
	switch {
	case p.Admin2Pcode != "":
		return p.Admin2Pcode
	case p.Admin1Pcode != "":
		return p.Admin1Pcode
	}
	return p.CountryISO3
}

// Series is what a sequence of observations measures. Variant separates two series that would otherwise
// share every other field, such as UN-verified and flash-update totals of the same quantity.
type Series struct {
	Source   string
	Place    Place
	Metric   string
	Subgroup string
	Measure  string
	Variant  string
}

// ID returns the stable series key: source/place/metric/subgroup/measure, then /variant when there is one.
func (s Series) ID() string {
	parts := []string{s.Source, s.Place.Code(), s.Metric, s.Subgroup, s.Measure}
	if s.Variant != "" {
		parts = append(parts, s.Variant)
	}
	return strings.Join(parts, "/")
}

// VariantOf returns the variant a series id ends with ("" when it has none): the part after
// source/place/metric/subgroup/measure. Rows read back from SQL carry the variant only in their id.
func VariantOf(seriesID string) string {
	if parts := strings.SplitN(seriesID, "/", 6); len(parts) == 6 {
		return parts[5]
	}
	return ""
}

// SeriesInfo describes a series for people: what it counts and how, for series.parquet and the docs.
type SeriesInfo struct {
	Series
	Title      string // short, e.g. "Gaza: people killed, cumulative"
	Definition string // what the publisher's figure means, and how it differs from similar series
	Field      string // the payload field it is read from
	Headline   bool   // shown in run summaries and dashboards
}

// AnyVariant in a series template's Variant matches every variant (declarative sources build variants
// from column values, such as an HDX HAPI event type).
const AnyVariant = "*"

// IsTemplate says whether the info declares series for any place: a source whose rows carry their own
// places (HDX HAPI's admin areas) declares what each column means once, without a place.
func (s SeriesInfo) IsTemplate() bool { return s.Place == (Place{}) }

// Describes says whether the info declares series x: the same series, or a template with the same
// source, metric, subgroup and measure, and the same variant or AnyVariant.
func (s SeriesInfo) Describes(x Series) bool {
	if !s.IsTemplate() {
		return s.Series == x
	}
	return s.Source == x.Source && s.Metric == x.Metric && s.Subgroup == x.Subgroup && s.Measure == x.Measure &&
		(s.Variant == x.Variant || s.Variant == AnyVariant)
}

// Observation is one row of the long table. Provenance (raw_sha256, fetched_at, run_id) is not here: it
// belongs to the payload, and the load stage stamps it, so normalizing stays a pure function of bytes.
type Observation struct {
	SeriesID    string
	Series      Series
	PeriodStart time.Time // dates are midnight UTC
	PeriodEnd   time.Time
	ReportDate  time.Time
	RecordID    string // the publisher's record (event) id, where a source keeps one value per record
	Value       int64
	ValueLow    *int64
	ValueHigh   *int64
	Basis       string
	Publisher   string
	Distributor string
}

// Key identifies an observation within its series across vintages: a later payload with the same key
// revises it.
type Key struct {
	SeriesID    string
	PeriodStart time.Time
	PeriodEnd   time.Time
	ReportDate  time.Time
	RecordID    string
}

// Key returns the observation's identity across vintages.
func (o Observation) Key() Key {
	return Key{o.SeriesID, o.PeriodStart, o.PeriodEnd, o.ReportDate, o.RecordID}
}

// Warning is something odd in a payload that does not reject it: sources do revise, so a falling
// cumulative figure or a duplicated date is recorded with the run rather than refused.
type Warning struct {
	Source string
	Record string // which record, e.g. "record 12 (report_date 2024-05-09)"; empty for the whole payload
	Field  string
	Msg    string
}

func (w Warning) String() string {
	var b strings.Builder
	b.WriteString(w.Source)
	if w.Record != "" {
		b.WriteString(": " + w.Record)
	}
	if w.Field != "" {
		b.WriteString(": field " + w.Field)
	}
	b.WriteString(": " + w.Msg)
	return b.String()
}

// DateLayout is the layout of every date toll reads and writes.
const DateLayout = "2006-01-02"

// ParseDate parses YYYY-MM-DD as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	return time.ParseInLocation(DateLayout, s, time.UTC)
}

// Day returns t's calendar day as midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// RecordLabel names a record for errors and warnings: its index and, when known, its date.
func RecordLabel(index int, date string) string {
	if date == "" {
		return fmt.Sprintf("record %d", index)
	}
	return fmt.Sprintf("record %d (report_date %s)", index, date)
}

// GroupDigits formats a count with thousands separators: 34943 as "34,943".
func GroupDigits(n int64) string {
	if n < 0 {
		return "-" + GroupDigits(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
