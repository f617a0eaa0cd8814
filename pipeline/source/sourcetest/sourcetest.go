// Package sourcetest is the conformance suite every connector passes, and the golden-file helper the
// connector tests share. Connector tests call Run with their real payloads from testdata/.
package sourcetest

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source"
	"toll/schemas"
)

// Run checks a connector against one real payload: its spec is valid; Normalize is deterministic;
// every row belongs to a declared series, uses the closed vocabularies and is internally consistent;
// and a truncated or empty payload is rejected with an error that names the source.
func Run(t *testing.T, src source.RowSource, payload []byte) source.Result {
	t.Helper()
	spec := src.Spec()
	if err := spec.Validate(); err != nil {
		t.Fatalf("spec: %v", err)
	}
	res, err := src.Normalize(payload)
	if err != nil {
		t.Fatalf("normalize real payload: %v", err)
	}
	if len(res.Rows) == 0 {
		t.Fatal("normalize real payload: no rows")
	}
	again, err := src.Normalize(payload)
	if err != nil || !reflect.DeepEqual(res, again) {
		t.Fatalf("normalize is not deterministic (second error: %v)", err)
	}

	seen := map[obs.Key]bool{}
	for i, o := range res.Rows {
		if err := checkRow(o, spec); err != nil {
			t.Fatalf("row %d (%s %s): %v", i, o.SeriesID, o.ReportDate.Format(obs.DateLayout), err)
		}
		if seen[o.Key()] {
			t.Fatalf("row %d: two rows for %s %s: one value per series and report date", i, o.SeriesID, o.ReportDate.Format(obs.DateLayout))
		}
		seen[o.Key()] = true
	}

	for name, bad := range map[string][]byte{
		"truncated": payload[:len(payload)/2],
		"empty":     {},
	} {
		_, err := src.Normalize(bad)
		var rowErr *obs.RowError
		if !errors.As(err, &rowErr) || !errors.Is(err, obs.ErrInvalid) {
			t.Errorf("%s payload: err = %v, want an *obs.RowError", name, err)
		} else if rowErr.Source != spec.Name {
			t.Errorf("%s payload: error names source %q, want %q", name, rowErr.Source, spec.Name)
		}
	}
	return res
}

func checkRow(o obs.Observation, spec source.Spec) error {
	var errs []error
	if o.SeriesID != o.Series.ID() {
		errs = append(errs, fmt.Errorf("series_id %q does not match its series %q", o.SeriesID, o.Series.ID()))
	}
	if _, ok := spec.Describe(o.Series); !ok {
		errs = append(errs, errors.New("series not declared in the spec"))
	}
	if o.Series.Place.CountryISO3 == "" {
		errs = append(errs, errors.New("country_iso3 is empty"))
	}
	errs = append(errs, source.CheckSeries(o.Series), schemas.CheckTerm(schemas.FieldBasis, o.Basis))
	if o.ReportDate.IsZero() || o.PeriodStart.IsZero() || o.PeriodEnd.IsZero() {
		errs = append(errs, errors.New("a date is missing"))
	}
	if o.PeriodEnd.Before(o.PeriodStart) {
		errs = append(errs, errors.New("period_end before period_start"))
	}
	if o.Publisher == "" || o.Distributor == "" {
		errs = append(errs, errors.New("publisher and distributor are required"))
	}
	if (o.ValueLow != nil && *o.ValueLow > o.Value) || (o.ValueHigh != nil && *o.ValueHigh < o.Value) {
		errs = append(errs, errors.New("value outside its low-high range"))
	}
	return errors.Join(errs...)
}

