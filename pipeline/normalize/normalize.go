// Package normalize is the normalize stage: it runs a source's pure Normalize on a payload and applies
// the checks every source shares. Rows that use a term outside the closed vocabularies reject the
// payload (that is a connector defect, and loading it would publish an undocumented term). Oddities
// that sources really do publish (a duplicated date, a date in the future, a cumulative figure that
// falls) become warnings recorded with the run. For a source that normalizes in SQL, the same checks
// are SQL that the load runs over the rows it stored (Query). It does no I/O.
package normalize

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"toll/pipeline/obs"
	"toll/pipeline/source"
	"toll/schemas"
)

// Payload normalizes body with src. today is the current date, for the future-date check.
func Payload(src source.RowSource, body []byte, today time.Time) (source.Result, error) {
	name := src.Spec().Name
	if err := checkText(src.Spec(), body); err != nil {
		return source.Result{}, err
	}
	res, err := src.Normalize(body)
	if err != nil {
		return source.Result{}, err
	}
	if err := CheckTerms(name, res.Rows); err != nil {
		return source.Result{}, err
	}
	rows, dupWarnings := dropDuplicates(name, res.Rows)
	res.Rows = rows
	res.Warnings = append(res.Warnings, dupWarnings...)
	res.Warnings = append(res.Warnings, futureDates(name, rows, obs.Day(today))...)
	res.Warnings = append(res.Warnings, fallingTotals(name, rows)...)
	return res, nil
}

// Query gets src's SQL for a payload and adds, as Checks, the warnings every source's rows get that do
// not need the payload's order: dates in the future and reported cumulative figures that fall, worded
// as Payload words them. today is the current date.
func Query(src source.QuerySource, path, workDir string, today time.Time) (source.Query, error) {
	q, err := src.Query(path, workDir)
	if err != nil {
		return q, err
	}
	q.Checks = func(rows string) string { return checks(rows, obs.Day(today)) }
	return q, nil
}

// KeepOnePerKey is q for a payload whose rows give one observation twice (load.ErrRepeatedKey), as Payload
// treats such rows: one row is kept per key, with a warning. SQL has no "last record", so the row kept is
// the one with the highest value, then range: the same payload always gives the same rows. Only such a
// payload pays for the extra pass.
func KeepOnePerKey(q source.Query) source.Query {
	const key = `series_id, period_start, period_end, report_date, record_id`
	repeated := `SELECT record, field, message FROM (
  SELECT 'record ' || coalesce(record_id, '') || ' (series ' || series_id || ', ' || strftime(report_date, '%Y-%m-%d') || ')' AS record,
    'record_id' AS field, count(*) || ' rows for one observation, one of ' || count(*) OVER () ||
    ' observations given more than once; the row with the highest value is kept' AS message
  FROM (` + q.Rows + `) GROUP BY ` + key + ` HAVING count(*) > 1 ORDER BY 1 LIMIT 10)`
	if q.Warnings != "" {
		repeated = `SELECT * FROM (` + q.Warnings + `) UNION ALL ` + repeated
	}
	q.Warnings = repeated
	q.Rows = `SELECT DISTINCT ON (` + key + `) * FROM (` + q.Rows + `)
ORDER BY ` + key + `, value DESC, value_low DESC NULLS LAST, value_high DESC NULLS LAST`
	return q
}

// checks is the SQL of Query's warnings over rows: (record, field, message).
func checks(rows string, today time.Time) string {
	day := today.Format(obs.DateLayout)
	return fmt.Sprintf(`SELECT 'report_date ' || strftime(report_date, '%%Y-%%m-%%d') AS record, 'report_date' AS field,
  'date is in the future (today is %[2]s)' AS message
FROM %[1]s WHERE report_date > DATE '%[2]s' GROUP BY report_date
UNION ALL
SELECT 'series ' || series_id, '', 'reported cumulative figure falls ' ||
  CASE count(*) WHEN 1 THEN 'once' ELSE count(*) || ' times' END || ': ' ||
  array_to_string(list(fall ORDER BY report_date)[1:3], ', ') || CASE WHEN count(*) > 3 THEN ', …' ELSE '' END
FROM (SELECT series_id, report_date, strftime(report_date, '%%Y-%%m-%%d') || ' ' || prev || '→' || value AS fall,
    value < prev AND period_start = prev_start AS falls
  FROM (SELECT series_id, report_date, period_start, value,
      lag(value) OVER w AS prev, lag(period_start) OVER w AS prev_start
    FROM %[1]s WHERE measure = 'cumulative' AND basis = 'reported'
    WINDOW w AS (PARTITION BY series_id ORDER BY report_date)))
WHERE falls GROUP BY series_id
ORDER BY 1`, rows, day)
}

