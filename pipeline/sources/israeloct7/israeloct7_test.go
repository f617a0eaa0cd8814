package israeloct7_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"toll/pipeline/obs"
	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/israeloct7"
)

// The curated table as it ships: every statement becomes an observation that cites its report.
func TestStatementsAsCurated(t *testing.T) {
	res := sourcetest.Curated(t, israeloct7.New(), "../../../data/bundle/israel-oct7/statements.csv")
	attack := time.Date(2023, 10, 7, 0, 0, 0, 0, time.UTC)
	for _, o := range res.Rows {
		if !o.PeriodStart.Equal(attack) || !o.PeriodEnd.Equal(attack) || o.ReportDate.Before(attack) {
			t.Errorf("%s: period %s..%s reported %s, want the attack's day, reported after it", o.SeriesID, o.PeriodStart, o.PeriodEnd, o.ReportDate)
		}
		if o.Publisher != "Israeli authorities" && o.Publisher != "AFP" {
			t.Errorf("%s %s: publisher %q", o.SeriesID, o.ReportDate.Format(obs.DateLayout), o.Publisher)
		}
	}
	// The revision that newspapers missed for weeks: 1,400 stated on 15 October, about 1,200 from 10 November.
	for date, want := range map[string]int64{"2023-10-15": 1400, "2023-11-10": 1200} {
		if o, ok := sourcetest.Find(res.Rows, "israel_oct7/ISR/killed/all/period/official", date); !ok || o.Value != want {
			t.Errorf("official toll on %s: %d (found %v), want %d", date, o.Value, ok, want)
		}
	}
}

// A statement without the report that quotes it is refused, naming the record and the field.
func TestStatementWithoutCitation(t *testing.T) {
	payload := "tally,killed,taken_hostage,qualifier,publisher,said_by,url,report_date\n" +
		"official,1400,,more than,Israeli authorities,Prime Minister's Office,,2023-10-15\n"
	_, err := israeloct7.New().Normalize([]byte(payload))
	var rowErr *obs.RowError
	if !errors.As(err, &rowErr) || rowErr.Field != "url" || !strings.Contains(rowErr.Record, "2023-10-15") {
		t.Fatalf("err = %v, want a row error naming the record and its url field", err)
	}
}
