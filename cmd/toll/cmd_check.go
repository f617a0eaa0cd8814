package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"toll/pipeline/article"
	"toll/pipeline/check"
	"toll/pipeline/fetch"
	"toll/pipeline/obs"
)

type checkOptions struct {
	published string
	format    string
	reviewer  string
	batch     string
	out       string
}

func newCheckCmd(g *globals) *cobra.Command {
	var opts checkOptions
	cmd := &cobra.Command{
		Use:   "check [FILE|URL|-] [--published DATE]",
		Short: "Find the casualty and displacement figures in a text and check each against the data as of its publication",
		Long: `Read an article (a file, a web page's address, or - or nothing for standard input) and, for every casualty or displacement
figure in it, say what toll read (value, qualifier, metric, group, place, time frame) and the words that
decided each, the report it compared the figure with (date, publisher, as first published or revised),
a verdict and the dates during which the quoted figure was current.

Verdicts, against the reports (never a distributor's fill) from ` + fmt.Sprint(check.FreshDays) + ` days before publication to the day after:
  consistent   the figure fits one of them, in any version, or lies between two of them
  outdated     it fits only an older report, and nothing newer
  understated, overstated
               it lies outside all of them by more than its qualifier's tolerance and ` + fmt.Sprint(check.NegativeMargin*100) + `%
  no_data      toll has no series that can answer it (the reason is given)
  unchecked    toll cannot judge it, and says why: a vague amount, a share, one incident or period, or a
               reading toll is not sure of (a place from far context, no words for its time frame, a group
               narrower than the series counts). A negative verdict is given only on a sure reading.

With --batch FILE.jsonl, each line is {"id", "published", "text"} (or "sentence"; optional "page_id"
groups the sentences of one article, in order), and the output is one JSON line per input line, in order
({"id", "claims": [...]}), or a Parquet table with --out FILE.parquet.

--format claimreview prints each verdict as schema.org ClaimReview JSON-LD, to embed in a fact-check's
page; --reviewer names the organization that publishes it.

Given an address, toll fetches the page (as it fetches sources: its User-Agent, a 2-minute limit,
transient failures retried, 16 MiB at most), finds the article's text with a readability algorithm, and
takes the publication date the page gives (article:published_time, JSON-LD datePublished, or a <time>
element); --published overrides it. The output says which date was used and where it came from.

Checks read the latest snapshot only, so they run while a pipeline run holds the warehouse.
` + exitCodesHelp,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch opts.format {
			case "", "table", "json", "jsonl", "claimreview":
			default:
				return usageError("--format %q: want table, json, claimreview or jsonl", opts.format)
			}
			if opts.batch != "" {
				if len(args) > 0 {
					return usageError("give either a FILE or --batch, not both")
				}
				return runCheckBatch(cmd.Context(), g, opts)
			}
			var published time.Time
			if opts.published != "" {
				var err error
				if published, err = obs.ParseDate(opts.published); err != nil {
					return usageError("--published %q: want YYYY-MM-DD", opts.published)
				}
			}
			path := "-"
			if len(args) == 1 {
				path = args[0]
			}
			if published.IsZero() && !isAddress(path) {
				return usageError("--published DATE is required (the article's publication date, YYYY-MM-DD)")
			}
			return runCheck(cmd.Context(), g, opts, path, published)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.published, "published", "", "the article's publication date (YYYY-MM-DD)")
	f.StringVar(&opts.format, "format", "", "table (default for one text), json, or claimreview (schema.org ClaimReview JSON-LD); jsonl for --batch (its default)")
	f.StringVar(&opts.reviewer, "reviewer", "toll", "with --format claimreview: the organization named as the reviews' author (your newsroom)")
	f.StringVar(&opts.batch, "batch", "", "check every line of a JSON-lines file")
	f.StringVar(&opts.out, "out", "", "with --batch: write the claims as a Parquet table to this file")
	return cmd
}

func readInput(path string) (string, error) {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, check.MaxTextBytes+1))
	return string(b), err
}

// isAddress says whether check's argument is a web page's address rather than a file.
func isAddress(path string) bool {
	return strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://")
}

func runCheck(ctx context.Context, g *globals, opts checkOptions, path string, published time.Time) error {
	var text, address, dateFrom string
	var err error
	if isAddress(path) {
		pages := &fetch.HTTP{UserAgent: fetch.UserAgent(version), Now: time.Now}
		a, err := article.Read(ctx, pages, path, check.MaxTextBytes)
		if err != nil {
			return err
		}
		text, address = a.Text, path
		var ok bool
		if published, dateFrom, ok = a.Date(published, "--published"); !ok {
			return usageError("%s gives no publication date: give it with --published YYYY-MM-DD", path)
		}
	} else if text, err = readInput(path); err != nil {
		return err
	}
	day := published.Format(obs.DateLayout)
	c, err := check.Open(ctx, g.dataDir)
	if err != nil {
		return err
	}
	claims, err := c.CheckText(text, published)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	switch opts.format {
	case "json", "claimreview":
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		if opts.format == "claimreview" {
			return enc.Encode(check.ClaimReviews(claims, published, address, opts.reviewer, time.Now().UTC()))
		}
		doc := map[string]any{"published": day, "snapshot": c.SnapshotID(), "claims": nonNil(claims)}
		if address != "" {
			doc["url"], doc["published_from"] = address, dateFrom
		}
		return enc.Encode(doc)
	}
	if dateFrom != "" {
		day += " (from " + dateFrom + ")"
	}
	printClaims(g.stdout, claims, c.SnapshotID(), day)
	return nil
}

