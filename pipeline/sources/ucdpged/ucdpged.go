// Package ucdpged is UCDP's Georeferenced Event Dataset at event level: the yearly release as UCDP
// publishes it (a zipped CSV, ucdp_ged) and the API's candidate events (ucdp_ged_candidate). One event
// gives two observations, keyed by the event id: deaths (best estimate, with low and high as the range)
// and civilian deaths, over the event's dates. See README.md.
//
// Releases hold hundreds of thousands of events (millions in benchmarks), so these sources normalize in
// SQL (source.QuerySource): DuckDB reads the archived file and the rows never pass through Go.
package ucdpged

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"toll/pipeline/duck"
	"toll/pipeline/obs"
	"toll/pipeline/source"
)

// countries maps Gleditsch–Ward country codes (GED's country_id) to ISO 3166-1 alpha-3, for the whole
// code or, with adm_1, for the events of one first-level area (GED codes events by the state in
// conflict: Gaza Strip events carry Israel's code). Each row says where it was checked; events no row
// maps are left out of the rows, and the warnings query names one of them per code.
//
//go:embed countries.csv
var countries []byte

const (
	publisher = "UCDP (Uppsala Conflict Data Program)"
	docs      = "pipeline/sources/ucdpged/README.md"
)

// terms are UCDP's: free to use with citation (UCDP states CC BY 4.0), citing the dataset's article.
var terms = source.Terms{License: "CC-BY-4.0", URL: "https://creativecommons.org/licenses/by/4.0/",
	Citation: "Sundberg, Ralph and Erik Melander (2013) Introducing the UCDP Georeferenced Event Dataset. " +
		"Journal of Peace Research 50(4): 523-532; UCDP (ucdp.uu.se)",
	Commercial: true, Redistribution: true}

// Source is one of the two GED connectors; they share the event mapping.
type Source struct {
	spec source.Spec
}

// Release returns the connector for GED's yearly release, a zipped CSV whose columns are found by
// name (19.1 has 42, current releases 49, in another order). A plain CSV is read as well.
func Release() *Source {
	return &Source{spec: spec("ucdp_ged", "UCDP GED yearly release: deaths per event of organised violence",
		"UCDP (yearly GED release)", "https://ucdp.uu.se/downloads/ged/ged251-csv.zip", "zip",
		"CRON_TZ=UTC 0 6 * * 1", 365*24*time.Hour, nil, nil)}
}

// Candidate returns the connector for the API's candidate events (monthly preliminary GED), paged by
// NextPageUrl and authorised by a token in x-ucdp-access-token.
func Candidate() *Source {
	s := spec("ucdp_ged_candidate", "UCDP GED candidate events (API): deaths per event, preliminary",
		"UCDP API", "https://ucdpapi.pcr.uu.se/api/gedevents/26.0.10?pagesize=1000", "json",
		"CRON_TZ=UTC 0 6 * * *", 31*24*time.Hour,
		&source.Key{Env: "TOLL_UCDP_TOKEN", Header: "x-ucdp-access-token"},
		&source.Paging{Style: source.PagingNext, NextField: "NextPageUrl"})
	// A version holds one month's candidate events, and the next month's version replaces it: one with
	// fewer events than the last is the expected one, not a payload to hold back.
	s.Hold.MaxShrink = 1
	return &Source{spec: s}
}