// Summary describes normalized rows one line per series: rows, first and last report date, last value
// and how many rows are reported or extrapolated. It is compact enough to review as a golden file.
func Summary(rows []obs.Observation) string {
	type agg struct {
		n, reported, other int
		first, last        obs.Observation
	}
	bySeries := map[string]*agg{}
	for _, o := range rows {
		a := bySeries[o.SeriesID]
		if a == nil {
			a = &agg{first: o, last: o}
			bySeries[o.SeriesID] = a
		}
		a.n++
		if o.Basis == obs.BasisReported {
			a.reported++
		} else {
			a.other++
		}
		if o.ReportDate.Before(a.first.ReportDate) {
			a.first = o
		}
		if !o.ReportDate.Before(a.last.ReportDate) {
			a.last = o
		}
	}
	ids := make([]string, 0, len(bySeries))
	for id := range bySeries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	for _, id := range ids {
		a := bySeries[id]
		fmt.Fprintf(&b, "%s rows=%d reported=%d other=%d first=%s last=%s last_value=%d last_basis=%s last_publisher=%q\n",
			id, a.n, a.reported, a.other, a.first.ReportDate.Format(obs.DateLayout), a.last.ReportDate.Format(obs.DateLayout),
			a.last.Value, a.last.Basis, a.last.Publisher)
	}
	return b.String()
}

// Golden compares got with the file at path; UPDATE_GOLDEN=1 rewrites the file instead.
func Golden(t *testing.T, path, got string) {
	t.Helper()
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if got != string(want) {
		gotLines, wantLines := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gotLines), len(wantLines)) {
			g, w := at(gotLines, i), at(wantLines, i)
			if g != w {
				t.Fatalf("%s differs at line %d (UPDATE_GOLDEN=1 rewrites it after review):\n got: %s\nwant: %s", path, i+1, g, w)
			}
		}
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "<end of file>"
}

// Find returns the row of a series on a report date.
func Find(rows []obs.Observation, seriesID, reportDate string) (obs.Observation, bool) {
	i := slices.IndexFunc(rows, func(o obs.Observation) bool {
		return o.SeriesID == seriesID && o.ReportDate.Format(obs.DateLayout) == reportDate
	})
	if i < 0 {
		return obs.Observation{}, false
	}
	return rows[i], true
}

// Testdata reads a file from the calling connector's testdata/ folder.
func Testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Curated runs the conformance suite on a table of statements that toll curates, as it ships in the
// offline bundle (path from the connector's folder), and checks what makes it citable: one observation
// per statement, no warning, and each one's record_id the http(s) address of a report that quotes it.
func Curated(t *testing.T, src source.RowSource, path string) source.Result {
	t.Helper()
	payload, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res := Run(t, src, payload)
	if lines := strings.Count(strings.TrimSpace(string(payload)), "\n"); len(res.Rows) != lines || len(res.Warnings) != 0 {
		t.Fatalf("%d rows and %d warnings from %d statements, want a row each and no warning", len(res.Rows), len(res.Warnings), lines)
	}
	for _, o := range res.Rows {
		if u, err := url.Parse(o.RecordID); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			t.Errorf("%s %s: record_id %q is not the address of a report", o.SeriesID, o.ReportDate.Format(obs.DateLayout), o.RecordID)
		}
	}
	return res
}

// ZipMember returns the bytes of the one data file of the zip at path (a release as its publisher zips
// it).
func ZipMember(t *testing.T, path string) []byte {
	t.Helper()
	member, _, err := source.OpenZipFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer member.Close()
	b, err := io.ReadAll(member)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// RunFiles runs the conformance suite on each payload of testdata/, as subtests.
func RunFiles(t *testing.T, src source.RowSource, files ...string) {
	t.Helper()
	for _, f := range files {
		t.Run(f, func(t *testing.T) { Run(t, src, Testdata(t, f)) })
	}
}

// GoldenSummary normalizes a payload from testdata/ and compares its per-series Summary with the golden
// file testdata/<golden>; UPDATE_GOLDEN=1 rewrites it.
func GoldenSummary(t *testing.T, src source.RowSource, payload, golden string) {
	t.Helper()
	res, err := src.Normalize(Testdata(t, payload))
	if err != nil {
		t.Fatal(err)
	}
	Golden(t, "testdata/"+golden, Summary(res.Rows))
}
