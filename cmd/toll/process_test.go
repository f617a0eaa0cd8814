package main

// Tests that run the toll binary as a separate process: signals, locks between processes, and
// SIGKILL at chosen points of a run.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"toll/pipeline/crashpoint"
	"toll/pipeline/load"
	"toll/pipeline/snapshot"
)

var (
	buildOnce sync.Once
	tollBin   string
	buildErr  error
)

// binary builds toll once for the package's tests.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "toll-bin-")
		if err != nil {
			buildErr = err
			return
		}
		tollBin = filepath.Join(dir, "toll")
		out, err := exec.Command("go", "build", "-o", tollBin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return tollBin
}

const bundleDir = "../../data/bundle"

var payloads = map[string]string{
	"tfp_gaza_daily":          "techforpalestine/casualties_daily.json",
	"tfp_west_bank_daily":     "techforpalestine/west_bank_daily.json",
	"tfp_lebanon_daily":       "techforpalestine/lebanon_casualties_daily.json",
	"tfp_gaza_infrastructure": "techforpalestine/infrastructure-damaged.json",
}

// upstream serves the real payloads with ETags; stall makes one source's body stop halfway until the
// client goes away. It records the most requests in flight at once per source.
type upstream struct {
	*httptest.Server
	stall    atomic.Value // source name
	requests atomic.Int32
	mu       sync.Mutex
	inFlight map[string]int
	maxIn    map[string]int
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{inFlight: map[string]int{}, maxIn: map[string]int{}}
	u.stall.Store("")
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		u.requests.Add(1)
		u.mu.Lock()
		u.inFlight[name]++
		u.maxIn[name] = max(u.maxIn[name], u.inFlight[name])
		u.mu.Unlock()
		defer func() { u.mu.Lock(); u.inFlight[name]--; u.mu.Unlock() }()
		body, err := os.ReadFile(filepath.Join(bundleDir, payloads[name]))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if u.stall.Load() == name {
			w.Write(body[:len(body)/2])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			return
		}
		etag := fmt.Sprintf(`"%d"`, len(body))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Write(body)
	}))
	t.Cleanup(u.Close)
	return u
}

// config writes a config file pointing every source at the upstream, with extra per-source lines.
func (u *upstream) config(t *testing.T, extra string) string {
	var b strings.Builder
	b.WriteString("sources:\n")
	for name := range payloads {
		fmt.Fprintf(&b, "  %s:\n    url: %s/%s\n    timeout: 20s\n%s", name, u.URL, name, extra)
	}
	path := filepath.Join(t.TempDir(), "toll.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// sourceArgs names the sources the upstream serves, for toll run.
func sourceArgs() []string {
	var args []string
	for name := range payloads {
		args = append(args, "--source", name)
	}
	return args
}

// started is a toll process running in the background, its stderr scanned for a line.
type started struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr strings.Builder
	mu     sync.Mutex
}

func start(t *testing.T, env []string, args ...string) *started {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &started{cmd: cmd, lines: make(chan string, 1000)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			s.mu.Lock()
			s.stderr.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			select {
			case s.lines <- sc.Text():
			default:
			}
		}
		close(s.lines)
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return s
}

// waitFor waits for a stderr line containing want.
func (s *started) waitFor(t *testing.T, want string, limit time.Duration) {
	t.Helper()
	deadline := time.After(limit)
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				t.Fatalf("process ended before saying %q:\n%s", want, s.log())
			}
			if strings.Contains(line, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no %q within %s:\n%s", want, limit, s.log())
		}
	}
}

func (s *started) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

func (s *started) kill(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}

// tollRun runs toll to the end and returns its exit code and output.
func tollRun(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	out, _ := cmd.CombinedOutput()
	return cmd.ProcessState.ExitCode(), string(out)
}

