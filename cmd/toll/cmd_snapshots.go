package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"toll/pipeline/obs"
	"toll/pipeline/run"
	"toll/pipeline/snapshot"
)

func newSnapshotsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "snapshots",
		Short: "List the snapshots, newest last; * marks the one LATEST names (diff, prune)",
		Long:  "List the complete snapshots under <data-dir>/snapshots with their size and sources.\n" + exitCodesHelp,
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			return runSnapshots(g)
		},
	}
	var format, out string
	diff := &cobra.Command{
		Use:   "diff A B",
		Short: "What changed from snapshot A to snapshot B: series, values, sources",
		Long: `Series added and removed, observations added and removed, values changed (the first 50 listed) and
sources whose status changed, from snapshot A to snapshot B ("latest" names the one LATEST names).
--out FILE.parquet writes every observation added, removed or changed, one row each.
` + exitCodesHelp,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return usageError("--format %q: want table or json", format)
			}
			return runSnapshotsDiff(cmd.Context(), g, args[0], args[1], format, out)
		},
	}
	diff.Flags().StringVar(&format, "format", "table", "table or json")
	diff.Flags().StringVar(&out, "out", "", "also write every changed observation to this Parquet file")
	var keep snapshot.PruneKeep
	prune := &cobra.Command{
		Use:   "prune --keep-daily 14 --keep-monthly 24",
		Short: "Remove old snapshots: keep the newest of each recent day and month, and always the one LATEST names",
		Long: `Keep the newest snapshot of each of the last --keep-daily days and of each of the last --keep-monthly
months that have snapshots, and the one LATEST names; remove the others. Takes the data directory's lock,
so it never removes a snapshot a run is writing. A snapshot that a running toll serve still answers from
is waited for (--wait), then left to a later prune.
` + exitCodesHelp,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if keep.Daily < 0 || keep.Monthly < 0 {
				return usageError("--keep-daily and --keep-monthly must not be negative")
			}
			return runSnapshotsPrune(cmd.Context(), g, keep)
		},
	}
	prune.Flags().IntVar(&keep.Daily, "keep-daily", 14, "days whose newest snapshot is kept")
	prune.Flags().IntVar(&keep.Monthly, "keep-monthly", 24, "months whose newest snapshot is kept")
	prune.Flags().DurationVar(&keep.Wait, "wait", 30*time.Second, "how long to wait for a snapshot's readers to let go of it")
	cmd.AddCommand(diff, prune)
	return cmd
}

func runSnapshotsDiff(ctx context.Context, g *globals, a, b, format, out string) error {
	for _, id := range []*string{&a, &b} {
		if *id == "latest" {
			latest, err := snapshot.Latest(g.dataDir)
			if err != nil {
				return err
			}
			*id = latest
		}
	}
	d, err := snapshot.DiffSnapshots(ctx, g.dataDir, a, b, 50, out)
	if err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	w := g.stdout
	fmt.Fprintf(w, "From %s to %s:\n", a, b)
	fmt.Fprintf(w, "  series: %d added, %d removed\n", len(d.SeriesAdded), len(d.SeriesRemoved))
	fmt.Fprintf(w, "  observations: %d added, %d removed, %d values changed\n", d.RowsAdded, d.RowsRemoved, d.ValuesChanged)
	for _, s := range d.SourceStatuses {
		fmt.Fprintf(w, "  source %s: %s → %s %s\n", s.Source, orDash(s.Old), s.New, shorten(s.Error, 80))
	}
	if len(d.Changes) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SERIES\tREPORT DATE\tOLD\tNEW")
		for _, c := range d.Changes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.SeriesID, c.ReportDate.Format("2006-01-02"), obs.GroupDigits(c.Old), obs.GroupDigits(c.New))
		}
		tw.Flush()
		if int64(len(d.Changes)) < d.ValuesChanged {
			fmt.Fprintf(w, "… and %d more (--out FILE.parquet writes them all)\n", d.ValuesChanged-int64(len(d.Changes)))
		}
	}
	return nil
}

func runSnapshotsPrune(ctx context.Context, g *globals, keep snapshot.PruneKeep) error {
	unlock, err := run.Lock(ctx, g.dataDir, 0, time.Now)
	if err != nil {
		return err
	}
	defer unlock()
	removed, err := snapshot.Prune(g.dataDir, keep)
	for _, id := range removed {
		fmt.Fprintf(g.stdout, "removed %s\n", id)
	}
	if err == nil {
		fmt.Fprintf(g.stdout, "%d snapshots removed\n", len(removed))
	}
	return err
}

func runSnapshots(g *globals) error {
	ms, err := snapshot.List(g.dataDir)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		fmt.Fprintln(g.stdout, "no snapshots yet (run `toll run`)")
		return nil
	}
	latest, _ := snapshot.Latest(g.dataDir)
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tID\tCREATED\tOBSERVATIONS\tREVISIONS\tSOURCES\tTOLL")
	for _, m := range ms {
		mark := ""
		if m.ID == latest {
			mark = "*"
		}
		var revisions int64
		for _, f := range m.Files {
			if f.Path == snapshot.RevisionsFile {
				revisions = f.Rows
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\n", mark, m.ID, stamp(m.CreatedAt), m.Observations(), revisions, len(m.Sources), m.TollVersion)
	}
	return tw.Flush()
}
