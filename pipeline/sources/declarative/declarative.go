// Package declarative builds a connector from a YAML file: where the data is, its format, and what each
// column means. A dataset toll does not know is added with a few lines of YAML and no Go code, and every
// built-in source that is only a mapping is written this way too, so the format is proven on real data.
//
// A file looks like this (every key is documented on the Spec fields below; unknown keys are errors
// that name their line):
//
//	name: israel_soldiers_gaza
//	title: Israeli soldiers killed in Gaza
//	publisher: UN OCHA (flash updates)
//	distributor: 360info
//	terms: {license: CC-BY-4.0, url: "https://creativecommons.org/licenses/by/4.0/",
//	  citation: "360info, report-gaza-1year", commercial: true, redistribution: true}
//	url: https://raw.githubusercontent.com/360-info/report-gaza-1year/main/data/raw/israel-killed.csv
//	format: csv
//	schedule: "CRON_TZ=UTC 0 6 * * 1"
//	cadence: 168h
//	place: {country_iso3: "=ISR"}
//	dates: {report_date: date, period_start: "=2023-10-27"}
//	series:
//	  - {value: killed_soldiers_gaza, metric: killed, subgroup: security_forces, measure: cumulative,
//	     title: ..., definition: ...}
//
// A field is read from the column it names, or is the constant after "=".
package declarative

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"toll/pipeline/config"
	"toll/pipeline/obs"
	"toll/pipeline/source"
)

// Spec is a declarative source file.
type Spec struct {
	Name        string       `yaml:"name"`
	Title       string       `yaml:"title"`
	Publisher   string       `yaml:"publisher"`   // who reports the figures
	Distributor string       `yaml:"distributor"` // whose dataset toll reads
	Terms       source.Terms `yaml:"terms"`       // licence or terms of use, and citation
	URL         string       `yaml:"url"`
	Curated     bool         `yaml:"curated"` // toll keeps the data itself, in the offline bundle (source.Spec.Curated)
	Format      string       `yaml:"format"`  // csv, json, jsonl or xlsx
	// Sheets are the worksheets of an xlsx payload to read, each with a header row.
	Sheets []string `yaml:"sheets"`
	// Compression "zip": the payload is a zip archive holding one CSV or JSON file (UCDP's releases).
	Compression string `yaml:"compression"`
	// SkipRows drops this many rows after a CSV header (HDX files carry an HXL tag row there).
	SkipRows int           `yaml:"skip_rows"`
	Schedule string        `yaml:"schedule"`
	Cadence  time.Duration `yaml:"cadence"`
	Docs     string        `yaml:"docs"`
	Key      *KeySpec      `yaml:"key"`    // an API key from the environment
	Paging   *PagingSpec   `yaml:"paging"` // how the API splits results
	// Records is the dot-separated path of the array of records in a JSON payload ("result",
	// "data"); empty when the payload is the array.
	Records string `yaml:"records"`
	// Where, when set, keeps only the records whose column has one of the listed values.
	Where map[string][]string `yaml:"where"`
	// Recode maps raw values of a column before use: {pop_origin_code: {SUD: SDN}}.
	Recode map[string]map[string]string `yaml:"recode"`
	Place  PlaceSpec                    `yaml:"place"`
	Dates  DatesSpec                    `yaml:"dates"`
	// Duplicates says what to do with records that give one series two values for one date: "sum"
	// (they split one count, e.g. IDPs by reason of displacement) or "last" (a later record corrects an
	// earlier one; the default).
	Duplicates string `yaml:"duplicates"`
	// Record maps what tells a source's records apart beyond their dates, where they differ in it: a
	// curated table of statements gives each its own publisher and the address of a report quoting it.
	Record RecordSpec   `yaml:"record"`
	Series []SeriesSpec `yaml:"series"`
}

// RecordSpec maps a record's id (record_id: for statements, the URL of a report that quotes the figure)
// and its publisher (default: the source's publisher). Each is required in every record once mapped.
type RecordSpec struct {
	ID        string `yaml:"id"`
	Publisher string `yaml:"publisher"`
}

