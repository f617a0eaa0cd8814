package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"toll/pipeline/fetch"
	"toll/pipeline/load"
	"toll/pipeline/source"
)

func newSourcesCmd(g *globals) *cobra.Command {
	var configPath, format string
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "List the sources: name, publisher, URL, schedule, last run",
		Long: "List every built-in source with its publisher, live URL, default schedule and, when the warehouse can\nbe read, its last run. " +
			"--format markdown prints the table of docs/sources.md, from the sources' specs.\n" + exitCodesHelp,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "table":
				return runSources(cmd.Context(), g, configPath)
			case "markdown":
				_, reg, err := loadConfig(configPath)
				if err != nil {
					return err
				}
				return writeSourcesMarkdown(g.stdout, reg.All())
			}
			return usageError("--format %q: want table or markdown", format)
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "config file: lists declarative source files too")
	cmd.Flags().StringVar(&format, "format", "table", "table, or markdown (the table of docs/sources.md)")
	return cmd
}

// writeSourcesMarkdown writes the sources as the Markdown table docs/sources.md holds, from their specs
// alone, so that the docs cannot drift from the code (TestSourcesDocIsCurrent).
func writeSourcesMarkdown(w io.Writer, sources []source.Source) error {
	fmt.Fprintln(w, "| name | what | publisher | read from | key | licence |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
	for _, src := range sources {
		spec := src.Spec()
		key := "-"
		if spec.Key != nil {
			key = "`" + spec.Key.Env + "`"
		}
		name := "`" + spec.Name + "`"
		if spec.Docs != "" {
			name = fmt.Sprintf("[`%s`](../%s)", spec.Name, spec.Docs)
		}
		cell := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
		if _, err := fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", name, cell(spec.Title), cell(spec.Publisher),
			cell(spec.Distributor), key, cell(spec.License)); err != nil {
			return err
		}
	}
	return nil
}

func runSources(ctx context.Context, g *globals, configPath string) error {
	_, reg, err := loadConfig(configPath)
	if err != nil {
		return err
	}
	// The warehouse is read only when it is there and free; a running job must not make this fail.
	states := map[string]load.SourceState{}
	if w, err := load.Open(ctx, g.dataDir, load.Options{ReadOnly: true}); err == nil {
		states, _ = w.SourceStates(ctx)
		w.Close()
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPUBLISHER\tLICENSE\tKEY\tSCHEDULE\tLAST RUN\tSTATUS\tURL")
	for _, src := range reg.All() {
		spec := src.Spec()
		last, status := "-", "-"
		if s, ok := states[spec.Name]; ok && !s.LastRunAt.IsZero() {
			last, status = s.LastRunAt.UTC().Format(time.RFC3339), s.LastStatus
		}
		key := "-"
		if spec.Key != nil {
			key = "needs " + spec.Key.Env
			if fetch.Getenv(spec.Key.Env) != "" {
				key = spec.Key.Env + " set"
			}
		}
		url := spec.URL
		if spec.Curated && url == "" {
			url = "curated by toll, in the offline bundle"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", spec.Name, spec.Publisher, shorten(spec.License, 40), key,
			spec.Schedule, last, status, url)
	}
	return tw.Flush()
}
