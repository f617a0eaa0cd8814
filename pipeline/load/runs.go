package load

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"toll/pipeline/duck"
)

// Statuses of runs and source runs.
const (
	StatusRunning   = "running"
	StatusOK        = "ok"        // loaded a new vintage
	StatusUnchanged = "unchanged" // the payload was already loaded
	StatusFailed    = "failed"
	StatusPartial   = "partial" // a run where some sources failed or were held back
	StatusSkipped   = "skipped"
	StatusHeld      = "held" // a payload parsed but was held back (HeldError); the current data stayed
)

// Run is one toll run.
type Run struct {
	ID         string
	StartedAt  time.Time
	FinishedAt time.Time
	Status     string
	Offline    bool
	SnapshotID string
	Error      string
}

// SourceRun is what one run did with one source.
type SourceRun struct {
	RunID      string
	Source     string
	StartedAt  time.Time
	FinishedAt time.Time
	Status     string
	URL        string
	HTTPStatus int
	Payloads   int   // payloads fetched (the offline bundle replays several)
	Bytes      int64 // of the newest payload
	SHA256     string
	Stats      Stats // summed over the payloads loaded
	Warnings   []string
	Error      string
}

// StartRun records a run as running. A run that dies without FinishRun stays "running" in the record,
// which is what happened.
func (w *Warehouse) StartRun(ctx context.Context, r Run) error {
	_, err := w.db.ExecContext(ctx, `INSERT INTO runs VALUES (?, ?, NULL, ?, ?, NULL, NULL)`,
		r.ID, r.StartedAt.UTC(), StatusRunning, r.Offline)
	return err
}

// FinishRun records how a run ended.
func (w *Warehouse) FinishRun(ctx context.Context, r Run) error {
	_, err := w.db.ExecContext(ctx, `UPDATE runs SET finished_at = ?, status = ?, snapshot_id = ?, error = ? WHERE run_id = ?`,
		r.FinishedAt.UTC(), r.Status, nullable(r.SnapshotID), nullable(validText(r.Error)), r.ID)
	return err
}

