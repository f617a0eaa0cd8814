//go:build duckdb_arrow

package serve

import (
	"database/sql/driver"
	"net/http"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/duckdb/duckdb-go/v2"
)

// ArrowEnabled says whether this binary answers Arrow IPC streams (built with -tags duckdb_arrow, as
// the Makefile builds it).
const ArrowEnabled = true

// arrow streams a query's result as Arrow IPC, record batch by record batch, as DuckDB produces them.
func (s *Server) arrow(w http.ResponseWriter, r *http.Request, query string, args ...any) {
	v, done, err := s.acquire(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	defer done()
	id := v.id
	conn, err := v.db.Conn(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rdr, err := ar.QueryContext(r.Context(), query, args...)
		if err != nil {
			return err
		}
		defer rdr.Release()
		w.Header().Set("Content-Type", arrowStream)
		w.Header().Set("X-Toll-Snapshot", id)
		iw := ipc.NewWriter(w, ipc.WithSchema(rdr.Schema()))
		for rdr.Next() {
			if err := iw.Write(rdr.RecordBatch()); err != nil {
				return err
			}
		}
		if err := rdr.Err(); err != nil {
			return err
		}
		return iw.Close()
	})
	if err != nil && w.Header().Get("Content-Type") != arrowStream {
		fail(w, http.StatusInternalServerError, "%v", err)
	} else if err != nil {
		s.logger().Error("arrow stream broken off", "err", err)
	}
}
