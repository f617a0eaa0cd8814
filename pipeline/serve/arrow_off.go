//go:build !duckdb_arrow

package serve

import "net/http"

// ArrowEnabled says whether this binary answers Arrow IPC streams; this one was built without
// -tags duckdb_arrow.
const ArrowEnabled = false

func (s *Server) arrow(w http.ResponseWriter, _ *http.Request, _ *view, _ bool, _ string, _ ...any) {
	fail(w, http.StatusNotAcceptable, "this toll was built without Arrow (build with -tags duckdb_arrow, as make build does); ask for JSON")
}
