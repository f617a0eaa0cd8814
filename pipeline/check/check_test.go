package check_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"toll/pipeline/check"
	"toll/pipeline/duck"
	"toll/pipeline/obs"
	"toll/pipeline/run"
	"toll/pipeline/sources/all"
)

// checker reads a snapshot of the real bundled data, built once for the package's tests.
var (
	checker *check.Checker
	dataDir string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "toll-check-")
	if err != nil {
		panic(err)
	}
	dataDir = dir
	tfp := []string{"tfp_gaza_daily", "tfp_west_bank_daily", "tfp_lebanon_daily", "tfp_gaza_infrastructure", "israel_soldiers_gaza", "israel_oct7", "israel_hostages_held"}
	if _, err := run.Run(context.Background(), all.Registry(), run.Options{DataDir: dir, Offline: true, BundleDir: "../../data/bundle", Sources: tfp}); err != nil {
		panic(err)
	}
	if checker, err = check.Open(context.Background(), dir); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func date(s string) time.Time {
	d, err := obs.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// The example of the issue: rafah-2024-05.txt, published 2024-05-11.
func TestRafahArticle(t *testing.T) {
	text, err := os.ReadFile("testdata/rafah-2024-05.txt")
	if err != nil {
		t.Fatal(err)
	}
	claims, err := checker.CheckText(string(text), date("2024-05-11"))
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) != 2 {
		t.Fatalf("%d claims, want 2 (34,900 and 1,455; not 'seven weeks'): %+v", len(claims), claims)
	}
	gaza := claims[0]
	if gaza.TextSpan != "Over 34,900" || *gaza.Value != 34900 || gaza.Qualifier != "over" || gaza.Metric != "killed" ||
		gaza.Area != "gaza" || gaza.Verdict != check.VerdictConsistent || gaza.Data == nil ||
		gaza.Data.Series != "tfp_gaza_daily/PS02/killed/all/cumulative" || gaza.Data.Value != 34971 ||
		gaza.Data.ReportDate != "2024-05-11" || gaza.Data.Publisher != "Gaza Ministry of Health" || gaza.CurrentFrom != "2024-05-09" {
		t.Errorf("34,900 claim: %+v, data %+v", gaza, gaza.Data)
	}
	if !strings.Contains(gaza.Sentence, "Over 34,900 Palestinians") {
		t.Errorf("claim sentence %q", gaza.Sentence)
	}
	// "1,455 Israelis" adds the 7 October toll (around 1,200 as officials stated it, or AFP's 1,163) and
	// the 266 soldiers killed in Gaza by 2024-05-10: toll builds the sum, shows each part, and states the gap.
	israel := claims[1]
	if israel.TextSpan != "1,455" || israel.Area != "israel" || israel.Verdict != check.VerdictConsistent ||
		israel.Data == nil || israel.Data.Basis != "derived" || israel.Derived == nil || len(israel.Derived.Parts) != 3 ||
		!strings.Contains(israel.Why, "sum 1,429 to 1,466") || !strings.Contains(israel.Why, "26 above 1,429 and 11 below 1,466") {
		t.Fatalf("1,455 claim: %+v", israel)
	}
	for _, p := range israel.Derived.Parts {
		quoted := strings.HasPrefix(p.Series, "israel_oct7/") == strings.HasPrefix(p.QuotedIn, "https://")
		if !quoted || p.ReportDate > "2024-05-11" {
			t.Errorf("part %+v: want a report of the day or before, statements citing the report that quotes them", p)
		}
	}
}

