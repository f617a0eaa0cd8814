package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"toll/pipeline/duck"
	"toll/pipeline/load"
	"toll/pipeline/run"
	"toll/pipeline/snapshot"
)

// toll runs the command line in-process and returns its exit code and output.
func toll(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	g := &globals{stdout: &stdout, stderr: &stderr}
	root := newRootCmd(g)
	root.SetArgs(args)
	_, err := root.ExecuteContextC(context.Background())
	if err != nil {
		stderr.WriteString(err.Error())
	}
	return exitCode(err), stdout.String(), stderr.String()
}

func TestRunQueryAndSnapshots(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := toll(t, "run", "--offline", "--bundle-dir", "../../data/bundle", "--data-dir", dir)
	if code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"tfp_gaza_daily", "ok", "Gaza: people killed", "73,419", "LATEST points at it"} {
		if !strings.Contains(out, want) {
			t.Errorf("run summary lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = toll(t, "query", "--data-dir", dir, "--format", "json",
		"SELECT value, report_date FROM observations WHERE series_id = 'tfp_gaza_daily/PS02/killed/all/cumulative' AND report_date = DATE '2024-05-09'")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || code != exitOK {
		t.Fatalf("query json: exit %d, %v\n%s", code, err, out)
	}
	if len(rows) != 1 || rows[0]["value"] != float64(34904) || rows[0]["report_date"] != "2024-05-09" {
		t.Errorf("query json: %v", rows)
	}
	// JSON keeps the SELECT's column order, and writes what JSON cannot hold (infinity, NaN) as null.
	code, out, _ = toll(t, "query", "--data-dir", dir, "--format", "json", "SELECT 2 AS z, 1 AS a, 'inf'::DOUBLE AS x, 'nan'::DOUBLE AS y, NULL AS n")
	if code != exitOK || !strings.Contains(out, `{"z": 2, "a": 1, "x": null, "y": null, "n": null}`) {
		t.Errorf("query json: exit %d\n%s", code, out)
	}
	code, out, _ = toll(t, "query", "--data-dir", dir, "--format", "csv", "SELECT count(*) AS n FROM series WHERE headline")
	if code != exitOK || !strings.HasPrefix(out, "n\n") {
		t.Errorf("query csv: exit %d\n%s", code, out)
	}

	// The same quantity from two sources, month by month: ACLED's January 2025 Gaza fatalities next to the
	// ministry's monthly increase.
	code, out, _ = toll(t, "compare", "--metric", "killed", "--country", "PSE", "--from", "2025-01-01", "--to", "2025-01-31", "--data-dir", dir)
	if code != exitOK || !regexp.MustCompile(`2025-01\s+Gaza Strip\s+hdx_hapi_conflict_events\s+political_violence\s+493`).MatchString(out) ||
		!regexp.MustCompile(`2025-01\s+Gaza Strip\s+tfp_gaza_daily\s+-\s+1,919\s+increase of the running total`).MatchString(out) {
		t.Errorf("compare: exit %d\n%s", code, out)
	}

	code, out, _ = toll(t, "snapshots", "--data-dir", dir)
	if code != exitOK || strings.Count(out, "*") != 1 {
		t.Errorf("snapshots: exit %d\n%s", code, out)
	}
	code, out, _ = toll(t, "sources", "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, "tfp_west_bank_daily") || !strings.Contains(out, "ok") {
		t.Errorf("sources: exit %d\n%s", code, out)
	}
}

// toll query only reads: every statement that would write, attach, load or reach outside the snapshot
// is refused, and the warehouse and LATEST are as they were.
func TestQueryIsReadOnly(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := toll(t, "run", "--offline", "--bundle-dir", "../../data/bundle", "--data-dir", dir, "--source", "tfp_gaza_daily"); code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errOut)
	}
	latest, err := os.ReadFile(filepath.Join(dir, "snapshots", "LATEST"))
	if err != nil {
		t.Fatal(err)
	}
	count := func() string {
		_, out, _ := toll(t, "query", "--data-dir", dir, "--format", "csv", "SELECT count(*) FROM observations")
		return out
	}
	before := count()
	warehouse := filepath.Join(dir, "toll.duckdb")
	for _, tc := range []struct{ sql, want string }{
		{"ATTACH '" + warehouse + "' AS w", "not a SELECT"},
		{"ATTACH '" + warehouse + "' AS w; DELETE FROM w.observations; SELECT 1", "not a SELECT"},
		{"SELECT 1; SELECT 2", "2 statements"},
		{"COPY (SELECT 1) TO '" + filepath.Join(dir, "snapshots", "LATEST") + "'", "not a SELECT"},
		{"INSTALL httpfs", "not a SELECT"},
		{"LOAD httpfs", "not a SELECT"},
		{"SET enable_external_access = true", "not a SELECT"},
		{"CREATE TABLE x AS SELECT 1", "not a SELECT"},
		{"SELECT * FROM read_csv('/etc/passwd')", "Permission Error"},
		{"SELECT * FROM read_text('" + warehouse + "')", "Permission Error"},
		{"SELECT * FROM glob('/etc/*')", "Permission Error"},
	} {
		code, _, errOut := toll(t, "query", "--data-dir", dir, tc.sql)
		if code == exitOK || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, %q; want it refused (%q)", tc.sql, code, errOut, tc.want)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "snapshots", "LATEST")); string(after) != string(latest) {
		t.Errorf("LATEST changed: %q, was %q", after, latest)
	}
	if after := count(); after != before {
		t.Errorf("observations: %q, were %q", after, before)
	}
	w, err := load.Open(context.Background(), dir, load.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if n, err := w.Loads(context.Background()); err != nil || n == 0 {
		t.Errorf("the warehouse after the refused statements: %d loads, %v", n, err)
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	badConfig := filepath.Join(dir, "toll.yaml")
	os.WriteFile(badConfig, []byte("sources:\n  tfp_gaza_daily: {ulr: http://x}\n"), 0o644)

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown flag", []string{"run", "--offlin"}, exitUsage, "unknown flag"},
		{"stray argument", []string{"run", "gaza"}, exitUsage, "unknown command"},
		{"bad config", []string{"run", "--config", badConfig, "--data-dir", dir}, exitUsage, "ulr"},
		{"unknown source", []string{"run", "--offline", "--source", "nope", "--data-dir", dir}, exitUsage, `unknown source "nope"`},
		{"unknown source to accept", []string{"run", "--offline", "--accept", "nope", "--data-dir", dir}, exitUsage, `unknown source "nope"`},
		{"bad query format", []string{"query", "--format", "xml", "SELECT 1"}, exitUsage, "--format"},
		{"query before any run", []string{"query", "--data-dir", dir, "SELECT 1"}, exitFailure, "no snapshot yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := toll(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}

func TestLockedRunExits4(t *testing.T) {
	dir := t.TempDir()
	unlock, err := run.Lock(context.Background(), dir, 0, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	code, _, errOut := toll(t, "run", "--offline", "--bundle-dir", "../../data/bundle", "--data-dir", dir)
	if code != exitLocked || !strings.Contains(errOut, "pid ") {
		t.Errorf("exit %d, %q; want 4 naming the holder", code, errOut)
	}
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := toll(t, "run", "--offline", "--bundle-dir", "../../data/bundle", "--data-dir", dir); code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errOut)
	}
	article := "../../pipeline/check/testdata/rafah-2024-05.txt"

	code, out, errOut := toll(t, "check", article, "--published", "2024-05-11", "--format", "json", "--data-dir", dir)
	if code != exitOK {
		t.Fatalf("check json: exit %d: %s", code, errOut)
	}
	var doc struct {
		Claims []struct {
			TextSpan string `json:"text_span"`
			Verdict  string `json:"verdict"`
			Data     *struct {
				Value      int64  `json:"value"`
				ReportDate string `json:"report_date"`
			} `json:"data"`
		} `json:"claims"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Claims) != 2 {
		t.Fatalf("check json: %v\n%s", err, out)
	}
	if c := doc.Claims[0]; c.TextSpan != "Over 34,900" || c.Verdict != "consistent" || c.Data.Value != 34971 || c.Data.ReportDate != "2024-05-11" {
		t.Errorf("first claim %+v", c)
	}

	code, out, errOut = toll(t, "check", article, "--published", "2024-05-11", "--format", "claimreview", "--reviewer", "A Newsroom", "--data-dir", dir)
	var reviews []struct {
		Type         string `json:"@type"`
		Author       struct{ Name string }
		ReviewRating struct{ AlternateName string }
		IsBasedOn    *struct{ URL string }
	}
	if err := json.Unmarshal([]byte(out), &reviews); code != exitOK || err != nil || len(reviews) != 2 || reviews[0].Type != "ClaimReview" ||
		reviews[0].Author.Name != "A Newsroom" || reviews[0].ReviewRating.AlternateName != "Consistent with the data" ||
		reviews[0].IsBasedOn == nil || !strings.HasPrefix(reviews[0].IsBasedOn.URL, "https://data.techforpalestine.org/") {
		t.Errorf("check claimreview: exit %d, %v: %s\n%s", code, err, out, errOut)
	}

	// A link: the page is fetched, its article read, and its date taken from the page unless --published
	// gives it. The pages are real (pipeline/article/testdata).
	pages := httptest.NewServer(http.FileServer(http.Dir("../../pipeline/article/testdata")))
	defer pages.Close()
	code, out, errOut = toll(t, "check", pages.URL+"/gitlab-blog.html", "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, "published 2024-06-25 (from the page's JSON-LD datePublished)") {
		t.Errorf("check a link: exit %d\n%s\n%s", code, out, errOut)
	}
	news := pages.URL + "/wapo-1-excerpt.html"
	if code, _, errOut = toll(t, "check", news, "--data-dir", dir); code != exitUsage || !strings.Contains(errOut, "gives no publication date") {
		t.Errorf("a link to a page without a date: exit %d, %s", code, errOut)
	}
	code, out, errOut = toll(t, "check", news, "--published", "2015-03-18", "--format", "json", "--data-dir", dir)
	var linked struct {
		URL           string
		PublishedFrom string `json:"published_from"`
		Claims        []struct {
			TextSpan string `json:"text_span"`
		}
	}
	if err := json.Unmarshal([]byte(out), &linked); code != exitOK || err != nil || linked.URL != news || linked.PublishedFrom != "--published" ||
		len(linked.Claims) == 0 || !strings.Contains(linked.Claims[0].TextSpan, "19") {
		t.Errorf("check a link with --published: exit %d, %v\n%s\n%s", code, err, out, errOut)
	}

	code, out, _ = toll(t, "check", article, "--published", "2024-05-11", "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, `"Over 34,900"`) || !strings.Contains(out, "(sum of 3 parts)") {
		t.Errorf("check table: exit %d\n%s", code, out)
	}

	batch := filepath.Join(dir, "batch.jsonl")
	os.WriteFile(batch, []byte(`{"id":"x","published":"2024-05-11","text":"Over 34,900 Palestinians have been killed in Gaza."}`+"\n"+
		`{"id":"y","published":"bad","text":"12 killed"}`+"\n"), 0o644)
	code, out, _ = toll(t, "check", "--batch", batch, "--data-dir", dir)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitPartial || len(lines) != 2 || !strings.Contains(lines[0], `"id":"x"`) || !strings.Contains(lines[1], "field published") {
		t.Errorf("batch: exit %d\n%s", code, out)
	}

	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"check", article, "--data-dir", dir}, exitUsage},
		{[]string{"check", article, "--published", "May 11", "--data-dir", dir}, exitUsage},
		{[]string{"check", "no-such-file.txt", "--published", "2024-05-11", "--data-dir", dir}, exitFailure},
	} {
		if code, _, errOut := toll(t, tt.args...); code != tt.code {
			t.Errorf("%v: exit %d (%s), want %d", tt.args, code, errOut, tt.code)
		}
	}
}

func TestStatus(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := toll(t, "run", "--offline", "--bundle-dir", "../../data/bundle", "--data-dir", dir); code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errOut)
	}
	var out bytes.Buffer
	g := &globals{dataDir: dir, stdout: &out, stderr: &out}
	// A day after the bundle's newest Gaza report the data is fresh; months later it is stale.
	if err := runStatus(context.Background(), g, time.Date(2026, 8, 23, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "tfp_gaza_daily") || !regexp.MustCompile(`tfp_gaza_daily\s+ok .* fresh`).MatchString(out.String()) {
		t.Errorf("status on 2026-08-23:\n%s", out.String())
	}
	out.Reset()
	runStatus(context.Background(), g, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if !strings.Contains(out.String(), "STALE (usual cadence 24h)") || !strings.Contains(out.String(), "LATEST snapshot") {
		t.Errorf("status on 2026-11-25:\n%s", out.String())
	}
}

// A dataset toll does not know, added with a YAML file and no Go code: UNHCR's situations CSV on HDX,
// served locally.
func TestDeclarativeSourceFromConfig(t *testing.T) {
	csv, err := os.ReadFile("testdata/hdx-unhcr-situations.csv")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(csv) }))
	defer srv.Close()
	dir := t.TempDir()
	source := `name: unhcr_situations
title: Refugees and asylum-seekers by host and origin (UNHCR situations on HDX)
publisher: UNHCR
distributor: HDX
terms: {license: CC-BY-4.0, url: "https://creativecommons.org/licenses/by/4.0/", citation: "a test", commercial: true, redistribution: true}
url: ` + srv.URL + `/unhcr-situations.csv
format: csv
schedule: "@daily"
cadence: 720h
docs: https://data.humdata.org/dataset/unhcr-situations
place: {country_iso3: ISO3 of Origin}
dates: {report_date: Date}
series:
  - {value: Individuals, metric: refugees, subgroup: all, measure: stock, variant: "{Population type}_in_{ISO3}",
     title: "people from this country in the host country", definition: "UNHCR monthly situation figure; a stock"}
`
	os.WriteFile(filepath.Join(dir, "unhcr.yaml"), []byte(source), 0o644)
	cfg := filepath.Join(dir, "toll.yaml")
	os.WriteFile(cfg, []byte("source_files: [unhcr.yaml]\n"), 0o644)
	code, out, errOut := toll(t, "run", "--config", cfg, "--source", "unhcr_situations", "--data-dir", dir)
	if code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = toll(t, "query", "--data-dir", dir, "--format", "csv",
		"SELECT series_id, report_date, value FROM observations WHERE country_iso3 = 'ETH'")
	if code != exitOK || !strings.Contains(out, "unhcr_situations/ETH/refugees/all/stock/asylum_seekers_in_uga,2024-06-30,13035") {
		t.Errorf("query: exit %d\n%s", code, out)
	}
	code, out, _ = toll(t, "sources", "--config", cfg, "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, "unhcr_situations") || !strings.Contains(out, "needs TOLL_HAPI_APP_IDENTIFIER") {
		t.Errorf("sources: exit %d\n%s", code, out)
	}

	// A typo in a key is refused with its line.
	os.WriteFile(filepath.Join(dir, "unhcr.yaml"), []byte(strings.Replace(source, "cadence:", "cadense:", 1)), 0o644)
	code, _, errOut = toll(t, "run", "--config", cfg, "--data-dir", dir)
	if code != exitUsage || !strings.Contains(errOut, "[9:1]") || !strings.Contains(errOut, "cadense") {
		t.Errorf("typo: exit %d, %s; want 2 naming line 9", code, errOut)
	}
}

func TestSnapshotsDiffAndPrune(t *testing.T) {
	dir := t.TempDir()
	bundle := "../../data/bundle"
	// A first snapshot with the Gaza file of 2024-02-01 only, then one with every Gaza vintage and Lebanon:
	// the 2023-10-07 total was revised from 198 to 232 in between.
	os.MkdirAll(filepath.Join(dir, "b"), 0o755)
	yaml, _ := os.ReadFile(filepath.Join(bundle, "bundle.yaml"))
	early := strings.Join(regexp.MustCompile(`(?m)^  - \{source: tfp_gaza_daily, published: 2024-02.*$`).FindAllString(string(yaml), -1), "\n")
	os.WriteFile(filepath.Join(dir, "b", "bundle.yaml"), []byte("payloads:\n"+early+"\n"), 0o644)
	os.Symlink(filepath.Join(mustAbs(t, bundle), "techforpalestine"), filepath.Join(dir, "b", "techforpalestine"))
	if code, out, errOut := toll(t, "run", "--offline", "--bundle-dir", filepath.Join(dir, "b"), "--source", "tfp_gaza_daily", "--data-dir", dir); code != exitOK {
		t.Fatalf("first run: %d\n%s%s", code, out, errOut)
	}
	first, _ := snapshot.Latest(dir)
	if code, out, errOut := toll(t, "run", "--offline", "--bundle-dir", bundle, "--source", "tfp_gaza_daily", "--source", "tfp_lebanon_daily", "--data-dir", dir); code != exitOK {
		t.Fatalf("second run: %d\n%s%s", code, out, errOut)
	}
	code, out, _ := toll(t, "snapshots", "diff", first, "latest", "--data-dir", dir)
	if code != exitOK || !regexp.MustCompile(`tfp_gaza_daily/PS02/killed/all/cumulative\s+2023-10-07\s+198\s+232`).MatchString(out) ||
		!strings.Contains(out, "source tfp_lebanon_daily: - → ok") ||
		!regexp.MustCompile(`series: \d+ added, 0 removed`).MatchString(out) {
		t.Errorf("diff: exit %d\n%s", code, out)
	}
	changes := filepath.Join(t.TempDir(), "changes.parquet")
	if code, out, _ := toll(t, "snapshots", "diff", first, "latest", "--out", changes, "--data-dir", dir); code != exitOK {
		t.Errorf("diff --out: exit %d\n%s", code, out)
	}
	db, err := duck.Open("", duck.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var old, updated int64
	if err := db.QueryRow(`SELECT old_value, new_value FROM read_parquet(?) WHERE change = 'changed'
  AND series_id = 'tfp_gaza_daily/PS02/killed/all/cumulative' AND report_date = DATE '2023-10-07'`, changes).Scan(&old, &updated); err != nil || old != 198 || updated != 232 {
		t.Errorf("diff --out: 2023-10-07 %d → %d (%v), want 198 → 232", old, updated, err)
	}
	code, out, _ = toll(t, "snapshots", "diff", first, "latest", "--format", "json", "--data-dir", dir)
	var d snapshot.Diff
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != exitOK || d.ValuesChanged == 0 || len(d.SeriesAdded) == 0 {
		t.Errorf("diff json: exit %d, %v\n%s", code, err, out)
	}
	// Retention keeps LATEST whatever the policy says, and a snapshot a reader holds (as toll serve
	// holds the one it answers from) until it lets go.
	release, err := snapshot.Hold(dir, first)
	if err != nil {
		t.Fatal(err)
	}
	latest, _ := snapshot.Latest(dir)
	code, out, _ = toll(t, "snapshots", "prune", "--keep-daily", "0", "--keep-monthly", "0", "--wait", "1s", "--data-dir", dir)
	if ms, _ := snapshot.List(dir); code != exitOK || len(ms) != 2 {
		t.Errorf("prune with %s held: exit %d, %d snapshots left, want 2\n%s", first, code, len(ms), out)
	}
	release()
	code, out, _ = toll(t, "snapshots", "prune", "--keep-daily", "0", "--keep-monthly", "0", "--data-dir", dir)
	if ms, _ := snapshot.List(dir); code != exitOK || len(ms) != 1 || ms[0].ID != latest {
		t.Errorf("prune: exit %d, %d snapshots left\n%s", code, len(ms), out)
	}
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// docs/sources.md's table is what `toll sources --format markdown` prints from the specs: one spec
// drives the code and the docs.
func TestSourcesDocIsCurrent(t *testing.T) {
	code, want, _ := toll(t, "sources", "--format", "markdown")
	if code != exitOK {
		t.Fatalf("toll sources --format markdown: exit %d", code)
	}
	doc, err := os.ReadFile("../../docs/sources.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok1 := strings.Cut(string(doc), "TestSourcesDocIsCurrent fails when it is stale -->\n")
	table, _, ok2 := strings.Cut(rest, "<!-- end of the generated table -->")
	if !ok1 || !ok2 {
		t.Fatal("docs/sources.md has lost the markers of its generated table")
	}
	if table != want {
		t.Errorf("docs/sources.md is stale: put the output of `go run ./cmd/toll sources --format markdown` between its markers")
	}
}

// toll export writes CSV that tools without Parquet read as the data is: Debian's pandas and base R get
// integer columns as integers, a missing value as NaN or NA, and an event's record_id as text; the
// filters are the API's, and a misspelt term is a usage error rather than an empty file.
func TestExportCSV(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := toll(t, "run", "--offline", "--bundle-dir", "../../data/bundle", "--data-dir", dir,
		"--source", "ucdp_ged", "--source", "tfp_gaza_daily"); code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errOut)
	}
	count := func(where string) string {
		_, out, _ := toll(t, "query", "--data-dir", dir, "--format", "csv", "SELECT count(*) AS n FROM observations WHERE "+where)
		return strings.TrimSpace(strings.TrimPrefix(out, "n\n"))
	}
	all := filepath.Join(t.TempDir(), "observations.csv.gz")
	if code, _, errOut := toll(t, "export", "--format", "csv.gz", "--out", all, "--data-dir", dir); code != exitOK {
		t.Fatalf("export: exit %d\n%s", code, errOut)
	}
	mmr := filepath.Join(t.TempDir(), "mmr.csv")
	if code, _, errOut := toll(t, "export", "--country", "MMR", "--metric", "killed", "--from", "2015-01-01", "--out", mmr, "--data-dir", dir); code != exitOK {
		t.Fatalf("export filtered: exit %d\n%s", code, errOut)
	}
	if info, err := os.Stat(mmr); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("the export: %v, mode %v; want a file other users can read", err, info.Mode())
	}
	// An export that cannot be put in place leaves nothing behind (here the target is a folder).
	parent := t.TempDir()
	target := filepath.Join(parent, "taken")
	os.Mkdir(target, 0o755)
	os.WriteFile(filepath.Join(target, "x"), nil, 0o644)
	if code, _, _ := toll(t, "export", "--out", target, "--data-dir", dir); code != exitFailure {
		t.Errorf("export onto a folder: exit %d, want %d", code, exitFailure)
	}
	if left, _ := os.ReadDir(parent); len(left) != 1 {
		t.Errorf("a failed export left %d entries beside its target, want only the target", len(left))
	}
	for _, bad := range [][]string{{"--metric", "kiled"}, {"--country", "Myanmar"}, {"--from", "May"}, {"--format", "xlsx"}} {
		if code, _, errOut := toll(t, append([]string{"export", "--data-dir", dir}, bad...)...); code != exitUsage {
			t.Errorf("export %v: exit %d, want %d\n%s", bad, code, exitUsage, errOut)
		}
	}
	if code, _, _ := toll(t, "compare", "--metric", "kiled", "--country", "PSE", "--data-dir", dir); code != exitUsage {
		t.Errorf("compare --metric kiled: exit %d, want %d", code, exitUsage)
	}

	python, err := exec.LookPath("/usr/bin/python3")
	if err == nil {
		err = exec.Command(python, "-c", "import pandas").Run()
	}
	if err != nil {
		if os.Getenv("TOLL_REQUIRE_TOOLS") != "" {
			t.Fatalf("Debian's pandas: %v (apt-get install python3-pandas)", err)
		}
		t.Skipf("Debian's pandas is not installed (apt-get install python3-pandas): %v", err)
	}
	// As docs/analysis.md tells a pandas user to read it.
	script := `
import json, sys
import pandas as pd
strings = {"record_id": "string", "admin1_pcode": "string", "admin2_pcode": "string"}
out = {}
for name, path in (("all", sys.argv[1]), ("mmr", sys.argv[2])):
    df = pd.read_csv(path, dtype=strings, parse_dates=["period_start", "period_end", "report_date", "fetched_at"])
    out[name] = {"rows": len(df), "dtypes": {c: str(t) for c, t in df.dtypes.items()},
                 "value_low_missing": int(df["value_low"].isna().sum()),
                 "event": df.loc[df["record_id"] == "209980", "value"].tolist()}
print(json.dumps(out))
`
	raw, err := exec.Command(python, "-c", script, all, mmr).CombinedOutput()
	if err != nil {
		t.Fatalf("pandas: %v\n%s", err, raw)
	}
	var read map[string]struct {
		Rows            int
		Dtypes          map[string]string
		ValueLowMissing int `json:"value_low_missing"`
		Event           []int64
	}
	if err := json.Unmarshal(raw, &read); err != nil {
		t.Fatalf("pandas printed %s", raw)
	}
	if got, want := fmt.Sprint(read["all"].Rows), count("true"); got != want {
		t.Errorf("pandas read %s rows of the whole export, the snapshot has %s", got, want)
	}
	if got, want := fmt.Sprint(read["mmr"].Rows), count("country_iso3 = 'MMR' AND metric = 'killed' AND report_date >= DATE '2015-01-01'"); got != want || got == "0" {
		t.Errorf("pandas read %s rows of the filtered export, the snapshot has %s", got, want)
	}
	if got, want := fmt.Sprint(read["all"].ValueLowMissing), count("value_low IS NULL"); got != want {
		t.Errorf("pandas found %s missing value_low, the snapshot has %s NULL", got, want)
	}
	d := read["all"].Dtypes
	if d["value"] != "int64" || d["value_low"] != "float64" || d["record_id"] != "string" || !strings.HasPrefix(d["fetched_at"], "datetime64[ns") ||
		d["report_date"] != "datetime64[ns]" {
		t.Errorf("pandas dtypes %v: want value int64, value_low float64 (NaN where NULL), record_id string, dates parsed", d)
	}
	if len(read["all"].Event) != 2 { // UCDP GED event 209980: state-based deaths, all and civilians
		t.Errorf("event 209980 read as %v", read["all"].Event)
	}

	// Base R, as docs/analysis.md shows it.
	rscript, err := exec.LookPath("Rscript")
	if err != nil {
		if os.Getenv("TOLL_REQUIRE_TOOLS") != "" {
			t.Fatalf("Rscript: %v (apt-get install r-base-core)", err)
		}
		t.Skipf("R is not installed (apt-get install r-base-core): %v", err)
	}
	rCode := `args <- commandArgs(trailingOnly = TRUE)
obs <- read.csv(args[1], na.strings = "",
                colClasses = c(record_id = "character", admin1_pcode = "character", admin2_pcode = "character"))
cat(nrow(obs), class(obs$value), class(obs$value_low), sum(is.na(obs$value_low)), class(obs$record_id),
    obs$value[which(obs$record_id == "209980")][1], "\n")`
	raw, err = exec.Command(rscript, "-e", rCode, mmr).CombinedOutput()
	if err != nil {
		t.Fatalf("R: %v\n%s", err, raw)
	}
	want := fmt.Sprintf("%d integer integer %s character", read["mmr"].Rows,
		count("country_iso3 = 'MMR' AND metric = 'killed' AND report_date >= DATE '2015-01-01' AND value_low IS NULL"))
	if got := strings.TrimSpace(string(raw)); !strings.HasPrefix(got, want) {
		t.Errorf("R read %q, want it to begin %q (rows, value's class, value_low's class, its NAs, record_id's class)", got, want)
	}
}
