package serve_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"toll/pipeline/load"
	"toll/pipeline/run"
	"toll/pipeline/serve"
	"toll/pipeline/snapshot"
	"toll/pipeline/sources/all"
)

// server serves a data directory holding a snapshot of the bundled Tech for Palestine data.
func server(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	return serverOf(t, "tfp_gaza_daily", "tfp_lebanon_daily")
}

// serverOf serves a snapshot of the named bundled sources.
func serverOf(t *testing.T, sources ...string) (*httptest.Server, string) {
	t.Helper()
	dir := t.TempDir()
	_, err := run.Run(context.Background(), all.Registry(), run.Options{DataDir: dir, Offline: true, BundleDir: "../../data/bundle",
		Sources: sources})
	if err != nil {
		t.Fatal(err)
	}
	// The pages the tests link to are served on loopback, which the server refuses by default.
	s := &serve.Server{DataDir: dir, CORSOrigins: []string{"https://newsroom.example"}, PageClient: http.DefaultClient}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close() })
	return srv, dir
}

func get(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func request(t *testing.T, method, url string, body io.Reader, header ...string) *http.Request {
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

func TestFiles(t *testing.T) {
	srv, dir := server(t)
	id, _ := snapshot.Latest(dir)
	raw, _ := os.ReadFile(filepath.Join(snapshot.Path(dir, id), snapshot.SourceDir("tfp_gaza_daily"), "data.parquet"))
	sum := sha256.Sum256(raw)

	resp, body := get(t, request(t, "GET", srv.URL+"/snapshots/latest/observations/tfp_gaza_daily/data.parquet", nil))
	if resp.StatusCode != 200 || len(body) != len(raw) || resp.Header.Get("ETag") != `"`+hex.EncodeToString(sum[:])+`"` ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "max-age=60") {
		t.Fatalf("latest file: %d, %d bytes, ETag %s, Cache-Control %s", resp.StatusCode, len(body), resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
	}
	// A browser-side Parquet reader asks for the footer only.
	resp, body = get(t, request(t, "GET", srv.URL+"/snapshots/"+id+"/observations/tfp_gaza_daily/data.parquet", nil, "Range", "bytes=-8"))
	if resp.StatusCode != http.StatusPartialContent || string(body) != string(raw[len(raw)-8:]) || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("range: %d %q", resp.StatusCode, body)
	}
	resp, _ = get(t, request(t, "GET", srv.URL+"/snapshots/"+id+"/observations/tfp_gaza_daily/data.parquet", nil, "If-None-Match", resp.Header.Get("ETag")))
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", resp.StatusCode)
	}
	for _, path := range []string{"/snapshots/" + id + "/..%2f..%2ftoll.duckdb", "/snapshots/..%2f..%2fetc/passwd",
		"/snapshots/" + id + "/nope.parquet", "/snapshots/%2e%2e/manifest.json"} {
		if resp, body := get(t, request(t, "GET", srv.URL+path, nil)); resp.StatusCode != 400 && resp.StatusCode != 404 {
			t.Errorf("%s: %d %s; want 400 or 404", path, resp.StatusCode, body)
		}
	}
}

