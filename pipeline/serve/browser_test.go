package serve_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browse starts Chromium (chromium finds it) at a window of the given size, as a phone when mobile, and
// returns a context that drives it.
func browse(t *testing.T, width, height int, mobile bool) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	emulate := chromedp.EmulateViewport(int64(width), int64(height))
	if mobile {
		emulate = chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateMobile, chromedp.EmulateScale(3))
	}
	if err := chromedp.Do(ctx, emulate); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// open loads page and waits until the dashboard says it is ready.
func open(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.Query(`body[data-ready="true"]`)); err != nil {
		t.Fatalf("loading %s: %v", page, err)
	}
}

// eval evaluates a JavaScript expression in the page, awaiting it when it is a promise, into out.
func eval[T any](t *testing.T, ctx context.Context, expr string, out *T) {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%.80s: %v", expr, err)
	}
	*out = v
}

var screens = []struct {
	name          string
	width, height int
	mobile        bool
}{
	{"desktop", 1280, 900, false},
	{"phone", 390, 844, true},
}

// What a reader sees on a desktop and on a phone: nothing scrolls sideways, the first view is light,
// the Lebanon chart shows the 15 months without reports and the phase reset as a break, not as a line,
// and a chart tells the value and date under the pointer.
func TestDashboardScreens(t *testing.T) {
	srv, _ := server(t)
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			ctx := browse(t, sc.width, sc.height, sc.mobile)
			open(t, ctx, srv.URL+"/")

			if dir := os.Getenv("TOLL_SCREENSHOT_DIR"); dir != "" { // to look at it
				shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
				if err == nil {
					err = os.WriteFile(filepath.Join(dir, "dashboard-"+sc.name+".jpg"), shot, 0o644)
				}
				if err != nil {
					t.Error(err)
				}
			}

			var overflow int
			eval(t, ctx, `document.documentElement.scrollWidth - window.innerWidth`, &overflow)
			if overflow > 0 {
				t.Errorf("the page is %d px wider than the %d px screen: it scrolls sideways", overflow, sc.width)
			}

			// What the first view transferred over the network, compressed as it travelled.
			var transferred int
			eval(t, ctx, `performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
				.reduce((n, e) => n + e.transferSize, 0)`, &transferred)
			if transferred == 0 || transferred > 500_000 {
				t.Errorf("the first view transferred %d bytes, want some and under 500 KB", transferred)
			}
			t.Logf("%s: first view %d bytes", sc.name, transferred)

			// The Lebanon chart: the stretch from 2024-12-04 to 2026-03-05 has no report and the count
			// restarts after it. It is drawn as a gap, crossed by no line, and said in words.
			var lebanon struct {
				Gaps    []float64 // the widest gap's left and right x
				Crossed bool
				Caption string
			}
			eval(t, ctx, `(() => {
				const card = document.querySelector('[data-series="tfp_lebanon_daily/LBN/killed/all/cumulative/phase"]');
				const gaps = [...card.querySelectorAll("rect.gap")].map((r) => [+r.getAttribute("x"), +r.getAttribute("x") + +r.getAttribute("width")]);
				const widest = gaps.sort((a, b) => (b[1] - b[0]) - (a[1] - a[0]))[0] || [];
				const crossed = [...card.querySelectorAll("path")].some((p) => {
					const xs = [...p.getAttribute("d").matchAll(/[ML]([0-9.]+),/g)].map((m) => +m[1]);
					return widest.length && Math.min(...xs) < widest[0] + 1 && Math.max(...xs) > widest[1] - 1;
				});
				const caption = card.querySelector("figcaption");
				return { gaps: widest, crossed, caption: caption ? caption.textContent : "" };
			})()`, &lebanon)
			if len(lebanon.Gaps) != 2 || lebanon.Gaps[1]-lebanon.Gaps[0] < 40 {
				t.Errorf("the Lebanon chart draws no wide gap: %v", lebanon.Gaps)
			}
			if lebanon.Crossed {
				t.Error("a line of the Lebanon chart crosses its 15 months without reports")
			}
			for _, want := range []string{"No reports from 2024-12-04 to 2026-03-05", "Fell from 4,047 to 123 on 2026-03-05"} {
				if !strings.Contains(lebanon.Caption, want) {
					t.Errorf("the Lebanon chart's caption %q does not say %q", lebanon.Caption, want)
				}
			}

			// Axes: the value axis has ticks between 0 and the top, the date axis dates.
			var ticks struct{ Values, Dates int }
			eval(t, ctx, `(() => {
				const texts = [...document.querySelectorAll('[data-series="tfp_gaza_daily/PS02/killed/all/cumulative"] svg text')].map((t) => t.textContent);
				return { values: texts.filter((s) => /^[0-9,]+k?$/.test(s)).length, dates: texts.filter((s) => /^20[0-9]{2}(-[0-9]{2})?/.test(s)).length };
			})()`, &ticks)
			if ticks.Values < 4 || ticks.Dates < 2 {
				t.Errorf("the Gaza chart's axes have %d value ticks and %d date ticks, want 4 or more and 2 or more", ticks.Values, ticks.Dates)
			}

			// The sources' table gives each source's licence, linked to where it is published, and how
			// to cite it.
			var licences []string
			eval(t, ctx, `[...document.querySelectorAll("#sources tbody tr")].map((tr) => {
				const a = tr.cells[4].querySelector("a");
				return tr.cells[0].textContent + " | " + tr.cells[4].textContent + " | " + (a ? a.href : "");
			})`, &licences)
			if len(licences) != 2 {
				t.Errorf("the sources' table has %d rows, want 2", len(licences))
			}
			// ...in view without scrolling sideways, on a phone too (its rows stack there).
			var hidden int
			eval(t, ctx, `[...document.querySelectorAll("#sources tbody tr")].filter((tr) =>
				tr.cells[4].getBoundingClientRect().right > window.innerWidth + 1).length`, &hidden)
			if hidden > 0 {
				t.Errorf("%d sources' licences lie beyond the %d px screen's right edge", hidden, sc.width)
			}
			for _, l := range licences {
				if !strings.Contains(l, "Public domain") || !strings.Contains(l, "Cite: Tech for Palestine") ||
					!strings.HasSuffix(l, "https://github.com/TechForPalestine/palestine-datasets") {
					t.Errorf("a source's licence reads %q, want the licence linked to its terms and a citation", l)
				}
			}

			// Pointing at (or tapping) the middle of a chart reads out a value and its report date.
			var readout string
			eval(t, ctx, `(() => {
				const s = document.querySelector('[data-series="tfp_gaza_daily/PS02/killed/all/cumulative"] svg');
				const box = s.getBoundingClientRect();
				s.dispatchEvent(new PointerEvent("pointerdown", { clientX: box.left + box.width / 2, clientY: box.top + 40, bubbles: true }));
				return s.closest("figure").querySelector(".readout").textContent;
			})()`, &readout)
			if !strings.Contains(readout, " on 202") || !strings.Contains(readout, "Gaza Ministry of Health") {
				t.Errorf("tapping the chart reads out %q, want a value, its report date and its publisher", readout)
			}
		})
	}
}

