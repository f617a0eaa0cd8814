package serve_test

import (
	"encoding/json"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"toll/pipeline/serve"
)

func TestSourcesAndRanges(t *testing.T) {
	srv, _ := server(t)
	var src struct {
		Rows []struct {
			Name         string
			NewestReport string `json:"newest_report"`
			CadenceDays  int    `json:"cadence_days"`
		}
	}
	resp, body := get(t, request(t, "GET", srv.URL+"/api/sources", nil))
	if resp.StatusCode != 200 || json.Unmarshal(body, &src) != nil || len(src.Rows) != 2 {
		t.Fatalf("/api/sources: %d %s", resp.StatusCode, body)
	}
	for _, s := range src.Rows {
		// The bundle's newest reports are of 2026-08; today's date decides freshness, so only check
		// that each source has its newest report and cadence.
		if s.Name == "" || s.NewestReport < "2026-08-01" || s.CadenceDays < 1 {
			t.Errorf("source %+v: want its name, its newest report (of 2026-08) and its cadence", s)
		}
	}

	// A source whose terms forbid commercial use and redistribution says so, with its citation.
	srvDTM, _ := serverOf(t, "iom_dtm_sudan")
	var dtm struct {
		Rows []struct{ Name, License, Restrictions, Citation string }
	}
	if _, body := get(t, request(t, "GET", srvDTM.URL+"/api/sources", nil)); json.Unmarshal(body, &dtm) != nil || len(dtm.Rows) != 1 ||
		dtm.Rows[0].Restrictions != "non-commercial, no redistribution" || !strings.Contains(dtm.Rows[0].Citation, "IOM") {
		t.Errorf("/api/sources of IOM DTM: %s", body)
	}

	var series struct {
		Rows []struct {
			ReportDate string `json:"report_date"`
		}
	}
	id := "tfp_gaza_daily/PS02/killed/all/cumulative"
	resp, body = get(t, request(t, "GET", srv.URL+"/api/series/"+id+"?from=2024-05-01&to=2024-05-10", nil))
	if resp.StatusCode != 200 || json.Unmarshal(body, &series) != nil || len(series.Rows) != 10 ||
		series.Rows[0].ReportDate != "2024-05-01" || series.Rows[9].ReportDate != "2024-05-10" {
		t.Errorf("a date range: %d %s", resp.StatusCode, body)
	}
	if resp, _ := get(t, request(t, "GET", srv.URL+"/api/series/"+id+"?from=May", nil)); resp.StatusCode != 400 {
		t.Errorf("a bad date: %d, want 400", resp.StatusCode)
	}

	// A JSON answer is capped, and says so.
	old := serve.MaxJSONRows
	serve.MaxJSONRows = 5
	defer func() { serve.MaxJSONRows = old }()
	var capped struct {
		Rows      []map[string]any
		Truncated string
	}
	_, body = get(t, request(t, "GET", srv.URL+"/api/series/"+id, nil))
	if err := json.Unmarshal(body, &capped); err != nil || len(capped.Rows) != 5 || !strings.Contains(capped.Truncated, "from and to") {
		t.Errorf("capped answer: %d rows, truncated %q, %v", len(capped.Rows), capped.Truncated, err)
	}
}

func TestDashboardFiles(t *testing.T) {
	srv, _ := server(t)
	resp, body := get(t, request(t, "GET", srv.URL+"/", nil))
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<script src="/dashboard/dashboard.js"`) ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("/: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"), body)
	}
	for _, f := range []string{"dashboard.js", "dashboard.css"} {
		if resp, body := get(t, request(t, "GET", srv.URL+"/dashboard/"+f, nil)); resp.StatusCode != 200 || len(body) < 500 {
			t.Errorf("%s: %d, %d bytes", f, resp.StatusCode, len(body))
		}
	}
	if resp, _ := get(t, request(t, "GET", srv.URL+"/dashboard/../serve.go", nil)); resp.StatusCode == 200 {
		t.Error("a path out of the dashboard's files was served")
	}
}

// chromium finds Debian's Chromium. Without it the browser test is skipped, unless TOLL_REQUIRE_TOOLS
// is set (CI sets it, after installing chromium in .ci/run).
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("TOLL_REQUIRE_TOOLS") != "" {
		t.Fatal("no chromium on PATH (apt-get install chromium), and TOLL_REQUIRE_TOOLS is set")
	}
	t.Skip("no chromium on PATH: apt-get install chromium to run the dashboard in a real browser")
	return ""
}

// headless runs Chromium on url with the flags a closed network needs, and returns what it printed.
func headless(t *testing.T, browser string, args ...string) string {
	t.Helper()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=1280,2200", "--virtual-time-budget=15000"}
	cmd := exec.Command(browser, append(base, args...)...)
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.Output(); close(done) }()
	select {
	case <-done:
	case <-time.After(90 * time.Second):
		cmd.Process.Kill()
		t.Fatal("chromium did not finish in 90 s")
	}
	if err != nil {
		t.Fatalf("chromium %v: %v", args, err)
	}
	return string(out)
}

// The dashboard in a real browser: headline figures with their report dates and charts drawn from the
// API, the sources' table, and an article checked from a shared link; the screenshot shows the charts.
func TestDashboardInChromium(t *testing.T) {
	browser := chromium(t)
	srv, _ := server(t)
	page := srv.URL + "/?" + url.Values{
		"text":      {"The Gaza health ministry said on Saturday that 34,971 people had been killed."},
		"published": {"2024-05-12"},
	}.Encode()

	dom := headless(t, browser, "--dump-dom", page)
	for _, want := range []string{
		`data-ready="true"`,
		`data-series="tfp_gaza_daily/PS02/killed/all/cumulative"`, // a headline card
		`class="badge reported"`,
		`<path d="M`,                                     // a chart line
		`class="verdict consistent">consistent`,          // the checked figure
		`<td data-label="source">tfp_lebanon_daily</td>`, // the sources table
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %s", want)
		}
	}
	if strings.Contains(dom, `class="error"`) && strings.Contains(dom, "Could not load") {
		t.Errorf("the page says it could not load")
	}

	shot := filepath.Join(t.TempDir(), "dashboard.png")
	headless(t, browser, "--screenshot="+shot, page)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if n := countColor(img, 0x1f, 0x6f, 0xeb); n < 500 {
		t.Errorf("the screenshot has %d pixels of the charts' line colour, want the lines drawn (500 or more)", n)
	}
	if dir := os.Getenv("TOLL_SCREENSHOT_DIR"); dir != "" { // to look at it
		raw, _ := os.ReadFile(shot)
		os.WriteFile(filepath.Join(dir, "dashboard.png"), raw, 0o644)
	}
}

// countColor counts the pixels within a small distance of an RGB colour.
func countColor(img image.Image, r, g, b uint8) int {
	n := 0
	near := func(a uint32, c uint8) bool { d := int(a>>8) - int(c); return d > -24 && d < 24 }
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, r) && near(pg, g) && near(pb, b) {
				n++
			}
		}
	}
	return n
}