// The 7 October attack's toll is judged against what officials had stated by the article's day: 1,300
// on 12 October, more than 1,400 from the 15th, around 1,200 from 10 November 2023, when the foreign
// ministry revised it. Real sentences (claims/dev.jsonl, dev-wide.jsonl and news of October 2023), each
// on its own date and on dates around the revision.
func TestSevenOctoberAttack(t *testing.T) {
	const (
		raid1400 = "The Israeli military said it has struck more than 11,000 targets in the Gaza Strip since the horrific attacks by Hamas on October 7 which killed over 1,400 Israeli people and over 200 were taken hostage."
		raid1300 = "Authorities had initially estimated about 150 Israeli and foreign captives after Hamas launched its October 7 attack that killed at least 1,300 in Israel."
		raid1200 = "The Israeli death toll in the Hamas attack stands at 1,200, while more than 130 hostages are still held by the Palestinian group in Gaza, according to official figures."
		hostages = "The war erupted on October 7 when Hamas militants stormed into Israel from Gaza and killed over 1,400 people and took some 240 others hostage in a rampage that Israel described as the deadliest attack in its history."
	)
	tests := []struct {
		sentence, span, published, verdict, why string
	}{
		{raid1300, "at least 1,300", "2023-10-15", check.VerdictConsistent, "1,300 (Israeli authorities, 2023-10-12)"},
		{raid1300, "at least 1,300", "2023-11-20", check.VerdictOutdated, "revised on 2023-10-15"},
		{raid1400, "over 1,400", "2023-11-02", check.VerdictConsistent, "1,400 (Israeli authorities, 2023-10-15)"},
		{raid1400, "over 1,400", "2023-11-12", check.VerdictConsistent, "1,400"}, // the revision, two days old
		{raid1400, "over 1,400", "2023-11-20", check.VerdictOutdated, "revised on 2023-11-10, 10 days before publication"},
		// A bound below what stood is true, not outdated.
		{raid1400, "over 200", "2023-11-02", check.VerdictUnchecked, "true as a bound"},
		{hostages, "some 240", "2023-11-06", check.VerdictConsistent, "239 (Israeli authorities, 2023-10-29)"},
		{raid1200, "1,200", "2023-12-17", check.VerdictConsistent, "1,200 (Israeli authorities, 2023-11-10)"},
		// 1,200 was first said on 11 October, and the count rose after: in late October it was outdated.
		{raid1200, "1,200", "2023-10-25", check.VerdictOutdated, "1,200 (Israeli authorities, 2023-10-11)"},
		// Killed "in Israel since the attack on October 7": the attack's toll and the soldiers killed since.
		{"The Israeli Prime Minister's Office confirmed on Sunday that more than 1,400 people have been killed in Israel since the surprise attack by the Islamic Resistance Movement, Hamas, on October 7.",
			"more than 1,400", "2023-10-15", check.VerdictConsistent, "toll built Israelis killed since 7 October"},
		{"The Israeli military says 199 hostages are being held in Gaza, a number that is higher than previous estimates.", "199", "2023-10-16", check.VerdictConsistent, "199 (Israeli authorities, 2023-10-16)"},
		// Hostages still held, as officials counted them (135 on 13 December 2023). Counts differ by
		// convention, so an older one is never called outdated.
		{raid1200, "more than 130", "2023-12-17", check.VerdictConsistent, "135 (Israeli authorities, 2023-12-13)"},
		{raid1200, "more than 130", "2025-03-01", check.VerdictUnchecked, "matches none of the statements"},
		// The attack "on Israeli territory, in which more than 1,400 died" is the attack's toll, not Gaza's.
		{"The Israeli Army raised this Sunday to 239 the number of people kidnapped to the Gaza Strip by the Palestinian terrorist group Hamas following the attacks on October 7 on Israeli territory, in which more than 1,400 died.",
			"more than 1,400", "2023-10-29", check.VerdictConsistent, "1,400 (Israeli authorities, 2023-10-15)"},
		{"The war began after Hamas launched an unprecedented attack on Israel on 7 October that Israeli officials say killed about 1,200 people, mostly civilians.",
			"about 1,200", "2023-12-15", check.VerdictConsistent, "1,200 (Israeli authorities, 2023-11-10)"},
		// A part of the hostages ("eight of the 33 … have died") is not their count.
		{"According to David Mencer, spokesperson for the Israeli government, eight of the 33 hostages mentioned in the first phase of the agreement have died.", "eight", "2025-01-27", check.VerdictUnchecked, "counts something else"},
		// A figure matching no statement toll holds is never called wrong: the table is what was found.
		{"Hamas-led militants killed 1,139 people, mostly civilians, in the October 7 attack, according to an AFP tally based on Israeli official figures.", "1,139", "2024-01-10", check.VerdictUnchecked, "matches none of the statements"},
	}
	for _, tt := range tests {
		var got *check.Claim
		claims := checker.CheckSentence(tt.sentence, date(tt.published), nil)
		for i := range claims {
			if claims[i].TextSpan == tt.span {
				got = &claims[i]
			}
		}
		if got == nil || got.Verdict != tt.verdict || !strings.Contains(got.Why, tt.why) {
			t.Errorf("%q in %q on %s: got %+v; want %s saying %q", tt.span, tt.sentence, tt.published, got, tt.verdict, tt.why)
			continue
		}
		cited := got.Data != nil && strings.HasPrefix(got.Data.QuotedIn, "http")
		if got.Derived != nil && len(got.Derived.Parts) > 0 {
			cited = strings.HasPrefix(got.Derived.Parts[0].QuotedIn, "http") // a sum: its statement part
		}
		if got.Verdict != check.VerdictUnchecked && !cited {
			t.Errorf("%q on %s: %s without the report that quotes the statement: %+v", tt.span, tt.published, got.Verdict, got.Data)
		}
	}
}

