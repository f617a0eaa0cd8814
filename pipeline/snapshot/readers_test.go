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
// file alike: a stored source's files (ucdp_ged) and the files exported from the table. The Frictionless
// Data project's libraries find its datapackage.json valid.
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
	abs, _ := filepath.Abs(snapshot.Path(dir, m.ID))
	out := runNode(t, node, modules, "readers.mjs", abs)
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

	// datapackage.json, as the Frictionless Data project's own libraries validate it; every source with
	// its licence and citation.
	var dp struct {
		Valid     bool
		Errors    []string
		Resources map[string]struct {
			Valid  bool
			Errors []string
			Fields []string
		}
	}
	if err := json.Unmarshal(runNode(t, node, modules, "datapackage.mjs", filepath.Join(abs, snapshot.DataPackageFile)), &dp); err != nil {
		t.Fatal(err)
	}
	if !dp.Valid || len(dp.Resources) != 4 {
		t.Errorf("datapackage.json: valid %v, %d resources, errors %v", dp.Valid, len(dp.Resources), dp.Errors)
	}
	for name, r := range dp.Resources {
		if !r.Valid {
			t.Errorf("datapackage.json, resource %s: %v", name, r.Errors)
		}
	}
	if got := strings.Join(dp.Resources["observations"].Fields, ","); got != strings.Join(names, ",") {
		t.Errorf("datapackage.json's observations have the fields %s, want %s", got, strings.Join(names, ","))
	}
	raw, err := os.ReadFile(filepath.Join(abs, snapshot.DataPackageFile))
	if err != nil {
		t.Fatal(err)
	}
	var desc struct {
		Sources   []struct{ Title, Path string }
		Licenses  []struct{ Name, Path, Title string }
		Resources []struct {
			Name string
			Path []string
		}
	}
	if err := json.Unmarshal(raw, &desc); err != nil {
		t.Fatal(err)
	}
	for _, src := range m.Sources {
		cited := false
		for _, s := range desc.Sources {
			cited = cited || strings.HasPrefix(s.Title, src.Name+": ") && len(s.Title) > len(src.Name)+10
		}
		if !cited || src.License == "" {
			t.Errorf("datapackage.json: %s has licence %q and is cited %v", src.Name, src.License, cited)
		}
	}
	for _, r := range desc.Resources {
		if r.Name == "observations" && len(r.Path) != len(m.Files)-4 { // all but superseded, series, revisions and datapackage.json
			t.Errorf("datapackage.json lists %d observation files, the manifest %d", len(r.Path), len(m.Files)-4)
		}
	}
}

// runNode runs testdata/script with node from the folder that holds node_modules (an ES module given
// on stdin imports from the working folder's), with arg, and returns what it printed.
func runNode(t *testing.T, node, modules, script, arg string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", script))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "--input-type=module", "-", arg)
	cmd.Dir = modules
	cmd.Stdin = bytes.NewReader(src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	return out
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
