package check

import (
	"testing"
	"time"

	"toll/pipeline/obs"
)

func TestPeriodOf(t *testing.T) {
	published := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		tail, area string
		from, to   string // "" when toll cannot date the window
	}{
		{"past 48 hours, the ministry said", "gaza", "2026-01-12", "2026-01-14"}, // since the report of the 12th
		{"last two days", "gaza", "2026-01-12", "2026-01-14"},
		{"past week", "gaza", "2026-01-07", "2026-01-14"},
		{"since 18 march", "gaza", "2025-03-18", "2026-01-14"}, // read in January: last year's
		{"since march 18, 2025, when", "gaza", "2025-03-18", "2026-01-14"},
		{"since the ceasefire took effect", "gaza", "2025-10-10", "2026-01-14"}, // the latest ceasefire before publication
		{"since the ceasefire", "lebanon", "2024-11-27", "2026-01-14"},
		{"since the october 10 ceasefire", "gaza", "2025-10-10", "2026-01-14"},
		{"since signing ceasefire deal", "gaza", "2025-10-10", "2026-01-14"},
		{"since the u.s.-brokered cease-fire began on 10 october", "gaza", "2025-10-10", "2026-01-14"},
		{"since a ceasefire was introduced there", "gaza", "2025-10-10", "2026-01-14"},
		{"since the collapse of the truce", "gaza", "2025-03-18", "2026-01-14"},
		{"in 2025", "gaza", "2025-01-01", "2025-12-31"},
		{"last year, the ministry said", "gaza", "2025-01-01", "2025-12-31"},
		{"since october last year", "lebanon", "", ""}, // which October: the war's, or last year's?
		{"since last year", "lebanon", "", ""},
		{"in the same period in 2023", "west_bank", "", ""}, // a past window toll cannot bound
		{"in october", "gaza", "2025-10-01", "2025-10-31"},
		{"so far this year", "gaza", "2026-01-01", "2026-01-14"},
		{"since the beginning of 2025, the ministry said", "west_bank", "2025-01-01", "2026-01-14"},
		{"since 7 october 2023", "gaza", "", ""}, // the war's running total, not a period
		{"since 7 october", "gaza", "", ""},
		{"since israeli attacks on lebanon began on march 2", "lebanon", "2025-03-02", "2026-01-14"},
		{"since the war began on october 7", "gaza", "", ""},
		{"since the ceasefire", "sudan", "", ""}, // no such event in Sudan
		{"in recent weeks", "gaza", "", ""},
		{"since the ghf began operating", "gaza", "2025-05-27", "2026-01-14"},
		{"last week", "gaza", "", ""}, // a calendar week toll cannot place
		{"between the afternoons of 26 and 29 december, according to the moh", "gaza", "2025-12-26", "2025-12-29"},
		{"between 28 december and 3 january", "gaza", "2025-12-28", "2026-01-03"},
	}
	for _, tt := range tests {
		w, ok := periodOf(tt.tail, tt.area, published)
		if tt.from == "" {
			if ok {
				t.Errorf("%q: dated %v, want no window", tt.tail, w)
			}
			continue
		}
		if !ok || w.from.Format(obs.DateLayout) != tt.from || w.to.Format(obs.DateLayout) != tt.to {
			t.Errorf("%q: %v %v (ok %v), want %s … %s", tt.tail, w.from, w.to, ok, tt.from, tt.to)
		}
	}
}

// Every event has a source, and a period starting at one is dated from it.
func TestEvents(t *testing.T) {
	if len(events) == 0 {
		t.Fatal("no events")
	}
	for _, e := range events {
		if e.source == "" || e.area == "" || e.name == "" {
			t.Errorf("event %+v lacks a field", e)
		}
	}
}

// The day words like "as of 20 March" give a figure, read as of publication (Wednesday 14 January 2026).
func TestStatedDate(t *testing.T) {
	published := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	for words, want := range map[string]string{
		"as of 20 march":                            "2025-03-20", // still to come this year: last year's
		"as of march 20, 2024":                      "2024-03-20",
		"by 3 january":                              "2026-01-03",
		"as of tuesday":                             "2026-01-13",
		"as of wednesday":                           "2026-01-14",
		"as of last thursday":                       "2026-01-08",
		"between 7 october 2023 and 29 august 2024": "2024-08-29",
	} {
		got, ok := statedDate(words, published)
		if !ok || got.Format(obs.DateLayout) != want {
			t.Errorf("statedDate(%q) = %v (ok %v), want %s", words, got, ok, want)
		}
	}
}
