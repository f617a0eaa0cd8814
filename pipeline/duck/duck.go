// Package duck is the DuckDB plumbing every stage shares: opening a database with toll's settings,
// writing SQL literals, and making written files durable. It knows nothing of toll's tables; the load
// stage owns the warehouse, the snapshot stage what it exports.
package duck

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// Options are a database's settings beyond toll's defaults; empty fields keep DuckDB's.
type Options struct {
	TempDir     string // where DuckDB spills
	MemoryLimit string // DuckDB memory_limit, e.g. "1GB"
	SearchDir   string // relative paths DuckDB reads resolve against it (then the working folder)
}

// Open opens a DuckDB database (dsn "" is in memory). Every connection runs in UTC.
func Open(dsn string, opts Options) (*sql.DB, error) {
	connector, err := duckdb.NewConnector(dsn, func(execer driver.ExecerContext) error {
		// Settings every connection needs, set for the database as a whole. A database over a snapshot
		// locks its configuration once opened (snapshot.Open); a connection it opens later finds them
		// set, and sets nothing.
		settings := [][2]string{{"TimeZone", "UTC"},
			// A partitioned snapshot export buffers rows per partition before writing them; DuckDB's
			// default (524,288 rows) nearly doubled a run's peak memory.
			{"partitioned_write_flush_threshold", "131072"}}
		if opts.TempDir != "" {
			settings = append(settings, [2]string{"temp_directory", opts.TempDir})
		}
		if opts.MemoryLimit != "" {
			settings = append(settings, [2]string{"memory_limit", opts.MemoryLimit})
		}
		if opts.SearchDir != "" {
			settings = append(settings, [2]string{"file_search_path", opts.SearchDir})
		}
		for _, kv := range settings {
			if queryer, ok := execer.(driver.QueryerContext); ok && currentSetting(queryer, kv[0]) == kv[1] {
				continue
			}
			s := "SET GLOBAL " + kv[0] + " = " + String(kv[1]) // GLOBAL: the connections opened later start with it
			if _, err := execer.ExecContext(context.Background(), s, nil); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(connector), nil
}

// currentSetting returns a DuckDB setting's value as text, or "" when it cannot be read.
func currentSetting(q driver.QueryerContext, name string) string {
	rows, err := q.QueryContext(context.Background(), "SELECT current_setting("+String(name)+")::VARCHAR", nil)
	if err != nil {
		return ""
	}
	defer rows.Close()
	v := make([]driver.Value, 1)
	if rows.Next(v) != nil {
		return ""
	}
	s, _ := v[0].(string)
	return s
}

// String is s as a DuckDB string literal.
func String(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Enum is the DuckDB type ENUM('a', 'b', …) of values, in their order.
func Enum(values ...string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = String(v)
	}
	return "ENUM(" + strings.Join(quoted, ", ") + ")"
}

// Sync flushes a written file, or a folder's entries, to disk.
func Sync(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
