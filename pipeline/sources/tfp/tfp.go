// Package tfp is the shared core of the Tech for Palestine connectors (tfp_gaza_daily,
// tfp_west_bank_daily, tfp_lebanon_daily, tfp_gaza_infrastructure). Their payloads have one shape: a
// JSON array of report objects, each with a report_date, integer figures (some nested one level), and
// for some figures an ext_ twin in which the distributor filled the gaps.
//
// A connector declares a Dataset: which field becomes which series, and its rules for periods,
// publishers and basis. Dataset.Normalize applies the rules that every TfP series shares:
//   - one value per series and report_date: the reported field where the record has it, else the ext_
//     twin with basis extrapolated and the distributor as publisher;
//   - a payload that is not a JSON array of objects, a record without a readable report_date, or a
//     mapped field that is not an integer rejects the whole payload with an error naming the record and
//     the field;
//   - fields the connector does not map are accepted (upstream adds fields over time) and reported once
//     as a warning so they get noticed.
package tfp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"toll/pipeline/obs"
	"toll/pipeline/source"
)

// Distributor is the name toll gives Tech for Palestine in the distributor and publisher columns.
const Distributor = "Tech for Palestine"

// Terms of every Tech for Palestine dataset: the repository's licence dedicates data and code to the
// public domain. The citation names the dataset and the publisher whose reports it transcribes.
func Terms(dataset, publisher string) source.Terms {
	return source.Terms{License: "Public domain", URL: "https://github.com/TechForPalestine/palestine-datasets",
		Citation:   "Tech for Palestine, " + dataset + " (data.techforpalestine.org), from " + publisher + " reports",
		Commercial: true, Redistribution: true}
}

// Places of the TfP series, with the p-codes of OCHA's administrative boundaries for the oPt.
var (
	GazaStrip = obs.Place{CountryISO3: "PSE", Admin1Pcode: "PS02", Admin1Name: "Gaza Strip"}
	WestBank  = obs.Place{CountryISO3: "PSE", Admin1Pcode: "PS01", Admin1Name: "West Bank"}
	Lebanon   = obs.Place{CountryISO3: "LBN"}
)

// WarStart is the first day of the Gaza and West Bank totals: they count from 2023-10-07.
var WarStart = time.Date(2023, 10, 7, 0, 0, 0, 0, time.UTC)

// Field maps one figure of a record to a series.
type Field struct {
	Name       string // flattened name of the reported figure: "killed_cum", "verified.killed_cum"
	Ext        string // flattened name of the distributor's gap-filled twin; empty when there is none
	Metric     string
	Subgroup   string
	Measure    string
	Variant    string
	Title      string
	Definition string
	Headline   bool
}

// Cumulative declares a field holding a running total.
func Cumulative(name, ext, metric, subgroup, title, definition string, headline bool) Field {
	return Field{Name: name, Ext: ext, Metric: metric, Subgroup: subgroup, Measure: obs.MeasureCumulative,
		Title: title, Definition: definition, Headline: headline}
}

// Period declares a field holding the count of one report's period.
func Period(name, ext, metric, subgroup, title, definition string) Field {
	return Field{Name: name, Ext: ext, Metric: metric, Subgroup: subgroup, Measure: obs.MeasurePeriod,
		Title: title, Definition: definition}
}

// Dataset is a TfP connector: its spec, its place, its fields, and the rules that differ between files.
type Dataset struct {
	About     source.Spec // everything but Series, which Spec derives from Fields
	Place     obs.Place
	PlaceName string // prefixed to series titles: "Gaza: people killed"
	Fields    []Field
	// Meta lists the non-figure fields of a record (report_source, phase, ...), besides report_date.
	Meta []string
	// Period returns the reference period of field f in record r.
	Period func(r Record, f Field) (start, end time.Time, err error)
	// Publisher returns who reported the figure of f in record r.
	Publisher func(r Record, f Field) (string, error)
	// Reported returns whether the (non-ext) figure of f in r is the publisher's report; a connector
	// whose records mark carried-forward values says no for those. Nil means always.
	Reported func(r Record, f Field) (bool, error)
}

// Spec returns the source spec with the series declared by the fields.
func (d *Dataset) Spec() source.Spec {
	spec := d.About
	spec.Series = nil
	for _, f := range d.Fields {
		spec.Series = append(spec.Series, obs.SeriesInfo{
			Series: d.series(f), Title: d.PlaceName + ": " + f.Title, Definition: f.Definition, Field: f.Name, Headline: f.Headline,
		})
	}
	return spec
}