func spec(name, title, distributor, url, format, schedule string, cadence time.Duration, key *source.Key, paging *source.Paging) source.Spec {
	series := func(subgroup, title, definition string) obs.SeriesInfo {
		return obs.SeriesInfo{Series: obs.Series{Source: name, Metric: "killed", Subgroup: subgroup,
			Measure: obs.MeasurePeriod, Variant: obs.AnyVariant}, Title: title, Definition: definition}
	}
	return source.Spec{Name: name, Title: title, Publisher: publisher, Distributor: distributor, Terms: terms,
		URL: url, Format: format, Schedule: schedule, Cadence: cadence, Docs: docs, Key: key, Paging: paging,
		Series: []obs.SeriesInfo{
			series("all", "deaths per event of organised violence (UCDP best estimate, with low and high)",
				"UCDP's best estimate of deaths in one event of organised violence (state-based, non-state or "+
					"one-sided: the variant) over the event's dates, with UCDP's low and high estimates as the range; "+
					"record_id is the GED event id. Coded from news and reports, not a death registry; sum events "+
					"for a total."),
			series("civilians", "civilian deaths per event of organised violence (UCDP)",
				"UCDP's count of civilians among the deaths of one event; record_id is the GED event id."),
		}}
}

// Spec implements source.Source.
func (s *Source) Spec() source.Spec { return s.spec }

// Query implements source.QuerySource. A release is read as UCDP publishes it: its one CSV member is
// unzipped into workDir (a plain CSV is read where it is), and DuckDB's read_csv reads it with every
// column named and typed from the header (csvColumns), so that it does not sniff the file first.
func (s *Source) Query(path, workDir string) (source.Query, error) {
	places, err := readPlaces()
	if err != nil {
		return source.Query{}, err
	}
	var relation string
	if s.spec.Format == "json" {
		// Pages joined as a JSON array, each with its events in Result.
		relation = fmt.Sprintf(`(SELECT unnest(Result, recursive := true)
  FROM read_json(%s, format = 'array', maximum_object_size = 1073741824))`, duck.String(path))
	} else {
		csvPath, err := unzipRelease(path, workDir)
		var columns string
		if err == nil {
			columns, err = csvColumns(csvPath)
		}
		if err != nil {
			return source.Query{}, &obs.RowError{Source: s.spec.Name, Record: "payload " + filepath.Base(path), Err: err}
		}
		relation = fmt.Sprintf(`read_csv(%s, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
  columns = {%s})`, duck.String(csvPath), columns)
	}
	return source.Query{Rows: eventsQuery(s.spec, relation, places), Warnings: unplacedQuery(relation, places)}, nil
}

// unzipRelease returns the release's CSV: for a zip, its one .csv member, unzipped into dir; else the
// file at path itself.
func unzipRelease(path, dir string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	magic := make([]byte, len(zipMagic))
	if _, err := io.ReadFull(f, magic); err != nil || !bytes.Equal(magic, zipMagic) {
		return path, nil
	}
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	member, name, err := source.OpenZipMember(f, info.Size(), func(name string) bool {
		return strings.HasSuffix(strings.ToLower(name), ".csv")
	})
	if err != nil {
		return "", err
	}
	defer member.Close()
	csvPath := filepath.Join(dir, "release.csv")
	out, err := os.Create(csvPath)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, member)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("zip member %s: %w", name, err)
	}
	return csvPath, nil
}

var zipMagic = []byte("PK\x03\x04")

// csvTypes are the release's columns that the queries read, with their types; its other columns are read
// as VARCHAR. Counts are read as DOUBLE, not BIGINT, which would round "1.5" to 2 unseen: the queries
// refuse a count that is not whole (whole, up to 2^53, a DOUBLE holds exactly).
var csvTypes = map[string]string{"id": "VARCHAR", "country_id": "INTEGER", "type_of_violence": "INTEGER",
	"best": "DOUBLE", "low": "DOUBLE", "high": "DOUBLE", "deaths_civilians": "DOUBLE", "date_start": "VARCHAR",
	"date_end": "VARCHAR", "adm_1": "VARCHAR", "adm_2": "VARCHAR", "country": "VARCHAR"}

