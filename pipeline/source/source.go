// Package source defines what a connector is (a Spec and a pure Normalize function) and the Registry
// that lists them. Connectors live in pipeline/sources/<name>; the one list of built-in connectors is
// pipeline/sources/all. This package does no I/O.
package source

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"toll/pipeline/obs"
	"toll/schemas"
)

// Spec says what a source is: its name, who publishes it, where it is fetched, and the series it yields.
type Spec struct {
	Name        string // toll's name, lowercase with underscores: tfp_gaza_daily
	Title       string
	Publisher   string        // who reports the figures
	Distributor string        // whose dataset toll reads
	Terms       Terms         // the publisher's licence or terms of use, and how it asks to be cited
	URL         string        // the live URL fetched by default; a config file may override it
	Format      string        // extension of archived payloads: json, csv, ...
	Schedule    string        // default cron schedule for toll schedule
	Cadence     time.Duration // how often the publisher usually reports; data older than StaleAfter is stale
	Docs        string        // the connector's README, relative to the repository root
	Series      []obs.SeriesInfo
	Key         *Key    // an API key the live URL needs; nil for none
	Paging      *Paging // how the live API splits results; nil for one response
	Hold        Hold    // when a payload that parses is held back rather than made current
	Curated     bool    // toll keeps the data itself, a cited table in the offline bundle; every run reads it there
}

// Terms are what a publisher's licence or terms of use allow done with its data, and how it asks to be
// cited. They travel with the data: the manifest, series.parquet, datapackage.json, toll sources and
// the dashboard. Commercial and Redistribution are false unless the terms grant them, so that a source
// whose terms toll has not read is marked restricted, not free.
type Terms struct {
	License        string `yaml:"license" json:"license"`   // an SPDX id where there is one (CC-BY-4.0), else the terms' name
	URL            string `yaml:"url" json:"url"`           // where the licence or terms are published
	Citation       string `yaml:"citation" json:"citation"` // what to write when using the data
	Commercial     bool   `yaml:"commercial" json:"commercial"`
	Redistribution bool   `yaml:"redistribution" json:"redistribution"`
}

// Restrictions says what the terms do not allow, "" when they allow both commercial use and
// redistribution: "non-commercial", "no redistribution" or both.
func (t Terms) Restrictions() string {
	var out []string
	if !t.Commercial {
		out = append(out, "non-commercial")
	}
	if !t.Redistribution {
		out = append(out, "no redistribution")
	}
	return strings.Join(out, ", ")
}

// Hold says when a payload that parses is held back: kept in the archive, not made current, and the run
// exits 3, because it would replace the source's current data with something implausible. A person
// who has looked takes it with `toll run --accept SOURCE`. A payload is held back when it
//   - has fewer rows than the source has current ones, by more than MaxShrink of them (an empty array,
//     a header-only CSV, a file cut short). The count is what matters: a source that publishes only its
//     latest snapshot replaces every row when its date moves, and that is no reason to hold it;
//   - makes the latest value of a cumulative series fall by more than MaxFall;
//   - holds a negative count;
//   - repeats a record exactly, in a source that sums its records (Result.Suspect).
//
// Zero values take the defaults below.
type Hold struct {
	MaxShrink float64
	MaxFall   float64
}

// Defaults of Hold: a vintage may have a tenth fewer rows than the current ones (sources retire old
// records), and a running total may fall by 2% (ministries revise; by more, the payload is more likely
// wrong).
const (
	DefaultMaxShrink = 0.1
	DefaultMaxFall   = 0.02
)

// WithDefaults returns h with its zero values replaced by the defaults.
func (h Hold) WithDefaults() Hold {
	if h.MaxShrink == 0 {
		h.MaxShrink = DefaultMaxShrink
	}
	if h.MaxFall == 0 {
		h.MaxFall = DefaultMaxFall
	}
	return h
}