// One real sentence per verdict, with the data it was published against.
func TestVerdicts(t *testing.T) {
	tests := []struct {
		sentence, published, verdict, why string
	}{
		{"The death toll in Gaza has climbed to 45,436, the health ministry said.", "2024-12-27", check.VerdictConsistent, "45,436"},
		// Quoted on 2023-11-17, the children's count of 2023-11-12.
		{"At least 11,180 people have been killed in Gaza, including 4,609 children.", "2023-11-17", check.VerdictOutdated, "2023-11-12"},
		// Above every report from three days before publication to the day after (the highest: 2024-05-12).
		{"More than 50,000 Palestinians have been killed in Gaza, the ministry said.", "2024-05-11", check.VerdictOverstated, "35,034"},
		// Between two reports of the window: an update issued between the daily reports toll holds.
		{"The health ministry in Gaza said 34,950 people have been killed.", "2024-05-11", check.VerdictConsistent, "between the reports"},
		// Between two reports days apart (Lebanon's ministry, March 2026): it may quote one toll lacks.
		{"The war death toll in Lebanon has risen to 570, the health ministry said.", "2026-03-11", check.VerdictUnchecked, "5 days apart"},
		// The last report before the window was still current when it opened (OCHA's West Bank flash
		// updates of 16 and 20 December 2023).
		{"OCHA said 278 Palestinians have been killed in the West Bank since October 7.", "2023-12-20", check.VerdictConsistent, "278"},
		// Never a report of its own, but between those of 18 and 19 April: an update of then.
		{"The health ministry in Gaza said 34,001 people have been killed.", "2024-05-11", check.VerdictOutdated, "2024-04-18 (33,970) and 2024-04-19 (34,012)"},
		// Far below it, and never reported: a total passed it weeks before, so the text counts something narrower.
		{"The health ministry in Gaza said 25,001 people have been killed.", "2024-05-11", check.VerdictUnchecked, "something narrower"},
		// The identified dead are part of the toll (May 2024: 24,686 identified of 35,091).
		{"The health ministry has identified 24,686 of those killed in Gaza, including 7,797 children, the UN said.", "2024-05-13", check.VerdictUnchecked, "part of the toll"},
		// Journalists killed are counted apart by each monitor: only the series publisher's count is judged.
		{"Reporters Without Borders said 130 journalists have been killed in Gaza since October 2023.", "2024-08-01", check.VerdictUnchecked, "the count of Reporters Without Borders"},
		{"130 journalists have been killed in Gaza since October 2023.", "2024-08-01", check.VerdictUnchecked, "names no source"},
		{"The Gaza government media office said 150 journalists have been killed since the start of the war.", "2024-08-01", check.VerdictOutdated, "2024-06-12"},
		// Another publisher's toll is its own: the Government Media Office's counts the missing too, and
		// the Palestinian Health Ministry's West Bank toll is not OCHA's.
		{"The Government Media Office in Gaza said on Sunday the death toll had risen to 61,709, including 14,222 people missing and presumed dead.", "2025-02-03", check.VerdictUnchecked, "Gaza Government Media Office"},
		{"At least 433 Palestinians have been killed in the West Bank since October 7, according to the Palestinian Health Ministry in Ramallah.", "2024-03-05", check.VerdictUnchecked, "Palestinian Health Ministry (Ramallah)"},
		// A toll that counts the missing too is not the ministry's count of the dead.
		{"The death toll in Gaza has risen to 61,709, including 14,222 missing and presumed dead.", "2025-02-03", check.VerdictUnchecked, "missing too"},
		// A figure the text dates itself is judged as of that day, not called outdated for the weeks since.
		{"As of 20 March, 31,923 Palestinians have been killed in Gaza since October 7, according to the health ministry.", "2024-05-11", check.VerdictConsistent, "as of 2024-03-20, the day the text gives it"},
		{"The health ministry said 31,923 Palestinians have been killed in Gaza.", "2024-05-11", check.VerdictOutdated, "2024-03-20"},
		{"Between 7 October 2023 and 29 August 2024, at least 40,602 Palestinians were killed and 93,855 were injured, according to MoH in Gaza.", "2024-09-06", check.VerdictConsistent, "as of 2024-08-29"},
		// A figure the text gives as an earlier value is not called outdated.
		{"The death toll in Gaza rose from 2,670 on October 15 to 4,651, the ministry said.", "2023-10-22", check.VerdictUnchecked, "earlier value"},
		// The same figures with nothing to say where, or what time frame: unchecked, not called wrong.
		{"The ministry said 50,001 people were killed.", "2024-05-11", check.VerdictUnchecked, "names no place"},
		{"The ministry said 50,001 Palestinians were killed.", "2024-05-11", check.VerdictUnchecked, "not sure"},
		{"Israeli strikes killed 25 Americans in Gaza, the ministry said.", "2024-05-11", check.VerdictUnchecked, "narrower group"},
		// The 7 October attack's own toll, in a relative clause, is that incident in Israel, not Gaza's total:
		// it is judged against the officials' statements (1,300 on 12 October, more than 1,400 on the 15th).
		{"Israeli air strikes have killed at least 2,778 Palestinians in Gaza since Hamas's Oct. 7 attack on Israel, which killed 1,300 people, the Gaza health ministry said.", "2023-10-17", check.VerdictConsistent, "1,300 (Israeli authorities, 2023-10-12)"},
		{"Israeli air strikes have killed at least 2,778 Palestinians in Gaza since Hamas's Oct. 7 attack on Israel, which killed 1,300 people, the Gaza health ministry said.", "2023-10-17", check.VerdictConsistent, "2,808"},
		// Period figures, answered by toll's own sum of the newly killed since the October 2025
		// ceasefire (397 to 445 by 2026-01-14, read a day either side), never by the running total.
		{"The health ministry said 420 people have been killed in Gaza since the ceasefire.", "2026-01-14", check.VerdictConsistent, "computed by toll"},
		{"The health ministry said 800 people have been killed in Gaza since the ceasefire.", "2026-01-14", check.VerdictOverstated, "since the October 2025 Gaza ceasefire"},
		// Nor does a few days' sum of daily reports: the report of 22 December 2023 covers the 19th to the 22nd.
		{"Between 18 and 20 December, 390 Palestinians were reportedly killed, and another 734 people were injured, according to the Ministry of Health (MoH) in Gaza.", "2023-12-22", check.VerdictUnchecked, "more than a day"},
		// OCHA's window "between the afternoons of" runs from one daily report to another.
		{"Between the afternoons of 26 and 29 August, according to the Ministry of Health (MoH) in Gaza, 167 Palestinians were killed and 321 were injured.", "2024-08-30", check.VerdictConsistent, "from 2024-08-26 to 2024-08-29"},
		{"A total of 4,252 Palestinians, including 645 children, have been injured in the West Bank, including East Jerusalem, between October 7 and January 18, 2024, according to OCHA.", "2024-01-25", check.VerdictConsistent, "as of 2024-01-18"},
		// Below the reports around publication, but between two older ones days apart: an update toll
		// does not hold, most likely, not a figure below everything published.
		{"The Gaza government media office has reported that the death toll of journalists has risen to 184 since the start of Israel's war on the Strip.", "2024-12-09", check.VerdictUnchecked, "days apart and before publication"},
		// A window that opens before the series' first report: toll counts only from that report.
		{"The total number of Palestinians killed in the West Bank, including East Jerusalem, during 2023 is 507, according to OCHA.", "2024-01-19", check.VerdictUnchecked, "the series starts on 2023-10-07"},
		// The total's growth since then (recovered bodies and all) is not called overstated either.
		{"The health ministry said 4,200 people have been killed in Gaza since the ceasefire.", "2026-01-14", check.VerdictUnchecked, "running total's growth"},
		// A running total's growth never proves a period figure wrong: it includes what was recorded late.
		{"The health ministry said 100 people have been injured in Gaza since the ceasefire.", "2026-01-14", check.VerdictUnchecked, "recorded late"},
		{"Israeli attacks have killed 4,047 people in Lebanon, the health minister said.", "2024-12-04", check.VerdictConsistent, "4,047"},
		{"Tens of thousands of people have been killed in Gaza.", "2024-05-11", check.VerdictUnchecked, "vague"},
		{"The strike on the school killed 33 people in Gaza.", "2024-05-11", check.VerdictUnchecked, "one incident"},
		{"More than 1,000 civilians have been killed in Sudan's El Fasher.", "2025-10-29", check.VerdictNoData, "sudan"},
		// The first Israel-side series: soldiers killed in Gaza (346 by 2024-09-27).
		{"At least 340 soldiers have been killed in Gaza since the ground operation began, the army said.", "2024-09-28", check.VerdictConsistent, "346"},
	}
	for _, tt := range tests {
		claims := checker.CheckSentence(tt.sentence, date(tt.published), nil)
		if len(claims) == 0 {
			t.Errorf("%q: no claim", tt.sentence)
			continue
		}
		var got *check.Claim
		for i := range claims {
			if claims[i].Verdict == tt.verdict && (got == nil || strings.Contains(claims[i].Why, tt.why)) {
				got = &claims[i]
			}
		}
		if got != nil && strings.Contains(tt.why, "ceasefire") && (got.Derived == nil || got.Data.Basis != "derived" || got.Derived.Source == "") {
			t.Errorf("%q: a period claim without its derivation: %+v", tt.sentence, got)
		}
		if got == nil || !strings.Contains(got.Why, tt.why) {
			t.Errorf("%q (%s): got %+v; want a %s claim saying %q", tt.sentence, tt.published, claims, tt.verdict, tt.why)
		}
	}
}