// consistent checks what must hold after any crash: the warehouse opens, and LATEST, when there is one,
// names a snapshot whose files match its manifest.
func consistent(t *testing.T, dataDir string) {
	t.Helper()
	w, err := load.Open(context.Background(), dataDir, load.Options{})
	if err != nil {
		t.Fatalf("warehouse does not open after the crash: %v", err)
	}
	if _, err := w.SourceStates(context.Background()); err != nil {
		t.Fatalf("warehouse unreadable after the crash: %v", err)
	}
	w.Close()
	id, err := snapshot.Latest(dataDir)
	if err == snapshot.ErrNoSnapshot {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	m, err := snapshot.ReadManifest(dataDir, id)
	if err != nil {
		t.Fatalf("LATEST names %s, whose manifest does not read: %v", id, err)
	}
	if err := snapshot.Verify(dataDir, m); err != nil {
		t.Fatalf("LATEST names an incomplete snapshot: %v", err)
	}
}

// A run killed with SIGKILL during fetch, inside a load transaction, or halfway through a snapshot
// export leaves the warehouse consistent and LATEST complete, and the next run completes normally.
func TestKillDuringRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	for round := range 2 {
		t.Run(fmt.Sprintf("round %d", round), func(t *testing.T) {
			dir := t.TempDir()
			u := newUpstream(t)
			cfg := u.config(t, "")
			data := "--data-dir=" + dir

			// 1. During fetch: the source's body stalls halfway; kill while it hangs.
			u.stall.Store("tfp_gaza_daily")
			p := start(t, nil, "run", "--config", cfg, data, "--source", "tfp_gaza_daily")
			for deadline := time.Now().Add(time.Minute); u.requests.Load() == 0 && time.Now().Before(deadline); {
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(300 * time.Millisecond) // the half body is in the archive's temporary file
			p.kill(t)
			consistent(t, dir)
			u.stall.Store("")

			// 2. Inside the load transaction of the first source.
			p = start(t, []string{"TOLL_CRASH_AT=" + crashpoint.LoadBeforeCommit}, append([]string{"run", "--offline", "--bundle-dir", bundleDir, data}, sourceArgs()...)...)
			p.waitFor(t, "crashpoint "+crashpoint.LoadBeforeCommit, time.Minute)
			p.kill(t)
			consistent(t, dir)

			// A complete run of one source, so that a snapshot exists to protect.
			if code, out := tollRun(t, nil, "run", "--offline", "--bundle-dir", bundleDir, data, "--source", "tfp_gaza_daily"); code != 0 {
				t.Fatalf("run after crashes: exit %d\n%s", code, out)
			}
			before, _ := snapshot.Latest(dir)

			// 3. Halfway through a snapshot export: a source not loaded yet, so the run exports.
			p = start(t, []string{"TOLL_CRASH_AT=" + crashpoint.SnapshotHalfway}, "run", "--config", cfg, data,
				"--source", "tfp_lebanon_daily")
			p.waitFor(t, "crashpoint "+crashpoint.SnapshotHalfway, time.Minute)
			p.kill(t)
			consistent(t, dir)
			if after, _ := snapshot.Latest(dir); after != before {
				t.Errorf("LATEST moved to %s during a killed export", after)
			}

			// The next run completes, writes a snapshot, and clears what the killed runs left.
			code, out := tollRun(t, nil, append([]string{"run", "--config", cfg, data}, sourceArgs()...)...)
			if code != 0 {
				t.Fatalf("run after crashes: exit %d\n%s", code, out)
			}
			consistent(t, dir)
			if left, _ := filepath.Glob(filepath.Join(dir, "snapshots", ".incoming-*")); len(left) > 0 {
				t.Errorf("half-written snapshots left: %v", left)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "raw", "*", ".incoming-*")); len(left) > 0 {
				t.Errorf("half-written payloads left: %v", left)
			}
		})
	}
}

