// Package run wires the stages together for one toll run: for each source, fetch → normalize → load,
// each source on its own so that one failing source never stops the others; then, if anything changed,
// snapshot. It holds the data directory's lock for the whole run.
package run

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"toll/pipeline/config"
	"toll/pipeline/crashpoint"
	"toll/pipeline/fetch"
	"toll/pipeline/load"
	"toll/pipeline/normalize"
	"toll/pipeline/obs"
	"toll/pipeline/publish"
	"toll/pipeline/snapshot"
	"toll/pipeline/source"
	"toll/schemas"
)

// Options configure a run.
type Options struct {
	DataDir     string
	Sources     []string // names to run; empty means every registered source
	Accept      []string // sources whose payloads are loaded even where their Hold rules would hold them back
	Offline     bool     // read the bundle under BundleDir instead of the network
	BundleDir   string   // the offline bundle (default data/bundle); curated sources are read from it in every run
	Config      config.Config
	TollVersion string
	LockWait    time.Duration // how long to wait for another run's lock; 0 fails at once
	Parallel    int           // sources fetched and normalized at once; 0 means DefaultParallel
	HTTPClient  *http.Client  // nil means a default client
	Logger      *slog.Logger
	// Progress, when set, shows downloads and the snapshot export (progress bars on a terminal).
	Progress Progress
	Now      func() time.Time // nil means time.Now
}

// Progress shows work as it happens. Both methods may be nil-safe no-ops.
type Progress interface {
	Download(name string, size int64, body io.Reader) io.Reader
	Export(done, total int)
}

// Result is what a run did.
type Result struct {
	RunID     string
	Status    string // load.StatusOK, StatusUnchanged, StatusPartial or StatusFailed
	Sources   []load.SourceRun
	Snapshot  *snapshot.Manifest // nil when no new snapshot was written
	Headlines []load.Latest
	Published string // the snapshot copied to Config.Publish.URL, if one was
	// PublishErr is why the latest snapshot could not be published; the data is loaded all the same,
	// and the next run publishes again.
	PublishErr error
}

// DefaultParallel is how many sources a run fetches and normalizes at once. Loads into the warehouse
// take turns (one writer, one transaction per source); fetches wait on the network, so a few at once
// keep a slow upstream from delaying the others by more than its own timeout.
const DefaultParallel = 4

// DefaultMemoryLimit is DuckDB's memory limit in a run unless the config sets memory_limit: enough for
// event datasets of millions of rows (larger sorts spill to disk), small enough for a modest machine.
// DuckDB's own default, 80% of the machine's memory, would let one run crowd out everything else.
const DefaultMemoryLimit = "512MB"

// maxWarnings caps the warnings kept per source run; the count of the rest is said.
const maxWarnings = 50