// A report revised later still supports an article that quoted it as first published: the 2024-01-31
// Gaza total read 26,901 in the file of 2024-02-01 and 26,900 from 2024-05-11 on.
func TestFirstPublishedVersion(t *testing.T) {
	claims := checker.CheckSentence("The health ministry in Gaza said 26,901 people have been killed since the war began.", date("2024-02-01"), nil)
	if len(claims) != 1 || claims[0].Verdict != check.VerdictConsistent || claims[0].Data == nil ||
		claims[0].Data.Value != 26901 || claims[0].Data.Version != "as first published" {
		t.Fatalf("got %+v", claims)
	}
	if d := claims[0].Data; d.ReportDate != "2024-01-31" || !strings.Contains(claims[0].Why, "as first published") {
		t.Errorf("data %+v, why %q", d, claims[0].Why)
	}
}

func TestBatch(t *testing.T) {
	in := strings.Join([]string{
		`{"id": "a", "published": "2024-05-11", "text": "Over 34,900 Palestinians have been killed in Gaza."}`,
		`{"id": "b", "published": "11/05/2024", "text": "Over 34,900 Palestinians have been killed."}`,
		`not json`,
		``,
		`{"id": "d", "published": "2024-05-11", "sentence": "No figures here."}`,
	}, "\n")
	var results []check.BatchResult
	failed, err := checker.CheckBatch(context.Background(), "in.jsonl", strings.NewReader(in), func(r check.BatchResult) error {
		results = append(results, r)
		return nil
	})
	if err != nil || failed != 3 || len(results) != 5 {
		t.Fatalf("failed %d, err %v, %d results", failed, err, len(results))
	}
	if results[0].ID != "a" || len(results[0].Claims) != 1 || results[0].Claims[0].Verdict != check.VerdictConsistent {
		t.Errorf("line 1: %+v", results[0])
	}
	if results[1].Error != `in.jsonl: line 2: field published: want YYYY-MM-DD, got "11/05/2024"` {
		t.Errorf("line 2 error: %q", results[1].Error)
	}
	if !strings.HasPrefix(results[2].Error, "in.jsonl: line 3: not a JSON object") {
		t.Errorf("line 3 error: %q", results[2].Error)
	}
	if !strings.HasPrefix(results[3].Error, "in.jsonl: line 4: empty line") {
		t.Errorf("line 4 (blank) error: %q", results[3].Error)
	}
	if results[4].ID != "d" || results[4].Claims == nil || len(results[4].Claims) != 0 {
		t.Errorf("line 5: %+v", results[4])
	}
}

