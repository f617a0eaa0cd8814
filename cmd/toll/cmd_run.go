package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"toll/pipeline/fetch"
	"toll/pipeline/load"
	"toll/pipeline/metrics"
	"toll/pipeline/obs"
	"toll/pipeline/run"
	"toll/pipeline/snapshot"
)

type runOptions struct {
	sources     []string
	accept      []string
	offline     bool
	configPath  string
	bundleDir   string
	wait        time.Duration
	metricsFile string
	parallel    int
}

func newRunCmd(g *globals) *cobra.Command {
	var opts runOptions
	cmd := &cobra.Command{
		Use:   "run [--source NAME]... [--offline]",
		Short: "Fetch, normalize and load the sources, then write a snapshot if anything changed",
		Long: `Fetch each source (or, with --offline, read the real payloads bundled under data/bundle), archive
every payload under <data-dir>/raw, normalize and load it into <data-dir>/toll.duckdb, and write a new
Parquet snapshot under <data-dir>/snapshots when anything changed. A source that fails does not stop
the others; its previous data stays.

A payload that parses but would replace a source's current data with something implausible (removing
most of its rows, a running total that falls, a negative count) is held back: kept in the archive, not
loaded, and the run exits 3 naming the source and the rule. After a person has looked, --accept SOURCE
loads it.` + "\n" + exitCodesHelp,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRun(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.sources, "source", nil, "run only this source (repeatable; see `toll sources`)")
	f.StringArrayVar(&opts.accept, "accept", nil, "load this source's payloads even where they would be held back (repeatable)")
	f.BoolVar(&opts.offline, "offline", false, "read the bundled payloads instead of the network")
	f.StringVar(&opts.configPath, "config", "", "config file (YAML) overriding source URLs, timeouts and schedules")
	f.StringVar(&opts.bundleDir, "bundle-dir", fetch.DefaultBundleDir, "the offline bundle: every source with --offline, curated sources always")
	f.DurationVar(&opts.wait, "wait", 0, "wait this long for another run's lock instead of exiting 4")
	f.IntVar(&opts.parallel, "parallel", run.DefaultParallel, "sources fetched and normalized at once (loads take turns)")
	f.StringVar(&opts.metricsFile, "metrics-file", "", "write Prometheus metrics here (node_exporter textfile format) when done")
	return cmd
}

func runRun(ctx context.Context, g *globals, opts runOptions) error {
	cfg, reg, err := loadConfig(opts.configPath)
	if err != nil {
		return err
	}
	for _, name := range slices.Concat(opts.sources, opts.accept) {
		if _, ok := reg.Lookup(name); !ok {
			return usageError("unknown source %q (see `toll sources`)", name)
		}
	}
	runOpts := run.Options{
		DataDir: g.dataDir, Sources: opts.sources, Accept: opts.accept, Offline: opts.offline, BundleDir: opts.bundleDir,
		Config: cfg, TollVersion: version, LockWait: opts.wait, Logger: g.logger(), Parallel: opts.parallel,
	}
	if p := newProgress(g.stderr); p != nil {
		runOpts.Progress = p
	}
	res, err := run.Run(ctx, reg, runOpts)
	if res.RunID != "" {
		printRunSummary(g.stdout, g.dataDir, res)
	}
	if opts.metricsFile != "" {
		m := metrics.New(g.dataDir)
		m.Observe(res)
		if merr := m.WriteTextfile(opts.metricsFile); merr != nil {
			g.logger().Error("writing metrics", "file", opts.metricsFile, "err", merr)
		}
	}
	if err != nil {
		return err
	}
	if res.PublishErr != nil {
		return &exitError{code: exitPartial, err: fmt.Errorf("data loaded, but %w (the next run publishes again)", res.PublishErr)}
	}
	switch res.Status {
	case load.StatusPartial:
		return &exitError{code: exitPartial, err: fmt.Errorf("some sources failed or were held back (run %s)", res.RunID)}
	case load.StatusFailed:
		return fmt.Errorf("every source failed (run %s)", res.RunID)
	}
	return nil
}

func printRunSummary(w io.Writer, dataDir string, res run.Result) {
	fmt.Fprintf(w, "run %s: %s\n\n", res.RunID, res.Status)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tSTATUS\tPAYLOADS\tROWS\tADDED\tCHANGED\tREMOVED\tREVISIONS\tWARNINGS")
	for _, s := range res.Sources {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", s.Source, s.Status, s.Payloads, s.Stats.Rows,
			s.Stats.Added, s.Stats.Changed, s.Stats.Removed, s.Stats.Revisions, len(s.Warnings))
	}
	tw.Flush()
	for _, s := range res.Sources {
		if s.Error != "" {
			fmt.Fprintf(w, "\n%s %s: %s\n", s.Source, s.Status, s.Error)
		}
	}
	if len(res.Headlines) > 0 {
		fmt.Fprintln(w, "\nLatest headline figures:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, h := range res.Headlines {
			basis := ""
			if h.Basis != obs.BasisReported {
				basis = " (" + h.Basis + ")"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s%s\n", h.Title, obs.GroupDigits(h.Value), h.ReportDate.Format(obs.DateLayout), h.Publisher, basis)
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
	if res.Snapshot != nil {
		fmt.Fprintf(w, "Snapshot %s written to %s (LATEST points at it).\n", res.Snapshot.ID, snapshot.Path(dataDir, res.Snapshot.ID))
	} else if id, err := snapshot.Latest(dataDir); err == nil {
		fmt.Fprintf(w, "Nothing changed upstream: no new snapshot. LATEST is still %s.\n", snapshot.Path(dataDir, id))
	}
}