func (d *Dataset) series(f Field) obs.Series {
	return obs.Series{Source: d.About.Name, Place: d.Place, Metric: f.Metric, Subgroup: f.Subgroup, Measure: f.Measure, Variant: f.Variant}
}

// Record is one report, with nested objects flattened to dotted names ("verified.killed_cum").
type Record struct {
	Index  int
	Date   time.Time
	Label  string // "record 12 (report_date 2024-05-09)", for errors and warnings
	fields map[string]any
}

// Has reports whether the record has a non-null field called name.
func (r Record) Has(name string) bool {
	v, ok := r.fields[name]
	return ok && v != nil
}

// Int returns the integer field name; ok is false when it is absent or null.
func (r Record) Int(name string) (v int64, ok bool, err error) {
	raw, present := r.fields[name]
	if !present || raw == nil {
		return 0, false, nil
	}
	n, isNum := raw.(json.Number)
	if !isNum {
		return 0, false, fmt.Errorf("want an integer, got %s", describe(raw))
	}
	if i, err := n.Int64(); err == nil {
		return i, true, nil
	}
	// Accept 12.0, refuse 12.5: a count is whole.
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false, fmt.Errorf("want an integer, got %s", n)
	}
	return int64(f), true, nil
}

// String returns the string field name; ok is false when it is absent or null.
func (r Record) String(name string) (v string, ok bool, err error) {
	raw, present := r.fields[name]
	if !present || raw == nil {
		return "", false, nil
	}
	s, isStr := raw.(string)
	if !isStr {
		return "", false, fmt.Errorf("want a string, got %s", describe(raw))
	}
	return s, true, nil
}

