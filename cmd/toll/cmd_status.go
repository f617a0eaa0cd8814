package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"toll/pipeline/load"
	"toll/pipeline/snapshot"
	"toll/pipeline/sources/all"
)

func newStatusCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Is the data fresh, and if not, why: per source, last success, last attempt, newest report, last error",
		Long: `For each source: the last run that succeeded, the last attempt and how it ended, the date of the
newest report toll holds against the source's usual cadence (stale when older than three intervals and a
day), and the last error. While a run holds the warehouse, it shows the latest snapshot's manifest instead.
` + exitCodesHelp,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStatus(cmd.Context(), g, time.Now())
		},
	}
}

func runStatus(ctx context.Context, g *globals, now time.Time) error {
	w, err := load.Open(ctx, g.dataDir, load.Options{ReadOnly: true})
	if err != nil {
		return statusFromManifest(g, err)
	}
	states, err := w.SourceStates(ctx)
	var loads int64
	if err == nil {
		loads, err = w.Loads(ctx)
	}
	w.Close()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tSTATUS\tLAST SUCCESS\tLAST ATTEMPT\tNEWEST REPORT\tFRESH\tLAST ERROR")
	for _, src := range all.Registry().All() {
		spec := src.Spec()
		s, ok := states[spec.Name]
		if !ok {
			fmt.Fprintf(tw, "%s\tnever run\t-\t-\t-\t-\t-\n", spec.Name)
			continue
		}
		fresh := "-"
		newest := "-"
		if !s.NewestReport.IsZero() {
			age := now.Sub(s.NewestReport)
			newest = fmt.Sprintf("%s (%s old)", s.NewestReport.Format("2006-01-02"), days(age))
			fresh = "fresh"
			if age > spec.StaleAfter() {
				fresh = fmt.Sprintf("STALE (usual cadence %s)", days(spec.Cadence))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", spec.Name, orDash(s.LastStatus), stamp(s.LastSuccessAt), stamp(s.LastRunAt),
			newest, fresh, orDash(shorten(s.LastError, 100)))
	}
	tw.Flush()
	m, err := snapshot.ReadLatest(g.dataDir)
	switch {
	case errors.Is(err, snapshot.ErrNoSnapshot) && loads == 0:
		return nil
	case err != nil:
		fmt.Fprintf(g.stdout, "\nLATEST: %v. The next `toll run` writes a snapshot.\n", err)
	case m.Loads < loads:
		fmt.Fprintf(g.stdout, "\nLATEST snapshot %s, written %s (%s ago), LAGS the warehouse: it holds %d of its %d loads "+
			"(a run stopped before moving LATEST). query, check and serve answer from it; the next `toll run` writes a new one.\n",
			m.ID, stamp(m.CreatedAt), days(now.Sub(m.CreatedAt)), m.Loads, loads)
	default:
		fmt.Fprintf(g.stdout, "\nLATEST snapshot %s, written %s (%s ago), holds every load of the warehouse.\n", m.ID, stamp(m.CreatedAt), days(now.Sub(m.CreatedAt)))
	}
	return nil
}

// statusFromManifest answers from the latest snapshot when the warehouse cannot be read (a run holds it).
func statusFromManifest(g *globals, openErr error) error {
	id, err := snapshot.Latest(g.dataDir)
	if err != nil {
		return fmt.Errorf("no warehouse to read (%v) and %w", openErr, err)
	}
	m, err := snapshot.ReadManifest(g.dataDir, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "The warehouse is busy (%v); as of the latest snapshot %s:\n\n", shorten(openErr.Error(), 80), id)
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tSTATUS\tFETCHED\tROWS\tERROR")
	for _, s := range m.Sources {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", s.Name, s.Status, stamp(s.FetchedAt), s.Rows, orDash(shorten(s.Error, 100)))
	}
	return tw.Flush()
}

// stamp is a time as every output of toll writes one: RFC 3339 in UTC.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func days(d time.Duration) string {
	if d < 48*time.Hour {
		return fmt.Sprintf("%.0fh", d.Hours())
	}
	return fmt.Sprintf("%.0fd", d.Hours()/24)
}

func shorten(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