// csvColumns reads the release's header and returns read_csv's columns: each column's name and type, in
// the file's order (releases differ in their columns and order). A column the queries read that the
// header lacks is an error naming it.
func csvColumns(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	header, err := csv.NewReader(f).Read()
	if err != nil {
		return "", fmt.Errorf("reading the header: %w", err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // a byte-order mark, which read_csv skips too
	columns := make([]string, len(header))
	for i, name := range header {
		columns[i] = duck.String(name) + ": " + duck.String(cmp.Or(csvTypes[name], "VARCHAR"))
	}
	for _, name := range slices.Sorted(maps.Keys(csvTypes)) {
		if !slices.Contains(header, name) {
			return "", fmt.Errorf("field %s: the header has no such column", name)
		}
	}
	return strings.Join(columns, ", "), nil
}

// unplacedQuery names, per country code missing from countries.csv, how many events it has and one of
// them: those events are not loaded.
func unplacedQuery(relation string, places []place) string {
	return fmt.Sprintf(`SELECT 'event ' || min(CAST(id AS VARCHAR)) AS record, 'country_id' AS field,
  count(*) || ' events of country_id ' || CAST(country_id AS VARCHAR) || ' (' || any_value(CAST(country AS VARCHAR)) ||
  ') not loaded: countries.csv does not map them' AS message
FROM %s e ANTI JOIN (VALUES %s) c(gwno, adm_1, iso3) ON c.gwno = CAST(e.country_id AS INTEGER)
  AND (c.adm_1 IS NULL OR c.adm_1 = CAST(e.adm_1 AS VARCHAR))
GROUP BY CAST(country_id AS VARCHAR) ORDER BY 1`, relation, placeValues(places))
}

// violences are GED's types of violence, by code: the series' variants.
var violences = []string{1: "state_based", 2: "non_state", 3: "one_sided"}

// subgroups are what an event's two rows count: its deaths and its civilian deaths.
var subgroups = []string{"all", "civilians"}

// eventsQuery is the mapping shared by the release and the API: one row per event and subgroup, keyed
// by the event id. Rows the mapping cannot read fail the query with error(), naming the event and the
// field. A range that does not hold the best estimate (a few events of real releases) is left out, as
// declarative sources do. The report date is the event's last day, so that an event keeps its key from
// one release to the next and only revised events become new versions.
//
// The series come from a table of every series the places can have, joined on the event's country and
// type of violence, which also gives each event its two rows. Its series_id, publisher and distributor
// are ENUMs: Parquet writes a VARCHAR value by value (a long, repeated series_id cost more than any
// other column), an ENUM as one dictionary. Each error message is one concat of constants and columns,
// different for each field, so that DuckDB builds none of it for rows that do not fail.
func eventsQuery(spec source.Spec, relation string, places []place) string {
	must := func(expr, field string) string {
		return fmt.Sprintf(`coalesce(%s, error(concat('%s: event ', id, ': field %s is empty or not a number')))`,
			expr, spec.Name, field)
	}
	// count is a count column as BIGINT; a fraction fails the query naming the event and the field.
	count := func(field string) string {
		return fmt.Sprintf(`CASE WHEN %[2]s <> trunc(%[2]s) THEN error(concat('%[1]s: event ', id, ': field %[2]s is ', %[2]s, ', not a whole number'))
      ELSE CAST(%[2]s AS BIGINT) END`, spec.Name, field)
	}
	name := func(field string) string { return fmt.Sprintf(`CAST(e.%s AS VARCHAR)`, field) }
	date := func(field string) string {
		return must(fmt.Sprintf(`TRY_CAST(%s AS DATE)`, field), field) // a date, or a datetime as the API writes it
	}
	var series, ids []string
	for _, iso3 := range placeCountries(places) {
		for _, subgroup := range subgroups {
			for code := 1; code < len(violences); code++ {
				id := fmt.Sprintf("%s/%s/killed/%s/period/%s", spec.Name, iso3, subgroup, violences[code])
				series = append(series, fmt.Sprintf("(%s, %d, %s, %s)", duck.String(iso3), code, duck.String(subgroup), duck.String(id)))
				ids = append(ids, id)
			}
		}
	}
	return fmt.Sprintf(`WITH events AS (
  SELECT CAST(id AS VARCHAR) AS record_id, c.iso3, %[12]s AS adm_1, %[13]s AS adm_2,
    CASE WHEN CAST(type_of_violence AS INTEGER) BETWEEN 1 AND 3 THEN CAST(type_of_violence AS INTEGER)
      ELSE error(concat('%[1]s: event ', id, ': field type_of_violence is ', coalesce(CAST(type_of_violence AS VARCHAR), 'empty'), ', want 1, 2 or 3')) END AS violence,
    %[2]s AS period_start, %[3]s AS period_end,
    %[4]s AS best, %[14]s AS low, %[15]s AS high, %[5]s AS civilians
  FROM %[6]s e JOIN (VALUES %[7]s) c(gwno, adm_1, iso3) ON c.gwno = CAST(e.country_id AS INTEGER)
    AND (c.adm_1 IS NULL OR c.adm_1 = CAST(e.adm_1 AS VARCHAR))),
series AS (
  SELECT iso3, violence, subgroup, CAST(series_id AS %[8]s) AS series_id
  FROM (VALUES %[9]s) s(iso3, violence, subgroup, series_id))
SELECT '%[1]s' AS source, s.series_id,
  e.iso3 AS country_iso3, NULL AS admin1_pcode, adm_1 AS admin1_name, NULL AS admin2_pcode, adm_2 AS admin2_name,
  'killed' AS metric, s.subgroup, 'period' AS measure, period_start, period_end, period_end AS report_date, record_id,
  CASE s.subgroup WHEN 'all' THEN best ELSE civilians END AS value,
  CASE WHEN s.subgroup = 'all' AND low <= best AND best <= high THEN low END AS value_low,
  CASE WHEN s.subgroup = 'all' AND low <= best AND best <= high THEN high END AS value_high,
  'estimated' AS basis, CAST(%[10]s AS ENUM(%[10]s)) AS publisher, CAST(%[11]s AS ENUM(%[11]s)) AS distributor
FROM events e JOIN series s ON s.iso3 = e.iso3 AND s.violence = e.violence`,
		spec.Name, date("date_start"), date("date_end"), must(count("best"), "best"),
		must(count("deaths_civilians"), "deaths_civilians"), relation, placeValues(places),
		duck.Enum(ids...), strings.Join(series, ", "), duck.String(spec.Publisher), duck.String(spec.Distributor),
		name("adm_1"), name("adm_2"), count("low"), count("high"))
}

// place is a row of countries.csv: a Gleditsch–Ward code, for one first-level area or (adm1 empty) all
// of it, and its ISO 3166-1 alpha-3 code.
type place struct {
	gwno       int
	adm1, iso3 string
}

func readPlaces() ([]place, error) {
	rows, err := csv.NewReader(bytes.NewReader(countries)).ReadAll()
	if err != nil || len(rows) < 2 {
		return nil, fmt.Errorf("ucdpged: countries.csv: %v", err)
	}
	var places []place
	for _, r := range rows[1:] {
		gwno, err := strconv.Atoi(r[0])
		if err != nil || len(r[2]) != 3 {
			return nil, fmt.Errorf("ucdpged: countries.csv: bad row %q", r)
		}
		places = append(places, place{gwno: gwno, adm1: r[1], iso3: r[2]})
	}
	return places, nil
}

// placeValues renders places as a SQL VALUES list of (gwno, adm_1, iso3).
func placeValues(places []place) string {
	values := make([]string, len(places))
	for i, p := range places {
		adm1 := "NULL::VARCHAR"
		if p.adm1 != "" {
			adm1 = duck.String(p.adm1)
		}
		values[i] = fmt.Sprintf("(%d, %s, %s)", p.gwno, adm1, duck.String(p.iso3))
	}
	return strings.Join(values, ", ")
}

// placeCountries returns the countries places map to, each once, sorted.
func placeCountries(places []place) []string {
	var out []string
	for _, p := range places {
		out = append(out, p.iso3)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
