package snapshot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"toll/pipeline/run"
	"toll/pipeline/snapshot"
	"toll/pipeline/sources/all"
	"toll/schemas"
)

// Readers that toll does not write, from npm (.ci/run installs them under .ci/npm), each read the
// latest snapshot's observations dataset in one call: DuckDB over the folder, hyparquet and arrow-js
// over the manifest's files. Each gets every row, and every column of the schema, in order, from every
// file alike: a stored source's files (ucdp_ged) and the files exported from the table.
func TestOutsideReaders(t *testing.T) {
	modules := filepath.Join("..", "..", ".ci", "npm")
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(modules, "node_modules", "hyparquet"))
	}
	if err != nil {
		if os.Getenv("TOLL_REQUIRE_TOOLS") != "" { // set by .ci/run, which installs every outside tool
			t.Fatalf("node and the readers from npm: %v (npm ci --prefix .ci/npm)", err)
		}
		t.Skipf("node or the readers from npm are missing: npm ci --prefix .ci/npm (%v)", err)
	}
	dir := t.TempDir()
	if _, err := run.Run(context.Background(), all.Registry(), run.Options{DataDir: dir, Offline: true, BundleDir: "../../data/bundle",
		Sources: []string{"ucdp_ged", "tfp_gaza_daily", "hdx_hapi_conflict_events", "israel_oct7"}}); err != nil {
		t.Fatal(err)
	}
	m := latestManifest(t, dir)
	script, err := os.ReadFile(filepath.Join("testdata", "readers.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(snapshot.Path(dir, m.ID))
	cmd := exec.Command(node, "--input-type=module", "-", abs)
	cmd.Dir = modules // an ES module given on stdin imports from the working folder's node_modules
	cmd.Stdin = bytes.NewReader(script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("readers.mjs: %v\n%s", err, stderr.String())
	}
	var seen map[string]struct {
		Rows    int64
		Columns []string
		Schemas int
	}
	if err := json.Unmarshal(out, &seen); err != nil {
		t.Fatalf("readers.mjs printed %s: %v", out, err)
	}
	var names []string
	for _, c := range schemas.Columns() {
		names = append(names, c.Name)
	}
	for _, reader := range []string{"duckdb", "hyparquet", "arrow"} {
		r, ok := seen[reader]
		if !ok {
			t.Errorf("%s: no answer", reader)
			continue
		}
		if r.Rows != m.Observations() || m.Observations() < 10_000 {
			t.Errorf("%s read %d rows; the manifest says %d", reader, r.Rows, m.Observations())
		}
		var got []string
		for _, c := range r.Columns {
			name, _, _ := strings.Cut(c, " ")
			got = append(got, name)
		}
		if strings.Join(got, ",") != strings.Join(names, ",") {
			t.Errorf("%s read the columns %v, want %v", reader, got, names)
		}
		if reader != "duckdb" && r.Schemas != 1 {
			t.Errorf("%s read %d different schemas among the files, want one", reader, r.Schemas)
		}
	}
	if d := seen["duckdb"]; len(d.Columns) == len(schemas.Columns()) {
		for i, c := range schemas.Columns() {
			want := strings.Replace(c.Type, "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE", 1)
			if d.Columns[i] != c.Name+" "+want {
				t.Errorf("DuckDB typed %s, want %s %s", d.Columns[i], c.Name, want)
			}
		}
	}
}

func latestManifest(t *testing.T, dir string) snapshot.Manifest {
	t.Helper()
	id, err := snapshot.Latest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := snapshot.ReadManifest(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
