package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"toll/pipeline/obs"
	"toll/pipeline/snapshot"
)

type compareOptions struct {
	metric, country, subgroup, from, to string
}

func newCompareCmd(g *globals) *cobra.Command {
	var opts compareOptions
	cmd := &cobra.Command{
		Use:   "compare --metric killed --country PSE",
		Short: "Line up the sources' monthly figures for one metric and country",
		Long: `For each month, each source's figure for the metric, country and subgroup, per admin1 area: counts of
periods summed by month, the monthly increase of running totals, and stocks at the month's last report.
Sources count differently (a ministry's registered deaths, ACLED's media-based fatalities, ...): read
each series' definition in series.parquet before comparing. Reads the latest snapshot.
` + exitCodesHelp,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.metric == "" || !iso3.MatchString(opts.country) {
				return usageError("--metric and --country (ISO 3166-1 alpha-3, such as PSE) are required")
			}
			if err := checkTerm("metric", opts.metric); err != nil {
				return err
			}
			if err := checkTerm("subgroup", opts.subgroup); err != nil {
				return err
			}
			return runCompare(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.metric, "metric", "", "killed, injured, displaced, ... (schemas/vocabulary.yaml)")
	f.StringVar(&opts.country, "country", "", "ISO 3166-1 alpha-3 code, e.g. PSE")
	f.StringVar(&opts.subgroup, "subgroup", "all", "subgroup")
	f.StringVar(&opts.from, "from", "1900-01-01", "first month (YYYY-MM-DD)")
	f.StringVar(&opts.to, "to", "2999-12-31", "last month (YYYY-MM-DD)")
	return cmd
}

func runCompare(ctx context.Context, g *globals, opts compareOptions) error {
	from, err1 := obs.ParseDate(opts.from)
	to, err2 := obs.ParseDate(opts.to)
	if err1 != nil || err2 != nil {
		return usageError("--from and --to: want YYYY-MM-DD")
	}
	db, id, err := snapshot.OpenLatest(ctx, g.dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := snapshot.Compare(ctx, db, opts.metric, opts.country, opts.subgroup, from, to)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		fmt.Fprintf(g.stdout, "No series of %s/%s for %s in snapshot %s.\n", opts.metric, opts.subgroup, opts.country, id)
		return nil
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MONTH\tPLACE\tSOURCE\tVARIANT\tVALUE\tHOW\tPUBLISHER")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Month.Format("2006-01"), r.Place, r.Source, orDash(r.Variant),
			obs.GroupDigits(r.Value), r.How, r.Publisher)
	}
	return tw.Flush()
}
