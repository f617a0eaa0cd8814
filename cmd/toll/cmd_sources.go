package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"toll/pipeline/fetch"
	"toll/pipeline/load"
)

func newSourcesCmd(g *globals) *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "List the sources: name, publisher, URL, schedule, last run",
		Long:  "List every built-in source with its publisher, live URL, default schedule and, when the warehouse can\nbe read, its last run.\n" + exitCodesHelp,
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSources(cmd.Context(), g, configPath)
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "config file: lists declarative source files too")
	return cmd
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", spec.Name, spec.Publisher, shorten(spec.License, 40), key,
			spec.Schedule, last, status, spec.URL)
	}
	return tw.Flush()
}