// screenshot saves what the browser shows as name in $TOLL_SCREENSHOT_DIR, when it is set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("TOLL_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name), shot, 0o644)
	}
	if err != nil {
		t.Error(err)
	}
}

// A shared check link, opened on a phone, shows its verdict without scrolling; checking an article
// makes the address the link to that check, with a button that copies it.
func TestDashboardCheckLink(t *testing.T) {
	srv, _ := server(t)
	page := srv.URL + "/?" + url.Values{
		"text":      {"The Gaza health ministry said on Saturday that 34,971 people had been killed."},
		"published": {"2024-05-12"},
	}.Encode()
	ctx := browse(t, 390, 844, true)
	open(t, ctx, page)
	screenshot(t, ctx, "check-link-phone.png") // what the phone shows on opening the link
	var verdict struct {
		Text        string
		Top, Bottom float64
		Height      float64
	}
	eval(t, ctx, `(() => {
		const v = document.querySelector(".claim .verdict"), box = v.getBoundingClientRect();
		return { text: v.textContent, top: box.top, bottom: box.bottom, height: window.innerHeight };
	})()`, &verdict)
	if verdict.Text != "consistent" || verdict.Top < 0 || verdict.Bottom > verdict.Height {
		t.Errorf("the shared check's verdict %q is at %.0f–%.0f px of an %.0f px screen, want it in view", verdict.Text,
			verdict.Top, verdict.Bottom, verdict.Height)
	}

	var markup []struct {
		Type         string `json:"@type"`
		URL          string `json:"url"`
		ReviewRating struct{ AlternateName string }
	}
	eval(t, ctx, `JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent)`, &markup)
	if len(markup) != 1 || markup[0].Type != "ClaimReview" || markup[0].ReviewRating.AlternateName != "Consistent with the data" ||
		!strings.Contains(markup[0].URL, "published=2024-05-12") {
		t.Errorf("the page's ClaimReview markup: %+v", markup)
	}

	// A shared link to a check of a web page: the page gives its date.
	pages := httptest.NewServer(http.FileServer(http.Dir("../article/testdata")))
	defer pages.Close()
	open(t, ctx, srv.URL+"/?"+url.Values{"url": {pages.URL + "/gitlab-blog.html"}}.Encode())
	var said string
	eval(t, ctx, `document.querySelector("#claims p").textContent`, &said)
	if !strings.Contains(said, "3 surprising findings") || !strings.Contains(said, "published 2024-06-25 (from the page's JSON-LD datePublished)") {
		t.Errorf("a check of a link says %q, want the page's title and date", said)
	}

	// A new check from the box.
	open(t, ctx, srv.URL+"/")
	if err := chromedp.Do(ctx,
		chromedp.SetValue("#check-text", "More than 34,900 Palestinians have been killed in Gaza."),
		chromedp.SetValue(`#check input[name="published"]`, "2024-05-11"),
		chromedp.Click(`#check button[type="submit"]`),
		chromedp.Query("#share", chromedp.NodeVisible),
		chromedp.Click("#copy-link"),
	); err != nil {
		t.Fatal(err)
	}
	copied, err := chromedp.Run(ctx, chromedp.Poll[string](`document.querySelector("#copied").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	var address string
	eval(t, ctx, `location.href`, &address)
	u, err := url.Parse(address)
	if err != nil || u.Query().Get("published") != "2024-05-11" || !strings.Contains(u.Query().Get("text"), "34,900") {
		t.Errorf("after Check the address is %s, want the link to the check", address)
	}
	if copied != "Copied." {
		t.Errorf("the copy button says %q", copied)
	}
}

// A total that toll builds from parts ("1,455 Israelis": the 7 October toll as officials stated it,
// and the soldiers killed in Gaza since) shows each part, an official statement linked to the report
// that quotes it.
func TestDashboardShowsTheParts(t *testing.T) {
	srv, _ := serverOf(t, "tfp_gaza_daily", "israel_soldiers_gaza", "israel_oct7")
	ctx := browse(t, 390, 844, true)
	open(t, ctx, srv.URL+"/?"+url.Values{
		"text":      {"Over 34,900 Palestinians and 1,455 Israelis have suffered fatalities since the escalation of the conflict."},
		"published": {"2024-05-11"},
	}.Encode())
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(".parts")); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "check-parts-phone.png")
	var parts struct {
		Verdict string
		Items   []string
		Links   []string
	}
	eval(t, ctx, `(() => {
		const c = document.querySelectorAll(".claim")[1];
		return { verdict: c.querySelector(".verdict").textContent,
			items: [...c.querySelectorAll(".parts li")].map((li) => li.textContent),
			links: [...c.querySelectorAll(".parts a")].map((a) => a.href) };
	})()`, &parts)
	if parts.Verdict != "consistent" || len(parts.Items) != 3 || len(parts.Links) != 3 ||
		!strings.HasPrefix(parts.Links[0], "https://") || !strings.Contains(parts.Items[0], "Israeli authorities") {
		t.Errorf("the sum's parts: %+v", parts)
	}
}

// axe-core, the accessibility checker, finds no serious or critical violation of WCAG 2 A and AA on the
// dashboard, with a check's verdicts shown, on a desktop and on a phone. axe-core comes from npm
// (.ci/run installs it under .ci/npm).
func TestDashboardAccessibility(t *testing.T) {
	axePath := filepath.Join("..", "..", ".ci", "npm", "node_modules", "axe-core", "axe.min.js")
	axe, err := os.ReadFile(axePath)
	if err != nil {
		if os.Getenv("TOLL_REQUIRE_TOOLS") != "" {
			t.Fatalf("axe-core: %v (npm ci --prefix .ci/npm)", err)
		}
		t.Skipf("axe-core is not installed: npm ci --prefix .ci/npm to check the dashboard's accessibility (%v)", err)
	}
	srv, _ := server(t)
	page := srv.URL + "/?" + url.Values{
		"text":      {"The Gaza health ministry said on Saturday that 34,971 people had been killed."},
		"published": {"2024-05-12"},
	}.Encode()
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			ctx := browse(t, sc.width, sc.height, sc.mobile)
			open(t, ctx, page)
			var ignored int
			eval(t, ctx, string(axe)+";0", &ignored)
			var violations []struct {
				ID, Impact, Help string
				Nodes            []struct{ Target []string }
			}
			eval(t, ctx, `axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] }).then((r) => r.violations)`, &violations)
			for _, v := range violations {
				if v.Impact == "serious" || v.Impact == "critical" {
					var where []string
					for _, n := range v.Nodes {
						where = append(where, strings.Join(n.Target, " "))
					}
					t.Errorf("%s (%s): %s, at %s", v.ID, v.Impact, v.Help, strings.Join(where, "; "))
				}
			}
			t.Logf("%d violations in all, none serious or critical unless listed", len(violations))
		})
	}
}
