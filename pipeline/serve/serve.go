// Package serve is toll's read-only HTTP API over the snapshots of a data directory, for dashboards and
// shared analysis. It reads snapshots only, never the warehouse, so it runs beside toll run and toll
// schedule. Snapshot files are served as they are (with Range, for browser-side Parquet readers), with
// ETags from the manifest's sha256; a snapshot id's files never change and are cached for good, while
// "latest" is cached briefly.
package serve

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"toll/pipeline/check"
	"toll/pipeline/obs"
	"toll/pipeline/snapshot"
	"toll/pipeline/source"
)

// MaxCheckBody caps the body of POST /api/check.
const MaxCheckBody = 4 << 20

// Server answers the API for one data directory.
type Server struct {
	DataDir     string
	CORSOrigins []string // origins allowed to read from a browser; none by default
	Logger      *slog.Logger

	mu      sync.Mutex
	current string // the snapshot the db and checker read
	release func() // lets go of current (snapshot.Hold)
	db      *sql.DB
	checker *check.Checker
}

// Handler returns the API's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /snapshots", s.snapshots)
	mux.HandleFunc("GET /snapshots/{id}/{file...}", s.file)
	mux.HandleFunc("GET /api/latest", s.latest)
	mux.HandleFunc("GET /api/series", s.catalog)
	mux.HandleFunc("GET /api/series/{id...}", s.series)
	mux.HandleFunc("POST /api/check", s.check)
	mux.HandleFunc("GET /api/sources", s.sources)
	mux.Handle("GET /{$}", dashboard("index.html"))
	mux.Handle("GET /dashboard/", http.StripPrefix("/dashboard/", http.FileServerFS(dashboardFiles)))
	return s.cors(mux)
}

// dashboardFiles is the dashboard at /: plain HTML, CSS and JavaScript, compiled into the binary, with
// no library and nothing loaded from elsewhere.
//
//go:embed dashboard
var embedded embed.FS

var dashboardFiles, _ = fs.Sub(embedded, "dashboard")

// dashboard serves one embedded page, allowing scripts, styles and requests from this server only.
func dashboard(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeFileFS(w, r, dashboardFiles, name)
	})
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// Close releases the snapshot the server holds open.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db != nil {
		s.release()
		return s.db.Close()
	}
	return nil
}

type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, apiError{Error: fmt.Sprintf(format, args...)})
}

func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" && (slices.Contains(s.CORSOrigins, origin) || slices.Contains(s.CORSOrigins, "*")) {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Expose-Headers", "Content-Range, Content-Length, ETag")
			w.Header().Add("Vary", "Origin")
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
				w.Header().Set("Access-Control-Allow-Headers", "Range, Content-Type")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// open returns a database over the latest snapshot, reopened when LATEST moves.
func (s *Server) open(ctx context.Context) (*sql.DB, string, error) {
	id, err := snapshot.Latest(s.DataDir)
	if err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != s.current || s.db == nil {
		release, err := snapshot.Hold(s.DataDir, id) // so that toll snapshots prune leaves it
		if err != nil {
			return nil, "", err
		}
		db, err := snapshot.Open(ctx, s.DataDir, id)
		if err != nil {
			release()
			return nil, "", err
		}
		if s.db != nil {
			s.db.Close()
			s.release()
		}
		s.db, s.current, s.checker, s.release = db, id, nil, release
	}
	return s.db, s.current, nil
}

func (s *Server) snapshots(w http.ResponseWriter, _ *http.Request) {
	ms, err := snapshot.List(s.DataDir)
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	latest, _ := snapshot.Latest(s.DataDir)
	writeJSON(w, http.StatusOK, map[string]any{"latest": latest, "snapshots": ms})
}

// file serves one file a snapshot's manifest lists; anything else is 404, so no path leaves the folder.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	id, name := r.PathValue("id"), r.PathValue("file")
	cache := "public, max-age=31536000, immutable"
	if id == "latest" {
		latest, err := snapshot.Latest(s.DataDir)
		if err != nil {
			fail(w, http.StatusNotFound, "%v", err)
			return
		}
		id, cache = latest, "public, max-age=60"
	}
	if strings.ContainsAny(id, `/\`) || strings.HasPrefix(id, ".") {
		fail(w, http.StatusBadRequest, "bad snapshot id %q", id)
		return
	}
	m, err := snapshot.ReadManifest(s.DataDir, id)
	if err != nil {
		fail(w, http.StatusNotFound, "no snapshot %q", id)
		return
	}
	var sha string
	for _, f := range m.Files {
		if f.Path == name {
			sha = f.SHA256
		}
	}
	if name == snapshot.ManifestFile {
		sha = "manifest-" + m.ID
	}
	if sha == "" {
		fail(w, http.StatusNotFound, "snapshot %s has no file %q", id, name)
		return
	}
	f, err := os.Open(filepath.Join(snapshot.Path(s.DataDir, id), filepath.FromSlash(name))) // a name the manifest lists
	if err != nil {
		fail(w, http.StatusNotFound, "%v", err)
		return
	}
	defer f.Close()
	w.Header().Set("ETag", `"`+sha+`"`)
	w.Header().Set("Cache-Control", cache)
	if strings.HasSuffix(name, ".parquet") {
		w.Header().Set("Content-Type", "application/vnd.apache.parquet")
	}
	http.ServeContent(w, r, name, m.CreatedAt, f) // Range, If-None-Match, If-Range
}

// MaxJSONRows caps the rows of one JSON answer: an event dataset's series holds millions. A capped
// answer says "truncated"; narrow it with from and to, or ask for Arrow, which streams. A variable
// so that tests can lower it.
var MaxJSONRows = 100_000

// rowsJSON runs a query and writes its rows as a JSON array of objects, dates as YYYY-MM-DD.
func (s *Server) rowsJSON(w http.ResponseWriter, r *http.Request, query string, args ...any) {
	db, id, err := s.open(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	rows, err := db.QueryContext(r.Context(), query, args...)
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := []map[string]any{}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	truncated := false
	for rows.Next() {
		if len(out) == MaxJSONRows {
			truncated = true
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			fail(w, http.StatusInternalServerError, "%v", err)
			return
		}
		row := map[string]any{}
		for i, c := range cols {
			if t, ok := vals[i].(time.Time); ok {
				row[c] = t.UTC().Format(obs.DateLayout)
				if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 {
					row[c] = t.UTC().Format(time.RFC3339)
				}
			} else {
				row[c] = vals[i]
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	answer := map[string]any{"snapshot": id, "rows": out}
	if truncated {
		answer["truncated"] = fmt.Sprintf("the first %d rows only: narrow the dates with from and to, or ask for %s", MaxJSONRows, arrowStream)
	}
	writeJSON(w, http.StatusOK, answer)
}

// latest answers the latest value of every series, with its report date, publisher and basis (an
// extrapolated value is marked so, and the latest reported value is given beside it).
func (s *Server) latest(w http.ResponseWriter, r *http.Request) {
	s.rowsJSON(w, r, `SELECT series_id, title, country_iso3, admin1_name, metric, subgroup, measure, headline,
  latest_value, latest_report_date, latest_basis, latest_publisher, latest_reported_value, latest_reported_date
  FROM series WHERE latest_value IS NOT NULL ORDER BY source, series_id`)
}

// catalog lists series, filtered by country, metric and subgroup.
func (s *Server) catalog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.rowsJSON(w, r, `SELECT * FROM series
  WHERE (? = '' OR country_iso3 = ?) AND (? = '' OR metric = ?) AND (? = '' OR subgroup = ?) ORDER BY series_id`,
		q.Get("country"), q.Get("country"), q.Get("metric"), q.Get("metric"), q.Get("subgroup"), q.Get("subgroup"))
}

// seriesQuery selects one series' current values between two report dates (empty: open), oldest first.
const seriesQuery = `SELECT report_date, period_start, period_end, record_id, value, value_low, value_high, basis,
  publisher, raw_sha256, fetched_at FROM observations
  WHERE series_id = ? AND (? = '' OR report_date >= TRY_CAST(? AS DATE)) AND (? = '' OR report_date <= TRY_CAST(? AS DATE))
  ORDER BY report_date, period_start, record_id`

// series answers one series' current values, oldest first, as JSON or, when the client asks for
// application/vnd.apache.arrow.stream, as an Arrow IPC stream. ?from= and ?to= bound the report dates.
func (s *Server) series(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	for _, d := range []string{from, to} {
		if _, err := obs.ParseDate(d); d != "" && err != nil {
			fail(w, http.StatusBadRequest, "from and to: want YYYY-MM-DD, got %q", d)
			return
		}
	}
	args := []any{r.PathValue("id"), from, from, to, to}
	if strings.Contains(r.Header.Get("Accept"), arrowStream) {
		s.arrow(w, r, seriesQuery, args...)
		return
	}
	s.rowsJSON(w, r, seriesQuery, args...)
}

// arrowStream is the media type of an Arrow IPC stream.
const arrowStream = "application/vnd.apache.arrow.stream"

// sources answers each source's state in the latest snapshot: its last run's status and error, when
// its payload was fetched, its newest report, and whether that is stale for the source's cadence.
func (s *Server) sources(w http.ResponseWriter, r *http.Request) {
	db, id, err := s.open(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	m, err := snapshot.ReadManifest(s.DataDir, id) // the snapshot the db reads, even if LATEST moved since
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	// The newest report of each source and its usual cadence, from the snapshot's series.
	newest := map[string]time.Time{}
	cadence := map[string]int{}
	rows, err := db.QueryContext(r.Context(), `SELECT source, max(last_report_date), max(cadence_days) FROM series GROUP BY source`)
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var last sql.NullTime
		var days sql.NullInt64
		if err := rows.Scan(&name, &last, &days); err != nil {
			fail(w, http.StatusInternalServerError, "%v", err)
			return
		}
		newest[name], cadence[name] = last.Time, int(days.Int64)
	}
	type sourceState struct {
		Name         string `json:"name"`
		Status       string `json:"status"`
		FetchedAt    string `json:"fetched_at,omitempty"`
		NewestReport string `json:"newest_report,omitempty"`
		CadenceDays  int    `json:"cadence_days"`
		Stale        bool   `json:"stale"`
		Error        string `json:"error,omitempty"`
	}
	out := []sourceState{}
	now := time.Now()
	for _, src := range m.Sources {
		st := sourceState{Name: src.Name, Status: src.Status, Error: src.Error, CadenceDays: cadence[src.Name]}
		if !src.FetchedAt.IsZero() {
			st.FetchedAt = src.FetchedAt.UTC().Format(time.RFC3339)
		}
		if t := newest[src.Name]; !t.IsZero() {
			st.NewestReport = t.Format(obs.DateLayout)
			st.Stale = now.Sub(t) > source.StaleAfter(time.Duration(st.CadenceDays)*24*time.Hour) // as toll status says it
		}
		out = append(out, st)
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, map[string]any{"snapshot": id, "rows": out})
}

type checkRequest struct {
	Text      string `json:"text"`
	Published string `json:"published"`
}

// check runs toll check on posted text.
func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxCheckBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		fail(w, http.StatusRequestEntityTooLarge, "body over %d bytes", MaxCheckBody)
		return
	}
	var req checkRequest
	if err != nil || json.Unmarshal(body, &req) != nil {
		fail(w, http.StatusBadRequest, `want a JSON object {"text": ..., "published": "YYYY-MM-DD"}`)
		return
	}
	published, err := obs.ParseDate(req.Published)
	if err != nil {
		fail(w, http.StatusBadRequest, "published: want YYYY-MM-DD, got %q", req.Published)
		return
	}
	c, err := s.checkerFor(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	claims, err := c.CheckText(req.Text, published)
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	if claims == nil {
		claims = []check.Claim{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"snapshot": c.SnapshotID(), "published": req.Published, "claims": claims})
}

// checkerFor returns a claim checker over the latest snapshot, loaded once per snapshot.
func (s *Server) checkerFor(ctx context.Context) (*check.Checker, error) {
	if _, _, err := s.open(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.checker == nil || s.checker.SnapshotID() != s.current {
		c, err := check.Open(ctx, s.DataDir)
		if err != nil {
			return nil, err
		}
		s.checker = c
	}
	return s.checker, nil
}
