package run_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"toll/pipeline/load"
	"toll/pipeline/run"
	"toll/pipeline/sources/all"
)

// BenchmarkNoChangeNight measures a whole `toll run` against an upstream that has not changed (it
// answers 304 to the conditional requests) and, for comparison, a bare HTTP GET of the same four URLs.
// It reports the ratio: what a nightly run costs beyond downloading.
func BenchmarkNoChangeNight(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		body, err := os.ReadFile(filepath.Join(bundle, payloadFiles[name]))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		etag := fmt.Sprintf(`"%d"`, len(body))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Write(body)
	}))
	defer srv.Close()
	u := &upstream{Server: srv}
	dir := b.TempDir()
	opts := u.options(dir)
	if _, err := run.Run(context.Background(), all.Registry(), opts); err != nil {
		b.Fatal(err)
	}

	var bare time.Duration
	b.ResetTimer()
	for range b.N {
		res, err := run.Run(context.Background(), all.Registry(), opts)
		if err != nil || res.Status != load.StatusUnchanged || res.Snapshot != nil {
			b.Fatalf("status %s, snapshot %v, err %v: want unchanged with no snapshot", res.Status, res.Snapshot, err)
		}
		b.StopTimer()
		start := time.Now()
		for name := range payloadFiles {
			resp, err := http.Get(srv.URL + "/" + name)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		bare += time.Since(start)
		b.StartTimer()
	}
	b.ReportMetric(float64(bare.Microseconds())/float64(b.N)/1000, "bare-fetch-ms/op")
	b.ReportMetric(float64(b.Elapsed())/float64(bare), "ratio-to-bare-fetch")
}
