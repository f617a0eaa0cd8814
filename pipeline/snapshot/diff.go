package snapshot

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"toll/pipeline/duck"
)

// Diff is what changed from snapshot A to snapshot B.
type Diff struct {
	A              string         `json:"a"`
	B              string         `json:"b"`
	SeriesAdded    []string       `json:"series_added"`
	SeriesRemoved  []string       `json:"series_removed"`
	RowsAdded      int64          `json:"observations_added"` // observations B has that A had not
	RowsRemoved    int64          `json:"observations_removed"`
	ValuesChanged  int64          `json:"values_changed"` // observations both have, with another value in B
	Changes        []ValueChange  `json:"changes"`        // the first of them
	SourceStatuses []StatusChange `json:"source_statuses"`
}

// ValueChange is one observation whose value differs between the snapshots.
type ValueChange struct {
	SeriesID   string    `json:"series_id"`
	ReportDate time.Time `json:"report_date"`
	PeriodEnd  time.Time `json:"period_end"`
	Old        int64     `json:"old_value"`
	New        int64     `json:"new_value"`
}

// StatusChange is a source whose status differs between the manifests.
type StatusChange struct {
	Source string `json:"source"`
	Old    string `json:"old_status"`
	New    string `json:"new_status"`
	Error  string `json:"error,omitempty"`
}

const diffKey = "series_id, period_start, period_end, report_date, record_id"

// DiffSnapshots compares two snapshots of a data directory; at most maxChanges value changes are listed
// (all are counted). With out set, every observation added, removed or changed is also written there
// as Parquet.
func DiffSnapshots(ctx context.Context, dataDir, a, b string, maxChanges int, out string) (Diff, error) {
	d := Diff{A: a, B: b}
	ma, err := ReadManifest(dataDir, a)
	if err != nil {
		return d, fmt.Errorf("snapshot %s: %w", a, err)
	}
	mb, err := ReadManifest(dataDir, b)
	if err != nil {
		return d, fmt.Errorf("snapshot %s: %w", b, err)
	}
	db, err := duck.Open("", duck.Options{})
	if err != nil {
		return d, err
	}
	defer db.Close()
	if err := diffViews(ctx, db, dataDir, ma, mb); err != nil {
		return d, err
	}
	if out != "" {
		if _, err := db.ExecContext(ctx, `COPY (`+observationChanges+`) TO `+duck.String(out)+` (FORMAT parquet, COMPRESSION zstd)`); err != nil {
			return d, fmt.Errorf("writing %s: %w", out, err)
		}
	}
	return diffOn(ctx, db, d, ma, mb, maxChanges)
}

// observationChanges lists every observation added, removed or whose value changed from obs_a to obs_b.
const observationChanges = `SELECT 'changed' AS change, series_id, period_start, period_end, report_date,
  nullif(record_id, '') AS record_id, a.value AS old_value, b.value AS new_value
FROM obs_a a JOIN obs_b b USING (` + diffKey + `) WHERE a.value <> b.value
UNION ALL SELECT 'added', series_id, period_start, period_end, report_date, nullif(record_id, ''), NULL, value
FROM obs_b b ANTI JOIN obs_a a USING (` + diffKey + `)
UNION ALL SELECT 'removed', series_id, period_start, period_end, report_date, nullif(record_id, ''), value, NULL
FROM obs_a a ANTI JOIN obs_b b USING (` + diffKey + `)
ORDER BY series_id, report_date, period_start, record_id`

// diffViews creates the views diffs read: obs_a, obs_b, series_a, series_b.
func diffViews(ctx context.Context, db *sql.DB, dataDir string, ma, mb Manifest) error {
	series := func(m Manifest) string {
		return `SELECT * FROM read_parquet(` + duck.String(filepath.Join(Path(dataDir, m.ID), SeriesFile)) + `)`
	}
	// record_id is part of the key; '' for NULL, so that the key's equality joins rows without one.
	keyed := func(m Manifest) string {
		return `SELECT * REPLACE (coalesce(record_id, '') AS record_id) FROM (` + observationsQuery(dataDir, m) + `)`
	}
	for _, v := range []struct{ name, query string }{
		{"obs_a", keyed(ma)}, {"obs_b", keyed(mb)},
		{"series_a", series(ma)}, {"series_b", series(mb)}} {
		if _, err := db.ExecContext(ctx, "CREATE VIEW "+v.name+" AS "+v.query); err != nil {
			return err
		}
	}
	return nil
}

