package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"toll/pipeline/snapshot"
)

func newSnapshotsCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "snapshots",
		Short: "List the snapshots, newest last; * marks the one LATEST names",
		Long:  "List the complete snapshots under <data-dir>/snapshots with their size and sources.\n" + exitCodesHelp,
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			return runSnapshots(g)
		},
	}
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
		var observations, revisions int64
		for _, f := range m.Files {
			switch f.Path {
			case snapshot.ObservationsFile:
				observations = f.Rows
			case snapshot.RevisionsFile:
				revisions = f.Rows
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\n", mark, m.ID, m.CreatedAt.Format(time.RFC3339), observations, revisions, len(m.Sources), m.TollVersion)
	}
	return tw.Flush()
}