func describe(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	case json.Number:
		return "the number " + v.String()
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// Decode reads a TfP payload into records. It rejects the payload when it is not a JSON array of objects
// or when a record lacks a readable report_date.
func Decode(sourceName string, body []byte) ([]Record, error) {
	bad := func(record, field string, err error) error {
		return &obs.RowError{Source: sourceName, Record: record, Field: field, Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, bad("payload", "", fmt.Errorf("not JSON: %w", err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, bad("payload", "", fmt.Errorf("want a JSON array of reports, got %v", tok))
	}
	var records []Record
	for i := 0; dec.More(); i++ {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return nil, bad(obs.RecordLabel(i, ""), "", fmt.Errorf("invalid JSON at byte %d (truncated payload?): %w", dec.InputOffset(), err))
		}
		if obj == nil {
			return nil, bad(obs.RecordLabel(i, ""), "", errors.New("want an object, got null"))
		}
		rec := Record{Index: i, fields: map[string]any{}}
		flatten("", obj, rec.fields)
		date, ok, err := rec.String("report_date")
		switch {
		case err != nil:
			return nil, bad(obs.RecordLabel(i, ""), "report_date", err)
		case !ok:
			return nil, bad(obs.RecordLabel(i, ""), "report_date", errors.New("missing"))
		}
		if rec.Date, err = obs.ParseDate(date); err != nil {
			return nil, bad(obs.RecordLabel(i, ""), "report_date", fmt.Errorf("want YYYY-MM-DD, got %q", date))
		}
		rec.Label = obs.RecordLabel(i, date)
		records = append(records, rec)
	}
	if _, err := dec.Token(); err != nil {
		return nil, bad("payload", "", fmt.Errorf("invalid JSON after record %d (truncated payload?): %w", len(records)-1, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad("payload", "", errors.New("unexpected data after the JSON array"))
	}
	return records, nil
}

func flatten(prefix string, obj map[string]any, out map[string]any) {
	for k, v := range obj {
		if nested, ok := v.(map[string]any); ok {
			flatten(prefix+k+".", nested, out)
			continue
		}
		out[prefix+k] = v
	}
}

// Normalize turns a payload into observations; see the package comment for the rules.
func (d *Dataset) Normalize(body []byte) (source.Result, error) {
	records, err := Decode(d.About.Name, body)
	if err != nil {
		return source.Result{}, err
	}
	var res source.Result
	for _, r := range records {
		rows, err := d.normalizeRecord(r)
		if err != nil {
			return source.Result{}, err
		}
		res.Rows = append(res.Rows, rows...)
	}
	res.Warnings = append(res.Warnings, d.unmappedFields(records)...)
	return res, nil
}

func (d *Dataset) normalizeRecord(r Record) ([]obs.Observation, error) {
	bad := func(field string, err error) error {
		return &obs.RowError{Source: d.About.Name, Record: r.Label, Field: field, Err: err}
	}
	var rows []obs.Observation
	for _, f := range d.Fields {
		value, reported, err := r.Int(f.Name)
		if err != nil {
			return nil, bad(f.Name, err)
		}
		pub, err := d.Publisher(r, f)
		if err != nil {
			return nil, bad("", err)
		}
		basis := obs.BasisReported
		if reported && d.Reported != nil {
			ok, err := d.Reported(r, f)
			if err != nil {
				return nil, bad("", err)
			}
			if !ok {
				basis, pub = obs.BasisExtrapolated, Distributor
			}
		}
		if !reported {
			if f.Ext == "" {
				continue
			}
			ext, ok, err := r.Int(f.Ext)
			if err != nil {
				return nil, bad(f.Ext, err)
			}
			if !ok {
				continue
			}
			value, basis, pub = ext, obs.BasisExtrapolated, Distributor
		}
		start, end, err := d.Period(r, f)
		if err != nil {
			return nil, bad(f.Name, err)
		}
		s := d.series(f)
		rows = append(rows, obs.Observation{
			SeriesID: s.ID(), Series: s,
			PeriodStart: start, PeriodEnd: end, ReportDate: r.Date,
			Value: value, Basis: basis, Publisher: pub, Distributor: Distributor,
		})
	}
	return rows, nil
}

// unmappedFields warns once per field that no series reads, so new upstream fields get noticed.
func (d *Dataset) unmappedFields(records []Record) []obs.Warning {
	known := map[string]bool{"report_date": true}
	for _, m := range d.Meta {
		known[m] = true
	}
	for _, f := range d.Fields {
		known[f.Name] = true
		if f.Ext != "" {
			known[f.Ext] = true
		}
	}
	counts := map[string]int{}
	for _, r := range records {
		for name := range r.fields {
			if !known[name] {
				counts[name]++
			}
		}
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	var ws []obs.Warning
	for _, n := range names {
		ws = append(ws, obs.Warning{Source: d.About.Name, Field: n,
			Msg: fmt.Sprintf("not mapped to any series (present in %d records); not loaded", counts[n])})
	}
	return ws
}

// CumulativeSince returns a Period function for series that count from start; period series cover the
// report's hours (report_period), ending on the report date.
func CumulativeSince(start time.Time) func(Record, Field) (time.Time, time.Time, error) {
	return func(r Record, f Field) (time.Time, time.Time, error) {
		if f.Measure == obs.MeasureCumulative {
			return start, r.Date, nil
		}
		return ReportPeriod(r)
	}
}

// ReportPeriod returns the days a record's period figures cover: report_period hours ending on the
// report date. A record without report_period (older files) covers its own day; so does report_period 0,
// which marks a day without a new report.
func ReportPeriod(r Record) (time.Time, time.Time, error) {
	hours, ok, err := r.Int("report_period")
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("report_period: %w", err)
	}
	if hours < 0 {
		return time.Time{}, time.Time{}, fmt.Errorf("report_period: negative (%d)", hours)
	}
	days := (hours + 23) / 24
	if !ok || days < 1 {
		days = 1
	}
	return r.Date.AddDate(0, 0, -int(days-1)), r.Date, nil
}

// PublisherBySource returns a Publisher function that reads report_source through names; a value it
// does not know is an error, so that a new upstream source is looked at before it is named.
func PublisherBySource(names map[string]string) func(Record, Field) (string, error) {
	return func(r Record, _ Field) (string, error) {
		code, ok, err := r.String("report_source")
		if err != nil {
			return "", fmt.Errorf("field report_source: %w", err)
		}
		if !ok {
			return "", errors.New("field report_source: missing")
		}
		name, known := names[code]
		if !known {
			known := make([]string, 0, len(names))
			for k := range names {
				known = append(known, k)
			}
			sort.Strings(known)
			return "", fmt.Errorf("field report_source: unknown value %q (known: %s)", code, strings.Join(known, ", "))
		}
		return name, nil
	}
}