// RecordSourceRun records what a run did with one source.
func (w *Warehouse) RecordSourceRun(ctx context.Context, s SourceRun) error {
	warnings := []string{}
	for _, w := range s.Warnings {
		warnings = append(warnings, validText(w))
	}
	_, err := w.db.ExecContext(ctx, `INSERT INTO source_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.RunID, s.Source, s.StartedAt.UTC(), s.FinishedAt.UTC(), s.Status, nullable(s.URL), nullInt(s.HTTPStatus),
		s.Payloads, s.Bytes, nullable(s.SHA256), s.Stats.Rows, s.Stats.Added, s.Stats.Changed, s.Stats.Removed,
		s.Stats.Revisions, warnings, nullable(validText(s.Error)))
	return err
}

// validText makes a message storable: an error can quote a payload's bytes, which need not be UTF-8,
// and DuckDB's text must be.
func validText(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

func nullInt(i int) any {
	if i == 0 {
		return nil
	}
	return i
}

// SourceState is what the warehouse knows of a source: its newest loaded payload and its last run.
type SourceState struct {
	Source        string
	URL           string
	SHA256        string
	FetchedAt     time.Time
	Rows          int64     // current observations
	NewestReport  time.Time // the latest report_date among them
	LastStatus    string    // of the last run of the source
	LastError     string
	LastRunAt     time.Time
	LastSuccessAt time.Time // the last run that ended ok or unchanged
}

// SourceStates returns the state of every source that has a payload or a run, by name.
func (w *Warehouse) SourceStates(ctx context.Context) (map[string]SourceState, error) {
	rows, err := w.db.QueryContext(ctx, `
WITH latest_payload AS (
  SELECT source, arg_max(url, fetched_at) AS url, arg_max(raw_sha256, fetched_at) AS sha, max(fetched_at) AS fetched_at
  FROM payloads GROUP BY source),
last_run AS (
  SELECT source, arg_max(status, finished_at) AS status, arg_max(error, finished_at) AS error, max(finished_at) AS at,
         max(finished_at) FILTER (status IN ('ok', 'unchanged')) AS success_at
  FROM source_runs GROUP BY source),
counts AS (SELECT source, count(*) AS n, max(report_date) AS newest FROM current_observations GROUP BY source)
SELECT coalesce(p.source, r.source), p.url, p.sha, p.fetched_at, coalesce(c.n, 0), c.newest, r.status, r.error, r.at,
       r.success_at
FROM latest_payload p FULL JOIN last_run r ON p.source = r.source LEFT JOIN counts c ON c.source = coalesce(p.source, r.source)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	states := map[string]SourceState{}
	for rows.Next() {
		var s SourceState
		var url, sha, status, errMsg sql.NullString
		var fetched, newest, runAt, successAt sql.NullTime
		if err := rows.Scan(&s.Source, &url, &sha, &fetched, &s.Rows, &newest, &status, &errMsg, &runAt, &successAt); err != nil {
			return nil, err
		}
		s.URL, s.SHA256, s.LastStatus, s.LastError = url.String, sha.String, status.String, errMsg.String
		s.FetchedAt, s.NewestReport, s.LastRunAt, s.LastSuccessAt = fetched.Time, newest.Time, runAt.Time, successAt.Time
		states[s.Source] = s
	}
	return states, rows.Err()
}

// Loads returns how many payloads the warehouse has loaded. Each load records its payload in its own
// transaction, so the count moves exactly when a load commits: a snapshot written at a smaller count
// lags the warehouse (a run stopped between a load and moving LATEST).
func (w *Warehouse) Loads(ctx context.Context) (int64, error) {
	var n int64
	err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM payloads`).Scan(&n)
	return n, err
}

// Validators returns the ETag and Last-Modified of the last payload loaded from url for source.
func (w *Warehouse) Validators(ctx context.Context, source, url string) (etag, lastModified string, err error) {
	var e, lm sql.NullString
	err = w.db.QueryRowContext(ctx, `SELECT etag, last_modified FROM http_validators WHERE source = ? AND url = ?`, source, url).Scan(&e, &lm)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return e.String, lm.String, err
}

// SaveValidators keeps what the server said about the payload just loaded from url, for the next
// conditional request. Callers save them only once the payload is loaded, so that a payload that failed
// to load is fetched again rather than answered "not modified".
func (w *Warehouse) SaveValidators(ctx context.Context, source, url, etag, lastModified string, now time.Time) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM http_validators WHERE source = ? AND url = ?`, source, url); err != nil {
		return err
	}
	if etag != "" || lastModified != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO http_validators VALUES (?, ?, ?, ?, ?)`,
			source, url, nullable(etag), nullable(lastModified), now.UTC()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Latest is the latest value of one series.
type Latest struct {
	SeriesID   string
	Title      string
	Value      int64
	ReportDate time.Time
	Basis      string
	Publisher  string
}

// Headlines returns the latest value of every headline series, by source and series.
func (w *Warehouse) Headlines(ctx context.Context) ([]Latest, error) {
	// The headline series are named in the query as constants, so that DuckDB reads only their sources'
	// rows: a filter on a constant source prunes a stored source's files (millions of events, none of
	// them a headline) from the scan, where a join with the series table read them all.
	var ids, sources []string
	rows, err := w.db.QueryContext(ctx, `SELECT series_id, source FROM series WHERE headline`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, src string
		if err := rows.Scan(&id, &src); err != nil {
			rows.Close()
			return nil, err
		}
		ids, sources = append(ids, duck.String(id)), append(sources, duck.String(src))
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil || len(ids) == 0 {
		return nil, err
	}
	rows, err = w.db.QueryContext(ctx, `
SELECT s.series_id, s.title, o.value, o.report_date, o.basis, o.publisher
FROM series s JOIN (
  SELECT series_id, arg_max(value, report_date) AS value, max(report_date) AS report_date,
         arg_max(basis, report_date) AS basis, arg_max(publisher, report_date) AS publisher
  FROM current_observations WHERE source IN (`+strings.Join(slices.Compact(slices.Sorted(slices.Values(sources))), ", ")+`)
    AND series_id IN (`+strings.Join(ids, ", ")+`)
  GROUP BY series_id) o USING (series_id)
WHERE s.headline ORDER BY s.source, s.series_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Latest
	for rows.Next() {
		var l Latest
		if err := rows.Scan(&l.SeriesID, &l.Title, &l.Value, &l.ReportDate, &l.Basis, &l.Publisher); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