func TestBatchParquet(t *testing.T) {
	f, err := os.Open("testdata/claims/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := check.NewParquetWriter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	claims := 0
	if _, err := checker.CheckBatch(context.Background(), "dev.jsonl", f, func(r check.BatchResult) error {
		claims += len(r.Claims)
		return w.Add(r)
	}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "claims.parquet")
	if err := w.Write(out); err != nil {
		t.Fatal(err)
	}
	db, err := duck.Open("", duck.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, consistent int
	if err := db.QueryRow(`SELECT count(*), count(*) FILTER (verdict = 'consistent') FROM read_parquet(?)`, out).Scan(&rows, &consistent); err != nil {
		t.Fatal(err)
	}
	if rows != claims || consistent == 0 {
		t.Errorf("parquet has %d rows (%d consistent), the batch found %d claims", rows, consistent, claims)
	}
}

func TestInputThatIsNotAnArticle(t *testing.T) {
	if claims, err := checker.CheckText("", date("2024-05-11")); err != nil || len(claims) != 0 {
		t.Errorf("empty text: %v, %v", claims, err)
	}
	if _, err := checker.CheckText("PK\x03\x04\x00\x00binary", date("2024-05-11")); err != check.ErrBinary {
		t.Errorf("binary input: err = %v", err)
	}
	claims, err := checker.CheckText("Over 34,900 Palestinians \xff\xfe have been killed in Gaza.", date("2024-05-11"))
	if err != nil || len(claims) != 1 {
		t.Errorf("invalid UTF-8: %v, %v", claims, err)
	}
	// Several megabytes without a full stop: split into bounded pieces, every figure still found.
	piece := strings.Repeat("the talks went on for weeks without any result and ", 100) + "at least 7,028 people have been killed in Gaza and "
	big := strings.Repeat(piece, 1000)
	claims, err = checker.CheckText(big, date("2023-10-26"))
	if err != nil || len(claims) != 1000 {
		t.Errorf("%d MB text: %d claims, %v; want 1000", len(big)>>20, len(claims), err)
	}
	if _, err := checker.CheckText(strings.Repeat("x", check.MaxTextBytes+1), date("2024-05-11")); err == nil {
		t.Error("a text over the limit was accepted")
	}
}

func TestJSONFieldNames(t *testing.T) {
	claims := checker.CheckSentence("Over 34,900 Palestinians have been killed in Gaza.", date("2024-05-11"), nil)
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(claims)
	for _, field := range []string{`"text_span"`, `"value"`, `"qualifier"`, `"metric"`, `"subgroup"`, `"area"`, `"country_iso3"`,
		`"verdict"`, `"data"`, `"series"`, `"report_date"`, `"publisher"`, `"snapshot"`} {
		if !strings.Contains(buf.String(), field) {
			t.Errorf("JSON lacks %s: %s", field, buf.String())
		}
	}
}

// BenchmarkBatchDevSet measures batch checking throughput: the 205 dev sentences per iteration, with
// the snapshot loaded once (as toll check --batch does).
func BenchmarkBatchDevSet(b *testing.B) {
	raw, err := os.ReadFile("testdata/claims/dev.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Count(raw, []byte("\n"))
	b.ResetTimer()
	for range b.N {
		if _, err := checker.CheckBatch(context.Background(), "dev.jsonl", bytes.NewReader(raw), func(check.BatchResult) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// A text is split after a stop followed by spaces and a capital, not after an abbreviation.
func TestSentences(t *testing.T) {
	got := check.Sentences("142 Palestinians were killed.  Between 7 October 2023 and 14 June 2024, 37,266 were killed. On Oct. 7 the war began.")
	want := []string{"142 Palestinians were killed.", "Between 7 October 2023 and 14 June 2024, 37,266 were killed.", "On Oct. 7 the war began."}
	if !slices.Equal(got, want) {
		t.Errorf("Sentences = %q, want %q", got, want)
	}
	// A figure printed on its own line is read with the label on the next.
	got = check.Sentences("Here is a look in numbers:\n\n9,227\n\nNumber of Palestinians killed in Gaza\n\nOver 1.4 million\n\nPalestinians displaced in Gaza")
	want = []string{"Here is a look in numbers:", "9,227 Number of Palestinians killed in Gaza", "Over 1.4 million Palestinians displaced in Gaza"}
	if !slices.Equal(got, want) {
		t.Errorf("Sentences = %q, want %q", got, want)
	}
	// Or on the same line, after a dash or with no space at all.
	got = check.Sentences("7,326 – Number of Palestinians killed\n– 8,005Number of Palestinians killed in Gaza")
	want = []string{"7,326 Number of Palestinians killed", "8,005 Number of Palestinians killed in Gaza"}
	if !slices.Equal(got, want) {
		t.Errorf("Sentences = %q, want %q", got, want)
	}
	// A page number before a sentence is not a figure of it.
	got = check.Sentences("12\nThe ministry said 35 people were killed.")
	want = []string{"12", "The ministry said 35 people were killed."}
	if !slices.Equal(got, want) {
		t.Errorf("Sentences = %q, want %q", got, want)
	}
}

// "The number had increased from 4,385 on Saturday" counts what the sentence before counted, as it stood
// on Saturday: an earlier value, which fits the report of 21 October 2023.
func TestEarlierValueOfTheCountBefore(t *testing.T) {
	claims, err := checker.CheckText("At least 4,651 people have been killed in Gaza since the start of the war, the health ministry said. "+
		"The number had increased from 4,385 on Saturday, when Israel announced it would step up raids.", date("2023-10-22"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cl := range claims {
		if cl.TextSpan == "4,385" {
			if cl.Metric != "killed" || cl.Verdict != check.VerdictConsistent || cl.Data == nil || cl.Data.ReportDate != "2023-10-21" {
				t.Errorf("4,385: %s %s, data %+v; want killed, consistent with the report of 2023-10-21", cl.Metric, cl.Verdict, cl.Data)
			}
			return
		}
	}
	t.Errorf("no claim for 4,385 in %+v", claims)
}