// However a run stops, with SIGKILL or SIGTERM, between its first load and moving LATEST, the next run,
// though nothing changed upstream, leaves LATEST holding every load of the warehouse; toll status says
// so in between.
func TestSnapshotCatchesUpAfterAnyStop(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	for _, tc := range []struct {
		point  string
		signal syscall.Signal
	}{
		{crashpoint.LoadCommitted, syscall.SIGKILL},
		{crashpoint.LoadCommitted, syscall.SIGTERM},
		{crashpoint.SnapshotHalfway, syscall.SIGKILL},
		{crashpoint.SnapshotHalfway, syscall.SIGTERM},
		{crashpoint.SnapshotBeforeLatest, syscall.SIGKILL},
		{crashpoint.RunBeforeRecord, syscall.SIGKILL},
	} {
		t.Run(tc.point+"-"+tc.signal.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			data := "--data-dir=" + dir
			gaza := []string{"run", "--offline", "--bundle-dir", bundleDir, data, "--source", "tfp_gaza_daily"}
			lebanon := []string{"run", "--offline", "--bundle-dir", bundleDir, data, "--source", "tfp_lebanon_daily"}
			if code, out := tollRun(t, nil, gaza...); code != 0 {
				t.Fatalf("first run: exit %d\n%s", code, out)
			}
			p := start(t, []string{"TOLL_CRASH_AT=" + tc.point}, lebanon...)
			p.waitFor(t, "crashpoint "+tc.point, time.Minute)
			p.cmd.Process.Signal(tc.signal)
			p.cmd.Wait()
			consistent(t, dir)
			loads, latest := loadsAndLatest(t, dir)
			if tc.point != crashpoint.RunBeforeRecord && latest.Loads >= loads {
				t.Fatalf("the stopped run left LATEST holding %d of %d loads; the test stopped it too late", latest.Loads, loads)
			}
			if latest.Loads < loads {
				if code, out := tollRun(t, nil, "status", data); code != 0 || !strings.Contains(out, "LAGS the warehouse") {
					t.Errorf("toll status with LATEST behind: exit %d, and it does not say so:\n%s", code, out)
				}
			}

			code, out := tollRun(t, nil, lebanon...)
			if code != 0 {
				t.Fatalf("the run after the stop: exit %d\n%s", code, out)
			}
			loads, latest = loadsAndLatest(t, dir)
			if latest.Loads != loads {
				t.Errorf("after the next run LATEST holds %d of the warehouse's %d loads:\n%s", latest.Loads, loads, out)
			}
			rows := map[string]int64{}
			for _, s := range latest.Sources {
				rows[s.Name] = s.Rows
			}
			if rows["tfp_gaza_daily"] == 0 || rows["tfp_lebanon_daily"] == 0 {
				t.Errorf("LATEST's sources after the next run: %v, want both with rows", rows)
			}
			if code, out := tollRun(t, nil, "status", data); code != 0 || !strings.Contains(out, "holds every load") {
				t.Errorf("toll status after the next run: exit %d\n%s", code, out)
			}
		})
	}
}

// A disk that fills during a run (files limited to a size, with writes past it failing as on a full disk)
// fails the run with an error, loses nothing stored, and the next run, with room, leaves LATEST holding
// every load.
func TestFullDiskDuringRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	for _, kib := range []int{64, 1024} {
		t.Run(fmt.Sprintf("files up to %d KiB", kib), func(t *testing.T) {
			dir := t.TempDir()
			data := "--data-dir=" + dir
			if code, out := tollRun(t, nil, "run", "--offline", "--bundle-dir", bundleDir, data, "--source", "tfp_gaza_daily"); code != 0 {
				t.Fatalf("first run: exit %d\n%s", code, out)
			}
			lebanon := []string{"run", "--offline", "--bundle-dir", bundleDir, data, "--source", "tfp_lebanon_daily"}
			// bash ignores SIGXFSZ for toll, so that a write past the limit fails with EFBIG, as one on a
			// full disk fails with ENOSPC, instead of killing the process.
			cmd := exec.Command("bash", append([]string{"-c", fmt.Sprintf(`trap '' XFSZ; ulimit -f %d; exec "$0" "$@"`, kib), binary(t)}, lebanon...)...)
			out, _ := cmd.CombinedOutput()
			code := cmd.ProcessState.ExitCode()
			if code == 0 && kib == 64 {
				t.Fatalf("the run with files limited to %d KiB succeeded; the limit is too high to test anything\n%s", kib, out)
			}
			consistent(t, dir)
			if code, out := tollRun(t, nil, lebanon...); code != 0 {
				t.Fatalf("the run with room: exit %d\n%s", code, out)
			}
			if loads, latest := loadsAndLatest(t, dir); latest.Loads != loads {
				t.Errorf("after the run with room LATEST holds %d of %d loads", latest.Loads, loads)
			}
		})
	}
}

