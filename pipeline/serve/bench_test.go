package serve_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"toll/pipeline/run"
	"toll/pipeline/serve"
	"toll/pipeline/sources/all"
)

// BenchmarkServeStorm: the dashboard's calls, 2,000 requests 200 at a time, against the snapshot of
// every bundled source, while snapshots are written and pruned beside it. It reports the median and
// 99th-percentile latency, and fails on any answer that is not 200.
func BenchmarkServeStorm(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	if _, err := run.Run(ctx, all.Registry(), run.Options{DataDir: dir, Offline: true, BundleDir: "../../data/bundle"}); err != nil {
		b.Fatal(err)
	}
	s := &serve.Server{DataDir: dir}
	srv := httptest.NewServer(s.Handler())
	defer func() { srv.Close(); s.Close() }()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200}}

	written := churnSnapshots(b, dir) // a run writing snapshots, and prune removing them, while the storm lasts

	type call struct{ method, path, body string }
	calls := []call{
		{"GET", "/api/latest?headline=true", ""},
		{"GET", "/api/sources", ""},
		{"GET", "/api/series/tfp_gaza_daily/PS02/killed/all/cumulative?from=2024-01-01", ""},
		{"GET", "/api/series/tfp_lebanon_daily/LBN/killed/all/cumulative/phase", ""},
		{"POST", "/api/check", `{"text": "At least 34,904 Palestinians have been killed in Gaza since October 7, the health ministry said.", "published": "2024-05-08"}`},
	}
	do := func(c call) (time.Duration, bool) {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return time.Since(start), false
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start), resp.StatusCode == http.StatusOK
	}
	for _, c := range calls { // a server that has answered once: its snapshot open, its claim checker loaded
		if _, ok := do(c); !ok {
			b.Fatalf("%s %s failed", c.method, c.path)
		}
	}
	const requests, concurrent = 2000, 200
	var latencies []time.Duration
	var mu sync.Mutex
	failed := 0
	b.ResetTimer()
	writtenBefore := written()
	for range b.N {
		next := make(chan int)
		var wg sync.WaitGroup
		for range concurrent {
			wg.Go(func() {
				for i := range next {
					took, ok := do(calls[i%len(calls)])
					mu.Lock()
					latencies = append(latencies, took)
					if !ok {
						failed++
					}
					mu.Unlock()
				}
			})
		}
		for i := range requests {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	b.StopTimer()
	b.ReportMetric(float64(written()-writtenBefore)/float64(b.N), "snapshots-written")
	slices.Sort(latencies)
	b.ReportMetric(float64(latencies[len(latencies)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Milliseconds()), "p99-ms")
	b.ReportMetric(float64(requests*b.N)/b.Elapsed().Seconds(), "requests/s")
	if failed > 0 {
		b.Errorf("%d of %d requests failed", failed, len(latencies))
	}
}
