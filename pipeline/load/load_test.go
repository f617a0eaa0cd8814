package load_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"toll/pipeline/load"
	"toll/pipeline/normalize"
	"toll/pipeline/source"
	"toll/pipeline/sources/tfpgaza"
	"toll/pipeline/sources/unhcrsudan"
	"toll/schemas"
)

const gazaTestdata = "../sources/tfpgaza/testdata/"

// loadFile normalizes a real Gaza payload and loads it as fetched on date.
func loadFile(t *testing.T, w *load.Warehouse, file, date string) (load.Stats, error) {
	t.Helper()
	body, err := os.ReadFile(gazaTestdata + file)
	if err != nil {
		t.Fatal(err)
	}
	src := tfpgaza.New()
	res, err := normalize.Payload(src, body, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	fetched, _ := time.Parse("2006-01-02", date)
	v := load.Vintage{Source: tfpgaza.Name, SHA256: "sha-" + file, FetchedAt: fetched, RunID: "run-" + date}
	return w.Load(context.Background(), v, src.Spec(), res.Rows)
}

func openTemp(t *testing.T) *load.Warehouse {
	t.Helper()
	return openAt(t, t.TempDir())
}

// openAt opens a warehouse in the data directory dir, closed when the test ends.
func openAt(t *testing.T, dir string) *load.Warehouse {
	t.Helper()
	w, err := load.Open(context.Background(), dir, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func TestVintagesAndRevisions(t *testing.T) {
	w := openTemp(t)
	first, err := loadFile(t, w, "casualties_daily.2024-02-01.json", "2024-02-01")
	if err != nil {
		t.Fatal(err)
	}
	if first.Added != first.Rows || first.Changed != 0 || first.Revisions != 0 {
		t.Errorf("first vintage: %+v, want every row added and no revision", first)
	}
	second, err := loadFile(t, w, "casualties_daily.2024-05-11.json", "2024-05-11")
	if err != nil {
		t.Fatal(err)
	}
	if second.Revisions == 0 || second.Changed == 0 {
		t.Errorf("second vintage: %+v, want revisions (the 2023-10-07 total went from 198 to 232)", second)
	}

	db := w.DB()
	var oldV, newV int64
	err = db.QueryRow(`SELECT old_value, new_value FROM revisions
		WHERE series_id = 'tfp_gaza_daily/PS02/killed/all/cumulative' AND report_date = DATE '2023-10-07'`).Scan(&oldV, &newV)
	if err != nil || oldV != 198 || newV != 232 {
		t.Errorf("revision of 2023-10-07 total: %d → %d (%v), want 198 → 232", oldV, newV, err)
	}

	// What the data said, as fetched on each date.
	asOf := func(ts string) int64 {
		var v int64
		err := db.QueryRow(`SELECT value FROM observations_as_of(TIMESTAMP '` + ts + `')
			WHERE series_id = 'tfp_gaza_daily/PS02/killed/all/cumulative' AND report_date = DATE '2023-10-07'`).Scan(&v)
		if err != nil {
			t.Fatalf("as of %s: %v", ts, err)
		}
		return v
	}
	if got := asOf("2024-03-01 00:00:00"); got != 198 {
		t.Errorf("as of 2024-03-01: %d, want 198", got)
	}
	if got := asOf("2024-06-01 00:00:00"); got != 232 {
		t.Errorf("as of 2024-06-01: %d, want 232", got)
	}

	// Loading an older vintage after a newer one cannot be placed in the history.
	if _, err := loadFile(t, w, "casualties_daily.2024-02-01.json", "2024-01-01"); !errors.Is(err, load.ErrOlderVintage) {
		t.Errorf("older vintage: err = %v, want ErrOlderVintage", err)
	}

	// A vintage identical in content to the current one adds and changes nothing.
	again, err := loadFile(t, w, "casualties_daily.2024-05-11.json", "2024-05-12")
	if err != nil {
		t.Fatal(err)
	}
	if again.Added != 0 || again.Changed != 0 || again.Removed != 0 || again.Revisions != 0 {
		t.Errorf("same content again: %+v, want no change", again)
	}
}

func TestAppendOrderMatchesSchema(t *testing.T) {
	var names, staged []string
	for _, c := range schemas.Columns() {
		names = append(names, c.Name)
		if !slices.Contains([]string{"raw_sha256", "fetched_at", "run_id"}, c.Name) {
			staged = append(staged, c.Name)
		}
	}
	if got := strings.Split(load.ObservationColumnNames(), ", "); !slices.Equal(got, names) {
		t.Fatalf("columns %v, want %v", got, names)
	}
	if !slices.Equal(load.AppendOrder(), staged) {
		t.Errorf("appender writes %v, want the schema's columns but provenance: %v", load.AppendOrder(), staged)
	}
}

// Headlines give each headline series' latest value: the same as the latest of every series, kept to the
// headline ones, with a stored source beside them.
func TestHeadlines(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t)
	for _, f := range []string{"casualties_daily.2024-02-01.json", "casualties_daily.2024-05-11.json"} {
		if _, err := loadFile(t, w, f, strings.TrimSuffix(strings.TrimPrefix(f, "casualties_daily."), ".json")); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := w.LoadQuery(ctx, eventsVintage, source.Spec{Name: "events"}, source.Query{Rows: storedRow(nil)}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := w.Headlines(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	rows, err := w.DB().QueryContext(ctx, `SELECT series_id || ' ' || arg_max(value, report_date) || ' ' || max(report_date)
  FROM current_observations WHERE series_id IN (SELECT series_id FROM series WHERE headline)
  GROUP BY series_id, source ORDER BY source, series_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		want = append(want, s)
	}
	var have []string
	for _, h := range got {
		have = append(have, fmt.Sprintf("%s %d %s", h.SeriesID, h.Value, h.ReportDate.Format("2006-01-02")))
	}
	if len(want) == 0 || !slices.Equal(have, want) {
		t.Errorf("headlines = %v, want %v", have, want)
	}
}

// A run's record stores any message, whatever bytes of a payload its errors and warnings quote.
func TestRunRecordsStoreAnyMessage(t *testing.T) {
	ctx := context.Background()
	w := openAt(t, t.TempDir())
	now := time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC)
	if err := w.StartRun(ctx, load.Run{ID: "r1", StartedAt: now}); err != nil {
		t.Fatal(err)
	}
	bad := "header \"caf\xe9\" is not UTF-8"
	if err := w.RecordSourceRun(ctx, load.SourceRun{RunID: "r1", Source: "s", StartedAt: now, FinishedAt: now,
		Status: load.StatusFailed, Error: bad, Warnings: []string{bad}}); err != nil {
		t.Fatalf("recording the source run: %v", err)
	}
	if err := w.FinishRun(ctx, load.Run{ID: "r1", FinishedAt: now, Status: load.StatusFailed, Error: bad}); err != nil {
		t.Fatalf("finishing the run: %v", err)
	}
	states, err := w.SourceStates(ctx)
	if err != nil || !strings.Contains(states["s"].LastError, "caf\uFFFD") {
		t.Errorf("the stored error: %q, %v", states["s"].LastError, err)
	}
}

// A source that publishes only its latest snapshot (UNHCR's refugees in Sudan, by origin, at a date)
// replaces every row when its date moves: that is loaded. The same source emptied is held back.
func TestSnapshotSourceMovesOnButEmptyIsHeld(t *testing.T) {
	w := openTemp(t)
	body, err := os.ReadFile("../sources/unhcrsudan/testdata/odp-population-get-origin-geo_id-295-population_collection-4_29.json")
	if err != nil {
		t.Fatal(err)
	}
	src := unhcrsudan.New()
	load1 := func(body []byte, day int) error {
		res, err := normalize.Payload(src, body, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		v := load.Vintage{Source: src.Spec().Name, SHA256: fmt.Sprint("sha-", day), FetchedAt: time.Date(2026, 11, day, 0, 0, 0, 0, time.UTC), RunID: fmt.Sprint("run-", day)}
		_, err = w.Load(context.Background(), v, src.Spec(), res.Rows)
		return err
	}
	if err := load1(body, 1); err != nil {
		t.Fatal(err)
	}
	moved := bytes.ReplaceAll(body, []byte(`"date": "2024-03-31"`), []byte(`"date": "2024-04-30"`))
	if bytes.Equal(moved, body) {
		t.Fatal("the test payload's date was not found")
	}
	if err := load1(moved, 2); err != nil {
		t.Errorf("the snapshot a month on: %v; want it loaded", err)
	}
	empty := []byte(`{"pop_frequency_code": [], "pop_frequency_cumulative_code": [], "data": []}`)
	if err := load1(empty, 3); !load.IsHeld(err) {
		t.Errorf("the snapshot emptied: %v; want it held back", err)
	}
}