// loadsAndLatest returns how many payloads the warehouse has loaded, and LATEST's manifest.
func loadsAndLatest(t *testing.T, dataDir string) (int64, snapshot.Manifest) {
	t.Helper()
	w, err := load.Open(context.Background(), dataDir, load.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	loads, err := w.Loads(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m, err := snapshot.ReadLatest(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	return loads, m
}

// Two runs on one data directory: the second exits 4 at once, naming the holder.
func TestSecondProcessExits4(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	holder := start(t, []string{"TOLL_CRASH_AT=" + crashpoint.LoadBeforeCommit}, append([]string{"run", "--offline", "--bundle-dir", bundleDir, "--data-dir", dir}, sourceArgs()...)...)
	holder.waitFor(t, "crashpoint", time.Minute)
	code, out := tollRun(t, nil, "run", "--offline", "--bundle-dir", bundleDir, "--data-dir", dir)
	if code != exitLocked || !strings.Contains(out, fmt.Sprintf("pid %d since", holder.cmd.Process.Pid)) {
		t.Errorf("second run: exit %d, want 4 naming pid %d:\n%s", code, holder.cmd.Process.Pid, out)
	}
	holder.kill(t)
	// The kernel released the lock with the process: no stale lock to clean.
	if code, out := tollRun(t, nil, append([]string{"run", "--offline", "--bundle-dir", bundleDir, "--data-dir", dir}, sourceArgs()...)...); code != 0 {
		t.Errorf("run after the holder died: exit %d\n%s", code, out)
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// toll schedule with @every 2s: runs happen, never overlap per source, metrics are served, and SIGTERM
// ends it within the grace period with exit 0.
func TestScheduleRunsAndStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and waits for schedules")
	}
	dir := t.TempDir()
	u := newUpstream(t)
	cfg := u.config(t, "    schedule: \"@every 2s\"\n")
	addr := freeAddr(t)
	p := start(t, nil, "schedule", "--config", cfg, "--data-dir", dir, "--metrics-addr", addr, "--grace", "5s")
	p.waitFor(t, "snapshot written", time.Minute)
	deadline := time.Now().Add(30 * time.Second)
	for u.requests.Load() < 8 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	if n := u.requests.Load(); n < 8 {
		t.Errorf("%d requests in 30s of @every 2s for 4 sources", n)
	}
	// Each source's series appears once its first run ends; the largest source's can end last on a busy
	// machine, so the metrics are read until they hold it (or the deadline passes).
	var body []byte
	deadline = time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), `toll_source_runs_total{source="tfp_gaza_daily"`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(string(body), `toll_source_runs_total{source="tfp_gaza_daily"`) || !strings.Contains(string(body), "toll_snapshot_age_seconds") {
		t.Errorf("metrics lack toll's series:\n%s", body)
	}
	// While schedule is up, read-only commands work.
	if code, out := tollRun(t, nil, "query", "--data-dir", dir, "SELECT count(*) FROM observations"); code != 0 {
		t.Errorf("query while schedule runs: exit %d\n%s", code, out)
	}

	stopAt := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	err := p.cmd.Wait()
	if took := time.Since(stopAt); err != nil || took > 15*time.Second {
		t.Errorf("after SIGTERM: %v after %s; want exit 0 within the grace period\n%s", err, took, p.log())
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	for name, n := range u.maxIn {
		if n > 1 {
			t.Errorf("%s: %d requests at once; runs of one source must not overlap", name, n)
		}
	}
}

// toll serve answers from the snapshots while it runs, and SIGTERM stops it with exit 0.
func TestServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	if code, out := tollRun(t, nil, "run", "--offline", "--bundle-dir", bundleDir, "--data-dir", dir, "--source", "tfp_gaza_daily"); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, out)
	}
	addr := freeAddr(t)
	p := start(t, nil, "serve", "--addr", addr, "--data-dir", dir)
	p.waitFor(t, "serving", time.Minute)
	resp, err := http.Get("http://" + addr + "/api/series/tfp_gaza_daily/PS02/killed/all/cumulative")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"value":34904`) {
		t.Errorf("series: %d %.200s", resp.StatusCode, body)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v\n%s", err, p.log())
	}
}
