package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"toll/pipeline/serve"
)

type serveOptions struct {
	addr    string
	origins []string
}

func newServeCmd(g *globals) *cobra.Command {
	var opts serveOptions
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080]",
		Short: "Serve the snapshots over HTTP, read-only: files, series, latest values, claim checks",
		Long: `A read-only HTTP API over the snapshots (never the warehouse, so it runs beside toll run and schedule):

  GET  /snapshots                      the manifests, and which one LATEST names
  GET  /snapshots/{id|latest}/{file}   a snapshot's files, with Range and ETag (immutable for ids)
  GET  /api/latest                     the latest value of every series, with report date, publisher, basis
  GET  /api/series?country=&metric=&subgroup=   the series catalog
  GET  /api/series/{series_id}         one series' values
  POST /api/check                      {"text": ..., "published": "YYYY-MM-DD"}: the claims, as toll check

Errors are JSON {"error": ...}. Browsers may read it only from the --cors-origin origins (none by default).
It stops cleanly on SIGTERM.
` + exitCodesHelp,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().StringArrayVar(&opts.origins, "cors-origin", nil, "an origin browsers may read from (repeatable; * for any)")
	return cmd
}

func runServe(ctx context.Context, g *globals, opts serveOptions) error {
	log := g.logger()
	s := &serve.Server{DataDir: g.dataDir, CORSOrigins: opts.origins, Logger: log, Version: version}
	defer s.Close()
	// Bind before saying so: a port in use is an error now, not a log line later.
	l, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	log.Info("serving", "addr", l.Addr().String(), "data_dir", g.dataDir)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