func TestAPI(t *testing.T) {
	srv, _ := server(t)
	var out struct {
		Rows []map[string]any `json:"rows"`
	}
	resp, body := get(t, request(t, "GET", srv.URL+"/api/series/tfp_gaza_daily/PS02/killed/all/cumulative", nil))
	if err := json.Unmarshal(body, &out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("series: %d %v", resp.StatusCode, err)
	}
	found := false
	for _, r := range out.Rows {
		found = found || (r["report_date"] == "2024-05-09" && r["value"] == float64(34904))
	}
	if !found {
		t.Error("series values lack 34,904 on 2024-05-09")
	}
	_, body = get(t, request(t, "GET", srv.URL+"/api/series?country=LBN&metric=killed", nil))
	if err := json.Unmarshal(body, &out); err != nil || len(out.Rows) != 3 {
		t.Errorf("catalog for LBN killed: %d rows, %v", len(out.Rows), err)
	}
	_, body = get(t, request(t, "GET", srv.URL+"/api/latest", nil))
	if !strings.Contains(string(body), `"latest_basis":"extrapolated"`) || !strings.Contains(string(body), `"latest_reported_date"`) {
		t.Errorf("latest: %.300s", body)
	}

	resp, body = get(t, request(t, "POST", srv.URL+"/api/check",
		strings.NewReader(`{"text": "Over 34,900 Palestinians have been killed in Gaza.", "published": "2024-05-11"}`), "Content-Type", "application/json"))
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"verdict":"consistent"`) {
		t.Errorf("check: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, request(t, "POST", srv.URL+"/api/check", strings.NewReader(`{"text": "x"}`)))
	if resp.StatusCode != 400 || !strings.Contains(string(body), `"error":"published: want YYYY-MM-DD`) {
		t.Errorf("a text without its date: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, request(t, "POST", srv.URL+"/api/check", strings.NewReader(`{"text": "x", "published": "May 11"}`)))
	if resp.StatusCode != 400 || !strings.Contains(string(body), `"error":"published: want YYYY-MM-DD`) {
		t.Errorf("bad date: %d %s", resp.StatusCode, body)
	}
	resp, _ = get(t, request(t, "POST", srv.URL+"/api/check", strings.NewReader(strings.Repeat("x", serve.MaxCheckBody+1))))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", resp.StatusCode)
	}
}

func TestCORSClosedByDefault(t *testing.T) {
	srv, _ := server(t)
	resp, _ := get(t, request(t, "GET", srv.URL+"/api/latest", nil, "Origin", "https://elsewhere.example"))
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("an origin not configured was allowed")
	}
	resp, _ = get(t, request(t, "GET", srv.URL+"/api/latest", nil, "Origin", "https://newsroom.example"))
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://newsroom.example" {
		t.Error("the configured origin was not allowed")
	}
}

// Retention never removes the snapshot a running server answers from; once the server has moved to a
// newer LATEST, the old one can go.
func TestPruneSparesTheServedSnapshot(t *testing.T) {
	srv, dir := server(t)
	if resp, _ := get(t, request(t, "GET", srv.URL+"/api/latest", nil)); resp.StatusCode != 200 {
		t.Fatal(resp.Status)
	}
	served, _ := snapshot.Latest(dir)
	if _, err := run.Run(context.Background(), all.Registry(), run.Options{DataDir: dir, Offline: true,
		BundleDir: "../../data/bundle", Sources: []string{"tfp_west_bank_daily"}}); err != nil {
		t.Fatal(err)
	}
	if latest, _ := snapshot.Latest(dir); latest == served {
		t.Fatal("the second run wrote no snapshot")
	}
	if removed, err := snapshot.Prune(dir, snapshot.PruneKeep{}); err != nil || len(removed) != 0 {
		t.Fatalf("prune while served: removed %v, %v; want nothing", removed, err)
	}
	// The server opens the new LATEST beside the old one, and answers from it once it is ready.
	latest, _ := snapshot.Latest(dir)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, body := get(t, request(t, "GET", srv.URL+"/api/latest?headline=true", nil))
		if resp.StatusCode != 200 {
			t.Fatal(resp.Status)
		}
		var answer struct{ Snapshot string }
		json.Unmarshal(body, &answer)
		if answer.Snapshot == latest {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still answering from %s, 30 s after LATEST named %s", answer.Snapshot, latest)
		}
	}
	if removed, err := snapshot.Prune(dir, snapshot.PruneKeep{}); err != nil || len(removed) != 1 || removed[0] != served {
		t.Errorf("prune after the server moved on: removed %v, %v; want %s", removed, err, served)
	}
}

