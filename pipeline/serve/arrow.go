//go:build duckdb_arrow

package serve

import (
	"database/sql/driver"
	"net/http"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/duckdb/duckdb-go/v2"
)

// ArrowEnabled says whether this binary answers Arrow IPC streams (built with -tags duckdb_arrow, as
// the Makefile builds it).
const ArrowEnabled = true

// arrow answers a query's result over snapshot v as Arrow IPC, record batch by record batch as DuckDB produces them: a
// stream, or with file the file format (the stream with a footer, which readers that seek prefer). The
// schema's metadata names the snapshot (toll_snapshot), as X-Toll-Snapshot does.
func (s *Server) arrow(w http.ResponseWriter, r *http.Request, v *view, file bool, query string, args ...any) {
	id := v.id
	conn, err := v.db.Conn(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	defer conn.Close()
	mediaType := arrowStream
	if file {
		mediaType = arrowFile
	}
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
		md := arrow.NewMetadata([]string{"toll_snapshot"}, []string{id})
		schema := arrow.NewSchema(rdr.Schema().Fields(), &md)
		w.Header().Set("Content-Type", mediaType)
		w.Header().Set("X-Toll-Snapshot", id)
		var iw interface {
			Write(arrow.RecordBatch) error
			Close() error
		}
		if file {
			if iw, err = ipc.NewFileWriter(w, ipc.WithSchema(schema)); err != nil {
				return err
			}
		} else {
			iw = ipc.NewWriter(w, ipc.WithSchema(schema))
		}
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
	if err != nil && w.Header().Get("Content-Type") != mediaType {
		fail(w, http.StatusInternalServerError, "%v", err)
	} else if err != nil {
		s.logger().Error("arrow answer broken off", "err", err)
	}
}