// Run runs the selected sources and snapshots the warehouse if anything changed. It returns an error
// only when the run as a whole could not happen (bad options, lock held, warehouse unusable); a source
// that fails is recorded in Result.Sources and Result.Status.
func Run(ctx context.Context, reg *source.Registry, opts Options) (Result, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	sources, err := selectSources(reg, opts.Sources)
	if err != nil {
		return Result{}, err
	}
	unlock, err := Lock(ctx, opts.DataDir, opts.LockWait, opts.Now)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	// A process killed earlier may have left half-written files; only the lock holder writes, so
	// anything incoming now is garbage.
	if err := errors.Join(fetch.Archive{Dir: opts.DataDir}.RemoveIncomplete(), snapshot.RemoveIncomplete(opts.DataDir),
		os.RemoveAll(load.WorkDir(opts.DataDir))); err != nil {
		opts.Logger.Warn("could not remove files left by an interrupted run", "err", err)
	}

	w, err := load.Open(ctx, opts.DataDir, load.Options{MemoryLimit: cmp.Or(opts.Config.MemoryLimit, DefaultMemoryLimit)})
	if err != nil {
		return Result{}, err
	}
	defer w.Close()
	if err := w.RemoveUnstored(ctx); err != nil {
		opts.Logger.Warn("could not remove store files left by an interrupted run", "err", err)
	}

	bundle := newBundle(opts)
	r := &runner{opts: opts, reg: reg, w: w, fetcher: newFetcher(opts, bundle), bundle: bundle, log: opts.Logger}
	res := Result{RunID: newRunID(opts.Now())}
	r.runID = res.RunID
	started := opts.Now()
	if err := w.StartRun(ctx, load.Run{ID: res.RunID, StartedAt: started, Offline: opts.Offline}); err != nil {
		return res, fmt.Errorf("recording run: %w", err)
	}
	r.log.Info("run started", "run_id", res.RunID, "offline", opts.Offline, "sources", len(sources))

	results := make([]*load.SourceRun, len(sources))
	pool := make(chan struct{}, max(1, cmp.Or(opts.Parallel, DefaultParallel)))
	var wg sync.WaitGroup
	for i, src := range sources {
		pool <- struct{}{}
		if ctx.Err() != nil {
			break // interrupted: start nothing new; what is loaded stays loaded
		}
		wg.Go(func() {
			defer func() { <-pool }()
			sr := r.source(ctx, src)
			results[i] = &sr
		})
	}
	wg.Wait()
	for _, sr := range results { // in the registry's order, whatever finished first
		if sr == nil {
			continue
		}
		if err := w.RecordSourceRun(context.WithoutCancel(ctx), *sr); err != nil {
			return res, fmt.Errorf("recording source run %s: %w", sr.Source, err)
		}
		res.Sources = append(res.Sources, *sr)
	}
	res.Status = overallStatus(res.Sources)

	var runErr error
	if ctx.Err() == nil {
		if res.Snapshot, runErr = r.snapshotIfChanged(ctx, res); runErr != nil {
			res.Status = load.StatusFailed
		}
	} else {
		res.Status, runErr = load.StatusFailed, ctx.Err()
	}
	crashpoint.Here(ctx, crashpoint.RunBeforeRecord)
	fin := load.Run{ID: res.RunID, FinishedAt: opts.Now(), Status: res.Status}
	if runErr != nil {
		fin.Error = runErr.Error()
	}
	if res.Snapshot != nil {
		fin.SnapshotID = res.Snapshot.ID
	}
	if err := w.FinishRun(context.WithoutCancel(ctx), fin); err != nil {
		return res, fmt.Errorf("recording run: %w", err)
	}
	if res.Headlines, err = w.Headlines(context.WithoutCancel(ctx)); err != nil {
		return res, err
	}
	if url := opts.Config.Publish.URL; url != "" && runErr == nil {
		// Also when nothing changed: a publish an earlier run could not finish is done now.
		var pub publish.Result
		pub, res.PublishErr = publish.Sync(ctx, opts.DataDir, url, false)
		res.Published = pub.ID
		if res.PublishErr != nil {
			r.log.Error("publishing the snapshot failed; the next run tries again", "err", res.PublishErr)
		} else if res.Published != "" {
			r.log.Info("snapshot published", "id", res.Published, "url", redact(url))
			if len(pub.Restricted) > 0 {
				r.log.Warn("published sources whose terms restrict their use; a public bucket may break them", "sources", pub.Restricted)
			}
		}
	}
	return res, runErr
}

// redact drops a URL's query, which may hold credentials, for logs.
func redact(url string) string {
	base, _, _ := strings.Cut(url, "?")
	return base
}

func selectSources(reg *source.Registry, names []string) ([]source.Source, error) {
	if len(names) == 0 {
		return reg.All(), nil
	}
	var out []source.Source
	for _, n := range names {
		s, ok := reg.Lookup(n)
		if !ok {
			return nil, fmt.Errorf("unknown source %q (see `toll sources`)", n)
		}
		out = append(out, s)
	}
	return out, nil
}

// newFetcher is how the run gets payloads: from bundle offline, else over HTTP.
func newFetcher(opts Options, bundle *fetch.Bundle) fetch.Fetcher {
	if opts.Offline {
		return bundle
	}
	h := &fetch.HTTP{Client: opts.HTTPClient, UserAgent: fetch.UserAgent(opts.TollVersion),
		Archive: fetch.Archive{Dir: opts.DataDir}, Now: opts.Now}
	if opts.Progress != nil {
		h.Progress = opts.Progress.Download
	}
	return h
}