// While snapshots are written and pruned, every request in flight is answered: each keeps the snapshot
// it started with, new requests get the new one, and nothing in use is closed or removed.
func TestServeWhileSnapshotsChange(t *testing.T) {
	srv, dir := server(t)
	written := churnSnapshots(t, dir)

	requests := []func() *http.Request{
		func() *http.Request { return request(t, "GET", srv.URL+"/api/latest", nil) },
		func() *http.Request { return request(t, "GET", srv.URL+"/api/sources", nil) },
		func() *http.Request {
			return request(t, "GET", srv.URL+"/api/series/tfp_gaza_daily/PS02/killed/all/cumulative?from=2024-01-01", nil)
		},
		func() *http.Request {
			return request(t, "POST", srv.URL+"/api/check", strings.NewReader(`{"text": "At least 34,904 Palestinians have been killed in Gaza since October 7, the health ministry said.", "published": "2024-05-08"}`))
		},
	}
	var mu sync.Mutex
	failures, seen := map[string]int{}, map[string]bool{}
	var wg sync.WaitGroup
	// Each worker asks 15 times, and on until answers have come from three snapshots (or a minute).
	deadline := time.Now().Add(time.Minute)
	enough := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seen) >= 3 || time.Now().After(deadline)
	}
	for worker := range 40 {
		wg.Go(func() {
			for i := 0; i < 15 || !enough(); i++ {
				resp, err := http.DefaultClient.Do(requests[(worker+i)%len(requests)]())
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var answer struct{ Snapshot string }
				json.Unmarshal(body, &answer)
				mu.Lock()
				if resp.StatusCode != http.StatusOK {
					failures[fmt.Sprintf("%d %s", resp.StatusCode, body)]++
				}
				seen[answer.Snapshot] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if n := written(); n < 2 {
		t.Errorf("only %d snapshots written during the requests; the test did not change them", n)
	}
	if len(seen) < 3 {
		t.Errorf("answers came from %d snapshots in a minute (%v), want 3: the server did not move to new ones", len(seen), seen)
	}
	for f, n := range failures {
		t.Errorf("%d requests failed: %s", n, f)
	}
}

// churnSnapshots writes snapshots of the data directory's warehouse, and prunes all but the latest, one
// after the other, as runs and retention would, until the test ends. written says how many so far.
func churnSnapshots(tb testing.TB, dir string) (written func() int64) {
	tb.Helper()
	ctx := context.Background()
	w, err := load.Open(ctx, dir, load.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	var n atomic.Int64
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, err := snapshot.Write(ctx, w.DB(), dir, snapshot.Manifest{RunID: "churn", TollVersion: "test"}, time.Now(), nil); err != nil {
				tb.Error(err)
				return
			}
			if _, err := snapshot.Prune(dir, snapshot.PruneKeep{}); err != nil {
				tb.Error(err)
				return
			}
			n.Add(1)
		}
	}()
	tb.Cleanup(func() { close(done); <-stopped; w.Close() })
	return n.Load
}

// Answers are gzip-compressed for a client that accepts it; a snapshot's files are served as they are,
// so that Range requests keep working.
func TestCompressed(t *testing.T) {
	srv, _ := server(t)
	for path, want := range map[string]string{
		"/api/latest": "gzip", "/api/series/tfp_gaza_daily/PS02/killed/all/cumulative": "gzip", "/dashboard/dashboard.js": "gzip",
		"/snapshots/latest/observations/tfp_gaza_daily/data.parquet": "",
	} {
		resp, body := get(t, request(t, "GET", srv.URL+path, nil, "Accept-Encoding", "gzip"))
		if got := resp.Header.Get("Content-Encoding"); resp.StatusCode != 200 || got != want {
			t.Errorf("%s: %d, Content-Encoding %q, want %q", path, resp.StatusCode, got, want)
			continue
		}
		if want == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err == nil {
				_, err = io.ReadAll(zr)
			}
			if err != nil {
				t.Errorf("%s: not gzip: %v", path, err)
			}
		}
	}
	if resp, _ := get(t, request(t, "GET", srv.URL+"/favicon.ico", nil)); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("/favicon.ico: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// The catalog comes a page at a time: each page says the total and links the next; the pages together
// are the whole catalog, each series once.
func TestCatalogPages(t *testing.T) {
	srv, _ := server(t)
	type page struct {
		Rows []struct {
			SeriesID string `json:"series_id"`
		}
		Total int
		Next  string
	}
	var all page
	_, body := get(t, request(t, "GET", srv.URL+"/api/series?limit=10000", nil))
	if err := json.Unmarshal(body, &all); err != nil || all.Total < 5 || len(all.Rows) != all.Total || all.Next != "" {
		t.Fatalf("the whole catalog: %d of %d rows, next %q, %v", len(all.Rows), all.Total, all.Next, err)
	}
	seen := map[string]bool{}
	next := "/api/series?limit=2"
	for pages := 0; next != ""; pages++ {
		var p page
		if _, body := get(t, request(t, "GET", srv.URL+next, nil)); json.Unmarshal(body, &p) != nil || p.Total != all.Total || len(p.Rows) > 2 {
			t.Fatalf("%s: %s", next, body)
		}
		for _, r := range p.Rows {
			if seen[r.SeriesID] {
				t.Errorf("%s: %s again", next, r.SeriesID)
			}
			seen[r.SeriesID] = true
		}
		if pages > all.Total {
			t.Fatal("the next links do not end")
		}
		next = p.Next
	}
	if len(seen) != all.Total {
		t.Errorf("the pages hold %d series, the catalog %d", len(seen), all.Total)
	}
	for _, q := range []string{"limit=0", "limit=x", "offset=-1", "limit=10001"} {
		if resp, body := get(t, request(t, "GET", srv.URL+"/api/series?"+q, nil)); resp.StatusCode != 400 {
			t.Errorf("%s: %d %s, want 400", q, resp.StatusCode, body)
		}
	}
}

// A check of a link: the server fetches the page, reads its article and takes its date from the page
// unless the request gives one. A server with the default page client refuses to fetch from its own
// network.
func TestCheckLink(t *testing.T) {
	srv, dir := server(t)
	pages := httptest.NewServer(http.FileServer(http.Dir("../article/testdata")))
	defer pages.Close()
	post := func(srv *httptest.Server, body string) (*http.Response, []byte) {
		return get(t, request(t, "POST", srv.URL+"/api/check", strings.NewReader(body), "Content-Type", "application/json"))
	}
	var answer struct {
		Published     string
		PublishedFrom string `json:"published_from"`
		Article       struct{ Title string }
	}
	resp, body := post(srv, `{"url": "`+pages.URL+`/gitlab-blog.html"}`)
	if err := json.Unmarshal(body, &answer); resp.StatusCode != 200 || err != nil || answer.Published != "2024-06-25" ||
		answer.PublishedFrom != "the page's JSON-LD datePublished" || !strings.Contains(answer.Article.Title, "DevSecOps Survey") {
		t.Errorf("a link: %d %s", resp.StatusCode, body)
	}
	if resp, body := post(srv, `{"url": "`+pages.URL+`/wapo-1-excerpt.html"}`); resp.StatusCode != 400 || !strings.Contains(string(body), "no publication date") {
		t.Errorf("a link to a page without a date: %d %s", resp.StatusCode, body)
	}
	if resp, body := post(srv, `{"url": "`+pages.URL+`/wapo-1-excerpt.html", "published": "2015-03-18"}`); resp.StatusCode != 200 || !strings.Contains(string(body), `"at least 19"`) {
		t.Errorf("a link with its date: %d %s", resp.StatusCode, body)
	}
	if resp, body := post(srv, `{"url": "x", "text": "y", "published": "2024-05-11"}`); resp.StatusCode != 400 {
		t.Errorf("text and a link: %d %s, want 400", resp.StatusCode, body)
	}

	guarded := httptest.NewServer((&serve.Server{DataDir: dir}).Handler())
	defer guarded.Close()
	if resp, body := post(guarded, `{"url": "`+pages.URL+`/gitlab-blog.html"}`); resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(body), "not a public") {
		t.Errorf("a link to the server's own network: %d %s, want it refused", resp.StatusCode, body)
	}
}
