package main

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	"github.com/spf13/cobra"

	"toll/pipeline/obs"
	"toll/pipeline/snapshot"
	"toll/schemas"
)

type exportOptions struct {
	format, out, table                                  string
	source, series, country, metric, subgroup, from, to string
}

func newExportCmd(g *globals) *cobra.Command {
	var opts exportOptions
	cmd := &cobra.Command{
		Use:   "export [--format csv|csv.gz] [--out FILE] [--country ISO3] [--metric M] ...",
		Short: "Write the latest snapshot's observations as CSV, for tools that read no Parquet",
		Long: `Write the observations of the snapshot LATEST names as CSV (or gzip-compressed CSV), with a header,
filtered as the HTTP API filters them. An empty field is a missing value (NULL): pandas and R read it as
NaN or NA. Integers stay integers, dates are YYYY-MM-DD, and fetched_at is RFC 3339 in UTC. --table
history adds every superseded version, with superseded_at.

Examples:
  toll export --country PSE --metric killed --out pse-killed.csv
  toll export --format csv.gz --out observations.csv.gz
` + exitCodesHelp,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.check(); err != nil {
				return err
			}
			return runExport(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.format, "format", "csv", "csv or csv.gz")
	f.StringVar(&opts.out, "out", "-", "file to write, - for stdout")
	f.StringVar(&opts.table, "table", "observations", "observations (the current values) or history (every version)")
	f.StringVar(&opts.source, "source", "", "one source's observations")
	f.StringVar(&opts.series, "series", "", "one series' observations (its series_id)")
	f.StringVar(&opts.country, "country", "", "ISO 3166-1 alpha-3 code, e.g. PSE")
	f.StringVar(&opts.metric, "metric", "", "a metric of schemas/vocabulary.yaml: killed, injured, displaced, ...")
	f.StringVar(&opts.subgroup, "subgroup", "", "a subgroup of schemas/vocabulary.yaml: all, children, ...")
	f.StringVar(&opts.from, "from", "", "first report date (YYYY-MM-DD)")
	f.StringVar(&opts.to, "to", "", "last report date (YYYY-MM-DD)")
	return cmd
}

var iso3 = regexp.MustCompile(`^[A-Z]{3}$`)

// check refuses options that would export nothing by mistake: a misspelt term, a malformed code or date.
func (o exportOptions) check() error {
	if o.format != "csv" && o.format != "csv.gz" {
		return usageError("--format %q: want csv or csv.gz", o.format)
	}
	if o.table != "observations" && o.table != "history" {
		return usageError("--table %q: want observations or history", o.table)
	}
	if o.country != "" && !iso3.MatchString(o.country) {
		return usageError("--country %q: want an ISO 3166-1 alpha-3 code such as PSE", o.country)
	}
	if err := checkTerm("metric", o.metric); err != nil {
		return err
	}
	if err := checkTerm("subgroup", o.subgroup); err != nil {
		return err
	}
	for _, d := range []string{o.from, o.to} {
		if _, err := obs.ParseDate(d); d != "" && err != nil {
			return usageError("--from and --to: want YYYY-MM-DD, not %q", d)
		}
	}
	return nil
}

// checkTerm refuses a value of a field outside the field's vocabulary, naming the terms.
func checkTerm(field, value string) error {
	if terms := schemas.Terms(field); value != "" && !slices.Contains(terms, value) {
		return usageError("--%s %q is not a term of schemas/vocabulary.yaml: %v", field, value, terms)
	}
	return nil
}

func runExport(ctx context.Context, g *globals, opts exportOptions) (err error) {
	db, _, err := snapshot.OpenLatest(ctx, g.dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	query := `SELECT * FROM ` + opts.table + `
WHERE (? = '' OR source = ?) AND (? = '' OR series_id = ?) AND (? = '' OR country_iso3 = ?)
  AND (? = '' OR metric = ?) AND (? = '' OR subgroup = ?)
  AND (? = '' OR report_date >= TRY_CAST(? AS DATE)) AND (? = '' OR report_date <= TRY_CAST(? AS DATE))
ORDER BY series_id, report_date, period_start, record_id`
	var args []any
	for _, v := range []string{opts.source, opts.series, opts.country, opts.metric, opts.subgroup, opts.from, opts.to} {
		args = append(args, v, v)
	}
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()

	var w io.Writer = g.stdout
	if opts.out != "-" {
		// Written beside the target and renamed into place: a reader never sees half a file. The deferred
		// function reads the named result err, so that a failed export leaves no file.
		var f *os.File
		if f, err = os.CreateTemp(filepath.Dir(opts.out), "."+filepath.Base(opts.out)+".*"); err != nil {
			return err
		}
		defer func() {
			if err == nil {
				err = f.Chmod(0o644) // CreateTemp's 0600 would hide the file from other users
			}
			if err == nil {
				err = f.Close()
			} else {
				f.Close()
			}
			if err == nil {
				err = os.Rename(f.Name(), opts.out)
			}
			if err != nil {
				os.Remove(f.Name())
			}
		}()
		w = f
	}
	if opts.format == "csv.gz" {
		zw := gzip.NewWriter(w)
		defer func() {
			if cerr := zw.Close(); err == nil {
				err = cerr
			}
		}()
		w = zw
	}
	if err := writeRows(w, rows, "csv"); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