// newBundle reads the offline bundle: every source's payloads in an offline run, and a curated source's
// in any run.
func newBundle(opts Options) *fetch.Bundle {
	return &fetch.Bundle{Dir: cmp.Or(opts.BundleDir, fetch.DefaultBundleDir), Archive: fetch.Archive{Dir: opts.DataDir}}
}

func newRunID(now time.Time) string {
	b := make([]byte, 3)
	rand.Read(b)
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

type runner struct {
	opts    Options
	reg     *source.Registry
	w       *load.Warehouse
	fetcher fetch.Fetcher
	bundle  *fetch.Bundle // for curated sources, which no run fetches over the network
	log     *slog.Logger
	runID   string
	writing sync.Mutex // loads take turns: one transaction per source, one writer
}

// source runs one source: fetch (which archives), then normalize and load each payload not loaded yet.
// A payload that fails to normalize is rejected whole and stays in the archive for inspection.
func (r *runner) source(ctx context.Context, src source.Source) load.SourceRun {
	spec := src.Spec()
	log := r.log.With("source", spec.Name)
	cfg := r.opts.Config.Sources[spec.Name]
	url := spec.URL
	if cfg.URL != "" {
		url = cfg.URL
	}
	sr := load.SourceRun{RunID: r.runID, Source: spec.Name, StartedAt: r.opts.Now(), URL: url, Status: load.StatusUnchanged}
	fail := func(err error) load.SourceRun {
		sr.Status, sr.Error, sr.FinishedAt = load.StatusFailed, err.Error(), r.opts.Now()
		log.Error("source failed", "err", err)
		return sr
	}

	req := fetch.Request{Spec: spec, URL: url}
	fetcher := r.fetcher
	if spec.Curated && cfg.URL == "" {
		fetcher = r.bundle
	}
	h, overHTTP := fetcher.(*fetch.HTTP)
	if overHTTP {
		if cfg.Timeout > 0 || cfg.MaxBytes > 0 {
			per := *h
			per.Timeout, per.MaxBytes = cfg.Timeout, cfg.MaxBytes
			fetcher = &per
		}
		var err error
		if req.Validators.ETag, req.Validators.LastModified, err = r.w.Validators(ctx, spec.Name, url); err != nil {
			return fail(err)
		}
	}
	fetchStart := time.Now()
	fetched, err := fetcher.Fetch(ctx, req)
	sr.HTTPStatus = fetched.HTTPStatus
	var missingKey *fetch.MissingKeyError
	if spec.Curated && !r.opts.Offline && errors.Is(err, fs.ErrNotExist) {
		// An online deployment without the bundle: the curated source is skipped, saying where it looked.
		err = fmt.Errorf("%w: %v (give the bundle's directory with --bundle-dir)", fetch.ErrNotInBundle, err)
	}
	if errors.As(err, &missingKey) || errors.Is(err, fetch.ErrNotInBundle) {
		// Not a failure of the run: the operator has not configured this source, or an offline run
		// has nothing of it.
		sr.Status, sr.Error, sr.FinishedAt = load.StatusSkipped, err.Error(), r.opts.Now()
		log.Info("source skipped", "reason", err.Error())
		return sr
	}
	if err != nil {
		return fail(err)
	}
	if fetched.NotModified {
		log.Info("not modified upstream", "url", url)
		sr.FinishedAt = r.opts.Now()
		return sr
	}
	log.Debug("fetched", "payloads", len(fetched.Payloads), "seconds", time.Since(fetchStart).Seconds())
	var warnings []string
	for _, p := range fetched.Payloads {
		sr.Payloads++
		sr.URL, sr.HTTPStatus, sr.Bytes, sr.SHA256 = p.URL, p.HTTPStatus, p.Bytes, p.SHA256
		loaded, err := r.w.Loaded(ctx, spec.Name, p.SHA256)
		if err != nil {
			return fail(err)
		}
		if loaded {
			log.Debug("payload already loaded", "sha256", p.SHA256)
			continue
		}
		v := load.Vintage{Source: spec.Name, SHA256: p.SHA256, URL: p.URL, Path: p.Path, Bytes: p.Bytes,
			FetchedAt: p.FetchedAt, RunID: r.runID, Accept: slices.Contains(r.opts.Accept, spec.Name)}
		loadStart := time.Now()
		stats, payloadWarnings, err := r.normalizeAndLoad(ctx, src, v)
		if err != nil && !errors.Is(err, load.ErrOlderVintage) {
			err = fmt.Errorf("%w (payload kept at %s)", err, p.Path)
		}
		if load.IsHeld(err) {
			sr.Status, sr.Error, sr.FinishedAt = load.StatusHeld, err.Error(), r.opts.Now()
			log.Error("payload held back", "err", err)
			return sr
		}
		if errors.Is(err, load.ErrOlderVintage) {
			warnings = append(warnings, err.Error()+"; not loaded")
			continue
		}
		if err != nil {
			return fail(err)
		}
		for _, w := range payloadWarnings {
			// Replayed vintages repeat their predecessors' oddities; say each once.
			if !slices.Contains(warnings, w.String()) {
				warnings = append(warnings, w.String())
			}
		}
		sr.Status = load.StatusOK
		sr.Stats.Rows = stats.Rows
		sr.Stats.Added += stats.Added
		sr.Stats.Changed += stats.Changed
		sr.Stats.Removed += stats.Removed
		sr.Stats.Revisions += stats.Revisions
		log.Info("vintage loaded", "fetched_at", p.FetchedAt.Format(time.RFC3339), "sha256", p.SHA256[:12],
			"rows", stats.Rows, "added", stats.Added, "changed", stats.Changed, "removed", stats.Removed,
			"revisions", stats.Revisions, "warnings", len(payloadWarnings), "seconds", time.Since(loadStart).Seconds())
	}
	if overHTTP {
		// Only now: a payload that failed to load is fetched again next time, not answered 304.
		v := fetched.Validators
		r.writing.Lock()
		err := r.w.SaveValidators(ctx, spec.Name, url, v.ETag, v.LastModified, r.opts.Now())
		r.writing.Unlock()
		if err != nil {
			return fail(err)
		}
	}
	if len(warnings) > maxWarnings {
		warnings = append(warnings[:maxWarnings], fmt.Sprintf("… and %d more warnings", len(warnings)-maxWarnings))
	}
	sr.Warnings = warnings
	sr.FinishedAt = r.opts.Now()
	return sr
}

// normalizeAndLoad normalizes one payload and loads it in a transaction of its own: in Go for a
// RowSource, inside DuckDB for a QuerySource, with a work folder of its own. Loads take turns on the
// warehouse.
func (r *runner) normalizeAndLoad(ctx context.Context, src source.Source, v load.Vintage) (load.Stats, []obs.Warning, error) {
	spec := src.Spec()
	switch src := src.(type) {
	case source.RowSource:
		body, err := os.ReadFile(v.Path)
		if err != nil {
			return load.Stats{}, nil, err
		}
		res, err := normalize.Payload(src, body, r.opts.Now())
		if err != nil {
			return load.Stats{}, nil, err
		}
		if len(res.Suspect) > 0 && !v.Accept {
			rule := res.Suspect[0]
			if len(res.Suspect) > 1 {
				rule += fmt.Sprintf(" (and %d more)", len(res.Suspect)-1)
			}
			return load.Stats{}, nil, &load.HeldError{Source: spec.Name, Rule: rule}
		}
		r.writing.Lock()
		defer r.writing.Unlock()
		stats, err := r.w.Load(ctx, v, spec, res.Rows)
		return stats, res.Warnings, err
	case source.QuerySource:
		work, err := load.NewWorkDir(r.opts.DataDir, spec.Name)
		if err != nil {
			return load.Stats{}, nil, err
		}
		defer os.RemoveAll(work)
		q, err := normalize.Query(src, v.Path, work, r.opts.Now())
		if err != nil {
			return load.Stats{}, nil, err
		}
		r.writing.Lock()
		defer r.writing.Unlock()
		check := func(rows []obs.Observation) error { return normalize.CheckTerms(spec.Name, rows) }
		stats, warnings, err := r.w.LoadQuery(ctx, v, spec, q, check)
		if errors.Is(err, load.ErrRepeatedKey) {
			// The payload gives an observation twice: normalize keeps one row per key, with a warning, as
			// it does for a source that normalizes in Go. The failed attempt committed nothing.
			return r.w.LoadQuery(ctx, v, spec, normalize.KeepOnePerKey(q), check)
		}
		return stats, warnings, err
	}
	return load.Stats{}, nil, fmt.Errorf("source %s: neither a RowSource nor a QuerySource", spec.Name)
}

func overallStatus(srs []load.SourceRun) string {
	failed, held, changed, skipped := 0, 0, 0, 0
	for _, sr := range srs {
		switch sr.Status {
		case load.StatusFailed:
			failed++
		case load.StatusHeld:
			held++
		case load.StatusOK:
			changed++
		case load.StatusSkipped:
			skipped++
		}
	}
	switch {
	case failed > 0 && failed+skipped == len(srs):
		return load.StatusFailed
	case failed > 0 || held > 0: // held back is not failed: the source works, a person must look
		return load.StatusPartial
	case changed > 0:
		return load.StatusOK
	}
	return load.StatusUnchanged
}

// snapshotIfChanged writes a snapshot when a source loaded a new vintage, when the latest snapshot lags
// the warehouse (an earlier run stopped after a load, before LATEST moved) or is of an older schema
// version, or when the data directory has data but no snapshot yet.
func (r *runner) snapshotIfChanged(ctx context.Context, res Result) (*snapshot.Manifest, error) {
	changed := false
	for _, sr := range res.Sources {
		changed = changed || sr.Status == load.StatusOK
	}
	states, err := r.w.SourceStates(ctx)
	if err != nil {
		return nil, err
	}
	loads, err := r.w.Loads(ctx)
	if err != nil {
		return nil, err
	}
	if !changed {
		latest, err := snapshot.ReadLatest(r.opts.DataDir)
		switch {
		case loads == 0:
			r.log.Info("nothing loaded yet; no snapshot")
			return nil, nil
		case errors.Is(err, snapshot.ErrNoSnapshot): // data but no snapshot yet: write the first
		case err != nil:
			r.log.Warn("the latest snapshot cannot be read; writing a new one", "err", err)
		case latest.Loads < loads:
			r.log.Warn("the latest snapshot lags the warehouse (an earlier run stopped before moving LATEST); writing a new one",
				"snapshot", latest.ID, "its_loads", latest.Loads, "warehouse_loads", loads)
		case latest.SchemaVersion != schemas.Version():
			r.log.Info("the latest snapshot is of an older schema version; writing a new one", "snapshot", latest.ID)
		default:
			r.log.Info("nothing changed upstream; no new snapshot")
			return nil, nil
		}
	}
	m := snapshot.Manifest{RunID: r.runID, TollVersion: r.opts.TollVersion, Loads: loads}
	for _, name := range slices.Sorted(maps.Keys(states)) {
		s := states[name]
		entry := snapshot.SourceEntry{Name: name, URL: s.URL, FetchedAt: s.FetchedAt.UTC(),
			RawSHA256: s.SHA256, Rows: s.Rows, Status: s.LastStatus, Error: s.LastError}
		if src, ok := r.reg.Lookup(name); ok { // a source no longer registered keeps its rows, without terms
			t := src.Spec().Terms
			entry.License, entry.LicenseURL, entry.Citation, entry.Restrictions = t.License, t.URL, t.Citation, t.Restrictions()
		}
		m.Sources = append(m.Sources, entry)
	}
	var progress func(done, total int)
	if r.opts.Progress != nil {
		progress = r.opts.Progress.Export
	}
	written, err := snapshot.Write(ctx, r.w.DB(), r.opts.DataDir, m, r.opts.Now(), progress)
	if err != nil {
		return nil, err
	}
	r.log.Info("snapshot written", "id", written.ID, "path", snapshot.Path(r.opts.DataDir, written.ID))
	return &written, nil
}
