package fetch_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"toll/pipeline/fetch"
	"toll/pipeline/source"
)

// flaky answers with the given statuses in turn (0 = reset the connection mid-body), then 200.
func flaky(t *testing.T, answers []int, header http.Header) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(answers) {
			w.Write([]byte(`[{"report_date": "2024-05-09", "report_source": "mohtel", "killed_cum": 34904}]`))
			return
		}
		if answers[i] == 0 {
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(200)
			w.Write([]byte(`[{"report_date"`))
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		http.Error(w, "upstream says no", answers[i])
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func quick(t *testing.T) *fetch.HTTP {
	h := newHTTP(t)
	h.BaseDelay, h.MaxDelay, h.MaxRetryAfter = 5*time.Millisecond, 20*time.Millisecond, 50*time.Millisecond
	return h
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		answers  []int
		header   http.Header
		attempts int32
		wantErr  string
	}{
		{"5xx then success", []int{503, 502}, nil, 3, ""},
		{"reset mid-body then success", []int{0}, nil, 2, ""},
		{"429 with Retry-After", []int{429}, http.Header{"Retry-After": {"1"}}, 2, ""},
		{"404 is final", []int{404, 404}, nil, 1, "HTTP 404 Not Found: upstream says no"},
		{"403 is final", []int{403}, nil, 1, "HTTP 403"},
		{"5xx every time", []int{500, 500, 500, 500, 500, 500}, nil, 5, "after 5 attempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := flaky(t, tt.answers, tt.header)
			_, err := get(quick(t), context.Background(), srv.URL)
			if n.Load() != tt.attempts {
				t.Errorf("%d attempts, want %d", n.Load(), tt.attempts)
			}
			if (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// Retry-After: 0 must not burn every retry at once: each retry still waits the backoff.
func TestRetryAfterZeroStillBacksOff(t *testing.T) {
	srv, n := flaky(t, []int{429, 429, 429}, http.Header{"Retry-After": {"0"}})
	h := quick(t)
	h.BaseDelay, h.MaxDelay = 40*time.Millisecond, time.Second
	start := time.Now()
	if _, err := get(h, context.Background(), srv.URL); err != nil {
		t.Fatal(err)
	}
	// Three waits of at least half of 40, 80 and 160 ms (jitter keeps the upper half).
	if elapsed := time.Since(start); n.Load() != 4 || elapsed < 140*time.Millisecond {
		t.Errorf("%d attempts in %s; want 4, waiting at least 140ms in all", n.Load(), elapsed)
	}
}

// The per-source timeout bounds the whole fetch, retries included.
func TestTimeoutCoversRetries(t *testing.T) {
	srv, _ := flaky(t, []int{503, 503, 503, 503, 503, 503, 503, 503}, http.Header{"Retry-After": {"30"}})
	h := quick(t)
	h.MaxRetryAfter, h.Timeout, h.Retries = time.Minute, 300*time.Millisecond, 10
	done := make(chan error, 1)
	go func() { _, err := get(h, context.Background(), srv.URL); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "gave up") {
			t.Errorf("err = %v, want it to give up", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the fetch outlived its timeout")
	}
}

func TestConditionalGet(t *testing.T) {
	var sawIfNoneMatch atomic.Value
	sawIfNoneMatch.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawIfNoneMatch.Store(r.Header.Get("If-None-Match"))
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	h := newHTTP(t)
	first, err := h.Fetch(context.Background(), fetch.Request{Spec: spec(), URL: srv.URL})
	if err != nil || first.NotModified || first.Validators.ETag != `"v1"` || len(first.Payloads) != 1 {
		t.Fatalf("first: %+v, %v", first, err)
	}
	second, err := h.Fetch(context.Background(), fetch.Request{Spec: spec(), URL: srv.URL, Validators: first.Validators})
	if err != nil || !second.NotModified || len(second.Payloads) != 0 || sawIfNoneMatch.Load() != `"v1"` || second.HTTPStatus != 304 {
		t.Errorf("second: %+v, %v (If-None-Match %q)", second, err, sawIfNoneMatch.Load())
	}
}

// Offset paging stops on a short page, and on an empty one when the rows divide evenly into pages.
func TestOffsetPagingStops(t *testing.T) {
	for _, tt := range []struct {
		name  string
		rows  int
		pages int32
	}{{"short last page", 5, 3}, {"empty last page", 4, 3}, {"no rows", 0, 1}} {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
				offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
				fmt.Fprintln(w, "location_code,fatalities")
				for i := offset; i < min(offset+limit, tt.rows); i++ {
					fmt.Fprintf(w, "PSE,%d\n", i)
				}
			}))
			defer srv.Close()
			s := spec()
			s.Format, s.Paging = "csv", &source.Paging{Style: source.PagingOffset, Limit: 2}
			res, err := newHTTP(t).Fetch(context.Background(), fetch.Request{Spec: s, URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := os.ReadFile(res.Payloads[0].Path)
			if requests.Load() != tt.pages || strings.Count(string(body), "\n") != tt.rows+1 || strings.Count(string(body), "location_code") != 1 {
				t.Errorf("%d requests, payload:\n%s", requests.Load(), body)
			}
		})
	}
}

// Failures no retry mends are not retried: a redirect loop, a scheme other than http(s), a 304 to a
// request that sent no validator. The attempts are counted as made.
func TestFinalFailuresAreNotRetried(t *testing.T) {
	var loops atomic.Int32
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loops.Add(1)
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	}))
	defer loop.Close()
	var notModified atomic.Int32
	unasked304 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
	}))
	defer unasked304.Close()
	for _, tc := range []struct {
		name, url, want string
		requests        *atomic.Int32
		wantRequests    int32
	}{
		{"a redirect loop", loop.URL + "/a", "more than 10 redirects", &loops, fetch.MaxRedirects},
		{"a file URL", "file:///etc/passwd", "unsupported protocol scheme", nil, 0},
		{"a 304 not asked for", unasked304.URL, "sent no ETag or Last-Modified", &notModified, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := quick(t).Fetch(context.Background(), fetch.Request{Spec: spec(), URL: tc.url})
			if err == nil || !strings.Contains(err.Error(), tc.want) || fetch.Transient(err) {
				t.Errorf("error %v; want a final one saying %q", err, tc.want)
			}
			if res.Attempts != 1 {
				t.Errorf("%d attempts counted, want 1", res.Attempts)
			}
			if tc.requests != nil && tc.requests.Load() != tc.wantRequests {
				t.Errorf("%d requests, want %d", tc.requests.Load(), tc.wantRequests)
			}
		})
	}
}

// An API key sent as a header goes to the source's host only, never to a host a redirect names.
func TestKeyHeaderStaysOnItsHost(t *testing.T) {
	var elsewhere atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Store(r.Header.Get("X-Api-Key"))
		w.Write([]byte(`[{"report_date": "2024-05-09", "report_source": "mohtel", "killed_cum": 34904}]`))
	}))
	defer other.Close()
	var atSource atomic.Value
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atSource.Store(r.Header.Get("X-Api-Key"))
		http.Redirect(w, r, other.URL+"/moved", http.StatusFound)
	}))
	defer src.Close()
	s := spec()
	s.Key = &source.Key{Env: "TOLL_TEST_KEY", Header: "X-Api-Key"}
	t.Setenv("TOLL_TEST_KEY", "secret")
	fetch.Getenv = os.Getenv
	if _, err := quick(t).Fetch(context.Background(), fetch.Request{Spec: s, URL: src.URL}); err != nil {
		t.Fatal(err)
	}
	if atSource.Load() != "secret" {
		t.Errorf("the source's host got key %q", atSource.Load())
	}
	if got := elsewhere.Load(); got != "" {
		t.Errorf("the host a redirect named got the key %q", got)
	}
}
