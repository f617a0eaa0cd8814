package main

import (
	"context"
	"errors"

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
	cmd.Flags().StringVar(&opts.format, "format", "table", "table, csv (NULL as an empty field) or json (an array of objects, columns in the SELECT's order)")
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
