package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"toll/pipeline/metrics"
	"toll/pipeline/run"
)

type scheduleOptions struct {
	configPath  string
	metricsAddr string
	grace       time.Duration
	lockWait    time.Duration
}

func newScheduleCmd(g *globals) *cobra.Command {
	var opts scheduleOptions
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Stay up and run each source on its cron schedule; snapshot after runs that changed something",
		Long: `Run each source on its own schedule (the catalog's default, see toll sources, or sources.NAME.schedule
in the config file: "CRON_TZ=UTC 30 5 * * *", "@every 10m", "@daily"). A source still running when its
next time comes is skipped, not run twice. Each job opens the warehouse and takes the data directory's
lock only while it runs, so toll query, check, status and snapshots keep working, and a toll run from
cron waits its turn.

On SIGTERM or SIGINT it takes no new jobs, lets running ones finish for up to --grace, then cancels
them, and exits 0.
` + exitCodesHelp,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSchedule(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.configPath, "config", "", "config file (YAML): source URLs, timeouts and schedules")
	f.StringVar(&opts.metricsAddr, "metrics-addr", "", "serve Prometheus metrics at this address, e.g. :9464")
	f.DurationVar(&opts.grace, "grace", 30*time.Second, "how long running jobs may finish after SIGTERM")
	f.DurationVar(&opts.lockWait, "lock-wait", 10*time.Minute, "how long a job waits for another run's lock")
	return cmd
}

// cronParser accepts the standard five fields, CRON_TZ= prefixes and descriptors (@every 10m, @daily).
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

func runSchedule(ctx context.Context, g *globals, opts scheduleOptions) error {
	log := g.logger()
	cfg, reg, err := loadConfig(opts.configPath)
	if err != nil {
		return err
	}
	m := metrics.New(g.dataDir)
	// Jobs run under their own context, cancelled only when the grace period after a signal runs out.
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()

	cronLog := cronLogger{log.With("component", "cron")}
	c := cron.New(cron.WithParser(cronParser), cron.WithLogger(cronLog),
		cron.WithChain(cron.Recover(cronLog), cron.SkipIfStillRunning(cronLog)))
	for _, src := range reg.All() {
		name := src.Spec().Name
		schedule := src.Spec().Schedule
		if s := cfg.Sources[name].Schedule; s != "" {
			schedule = s
		}
		job := func() {
			res, err := run.Run(jobCtx, reg, run.Options{DataDir: g.dataDir, Sources: []string{name}, Config: cfg,
				TollVersion: version, LockWait: opts.lockWait, Logger: log})
			m.Observe(res)
			if err != nil {
				log.Error("scheduled run failed", "source", name, "err", err)
			}
		}
		if _, err := c.AddFunc(schedule, job); err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("source %s: schedule %q: %w", name, schedule, err)}
		}
		log.Info("scheduled", "source", name, "schedule", schedule)
	}

	var wg sync.WaitGroup
	var srv *http.Server
	if opts.metricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
		srv = &http.Server{Addr: opts.metricsAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		wg.Go(func() {
			if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("metrics server", "err", err)
			}
		})
		log.Info("serving metrics", "addr", opts.metricsAddr)
	}

	c.Start()
	<-ctx.Done()
	log.Info("stopping: no new jobs", "grace", opts.grace)
	stopped := c.Stop() // done when running jobs have returned
	select {
	case <-stopped.Done():
	case <-time.After(opts.grace):
		log.Warn("grace period over: cancelling running jobs")
		cancelJobs()
		<-stopped.Done()
	}
	if srv != nil {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx)
	}
	wg.Wait()
	log.Info("stopped")
	return nil
}

// cronLogger lets robfig/cron log through slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error(msg, append(kv, "err", err)...)
}