// KeySpec names the environment variable holding an API key and how it is sent.
type KeySpec struct {
	Env    string `yaml:"env"`
	Header string `yaml:"header"`
	Query  string `yaml:"query"`
}

// PagingSpec: style offset (limit and offset parameters until a short page) or next (follow a link).
type PagingSpec struct {
	Style       string `yaml:"style"`
	Limit       int    `yaml:"limit"`
	LimitParam  string `yaml:"limit_param"`
	OffsetParam string `yaml:"offset_param"`
	NextField   string `yaml:"next_field"`
}

// PlaceSpec maps the place of each record. country_iso3 is required.
type PlaceSpec struct {
	CountryISO3 string `yaml:"country_iso3"`
	Admin1Pcode string `yaml:"admin1_pcode"`
	Admin1Name  string `yaml:"admin1_name"`
	Admin2Pcode string `yaml:"admin2_pcode"`
	Admin2Name  string `yaml:"admin2_name"`
}

// DatesSpec maps the dates of each record. Either period_start, period_end and report_date (report_date
// defaults to period_end, period_end to report_date), or year: a calendar year, whose period is the year
// and whose report date is its last day; with month too (a name, "January", or a number), the month.
type DatesSpec struct {
	ReportDate  string `yaml:"report_date"`
	PeriodStart string `yaml:"period_start"`
	PeriodEnd   string `yaml:"period_end"`
	Year        string `yaml:"year"`
	Month       string `yaml:"month"`
}

// SeriesSpec says what one column of a record means. A record yields one observation per series whose
// value column is not empty.
type SeriesSpec struct {
	Value      string `yaml:"value"` // the column holding the figure
	Metric     string `yaml:"metric"`
	Subgroup   string `yaml:"subgroup"`
	Measure    string `yaml:"measure"`
	Basis      string `yaml:"basis"` // default reported
	Low        string `yaml:"low"`   // columns of a range, if the source gives one
	High       string `yaml:"high"`
	Variant    string `yaml:"variant"` // constant, or a pattern with {column}: "{event_type}"
	Title      string `yaml:"title"`
	Definition string `yaml:"definition"`
	Headline   bool   `yaml:"headline"`
}

// Parse reads a source file; name is used in errors.
func Parse(name string, raw []byte) (*Source, error) {
	var spec Spec
	if err := config.DecodeYAML(raw, &spec); err != nil {
		return nil, fmt.Errorf("source file %s:\n%w", name, err)
	}
	src := &Source{spec: spec}
	if err := src.Spec().Validate(); err != nil {
		return nil, fmt.Errorf("source file %s: %w", name, err)
	}
	if err := spec.check(); err != nil {
		return nil, fmt.Errorf("source file %s: %w", name, err)
	}
	return src, nil
}

// Load reads a source file from disk.
func Load(path string) (*Source, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, raw)
}

// MustParse parses a built-in source file; a bad one is a build defect, caught by every test run.
func MustParse(name string, raw []byte) *Source {
	s, err := Parse(name, raw)
	if err != nil {
		panic(err)
	}
	return s
}

var variantColumnRE = regexp.MustCompile(`\{([^{}]+)\}`)

func (s Spec) check() error {
	var errs []error
	switch s.Format {
	case "csv", "json", "jsonl":
	case "xlsx":
		if len(s.Sheets) == 0 {
			errs = append(errs, errors.New("sheets: an xlsx source names the worksheets to read"))
		}
	default:
		errs = append(errs, fmt.Errorf("format %q: want csv, json, jsonl or xlsx", s.Format))
	}
	if s.Compression != "" && s.Compression != "zip" {
		errs = append(errs, fmt.Errorf("compression %q: want zip", s.Compression))
	}
	if s.Dates.Month != "" && s.Dates.Year == "" {
		errs = append(errs, errors.New("dates: month needs year"))
	}
	if s.Place.CountryISO3 == "" {
		errs = append(errs, errors.New("place.country_iso3 is required"))
	}
	d := s.Dates
	if d.Year == "" && d.ReportDate == "" && d.PeriodEnd == "" {
		errs = append(errs, errors.New("dates: want year, or report_date or period_end"))
	}
	if d.Year != "" && (d.ReportDate != "" || d.PeriodStart != "" || d.PeriodEnd != "") {
		errs = append(errs, errors.New("dates: year excludes report_date and period_*"))
	}
	if d.Year == "" && d.PeriodStart == "" {
		for _, sr := range s.Series {
			if sr.Measure != obs.MeasureStock {
				errs = append(errs, fmt.Errorf("dates.period_start is required for %s measures", sr.Measure))
				break
			}
		}
	}
	switch s.Duplicates {
	case "", "last", "sum":
	default:
		errs = append(errs, fmt.Errorf("duplicates %q: want sum or last", s.Duplicates))
	}
	for i, sr := range s.Series {
		if sr.Value == "" {
			errs = append(errs, fmt.Errorf("series %d: value (a column) is required", i))
		}
	}
	return errors.Join(errs...)
}

