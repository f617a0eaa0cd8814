package all_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"toll/pipeline/fetch"
	"toll/pipeline/sources/all"
)

// Every connector returns promptly when its context is cancelled while the server stalls, and one that
// needs a key and has none is skipped with a message naming the variable.
func TestEveryConnectorAgainstAStallingServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	old := fetch.Getenv
	defer func() { fetch.Getenv = old }()
	for _, src := range all.Registry().All() {
		spec := src.Spec()
		t.Run(spec.Name, func(t *testing.T) {
			u, _ := url.Parse(spec.URL)
			local := srv.URL + u.RequestURI()
			h := &fetch.HTTP{UserAgent: "toll/test", Archive: fetch.Archive{Dir: t.TempDir()}, Now: time.Now}

			fetch.Getenv = func(string) string { return "test-key" }
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			done := make(chan error, 1)
			go func() { _, err := h.Fetch(ctx, fetch.Request{Spec: spec, URL: local}); done <- err }()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("did not return after its context was cancelled")
			}

			if spec.Key == nil {
				return
			}
			fetch.Getenv = func(string) string { return "" }
			_, err := h.Fetch(context.Background(), fetch.Request{Spec: spec, URL: local})
			var missing *fetch.MissingKeyError
			if !errors.As(err, &missing) || missing.Env != spec.Key.Env {
				t.Errorf("without its key: err = %v, want a MissingKeyError naming %s", err, spec.Key.Env)
			}
		})
	}
}