// checkText rejects a text payload (JSON, CSV) that is not UTF-8, naming the line and byte where it
// stops being so: Go's JSON decoder would otherwise replace the bytes silently, and DuckDB refuses them.
func checkText(spec source.Spec, body []byte) error {
	if spec.Format != "json" && spec.Format != "csv" || utf8.Valid(body) {
		return nil
	}
	at := 0
	for at < len(body) {
		r, size := utf8.DecodeRune(body[at:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		at += size
	}
	line := 1 + bytes.Count(body[:at], []byte("\n"))
	return &obs.RowError{Source: spec.Name, Record: fmt.Sprintf("payload, line %d (byte %d)", line, at),
		Err: fmt.Errorf("invalid UTF-8 (byte 0x%02x): the payload is not the text it should be", body[at])}
}

// CheckTerms rejects rows whose series or basis use a term outside the closed vocabularies, have no
// country, or whose series_id does not match the series. Sources that normalize in SQL pass one row per
// series and basis.
func CheckTerms(name string, rows []obs.Observation) error {
	checked := map[string]bool{}
	for i, o := range rows {
		key := o.SeriesID + "|" + o.Basis
		if checked[key] {
			continue
		}
		checked[key] = true
		err := errors.Join(source.CheckSeries(o.Series), schemas.CheckTerm(schemas.FieldBasis, o.Basis))
		if o.Series.Place.CountryISO3 == "" {
			err = errors.Join(err, errors.New("country_iso3 is empty"))
		}
		if o.SeriesID != o.Series.ID() {
			err = errors.Join(err, fmt.Errorf("series_id %q does not match its series (%s)", o.SeriesID, o.Series.ID()))
		}
		if err != nil {
			return &obs.RowError{Source: name, Record: fmt.Sprintf("row %d (series %s)", i, o.SeriesID), Err: err}
		}
	}
	return nil
}

// dropDuplicates keeps the last row of each key: a later record for the same date is the correction.
func dropDuplicates(name string, rows []obs.Observation) ([]obs.Observation, []obs.Warning) {
	last := make(map[obs.Key]int, len(rows))
	for i, o := range rows {
		last[o.Key()] = i
	}
	if len(last) == len(rows) {
		return rows, nil
	}
	dupDates := map[string]int{}
	kept := make([]obs.Observation, 0, len(last))
	for i, o := range rows {
		if last[o.Key()] == i {
			kept = append(kept, o)
		} else {
			dupDates[o.ReportDate.Format(obs.DateLayout)]++
		}
	}
	var ws []obs.Warning
	for _, d := range slices.Sorted(maps.Keys(dupDates)) {
		ws = append(ws, obs.Warning{Source: name, Record: "report_date " + d, Field: "report_date",
			Msg: fmt.Sprintf("date appears more than once (%d figures repeated); the last record is kept", dupDates[d])})
	}
	return kept, ws
}

func futureDates(name string, rows []obs.Observation, today time.Time) []obs.Warning {
	future := map[string]bool{}
	for _, o := range rows {
		if o.ReportDate.After(today) {
			future[o.ReportDate.Format(obs.DateLayout)] = true
		}
	}
	var ws []obs.Warning
	for _, d := range slices.Sorted(maps.Keys(future)) {
		ws = append(ws, obs.Warning{Source: name, Record: "report_date " + d, Field: "report_date",
			Msg: "date is in the future (today is " + today.Format(obs.DateLayout) + ")"})
	}
	return ws
}

// fallingTotals warns, once per series, about reported cumulative figures that fall from one report to
// the next. Publishers do revise totals down; the warning makes it visible, it does not refuse it.
func fallingTotals(name string, rows []obs.Observation) []obs.Warning {
	bySeries := map[string][]obs.Observation{}
	for _, o := range rows {
		if o.Series.Measure == obs.MeasureCumulative && o.Basis == obs.BasisReported {
			bySeries[o.SeriesID] = append(bySeries[o.SeriesID], o)
		}
	}
	var ws []obs.Warning
	for _, id := range slices.Sorted(maps.Keys(bySeries)) {
		s := bySeries[id]
		sort.Slice(s, func(i, j int) bool { return s[i].ReportDate.Before(s[j].ReportDate) })
		var falls []string
		for i := 1; i < len(s); i++ {
			// A new period_start (Lebanon's phases) restarts the count; that is not a fall.
			if s[i].Value < s[i-1].Value && s[i].PeriodStart.Equal(s[i-1].PeriodStart) {
				falls = append(falls, fmt.Sprintf("%s %d→%d", s[i].ReportDate.Format(obs.DateLayout), s[i-1].Value, s[i].Value))
			}
		}
		if len(falls) == 0 {
			continue
		}
		shown := falls
		if len(shown) > 3 {
			shown = append(shown[:3:3], "…")
		}
		ws = append(ws, obs.Warning{Source: name, Record: "series " + id,
			Msg: fmt.Sprintf("reported cumulative figure falls %s: %s", times(len(falls)), strings.Join(shown, ", "))})
	}
	return ws
}

func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}
