package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"toll/pipeline/fetch"
	"toll/pipeline/load"
	"toll/pipeline/source"
)

func newSourcesCmd(g *globals) *cobra.Command {
	var configPath, format string
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "List the sources: name, publisher, licence, URL, schedule, last run",
		Long: "List every built-in source with its publisher, licence or terms (and what they do not allow), live URL,\n" +
			"default schedule and, when the warehouse can be read, its last run. --format json adds each source's\n" +
			"citation and its terms' address; --format markdown prints the table of docs/sources.md, from the\nsources' specs.\n" + exitCodesHelp,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "table":
				return runSources(cmd.Context(), g, configPath)
			case "json":
				_, reg, err := loadConfig(configPath)
				if err != nil {
					return err
				}
				return writeSourcesJSON(g.stdout, reg.All())
			case "markdown":
				_, reg, err := loadConfig(configPath)
				if err != nil {
					return err
				}
				return writeSourcesMarkdown(g.stdout, reg.All())
			}
			return usageError("--format %q: want table, json or markdown", format)
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "config file: lists declarative source files too")
	cmd.Flags().StringVar(&format, "format", "table", "table, json, or markdown (the table of docs/sources.md)")
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
			cell(spec.Distributor), key, cell(licence(spec.Terms))); err != nil {
			return err
		}
	}
	return nil
}

// licence is a source's licence, with what its terms do not allow.
func licence(t source.Terms) string {
	if r := t.Restrictions(); r != "" {
		return t.License + " (" + r + ")"
	}
	return t.License
}

// sourceJSON is one source as `toll sources --format json` writes it.
type sourceJSON struct {
	Name         string       `json:"name"`
	Title        string       `json:"title"`
	Publisher    string       `json:"publisher"`
	Distributor  string       `json:"distributor"`
	Terms        source.Terms `json:"terms"`
	Restrictions string       `json:"restrictions"` // "" when the terms allow commercial use and redistribution
	URL          string       `json:"url,omitempty"`
	Curated      bool         `json:"curated"`
	Key          string       `json:"key_env,omitempty"`
	Schedule     string       `json:"schedule"`
	Docs         string       `json:"docs"`
}

// writeSourcesJSON writes every source as one JSON array, from the specs alone.
func writeSourcesJSON(w io.Writer, sources []source.Source) error {
	out := []sourceJSON{}
	for _, src := range sources {
		spec := src.Spec()
		j := sourceJSON{Name: spec.Name, Title: spec.Title, Publisher: spec.Publisher, Distributor: spec.Distributor,
			Terms: spec.Terms, Restrictions: spec.Terms.Restrictions(), URL: spec.URL, Curated: spec.Curated,
			Schedule: spec.Schedule, Docs: spec.Docs}
		if spec.Key != nil {
			j.Key = spec.Key.Env
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
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
			last, status = stamp(s.LastRunAt), s.LastStatus
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", spec.Name, spec.Publisher, shorten(licence(spec.Terms), 60), key,
			spec.Schedule, last, status, url)
	}
	return tw.Flush()
}
