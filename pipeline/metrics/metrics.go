// Package metrics exposes what runs did as Prometheus metrics: served over HTTP by toll schedule, or
// written in the node_exporter textfile-collector format by toll run --metrics-file for cron users.
package metrics

import (
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"toll/pipeline/load"
	"toll/pipeline/run"
	"toll/pipeline/snapshot"
)

// Metrics holds toll's collectors in their own registry.
type Metrics struct {
	Registry      *prometheus.Registry
	runs          *prometheus.CounterVec
	sourceRuns    *prometheus.CounterVec
	lastSuccess   *prometheus.GaugeVec
	rows          *prometheus.GaugeVec
	fetchDuration *prometheus.HistogramVec
}

// New returns the collectors; dataDir is where the snapshot age is read from at each scrape.
func New(dataDir string) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "toll_runs_total",
			Help: "Runs by how they ended: ok, unchanged, partial, failed."}, []string{"status"}),
		sourceRuns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "toll_source_runs_total",
			Help: "Source runs by source and how they ended."}, []string{"source", "status"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "toll_source_last_success_timestamp_seconds",
			Help: "When each source last ran without error (ok or unchanged), as a Unix time."}, []string{"source"}),
		rows: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "toll_source_rows",
			Help: "Observations in each source's latest loaded payload."}, []string{"source"}),
		fetchDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "toll_source_run_duration_seconds",
			Help: "Time to fetch, normalize and load one source.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 12)}, []string{"source"}),
	}
	snapshotAge := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "toll_snapshot_age_seconds",
		Help: "Age of the snapshot LATEST names; -1 when there is none."}, func() float64 {
		id, err := snapshot.Latest(dataDir)
		if err != nil {
			return -1
		}
		man, err := snapshot.ReadManifest(dataDir, id)
		if err != nil {
			return -1
		}
		return time.Since(man.CreatedAt).Seconds()
	})
	m.Registry.MustRegister(m.runs, m.sourceRuns, m.lastSuccess, m.rows, m.fetchDuration, snapshotAge)
	return m
}

// Observe records a finished run.
func (m *Metrics) Observe(res run.Result) {
	if res.Status != "" {
		m.runs.WithLabelValues(res.Status).Inc()
	}
	for _, s := range res.Sources {
		m.sourceRuns.WithLabelValues(s.Source, s.Status).Inc()
		m.fetchDuration.WithLabelValues(s.Source).Observe(s.FinishedAt.Sub(s.StartedAt).Seconds())
		if s.Status == load.StatusOK || s.Status == load.StatusUnchanged {
			m.lastSuccess.WithLabelValues(s.Source).Set(float64(s.FinishedAt.Unix()))
		}
		if s.Status == load.StatusOK {
			m.rows.WithLabelValues(s.Source).Set(float64(s.Stats.Rows))
		}
	}
}

// WriteTextfile writes the metrics for node_exporter's textfile collector, atomically.
func (m *Metrics) WriteTextfile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return prometheus.WriteToTextfile(path, m.Registry)
}
