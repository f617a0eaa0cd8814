package fetch_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"toll/pipeline/fetch"
	"toll/pipeline/source"
	"toll/pipeline/sources/tfpgaza"
)

var realPayload = "../sources/tfpgaza/testdata/casualties_daily.json"

func newHTTP(t *testing.T) *fetch.HTTP {
	return &fetch.HTTP{UserAgent: "toll/test", Archive: fetch.Archive{Dir: t.TempDir()},
		Now: func() time.Time { return time.Date(2026, 11, 25, 5, 30, 0, 0, time.UTC) }}
}

func spec() source.Spec { return tfpgaza.New().Spec() }

func get(h *fetch.HTTP, ctx context.Context, url string) ([]fetch.Payload, error) {
	res, err := h.Fetch(ctx, fetch.Request{Spec: spec(), URL: url})
	return res.Payloads, err
}

func TestFetchArchivesTheRealPayload(t *testing.T) {
	body, err := os.ReadFile(realPayload)
	if err != nil {
		t.Fatal(err)
	}
	var gotUA string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA = r.UserAgent()
		w.Write(body)
	}))
	defer srv.Close()

	h := newHTTP(t)
	ps, err := get(h, context.Background(), srv.URL+"/casualties_daily.json")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	want := hex.EncodeToString(sum[:])
	p := ps[0]
	if len(ps) != 1 || p.SHA256 != want || p.Bytes != int64(len(body)) || p.HTTPStatus != 200 || gotUA != "toll/test" {
		t.Fatalf("payload %+v, user agent %q", p, gotUA)
	}
	if p.Path != filepath.Join(h.Archive.Dir, "raw", tfpgaza.Name, want+".json") {
		t.Errorf("archived at %s, want raw/<source>/<sha256>.json", p.Path)
	}
	if archived, _ := os.ReadFile(p.Path); string(archived) != string(body) {
		t.Error("archived bytes differ from the payload")
	}
}

func TestFetchFailures(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		tweak   func(*fetch.HTTP)
		want    string
	}{
		{"404 names the status and the body", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "no such dataset", http.StatusNotFound)
		}, nil, "HTTP 404 Not Found: no such dataset"},
		{"size cap", func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte(strings.Repeat("x", 2048)))
		}, func(h *fetch.HTTP) { h.MaxBytes = 1024 }, "exceeds the size cap"},
		{"stalled body is cut by the timeout", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("[{"))
			w.(http.Flusher).Flush()
			<-r.Context().Done() // the client gives up; nothing else ends the body
		}, func(h *fetch.HTTP) { h.Timeout = 300 * time.Millisecond }, "gave up after 300ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			h := newHTTP(t)
			if tt.tweak != nil {
				tt.tweak(h)
			}
			_, err := get(h, context.Background(), srv.URL)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tfpgaza.Name) {
				t.Fatalf("err = %v, want it to name the source and say %q", err, tt.want)
			}
			// Nothing half-written is left in the archive.
			entries, _ := os.ReadDir(filepath.Join(h.Archive.Dir, "raw", tfpgaza.Name))
			if len(entries) != 0 {
				t.Errorf("archive holds %d files after a failed fetch", len(entries))
			}
		})
	}
}

func TestFetchReturnsPromptlyWhenCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	done := make(chan error, 1)
	go func() { _, err := get(newHTTP(t), ctx, srv.URL); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Fetch did not return after its context was cancelled")
	}
}

func TestBundleReplaysVintagesOldestFirst(t *testing.T) {
	b := &fetch.Bundle{Dir: "../../data/bundle", Archive: fetch.Archive{Dir: t.TempDir()}}
	res, err := b.Fetch(context.Background(), fetch.Request{Spec: spec()})
	if err != nil {
		t.Fatal(err)
	}
	ps := res.Payloads
	var dates []string
	for _, p := range ps {
		dates = append(dates, p.FetchedAt.Format("2006-01-02"))
		if p.URL != tfpgaza.URL {
			t.Errorf("bundled payload URL %q, want the source's URL", p.URL)
		}
	}
	if got := strings.Join(dates, " "); got != "2024-02-01 2024-05-11 2025-01-20 2026-08-22" {
		t.Errorf("vintages %s", got)
	}
}

func TestBundleErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bundle.yaml"), []byte("payloads:\n  - {source: tfp_gaza_daily, publishd: 2024-01-01, file: x.json}\n"), 0o644)
	b := &fetch.Bundle{Dir: dir, Archive: fetch.Archive{Dir: t.TempDir()}}
	if _, err := b.Fetch(context.Background(), fetch.Request{Spec: spec()}); err == nil || !strings.Contains(err.Error(), "publishd") {
		t.Errorf("err = %v, want the unknown key named", err)
	}
}