func nonNil(claims []check.Claim) []check.Claim {
	if claims == nil {
		return []check.Claim{}
	}
	return claims
}

func printClaims(w io.Writer, claims []check.Claim, snapshotID, published string) {
	if len(claims) == 0 {
		fmt.Fprintf(w, "No casualty or displacement figures found, published %s (snapshot %s).\n", published, snapshotID)
		return
	}
	fmt.Fprintf(w, "%d figures, published %s, checked against snapshot %s: %s\n\n", len(claims), published, snapshotID,
		strings.Join(check.Counts(claims), ", "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "QUOTED\tREAD AS\tDATA\tVERDICT\tCURRENT")
	for _, c := range claims {
		value := "?"
		if c.Value != nil {
			value = obs.GroupDigits(*c.Value)
			if c.ValueMax != nil {
				value += "–" + obs.GroupDigits(*c.ValueMax)
			}
		}
		readAs := fmt.Sprintf("%s %s %s/%s, %s, %s", c.Qualifier, value, c.Metric, c.Subgroup, orDash(c.Area), c.Scope)
		data, current := "-", "-"
		if c.Data != nil {
			data = fmt.Sprintf("%s on %s (%s)", obs.GroupDigits(c.Data.Value), c.Data.ReportDate, c.Data.Publisher)
			if c.Data.Version != "" {
				data += ", " + c.Data.Version
			}
			if d := c.Derived; d != nil && len(d.Parts) > 0 {
				data = fmt.Sprintf("%s–%s on %s (sum of %d parts)", obs.GroupDigits(d.Low), obs.GroupDigits(d.High), c.Data.ReportDate, len(d.Parts))
			}
		}
		if c.CurrentFrom != "" {
			current = c.CurrentFrom + " … " + c.CurrentUntil
		}
		fmt.Fprintf(tw, "%q\t%s\t%s\t%s\t%s\n", c.TextSpan, readAs, data, c.Verdict, current)
	}
	tw.Flush()
	fmt.Fprintln(w)
	for i, c := range claims {
		fmt.Fprintf(w, "%d. %q: %s: %s", i+1, c.TextSpan, c.Verdict, c.Why)
		if c.Data != nil {
			fmt.Fprintf(w, " [series %s; tolerance: %s]", c.Data.Series, c.Tolerance)
		}
		fmt.Fprintf(w, "\n   read from: %s; confidence %s\n", evidenceLine(c.Evidence), c.Confidence)
	}
}

// evidenceLine says which words decided a claim's reading.
func evidenceLine(e check.Evidence) string {
	var parts []string
	for _, p := range [][2]string{{"place", e.Place}, {"time frame", e.TimeFrame}, {"people", e.Group}, {"what happened", e.Metric}} {
		if p[1] != "" {
			parts = append(parts, fmt.Sprintf("%s %q", p[0], p[1]))
		}
	}
	if e.Unsure != "" {
		parts = append(parts, "not sure: "+e.Unsure)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func runCheckBatch(ctx context.Context, g *globals, opts checkOptions) error {
	if opts.format != "" && opts.format != "jsonl" && opts.out == "" {
		return usageError("--batch writes jsonl (or Parquet with --out)")
	}
	f, err := os.Open(opts.batch)
	if err != nil {
		return err
	}
	defer f.Close()
	c, err := check.Open(ctx, g.dataDir)
	if err != nil {
		return err
	}
	var emit func(check.BatchResult) error
	var pw *check.ParquetWriter
	if opts.out != "" {
		if pw, err = check.NewParquetWriter(ctx); err != nil {
			return err
		}
		emit = pw.Add
	} else {
		bw := bufio.NewWriter(g.stdout)
		defer bw.Flush()
		enc := json.NewEncoder(bw)
		emit = func(r check.BatchResult) error { return enc.Encode(r) }
	}
	failed, err := c.CheckBatch(ctx, opts.batch, f, emit)
	if err != nil {
		return err
	}
	if pw != nil {
		if err := pw.Write(opts.out); err != nil {
			return fmt.Errorf("writing %s: %w", opts.out, err)
		}
	}
	if failed > 0 {
		return &exitError{code: exitPartial, err: fmt.Errorf("%d lines of %s could not be checked (their output carries the error)", failed, opts.batch)}
	}
	return nil
}