// Key is an API key read from the environment and sent with every request.
type Key struct {
	Env    string // the environment variable that holds it: TOLL_HAPI_APP_IDENTIFIER
	Header string // sent as this header, or
	Query  string // as this query parameter
}

// Paging says how a source's API splits its results into pages.
type Paging struct {
	Style       string // PagingOffset or PagingNext
	Limit       int    // rows per page, with PagingOffset
	LimitParam  string // default "limit"
	OffsetParam string // default "offset"
	NextField   string // with PagingNext: the JSON field holding the next page's URL (null or "" on the last)
}

// Paging styles.
const (
	PagingOffset = "offset" // limit/offset query parameters, until a page is short (HDX HAPI)
	PagingNext   = "next"   // follow the URL in a field of each JSON page (IDMC, UCDP's NextPageUrl)
)

// StaleAfter is how old a source's newest report may be before toll status calls it stale.
func (s Spec) StaleAfter() time.Duration { return StaleAfter(s.Cadence) }

// StaleAfter is how old the newest report of a source with this cadence may be: a few of its usual
// intervals, so that one missed report is not an alarm.
func StaleAfter(cadence time.Duration) time.Duration { return 3*cadence + 24*time.Hour }

// Source is a connector. It is a RowSource or a QuerySource.
type Source interface {
	Spec() Spec
}

// RowSource normalizes a payload in Go. Normalize must be pure: the same bytes always give the same
// result, so every parse can be replayed from the archived payload. It rejects a payload that breaks the
// source's contract with an *obs.RowError and accepts records it can read, reporting oddities as
// warnings.
type RowSource interface {
	Source
	Normalize(body []byte) (Result, error)
}

// QuerySource normalizes inside the warehouse, for payloads of millions of records (event datasets):
// DuckDB reads the archived file (or a file made from it) and the rows never pass through Go memory.
// Query is pure as Normalize is: the same payload gives the same rows.
type QuerySource interface {
	Source
	// Query returns the SQL that reads the payload file at path. It may write files the SQL reads (an
	// unzipped member) into workDir, which the caller removes after loading.
	Query(path, workDir string) (Query, error)
}

// Query is what a QuerySource makes of one payload.
type Query struct {
	// Rows is a DuckDB SELECT yielding the observation columns by name, without the provenance ones
	// (raw_sha256, fetched_at, run_id). A record it cannot read fails it with error(), naming the
	// record and the field.
	Rows string
	// Warnings, if not empty, is a SELECT yielding (record, field, message) for each oddity the rows
	// leave out, such as records it could not place.
	Warnings string
	// Checks, if not nil, gives a SELECT yielding (record, field, message) warnings about the source's
	// rows once loaded, the relation it is given. The normalize stage sets it: the checks that every
	// source's rows get (normalize.Query).
	Checks func(relation string) string
}

