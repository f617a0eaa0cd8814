package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"toll/pipeline/snapshot"
)

type queryOptions struct {
	format string
}

func newQueryCmd(g *globals) *cobra.Command {
	var opts queryOptions
	cmd := &cobra.Command{
		Use:   "query SQL",
		Short: "Run SQL over the latest snapshot",
		Long: `Run one SQL statement (DuckDB dialect) over the snapshot LATEST names. The views are observations,
history (every version of every observation: observations and superseded.parquet), series and revisions; see README.md for their columns.
It reads the Parquet files only, so it works while a run holds the warehouse. It only reads: a statement
other than one SELECT (ATTACH, COPY, INSTALL, SET, ...) is refused before it runs, and no file outside
the snapshot's folder can be read.

Example:
  toll query "SELECT report_date, value FROM observations
              WHERE series_id = 'tfp_gaza_daily/PS02/killed/all/cumulative' ORDER BY report_date DESC LIMIT 5"
` + exitCodesHelp,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch opts.format {
			case "table", "csv", "json":
			default:
				return usageError("--format %q: want table, csv or json", opts.format)
			}
			return runQuery(cmd.Context(), g, opts, args[0])
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "table", "table, csv or json (one object per row, in an array)")
	return cmd
}

func runQuery(ctx context.Context, g *globals, opts queryOptions, query string) error {
	db, _, err := snapshot.OpenLatest(ctx, g.dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := snapshot.Query(ctx, db, query)
	if errors.Is(err, snapshot.ReadOnly) {
		return usageError("%v", err)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	return writeRows(g.stdout, rows, opts.format)
}

// writeRows prints a result set as an aligned table, CSV, or a JSON array of objects.
func writeRows(w io.Writer, rows *sql.Rows, format string) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	var (
		tw      *tabwriter.Writer
		cw      *csv.Writer
		objects []map[string]any
	)
	switch format {
	case "table":
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	case "csv":
		cw = csv.NewWriter(w)
		cw.Write(cols)
	case "json":
		objects = []map[string]any{}
	}
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		text := make([]string, len(cols))
		for i, v := range values {
			text[i] = formatValue(v, types[i].DatabaseTypeName())
		}
		switch format {
		case "table":
			fmt.Fprintln(tw, strings.Join(text, "\t"))
		case "csv":
			cw.Write(text)
		case "json":
			obj := map[string]any{}
			for i, c := range cols {
				if _, isTime := values[i].(time.Time); isTime {
					obj[c] = text[i] // as a date or RFC 3339, like the other formats
				} else {
					obj[c] = values[i]
				}
			}
			objects = append(objects, obj)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	switch format {
	case "table":
		return tw.Flush()
	case "csv":
		cw.Flush()
		return cw.Error()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(objects)
}

func formatValue(v any, dbType string) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if dbType == "DATE" {
			return v.UTC().Format("2006-01-02")
		}
		return v.UTC().Format(time.RFC3339)
	case []byte:
		return string(v)
	}
	return fmt.Sprint(v)
}
