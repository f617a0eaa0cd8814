package normalize_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"toll/pipeline/duck"
	"toll/pipeline/normalize"
	"toll/pipeline/obs"
	"toll/pipeline/source"
	"toll/pipeline/sources/tfpgaza"
)

// fixed is a source whose Normalize returns prepared rows, to test the shared checks on their own.
type fixed struct{ rows []obs.Observation }

func (f fixed) Spec() source.Spec                       { return source.Spec{Name: "test_source"} }
func (f fixed) Normalize([]byte) (source.Result, error) { return source.Result{Rows: f.rows}, nil }

func row(date string, value int64, metric string) obs.Observation {
	s := obs.Series{Source: "test_source", Place: obs.Place{CountryISO3: "PSE"}, Metric: metric, Subgroup: "all", Measure: obs.MeasureCumulative}
	d, _ := obs.ParseDate(date)
	return obs.Observation{SeriesID: s.ID(), Series: s, PeriodStart: time.Date(2023, 10, 7, 0, 0, 0, 0, time.UTC), PeriodEnd: d, ReportDate: d,
		Value: value, Basis: obs.BasisReported, Publisher: "p", Distributor: "d"}
}

var today = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

func TestWarnings(t *testing.T) {
	src := fixed{rows: []obs.Observation{
		row("2024-05-01", 100, "killed"),
		row("2024-05-02", 90, "killed"),  // falls
		row("2024-05-03", 120, "killed"), // duplicated below; the later record wins
		row("2024-05-03", 125, "killed"),
		row("2024-07-01", 130, "killed"), // future
	}}
	res, err := normalize.Payload(src, nil, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 4 {
		t.Errorf("%d rows, want 4 (one duplicate dropped)", len(res.Rows))
	}
	for _, o := range res.Rows {
		if o.ReportDate.Format(obs.DateLayout) == "2024-05-03" && o.Value != 125 {
			t.Errorf("duplicate kept %d, want the last record's 125", o.Value)
		}
	}
	var all []string
	for _, w := range res.Warnings {
		all = append(all, w.String())
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{"report_date 2024-05-03: field report_date: date appears more than once",
		"2024-07-01: field report_date: date is in the future", "falls once: 2024-05-02 100→90"} {
		if !strings.Contains(text, want) {
			t.Errorf("warnings lack %q:\n%s", want, text)
		}
	}
}

func TestTermOutsideVocabularyRejectsThePayload(t *testing.T) {
	_, err := normalize.Payload(fixed{rows: []obs.Observation{row("2024-05-01", 1, "slain")}}, nil, today)
	var re *obs.RowError
	if !errors.As(err, &re) || re.Source != "test_source" || !strings.Contains(err.Error(), `metric "slain"`) {
		t.Errorf("err = %v, want a RowError naming the source and the term", err)
	}
}

func TestRealPayloadHasNoFutureDates(t *testing.T) {
	res, err := normalize.Payload(tfpgaza.New(), []byte(`[{"report_date":"2024-05-09","report_source":"mohtel","killed_cum":34904}]`), today)
	if err != nil || len(res.Rows) != 1 || len(res.Warnings) != 0 {
		t.Errorf("rows %d, warnings %v, err %v", len(res.Rows), res.Warnings, err)
	}
}

// A text payload with bytes that are not UTF-8 is refused, naming the source, the line and the byte,
// and the message itself is valid text (it is stored with the run).
func TestInvalidUTF8IsARowError(t *testing.T) {
	body := []byte("[{\"report_date\": \"2024-05-09\",\n \"report_source\": \"moh\xfftel\", \"killed_cum\": 34904}]")
	_, err := normalize.Payload(tfpgaza.New(), body, today)
	var re *obs.RowError
	if !errors.As(err, &re) || re.Source != tfpgaza.Name || !strings.Contains(err.Error(), "line 2") ||
		!strings.Contains(err.Error(), "invalid UTF-8 (byte 0xff)") || !utf8.ValidString(err.Error()) {
		t.Errorf("got %v", err)
	}
}

// A source that normalizes in SQL gets the same checks, as SQL over its rows once loaded: the same rows
// give the same warnings, in the same words, as through Payload (but for duplicates, which need the
// payload's order).
func TestQueryChecksMatchPayload(t *testing.T) {
	rows := []obs.Observation{
		row("2024-05-01", 100, "killed"),
		row("2024-05-02", 90, "killed"), // falls
		row("2024-05-03", 80, "killed"), // falls again
		row("2024-05-01", 5, "injured"),
		row("2024-07-01", 130, "killed"), // future
		row("2024-07-02", 6, "injured"),  // future
	}
	res, err := normalize.Payload(fixed{rows: rows}, nil, today)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, w := range res.Warnings {
		want = append(want, w.String())
	}
	slices.Sort(want)

	q, err := normalize.Query(querySource{}, "", "", today)
	if err != nil {
		t.Fatal(err)
	}
	var values []string
	for _, o := range rows {
		values = append(values, fmt.Sprintf("(%s, DATE '%s', DATE '%s', %d, '%s', '%s')", duck.String(o.SeriesID),
			o.PeriodStart.Format(obs.DateLayout), o.ReportDate.Format(obs.DateLayout), o.Value, o.Series.Measure, o.Basis))
	}
	relation := "(SELECT * FROM (VALUES " + strings.Join(values, ", ") + ") v(series_id, period_start, report_date, value, measure, basis))"
	db, err := duck.Open("", duck.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	found, err := db.Query(q.Checks(relation))
	if err != nil {
		t.Fatal(err)
	}
	defer found.Close()
	var got []string
	for found.Next() {
		w := obs.Warning{Source: "test_source"}
		if err := found.Scan(&w.Record, &w.Field, &w.Msg); err != nil {
			t.Fatal(err)
		}
		got = append(got, w.String())
	}
	slices.Sort(got)
	if len(want) != 3 || !slices.Equal(got, want) {
		t.Errorf("SQL checks:\n%s\nwant, as Payload gives them:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// querySource is a QuerySource whose SQL is beside the point: Query's checks are.
type querySource struct{}

func (querySource) Spec() source.Spec { return source.Spec{Name: "test_source"} }
func (querySource) Query(string, string) (source.Query, error) {
	return source.Query{Rows: "SELECT 1"}, nil
}
