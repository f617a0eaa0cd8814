package sourcetest

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"toll/pipeline/fetch"
	"toll/pipeline/source"
)

// Fetch serves handler on a local server and fetches src from it as a run would (paging, API key,
// archive), returning the archived payload. The source's API key is set to "test-key".
func Fetch(t *testing.T, src source.Source, handler http.Handler, path string) []byte {
	t.Helper()
	srv := httptest.NewServer(handler)
	defer srv.Close()
	old := fetch.Getenv
	fetch.Getenv = func(string) string { return "test-key" }
	defer func() { fetch.Getenv = old }()
	h := &fetch.HTTP{UserAgent: "toll/test", Archive: fetch.Archive{Dir: t.TempDir()}, Now: time.Now, BaseDelay: time.Millisecond}
	res, err := h.Fetch(context.Background(), fetch.Request{Spec: src.Spec(), URL: srv.URL + path})
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(res.Payloads[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// CSVPages serves a real CSV file the way an API with limit/offset paging does: the header and rows
// [offset, offset+limit) of it. It refuses requests without the key when key is set.
func CSVPages(t *testing.T, file, keyHeader string) http.Handler {
	raw := Testdata(t, file)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if keyHeader != "" && r.Header.Get(keyHeader) != "test-key" {
			http.Error(w, `{"error": "Missing app identifier"}`, http.StatusForbidden)
			return
		}
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		body := rows[1:]
		lo, hi := min(offset, len(body)), min(offset+limit, len(body))
		cw := csv.NewWriter(w)
		cw.Write(rows[0])
		cw.WriteAll(body[lo:hi])
	})
}
