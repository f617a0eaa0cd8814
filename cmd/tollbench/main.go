// Command tollbench is `make bench`'s event-scale benchmark. For each size it writes a SYNTHETIC
// GED-shaped release (pipeline/sources/ucdpged/gedgen), zipped as UCDP publishes it, serves it from a
// local HTTP server, and measures in fresh processes:
//
//   - the full `toll run --source ucdp_ged`: fetch, archive, unzip, normalize, load, snapshot;
//   - the reference: DuckDB alone, after the same release is unzipped, reading the CSV, unpivoting the
//     same two values per event and writing zstd Parquet in one COPY statement;
//   - a typical analyst query (one country's monthly deaths) on the snapshot, from a fresh `toll query`,
//     and DuckDB's own time for the same SQL on the same files (the difference is toll's overhead);
//   - the next release, differing in 0.5% of its events (the incremental cost).
//
// The first size is the real release's (about 400,000 events), labelled "real"; the others are
// labelled by their multiple of it ("10x"). It prints a table, then machine-readable lines
// (ratio_to_duckdb_real=…, ratio_to_duckdb_10x=…, peak_rss_mib_10x=…, incremental_ratio_10x=…).
package main

import (
	"archive/zip"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"toll/pipeline/duck"
	"toll/pipeline/snapshot"
	"toll/pipeline/source"
	"toll/pipeline/sources/ucdpged/gedgen"
)

func main() {
	if len(os.Args) == 4 && os.Args[1] == "reference" {
		if err := reference(os.Args[2], os.Args[3]); err != nil {
			log.Fatal(err)
		}
		return
	}
	sizes := flag.String("events", "400000,4000000", "comma-separated release sizes, in events; the first is the real release's")
	dir := flag.String("dir", ".scratch/bench", "where the synthetic releases and warehouses go")
	toll := flag.String("toll", "bin/toll", "the toll binary to measure")
	templates := flag.String("templates", "pipeline/sources/ucdpged/testdata/ged191.zip", "the real release the synthetic events copy")
	revised := flag.Float64("revised", 0.005, "share of events changed in the next release")
	flag.Parse()
	log.SetFlags(0)
	if err := bench(*sizes, *dir, *toll, *templates, *revised); err != nil {
		log.Fatal("tollbench: ", err)
	}
}

// measurement is what one process cost.
type measurement struct {
	wall, cpu time.Duration
	rssMiB    float64
	out       string
}

func measure(name string, args ...string) (measurement, error) {
	cmd := exec.Command(name, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	m := measurement{wall: time.Since(start), out: out.String()}
	if err != nil {
		return m, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	m.rssMiB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
	return m, nil
}

func bench(sizeList, dir, toll, templatesPath string, revised float64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	dir, _ = filepath.Abs(dir)
	toll, _ = filepath.Abs(toll)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	header, templates, err := gedgen.Templates(templatesPath)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go http.Serve(ln, http.FileServer(http.Dir(dir)))
	base := "http://" + ln.Addr().String() + "/"

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "events\tstep\twall s\tcpu s\tpeak RSS MiB\tevents/s\tratio to DuckDB\t")
	var machine []string
	first := 0
	for _, s := range strings.Split(sizeList, ",") {
		events, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-events: %w", err)
		}
		label := "real"
		if first == 0 {
			first = events
		} else {
			label = fmt.Sprintf("%dx", (events+first/2)/first)
		}
		release, err := generate(dir, header, templates, events, 0)
		if err != nil {
			return err
		}
		// The reference runs twice and the faster run counts: the first also pulls the file into the page
		// cache, where toll's run finds it too.
		var ref measurement
		for try := range 2 {
			m, err := measure(self, "reference", filepath.Join(dir, release), filepath.Join(dir, "reference-"+label+".parquet"))
			if err != nil {
				return err
			}
			if try == 0 || m.wall < ref.wall {
				ref = m
			}
		}
		// toll's run, too, runs twice on a new warehouse and the faster counts: the machine's disk and
		// cores are shared, and one run can meet another machine's burst (docs/performance.md).
		data := filepath.Join(dir, "warehouse-"+label)
		var full measurement
		for try := range 2 {
			os.RemoveAll(data)
			m, err := tollRun(toll, data, base+release)
			if err != nil {
				return err
			}
			if try == 0 || m.wall < full.wall {
				full = m
			}
		}
		row := func(step string, m measurement, ratio bool) {
			r := ""
			if ratio {
				r = fmt.Sprintf("%.2f", m.wall.Seconds()/ref.wall.Seconds())
			}
			fmt.Fprintf(tw, "%d\t%s\t%.2f\t%.2f\t%.0f\t%.0f\t%s\t\n", events, step, m.wall.Seconds(), m.cpu.Seconds(),
				m.rssMiB, float64(events)/m.wall.Seconds(), r)
		}
		row("DuckDB reference", ref, false)
		row("toll run", full, true)
		q, err := queryMillis(toll, data)
		if err != nil {
			return err
		}
		inside, err := duckdbQueryMillis(data)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%d\tquery (fresh process, median of 5)\t%.3f\t\t\t\t\t\n", events, q/1000)
		fmt.Fprintf(tw, "%d\tthe same query inside DuckDB, same files (median of 5)\t%.3f\t\t\t\t\t\n", events, inside/1000)
		machine = append(machine, fmt.Sprintf("ratio_to_duckdb_%s=%.2f", label, full.wall.Seconds()/ref.wall.Seconds()),
			fmt.Sprintf("peak_rss_mib_%s=%.0f", label, full.rssMiB), fmt.Sprintf("query_ms_%s=%.1f", label, q),
			fmt.Sprintf("query_overhead_ms_%s=%.1f", label, q-inside))
		if n := int(float64(events) * revised); n > 0 {
			next, err := generate(dir, header, templates, events, n)
			if err != nil {
				return err
			}
			// Read once first, as the reference reads the first release, so that what is measured is toll's
			// work, not the disk's speed serving the file.
			if err := readThrough(filepath.Join(dir, next)); err != nil {
				return err
			}
			inc, err := tollRun(toll, data, base+next)
			if err != nil {
				return err
			}
			row(fmt.Sprintf("toll run, next release (%d events revised)", n), inc, true)
			machine = append(machine, fmt.Sprintf("incremental_ratio_%s=%.2f", label, inc.wall.Seconds()/full.wall.Seconds()))
		}
		tw.Flush()
	}
	fmt.Println()
	for _, l := range machine {
		fmt.Println(l)
	}
	return nil
}