// diffOn fills d from the views diffViews made.
func diffOn(ctx context.Context, db *sql.DB, d Diff, ma, mb Manifest, maxChanges int) (Diff, error) {
	var err error
	if d.SeriesAdded, err = queryStrings(ctx, db, `SELECT series_id FROM series_b EXCEPT SELECT series_id FROM series_a ORDER BY 1`); err != nil {
		return d, err
	}
	if d.SeriesRemoved, err = queryStrings(ctx, db, `SELECT series_id FROM series_a EXCEPT SELECT series_id FROM series_b ORDER BY 1`); err != nil {
		return d, err
	}
	err = db.QueryRowContext(ctx, `SELECT
  (SELECT count(*) FROM (SELECT `+diffKey+` FROM obs_b EXCEPT SELECT `+diffKey+` FROM obs_a)),
  (SELECT count(*) FROM (SELECT `+diffKey+` FROM obs_a EXCEPT SELECT `+diffKey+` FROM obs_b)),
  (SELECT count(*) FROM obs_a a JOIN obs_b b USING (`+diffKey+`) WHERE a.value <> b.value)`).Scan(&d.RowsAdded, &d.RowsRemoved, &d.ValuesChanged)
	if err != nil {
		return d, err
	}
	rows, err := db.QueryContext(ctx, `SELECT series_id, report_date, period_end, a.value, b.value
  FROM obs_a a JOIN obs_b b USING (`+diffKey+`) WHERE a.value <> b.value ORDER BY series_id, report_date LIMIT ?`, maxChanges)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var c ValueChange
		if err := rows.Scan(&c.SeriesID, &c.ReportDate, &c.PeriodEnd, &c.Old, &c.New); err != nil {
			return d, err
		}
		d.Changes = append(d.Changes, c)
	}
	old := map[string]string{}
	for _, s := range ma.Sources {
		old[s.Name] = s.Status
	}
	for _, s := range mb.Sources {
		if old[s.Name] != s.Status {
			d.SourceStatuses = append(d.SourceStatuses, StatusChange{Source: s.Name, Old: old[s.Name], New: s.Status, Error: s.Error})
		}
	}
	return d, rows.Err()
}

// PruneKeep says which snapshots retention keeps: the newest of each of the last Daily days and of each
// of the last Monthly months that have snapshots. The one LATEST names is always kept, and so is any
// snapshot a process holds (Hold), such as the one a running toll serve answers from.
type PruneKeep struct {
	Daily, Monthly int
	// Wait is how long to wait for the readers of a snapshot to let go of it (toll serve lets go of
	// an old snapshot when the last request that uses it ends) before leaving it to a later prune.
	Wait time.Duration
}

// Prune removes the snapshots the policy does not keep and returns their ids. Call it while holding
// the data directory's lock, so that no run is writing a snapshot.
func Prune(dataDir string, keep PruneKeep) ([]string, error) {
	ms, err := List(dataDir)
	if err != nil {
		return nil, err
	}
	latest, err := Latest(dataDir)
	if err != nil {
		return nil, err
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].ID > ms[j].ID }) // newest first
	kept := map[string]bool{latest: true}
	days, months := map[string]bool{}, map[string]bool{}
	for _, m := range ms {
		day, month := m.CreatedAt.UTC().Format("2006-01-02"), m.CreatedAt.UTC().Format("2006-01")
		if !days[day] && len(days) < keep.Daily {
			days[day], kept[m.ID] = true, true
		}
		if !months[month] && len(months) < keep.Monthly {
			months[month], kept[m.ID] = true, true
		}
	}
	var removed []string
	for _, m := range ms {
		if kept[m.ID] {
			continue
		}
		release, ok, err := claimWithin(dataDir, m.ID, keep.Wait)
		if err != nil || !ok {
			continue // a running toll serve still reads it; a later prune removes it
		}
		err = os.RemoveAll(Path(dataDir, m.ID)) // under the claim, so that no reader takes it meanwhile
		release()
		if err != nil {
			return removed, err
		}
		removed = append(removed, m.ID)
	}
	return removed, nil
}