// Result is what Normalize makes of one payload.
type Result struct {
	Rows     []obs.Observation
	Warnings []obs.Warning
	// Suspect says why the payload looks wrong though it parses (a record repeated exactly, in a source
	// that sums its records); the run holds such a payload back unless it is accepted (see Hold).
	Suspect []string
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Validate checks that a spec is complete and that its series use the closed vocabularies.
func (s Spec) Validate() error {
	var errs []error
	if !nameRE.MatchString(s.Name) {
		errs = append(errs, fmt.Errorf("name %q: want lowercase letters, digits and underscores", s.Name))
	}
	for field, v := range map[string]string{"title": s.Title, "publisher": s.Publisher, "distributor": s.Distributor,
		"terms.license": s.Terms.License, "terms.url": s.Terms.URL, "terms.citation": s.Terms.Citation, "format": s.Format, "schedule": s.Schedule, "docs": s.Docs} {
		if v == "" {
			errs = append(errs, fmt.Errorf("%s is empty", field))
		}
	}
	if s.Key != nil && (s.Key.Env == "" || (s.Key.Header == "") == (s.Key.Query == "")) {
		errs = append(errs, errors.New("key: want env and one of header or query"))
	}
	if p := s.Paging; p != nil && !(p.Style == PagingOffset && p.Limit > 0 || p.Style == PagingNext && p.NextField != "") {
		errs = append(errs, errors.New("paging: want style offset with a limit, or style next with next_field"))
	}
	if s.Cadence <= 0 {
		errs = append(errs, errors.New("cadence is not set"))
	}
	if u, err := url.Parse(s.URL); (!s.Curated || s.URL != "") && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		errs = append(errs, fmt.Errorf("url %q is not an http(s) URL", s.URL))
	}
	if len(s.Series) == 0 {
		errs = append(errs, errors.New("no series"))
	}
	seen := map[string]bool{}
	for _, si := range s.Series {
		id := si.ID()
		if !si.IsTemplate() && si.Place.CountryISO3 == "" {
			errs = append(errs, fmt.Errorf("series %s: country_iso3 is empty", id))
		}
		if seen[id] {
			errs = append(errs, fmt.Errorf("series %s declared twice", id))
		}
		seen[id] = true
		if si.Source != s.Name {
			errs = append(errs, fmt.Errorf("series %s: source %q, want %q", id, si.Source, s.Name))
		}
		if si.Title == "" || si.Definition == "" {
			errs = append(errs, fmt.Errorf("series %s: title and definition are required", id))
		}
		if err := CheckSeries(si.Series); err != nil {
			errs = append(errs, fmt.Errorf("series %s: %w", id, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("source %s: %w", s.Name, err)
	}
	return nil
}

// Describe returns what the spec says about series x: its own declaration, or the template it fits,
// with x's place and variant.
func (s Spec) Describe(x obs.Series) (obs.SeriesInfo, bool) {
	for _, si := range s.Series {
		if !si.IsTemplate() && si.Series == x {
			return si, true
		}
	}
	for _, si := range s.Series {
		if si.Describes(x) {
			si.Series = x
			si.Title = placeLabel(x.Place) + ": " + si.Title
			si.Headline = false // a template's headline flag would make every place a headline
			return si, true
		}
	}
	return obs.SeriesInfo{}, false
}

func placeLabel(p obs.Place) string {
	switch {
	case p.Admin2Name != "":
		return p.Admin2Name + " (" + p.CountryISO3 + ")"
	case p.Admin1Name != "":
		return p.Admin1Name + " (" + p.CountryISO3 + ")"
	}
	return p.Code()
}

// CheckSeries returns an error when a series uses a term outside the closed vocabularies.
func CheckSeries(s obs.Series) error {
	return errors.Join(
		schemas.CheckTerm(schemas.FieldMetric, s.Metric),
		schemas.CheckTerm(schemas.FieldSubgroup, s.Subgroup),
		schemas.CheckTerm(schemas.FieldMeasure, s.Measure),
	)
}

// Registry is an ordered set of sources, looked up by name.
type Registry struct {
	byName map[string]Source
}

// NewRegistry returns a registry holding sources; it panics on a duplicate or empty name, which is a
// programming error in the list that builds it.
func NewRegistry(sources ...Source) *Registry {
	r := &Registry{byName: map[string]Source{}}
	for _, s := range sources {
		r.Register(s)
	}
	return r
}

// Register adds a source. It panics when the name is empty or already registered.
func (r *Registry) Register(s Source) {
	name := s.Spec().Name
	if name == "" {
		panic("source: Register with an empty name")
	}
	if _, dup := r.byName[name]; dup {
		panic("source: Register called twice for " + name)
	}
	r.byName[name] = s
}

// Lookup returns the source called name.
func (r *Registry) Lookup(name string) (Source, bool) {
	s, ok := r.byName[name]
	return s, ok
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.byName))
	for n := range r.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// All returns the registered sources sorted by name.
func (r *Registry) All() []Source {
	var all []Source
	for _, n := range r.Names() {
		all = append(all, r.byName[n])
	}
	return all
}