// readThrough reads a file to its end, so that the page cache holds it.
func readThrough(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// generate writes the synthetic release once, zipped as UCDP publishes it; a file already there (same
// size, seed and revisions) is reused.
func generate(dir string, header []string, templates [][]string, events, revised int) (string, error) {
	name := fmt.Sprintf("synthetic-ged-%d-r%d.zip", events, revised)
	if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
		return name, nil
	}
	f, err := os.CreateTemp(dir, ".incoming-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	zw := zip.NewWriter(f)
	w, err := zw.Create(strings.TrimSuffix(name, ".zip") + ".csv")
	if err == nil {
		err = gedgen.Write(w, header, templates, gedgen.Options{Events: events, Seed: 1, Revised: revised})
	}
	if err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return name, os.Rename(f.Name(), filepath.Join(dir, name))
}

func tollRun(toll, data, url string) (measurement, error) {
	if err := os.MkdirAll(data, 0o755); err != nil {
		return measurement{}, err
	}
	config := filepath.Join(data, "bench.yaml")
	yaml := fmt.Sprintf("sources:\n  ucdp_ged: {url: %q, max_bytes: 17179869184, timeout: 30m}\n", url)
	if err := os.WriteFile(config, []byte(yaml), 0o644); err != nil {
		return measurement{}, err
	}
	return measure(toll, "run", "--source", "ucdp_ged", "--config", config, "--data-dir", data)
}

// analystQuery is one country's deaths per month, the kind of question a dashboard asks.
const analystQuery = `SELECT date_trunc('month', period_end) AS month, sum(value) AS killed
FROM observations WHERE country_iso3 = 'MMR' AND metric = 'killed' AND subgroup = 'all'
GROUP BY ALL ORDER BY month`

func queryMillis(toll, data string) (float64, error) {
	var ms []float64
	for range 5 {
		m, err := measure(toll, "query", "--data-dir", data, "--format", "csv", analystQuery)
		if err != nil {
			return 0, err
		}
		ms = append(ms, float64(m.wall.Microseconds())/1000)
	}
	slices.Sort(ms)
	return ms[len(ms)/2], nil
}

// duckdbQueryMillis is DuckDB's own time for analystQuery on the latest snapshot's files, once they are
// open and cached: what toll's fresh process adds is the difference.
func duckdbQueryMillis(data string) (float64, error) {
	db, _, err := snapshot.OpenLatest(context.Background(), data)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var ms []float64
	for range 6 {
		start := time.Now()
		rows, err := db.Query(analystQuery)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
		}
		rows.Close()
		ms = append(ms, float64(time.Since(start).Microseconds())/1000)
	}
	ms = ms[1:] // the first run reads the files into the cache
	slices.Sort(ms)
	return ms[len(ms)/2], nil
}

// reference is the DuckDB reference, run in its own process: unzip the release, then read the CSV,
// unpivot the two values toll keeps per event into long rows and write zstd Parquet, in one statement.
func reference(zipPath, out string) error {
	member, _, err := source.OpenZipFile(zipPath, nil)
	if err != nil {
		return err
	}
	defer member.Close()
	csvPath := out + ".csv"
	defer os.Remove(csvPath)
	f, err := os.Create(csvPath)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, member)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	db, err := duck.Open("", duck.Options{TempDir: filepath.Join(filepath.Dir(out), "reference-tmp")})
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(context.Background(), fmt.Sprintf(`COPY (
  SELECT id, country_id, type_of_violence, date_start, date_end, subgroup, value, low, high
  FROM read_csv(%s, header = true, types = {'id': 'VARCHAR', 'best': 'BIGINT', 'low': 'BIGINT', 'high': 'BIGINT', 'deaths_civilians': 'BIGINT'})
  UNPIVOT (value FOR subgroup IN (best, deaths_civilians))
) TO %s (FORMAT parquet, COMPRESSION zstd)`, duck.String(csvPath), duck.String(out)))
	return err
}