// Source is a connector built from a Spec.
type Source struct {
	spec Spec
}

// Spec returns the source spec; its series are templates (they apply to every place a record names).
func (s *Source) Spec() source.Spec {
	sp := s.spec
	out := source.Spec{Name: sp.Name, Title: sp.Title, Publisher: sp.Publisher, Distributor: sp.Distributor,
		Terms: sp.Terms, URL: sp.URL, Curated: sp.Curated, Format: sp.Format, Schedule: sp.Schedule, Cadence: sp.Cadence, Docs: sp.Docs}
	if sp.Key != nil {
		out.Key = &source.Key{Env: sp.Key.Env, Header: sp.Key.Header, Query: sp.Key.Query}
	}
	if p := sp.Paging; p != nil {
		out.Paging = &source.Paging{Style: p.Style, Limit: p.Limit, LimitParam: p.LimitParam, OffsetParam: p.OffsetParam, NextField: p.NextField}
	}
	// A file whose place is all constants declares concrete series; otherwise its series are templates
	// that every place in the records fills.
	place, constant := obs.Place{}, true
	for _, f := range []struct {
		dst     *string
		mapping string
	}{{&place.CountryISO3, sp.Place.CountryISO3}, {&place.Admin1Pcode, sp.Place.Admin1Pcode}, {&place.Admin1Name, sp.Place.Admin1Name},
		{&place.Admin2Pcode, sp.Place.Admin2Pcode}, {&place.Admin2Name, sp.Place.Admin2Name}} {
		c, isConst := strings.CutPrefix(f.mapping, "=")
		constant = constant && (f.mapping == "" || isConst)
		*f.dst = c
	}
	for _, sr := range sp.Series {
		si := obs.SeriesInfo{
			Series: obs.Series{Source: sp.Name, Metric: sr.Metric, Subgroup: sr.Subgroup, Measure: sr.Measure, Variant: sr.Variant},
			Title:  sr.Title, Definition: sr.Definition, Field: sr.Value, Headline: sr.Headline,
		}
		if constant && !variantColumnRE.MatchString(sr.Variant) {
			si.Place = place
		} else if variantColumnRE.MatchString(sr.Variant) {
			si.Variant = obs.AnyVariant
		}
		out.Series = append(out.Series, si)
	}
	return out
}

// fieldOf reads a mapped field of a record: a column, or the constant after "=".
func (s *Source) fieldOf(r record, mapping string) (string, bool) {
	if mapping == "" {
		return "", false
	}
	if c, ok := strings.CutPrefix(mapping, "="); ok {
		return c, true
	}
	v, ok := r.get(mapping)
	if !ok {
		return "", false
	}
	if m, ok := s.spec.Recode[mapping]; ok {
		if to, ok := m[v]; ok {
			v = to
		}
	}
	return v, v != ""
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a column value fit a series id: "Armed Clashes in Sudan" is "armed_clashes_in_sudan".
func slug(s string) string {
	return strings.Trim(slugRE.ReplaceAllString(strings.ToLower(s), "_"), "_")
}

// variant fills a variant pattern from a record.
func (s *Source) variant(r record, pattern string) string {
	return variantColumnRE.ReplaceAllStringFunc(pattern, func(m string) string {
		v, _ := s.fieldOf(r, m[1:len(m)-1])
		return slug(v)
	})
}

// trimBOM drops a UTF-8 byte-order mark (HDX CSVs start with one).
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }
