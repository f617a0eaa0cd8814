// Package serve is toll's read-only HTTP API over the snapshots of a data directory, for dashboards and
// shared analysis. It reads snapshots only, never the warehouse, so it runs beside toll run and toll
// schedule. Snapshot files are served as they are (with Range, for browser-side Parquet readers), with
// ETags from the manifest's sha256; a snapshot id's files never change and are cached for good, while
// "latest" is cached briefly.
package serve

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"golang.org/x/sync/singleflight"

	"toll/pipeline/article"
	"toll/pipeline/check"
	"toll/pipeline/fetch"
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
	Version     string // toll's, for the User-Agent of the pages it fetches
	// PageClient fetches the articles that checks link to. nil means one that connects to public addresses
	// only, so that a link cannot make the server reach its own network.
	PageClient *http.Client

	mu        sync.Mutex
	current   *view  // the snapshot answered from: the latest, once opened
	preparing string // a newer snapshot being opened in the background
	closed    bool
}

// view is one snapshot open for answering: its database, its claim checker (loaded on first use), and
// the hold that keeps toll snapshots prune from removing it. A request uses one view from start to end;
// when LATEST moves, new requests get a new view, and the old one closes when its last request ends, so
// that nothing in use is ever closed.
type view struct {
	id       string
	manifest snapshot.Manifest
	db       *sql.DB
	release  func() // snapshot.Hold's
	refs     int    // requests using it, and one while it is the server's current view (under Server.mu)

	checkerOnce sync.Once
	checker     *check.Checker
	checkerErr  error

	seriesOnce sync.Once
	seriesIDs  map[string]bool // every series_id of the snapshot, read when first asked (hasSeries)
	seriesErr  error

	// answers keeps small JSON answers by query: a snapshot never changes, so neither do they, and the
	// dashboard asks the same few questions of every visitor.
	answersMu sync.Mutex
	answers   map[string]kept
	making    singleflight.Group // answers being made, by key
}

// kept is an answer a view keeps, with the question, so that the next view can answer it in advance.
type kept struct {
	body  []byte
	more  moreFields
	query string
	args  []any
}

// Bounds of a view's kept answers: most are a few kilobytes; a larger one is made again each time.
const (
	maxKeptAnswer  = 1 << 20
	maxKeptAnswers = 1000
)

func (v *view) answer(key string) []byte {
	v.answersMu.Lock()
	defer v.answersMu.Unlock()
	return v.answers[key].body
}

func (v *view) keep(key string, k kept) {
	v.answersMu.Lock()
	defer v.answersMu.Unlock()
	if len(k.body) <= maxKeptAnswer && len(v.answers) < maxKeptAnswers {
		if v.answers == nil {
			v.answers = map[string]kept{}
		}
		v.answers[key] = k
	}
}

// warm answers, in view next, the questions v was asked, so that next starts with them kept.
func (v *view) warm(ctx context.Context, next *view) {
	v.answersMu.Lock()
	questions := slices.Collect(maps.Values(v.answers))
	v.answersMu.Unlock()
	for _, q := range questions {
		next.rowsJSON(ctx, q.more, q.query, q.args...) // an error is the next request's to report
	}
}

func (v *view) close() {
	v.db.Close()
	v.release()
}

// checkerFor returns the view's claim checker, loaded once.
func (v *view) checkerFor(ctx context.Context) (*check.Checker, error) {
	v.checkerOnce.Do(func() { v.checker, v.checkerErr = check.FromSnapshot(context.WithoutCancel(ctx), v.db, v.manifest) })
	return v.checker, v.checkerErr
}

// hasSeries says whether the snapshot has a series of that id. The ids are read once per snapshot, so
// that telling an unknown series (404) from one without values in a range costs a request no query.
func (v *view) hasSeries(ctx context.Context, id string) (bool, error) {
	v.seriesOnce.Do(func() {
		rows, err := v.db.QueryContext(context.WithoutCancel(ctx), `SELECT series_id FROM series`)
		if err != nil {
			v.seriesErr = err
			return
		}
		defer rows.Close()
		v.seriesIDs = map[string]bool{}
		for rows.Next() {
			var s string
			if v.seriesErr = rows.Scan(&s); v.seriesErr != nil {
				return
			}
			v.seriesIDs[s] = true
		}
		v.seriesErr = rows.Err()
	})
	return v.seriesIDs[id], v.seriesErr
}

// Handler returns the API's routes.
func (s *Server) Handler() http.Handler {
	// Answers and the dashboard's files are compressed for clients that accept it; a snapshot's files are
	// served as they are, for Range requests.
	gz := gzhttp.GzipHandler
	mux := http.NewServeMux()
	mux.HandleFunc("GET /snapshots", s.snapshots)
	mux.HandleFunc("GET /snapshots/{id}/{file...}", s.file)
	mux.Handle("GET /api/latest", gz(http.HandlerFunc(s.latest)))
	mux.Handle("GET /api/series", gz(http.HandlerFunc(s.catalog)))
	mux.Handle("GET /api/series/{id...}", gz(http.HandlerFunc(s.series)))
	mux.Handle("POST /api/check", gz(http.HandlerFunc(s.check)))
	mux.Handle("GET /api/sources", gz(http.HandlerFunc(s.sources)))
	mux.Handle("GET /{$}", gz(dashboard("index.html")))
	mux.Handle("GET /favicon.ico", dashboard("favicon.svg"))
	mux.Handle("GET /dashboard/", gz(http.StripPrefix("/dashboard/", http.FileServerFS(dashboardFiles))))
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

// Close lets go of the snapshot the server holds open; requests still using it finish first.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.current != nil {
		s.unref(s.current)
		s.current = nil
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

// acquire returns a view of the latest snapshot for one request, and the function that ends its use.
// LATEST is read on every request. When it names a new snapshot, the new one is opened, and its claim
// checker loaded, in the background while requests are still answered from the one before (each answer
// names its snapshot); then the new one becomes current. Only the first request waits for an open.
func (s *Server) acquire(ctx context.Context) (*view, func(), error) {
	id, err := snapshot.Latest(s.DataDir)
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		// Nothing to answer from meanwhile. LATEST can move, and prune remove what it named, between
		// reading it and holding it: then read it again.
		for range 3 {
			if s.current, err = openView(ctx, s.DataDir, id); err == nil {
				break
			}
			if id, err = snapshot.Latest(s.DataDir); err != nil {
				return nil, nil, err
			}
		}
		if err != nil {
			return nil, nil, err
		}
	} else if s.current.id != id && s.preparing != id {
		s.preparing = id
		go s.prepare(id)
	}
	v := s.current
	v.refs++
	return v, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.unref(v)
	}, nil
}

// prepare opens snapshot id, loads its claim checker and answers in it the questions the current
// snapshot was asked, then makes it current if LATEST still names it and the server is open.
func (s *Server) prepare(id string) {
	ctx := context.Background()
	v, err := openView(ctx, s.DataDir, id)
	if err == nil {
		v.checkerFor(ctx) // an error is the check requests' to report
		s.mu.Lock()
		old := s.current
		if old != nil { // nil once the server is closed
			old.refs++
		}
		s.mu.Unlock()
		if old != nil {
			old.warm(ctx, v)
			s.mu.Lock()
			s.unref(old)
			s.mu.Unlock()
		}
	}
	latest, _ := snapshot.Latest(s.DataDir)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.preparing == id {
		s.preparing = ""
	}
	switch {
	case err != nil:
		s.logger().Warn("could not open the latest snapshot; answering from the one before", "snapshot", id, "err", err)
	case s.closed || latest != id: // closed, or a newer one is on its way
		s.unref(v)
	default:
		s.unref(s.current)
		s.current = v
	}
}

// unref ends one use of v, closing it after the last. Call it with s.mu held.
func (s *Server) unref(v *view) {
	v.refs--
	if v.refs == 0 {
		v.close()
	}
}

func openView(ctx context.Context, dataDir, id string) (*view, error) {
	release, err := snapshot.Hold(dataDir, id) // so that toll snapshots prune leaves it
	if err != nil {
		return nil, err
	}
	m, err := snapshot.ReadManifest(dataDir, id)
	if err != nil {
		release()
		return nil, err
	}
	db, err := snapshot.Open(context.WithoutCancel(ctx), dataDir, id)
	if err != nil {
		release()
		return nil, err
	}
	return &view{id: id, manifest: m, db: db, release: release, refs: 1}, nil
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
	w.Header().Set("Content-Type", snapshot.MediaType(name))
	http.ServeContent(w, r, name, m.CreatedAt, f) // Range, If-None-Match, If-Range
}

// MaxJSONRows caps the rows of one JSON answer: an event dataset's series holds millions. A capped
// answer says "truncated"; narrow it with from and to, or ask for Arrow, which streams. A variable
// so that tests can lower it.
var MaxJSONRows = 100_000

// moreFields gives fields an answer holds beside its rows (a page's total and next link). It must depend
// only on the query's arguments, as the rows do: the answer is kept for every request with those.
type moreFields func(ctx context.Context, db *sql.DB) (map[string]any, error)

// pageJSON answers a query's rows from the latest snapshot as JSON, with more fields (or none) beside
// the rows.
func (s *Server) pageJSON(w http.ResponseWriter, r *http.Request, more moreFields, query string, args ...any) {
	v, done, err := s.acquire(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	defer done()
	v.answerJSON(w, r, more, query, args...)
}

// answerJSON answers a query's rows from the snapshot v, as JSON.
func (v *view) answerJSON(w http.ResponseWriter, r *http.Request, more moreFields, query string, args ...any) {
	body, err := v.rowsJSON(r.Context(), more, query, args...)
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// rowsJSON returns the JSON answer to a query of the view's snapshot: kept from an earlier request, or
// made once for all the requests that ask for it at the same time, with more's fields beside the rows.
func (v *view) rowsJSON(ctx context.Context, more moreFields, query string, args ...any) ([]byte, error) {
	key := fmt.Sprintf("%s %q", query, args)
	if body := v.answer(key); body != nil {
		return body, nil
	}
	body, err, _ := v.making.Do(key, func() (any, error) {
		// Made for every request waiting on it, so not stopped when the first one goes away.
		body, err := v.queryJSON(context.WithoutCancel(ctx), more, query, args...)
		if err == nil {
			v.keep(key, kept{body, more, query, args})
		}
		return body, err
	})
	if err != nil {
		return nil, err
	}
	return body.([]byte), nil
}

func (v *view) queryJSON(ctx context.Context, more moreFields, query string, args ...any) ([]byte, error) {
	rows, err := v.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
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
			return nil, err
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
		return nil, err
	}
	answer := map[string]any{"snapshot": v.id, "rows": out}
	if more != nil {
		fields, err := more(ctx, v.db)
		if err != nil {
			return nil, err
		}
		maps.Copy(answer, fields)
	}
	if truncated {
		answer["truncated"] = fmt.Sprintf("the first %d rows only: narrow the dates with from and to, or ask for %s", MaxJSONRows, arrowStream)
	}
	body, err := json.Marshal(answer)
	return append(body, '\n'), err
}

// latest answers the latest value of each headline series, with its report date, publisher and basis
// (an extrapolated value is marked so, and the latest reported value is given beside it), and the
// series' cadence, which tells a chart what gap between reports is a gap. Every series' latest value is
// in the catalog, a page at a time.
func (s *Server) latest(w http.ResponseWriter, r *http.Request) {
	s.pageJSON(w, r, nil, `SELECT series_id, title, country_iso3, admin1_name, metric, subgroup, measure, headline,
  latest_value, latest_report_date, latest_basis, latest_publisher, latest_reported_value, latest_reported_date,
  cadence_days
  FROM series WHERE latest_value IS NOT NULL AND headline ORDER BY source, series_id`)
}

// catalogPage is how many series a page of the catalog holds unless ?limit= says fewer (or more, up to
// maxCatalogPage).
const (
	catalogPage    = 1000
	maxCatalogPage = 10000
)

// catalog lists series, filtered by country, metric and subgroup, a page at a time (?limit=, ?offset=):
// the answer gives the total and, when there is more, the next page's URL.
func (s *Server) catalog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := intParam(q.Get("limit"), catalogPage, 1, maxCatalogPage)
	if err != nil {
		fail(w, http.StatusBadRequest, "limit: %v", err)
		return
	}
	offset, err := intParam(q.Get("offset"), 0, 0, math.MaxInt32)
	if err != nil {
		fail(w, http.StatusBadRequest, "offset: %v", err)
		return
	}
	const where = `WHERE (? = '' OR country_iso3 = ?) AND (? = '' OR metric = ?) AND (? = '' OR subgroup = ?)`
	filter := []any{q.Get("country"), q.Get("country"), q.Get("metric"), q.Get("metric"), q.Get("subgroup"), q.Get("subgroup")}
	// The total and the next page's link are kept with the page: they depend on its arguments only.
	page := func(ctx context.Context, db *sql.DB) (map[string]any, error) {
		var total int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM series `+where, filter...).Scan(&total); err != nil {
			return nil, err
		}
		more := map[string]any{"total": total}
		if offset+limit < total {
			next := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset + limit)}}
			for _, k := range []string{"country", "metric", "subgroup"} {
				if q.Get(k) != "" {
					next.Set(k, q.Get(k))
				}
			}
			more["next"] = "/api/series?" + next.Encode()
		}
		return more, nil
	}
	s.pageJSON(w, r, page, `SELECT * FROM series `+where+` ORDER BY series_id LIMIT ? OFFSET ?`, append(filter, limit, offset)...)
}

// intParam reads a whole number from a query parameter: def when it is empty, an error outside [lo, hi].
func intParam(v string, def, lo, hi int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("want a whole number from %d to %d, got %q", lo, hi, v)
	}
	return n, nil
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
	v, done, err := s.acquire(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	defer done()
	id := r.PathValue("id")
	if known, err := v.hasSeries(r.Context(), id); err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	} else if !known {
		fail(w, http.StatusNotFound, "no series %q in the latest snapshot (GET /api/series lists them)", id)
		return
	}
	args := []any{id, from, from, to, to}
	switch accept := r.Header.Get("Accept"); {
	case strings.Contains(accept, arrowStream):
		s.arrow(w, r, v, false, seriesQuery, args...)
	case strings.Contains(accept, arrowFile):
		s.arrow(w, r, v, true, seriesQuery, args...)
	case accept == "" || strings.Contains(accept, "json") || strings.Contains(accept, "*/*"):
		v.answerJSON(w, r, nil, seriesQuery, args...)
	default:
		fail(w, http.StatusNotAcceptable, "Accept %q: this answers application/json, %s or %s", accept, arrowStream, arrowFile)
	}
}

// The media types of Arrow IPC: a stream, and a file (a stream with a footer).
const (
	arrowStream = "application/vnd.apache.arrow.stream"
	arrowFile   = "application/vnd.apache.arrow.file"
)

// sources answers each source's state in the latest snapshot: its last run's status and error, when
// its payload was fetched, its newest report, whether that is stale for the source's cadence, and its
// licence or terms, what they do not allow, and how to cite it.
func (s *Server) sources(w http.ResponseWriter, r *http.Request) {
	v, done, err := s.acquire(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	defer done()
	db, m := v.db, v.manifest
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
		License      string `json:"license,omitempty"`
		LicenseURL   string `json:"license_url,omitempty"`
		Citation     string `json:"citation,omitempty"`
		Restrictions string `json:"restrictions,omitempty"`
	}
	out := []sourceState{}
	now := time.Now()
	for _, src := range m.Sources {
		st := sourceState{Name: src.Name, Status: src.Status, Error: src.Error, CadenceDays: cadence[src.Name],
			License: src.License, LicenseURL: src.LicenseURL, Citation: src.Citation, Restrictions: src.Restrictions}
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
	writeJSON(w, http.StatusOK, map[string]any{"snapshot": v.id, "rows": out})
}

// checkRequest is an article to check: its text, or a link to it; and its publication date, which a
// linked page may give instead.
type checkRequest struct {
	Text      string `json:"text"`
	URL       string `json:"url"`
	Published string `json:"published"`
}

// publicClient fetches pages from public addresses only. It uses no proxy: through one, the address it
// connects to would be the proxy's, and the page's could not be checked.
var publicClient = &http.Client{Transport: &http.Transport{
	DialContext:         (&net.Dialer{Timeout: 30 * time.Second, Control: fetch.PublicOnly}).DialContext,
	TLSHandshakeTimeout: 10 * time.Second,
}}

// pages fetches the articles checks link to: within a minute, not retried, a request being open.
func (s *Server) pages() *fetch.HTTP {
	return &fetch.HTTP{Client: cmp.Or(s.PageClient, publicClient), UserAgent: fetch.UserAgent(s.Version), Now: time.Now,
		Timeout: time.Minute, Retries: -1}
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
	if err != nil || json.Unmarshal(body, &req) != nil || (req.Text == "") == (req.URL == "") {
		fail(w, http.StatusBadRequest, `want a JSON object {"text": ..., "published": "YYYY-MM-DD"} or {"url": ..., "published": ...}`)
		return
	}
	var published time.Time
	if req.Published != "" || req.URL == "" { // a page may give its own date; a text cannot
		if published, err = obs.ParseDate(req.Published); err != nil {
			fail(w, http.StatusBadRequest, "published: want YYYY-MM-DD, got %q", req.Published)
			return
		}
	}
	text, from := req.Text, "the date given"
	var page *article.Article
	if req.URL != "" {
		a, err := article.Read(r.Context(), s.pages(), req.URL, check.MaxTextBytes)
		if err != nil {
			fail(w, http.StatusBadGateway, "%v", err)
			return
		}
		page, text = &a, a.Text
		var ok bool
		if published, from, ok = a.Date(published, from); !ok {
			fail(w, http.StatusBadRequest, "published: the page gives no publication date; give it as YYYY-MM-DD")
			return
		}
	}
	v, done, err := s.acquire(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	defer done()
	c, err := v.checkerFor(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	claims, err := c.CheckText(text, published)
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	if claims == nil {
		claims = []check.Claim{}
	}
	answer := map[string]any{"snapshot": c.SnapshotID(), "published": published.Format(obs.DateLayout), "published_from": from,
		"claims": claims, "claim_reviews": check.ClaimReviews(claims, published, req.URL, "toll", time.Now().UTC())}
	if page != nil {
		answer["article"] = page
	}
	writeJSON(w, http.StatusOK, answer)
}
