// Package check is the claim-checking stage: it finds the casualty and displacement figures in a text
// (rules and lexicons in this package, no model), reads each with its own place, group and time frame
// and the words that decided them (numbers.go, lexicon.go, extract.go), maps it to the series that can
// answer it (resolve.go), and compares it with what was reported around the publication date
// (verdict.go), with toll's own figure for a period (period.go), or with official statements and sums
// of parts (statements.go). A negative verdict needs a sure reading (docs/checking.md, docs/decisions/0001).
//
// It reads a snapshot only, never the warehouse, so checks run while a pipeline run holds the warehouse.
// A Checker loads the series it needs once and then checks any number of texts. accuracy.go measures it
// on the labelled sets in testdata/claims.
package check

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/grafana/regexp"

	"toll/pipeline/obs"
	"toll/pipeline/snapshot"
)

// Claim is a figure found in a text and what the data says about it.
type Claim struct {
	Figure
	Sentence     string      `json:"sentence,omitempty"`
	Verdict      string      `json:"verdict"`
	Why          string      `json:"why"`
	Tolerance    string      `json:"tolerance,omitempty"`
	Data         *DataPoint  `json:"data,omitempty"`
	CurrentFrom  string      `json:"current_from,omitempty"`  // first report date the quoted figure holds for
	CurrentUntil string      `json:"current_until,omitempty"` // last report date it holds for
	Derived      *Derivation `json:"derived,omitempty"`       // how toll computed the period figure it compared the claim with
	Confidence   string      `json:"confidence"`              // high: toll is sure of the reading; low: see evidence
	Evidence     Evidence    `json:"evidence"`

	offset int // of the figure in a whole document, in characters (for measuring against labels)
}

// Evidence is the words of the text that decided a claim's reading, each with where it was found.
type Evidence struct {
	Place     string `json:"place,omitempty"`
	TimeFrame string `json:"time_frame,omitempty"`
	Group     string `json:"group,omitempty"`
	Metric    string `json:"metric,omitempty"`
	Unsure    string `json:"unsure,omitempty"` // what toll is not sure of, when confidence is low
}

// DataPoint is the report a claim was compared with, to cite: who published it and when, the source
// toll read it from and that source's URL, and the snapshot.
type DataPoint struct {
	Series     string `json:"series"`
	Value      int64  `json:"value"`
	ReportDate string `json:"report_date"`
	Publisher  string `json:"publisher"`
	Basis      string `json:"basis"`
	Version    string `json:"version,omitempty"` // "as first published" or "as revised", when the report was revised
	Source     string `json:"source"`
	SourceURL  string `json:"source_url,omitempty"` // the dataset as the source fetches it
	QuotedIn   string `json:"quoted_in,omitempty"`  // for an official statement, a report that quotes it
	Snapshot   string `json:"snapshot"`
}

// Checker checks texts against one snapshot.
type Checker struct {
	snapshotID string
	series     map[string][]Point  // current reported values of each series the rules use, by date
	reports    map[string][]report // every reported version of those values, by date
	sourceURLs map[string]string   // each source's URL, from the snapshot's manifest
}

// Open loads the series the rules use from the snapshot LATEST names in dataDir.
func Open(ctx context.Context, dataDir string) (*Checker, error) {
	db, id, err := snapshot.OpenLatest(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	m, err := snapshot.ReadManifest(dataDir, id)
	if err != nil {
		return nil, err
	}
	return FromSnapshot(ctx, db, m)
}

// FromSnapshot loads the series the rules use from the snapshot m describes, open as db (snapshot.Open).
func FromSnapshot(ctx context.Context, db *sql.DB, m snapshot.Manifest) (*Checker, error) {
	id := m.ID
	c := &Checker{snapshotID: id, series: map[string][]Point{}, reports: map[string][]report{}, sourceURLs: map[string]string{}}
	for _, s := range m.Sources {
		c.sourceURLs[s.Name] = s.URL
	}
	ids := "'" + strings.Join(ruleSeries(), "','") + "'"
	rows, err := db.QueryContext(ctx, `SELECT series_id, report_date, value, basis, publisher, coalesce(record_id, ''), superseded_at IS NULL
		FROM history WHERE series_id IN (`+ids+`) ORDER BY series_id, report_date, fetched_at`)
	if err != nil {
		return nil, fmt.Errorf("check: reading snapshot %s: %w", id, err)
	}
	defer rows.Close()
	versions := map[string][]Point{} // every version of every report, in the order it was fetched
	for rows.Next() {
		var series string
		var p Point
		var current bool
		if err := rows.Scan(&series, &p.Date, &p.Value, &p.Basis, &p.Publisher, &p.RecordID, &current); err != nil {
			return nil, err
		}
		p.Date = obs.Day(p.Date)
		if current && p.Basis == obs.BasisReported {
			c.series[series] = append(c.series[series], p)
		}
		versions[series] = append(versions[series], p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id, vs := range versions {
		c.reports[id] = reportsOf(vs)
	}
	return c, nil
}

// reportsOf keeps the reported versions (never a distributor's fill), one per date and value, and
// names a revised report's versions. versions come sorted by date, then by when they were fetched.
func reportsOf(versions []Point) []report {
	var out []report
	for i := 0; i < len(versions); {
		j := i
		for j < len(versions) && versions[j].Date.Equal(versions[i].Date) {
			j++
		}
		var day []report
		for _, v := range versions[i:j] {
			if v.Basis != obs.BasisReported || (len(day) > 0 && day[len(day)-1].Value == v.Value) {
				continue
			}
			day = append(day, report{Point: v})
		}
		if len(day) > 1 {
			day[0].version = "as first published"
			for k := 1; k < len(day); k++ {
				day[k].version = "as revised"
			}
		}
		out = append(out, day...)
		i = j
	}
	return out
}

// SnapshotID is the snapshot the checker reads.
func (c *Checker) SnapshotID() string { return c.snapshotID }

// MaxTextBytes is the largest text Check accepts; longer texts are refused, not truncated.
const MaxTextBytes = 16 << 20

// ErrBinary is returned for input that is not text.
var ErrBinary = errors.New("input is not text (it contains NUL bytes or mostly non-printable characters)")

// CheckText finds and checks the figures of an article published on published (a date, UTC).
// Each claim carries its sentence.
func (c *Checker) CheckText(text string, published time.Time) ([]Claim, error) {
	return c.checkTextIn(text, published, NewContext(""))
}

func checkInput(text string) error {
	if len(text) > MaxTextBytes {
		return fmt.Errorf("text of %d bytes is larger than the %d-byte limit", len(text), MaxTextBytes)
	}
	if bytes.IndexByte([]byte(text), 0) >= 0 {
		return ErrBinary
	}
	printable := 0
	for _, r := range text {
		if r == utf8.RuneError || (r < 32 && r != '\n' && r != '\r' && r != '\t') {
			continue
		}
		printable++
	}
	if n := utf8.RuneCountInString(text); n > 64 && printable*10 < n*7 {
		return ErrBinary
	}
	return nil
}

// CheckSentence checks the figures of one sentence; ctx carries the article around it (nil: none).
func (c *Checker) CheckSentence(sentence string, published time.Time, ctx *Context) []Claim {
	sentence = strings.ToValidUTF8(sentence, "\uFFFD")
	var claims []Claim
	for _, f := range Extract(sentence, ctx) {
		claims = append(claims, c.judgeFigure(f, obs.Day(published)))
	}
	return claims
}

func (c *Checker) judgeFigure(f Figure, published time.Time) Claim {
	cl := Claim{Figure: f, Evidence: f.evidence()}
	rd := f.reading()
	cl.Confidence = "high"
	if !rd.sure {
		cl.Confidence = "low"
		cl.Evidence.Unsure = strings.Join(rd.unsure, "; ")
	}
	if verdict, why := unjudgeable(f); verdict != "" {
		cl.Verdict, cl.Why = verdict, why
		return cl
	}
	cl.Tolerance = Tolerance(f.Qualifier)
	// Official statements and totals built from parts are judged their own way (statements.go); every
	// other figure by the series its rule names.
	if sr, ok := statementRuleFor(f); ok {
		return c.judgeStatements(cl, sr, published, rd)
	}
	if cp, ok := compositeFor(f); ok {
		return c.judgeComposite(cl, cp, published, rd)
	}
	r, derive, verdict, why := resolve(f)
	if verdict != "" {
		cl.Verdict, cl.Why = verdict, why
		return cl
	}
	if ok, own := countedBy(r.series, f.AttributedTo); !ok {
		source := "names no source"
		if f.AttributedTo != "" {
			source = "gives it as the count of " + f.AttributedTo
		}
		rd.sure = false
		rd.unsure = append(rd.unsure, fmt.Sprintf("the text %s; the series is the count of %s", source, strings.Join(own, ", ")))
		cl.Confidence, cl.Evidence.Unsure = "low", strings.Join(rd.unsure, "; ")
	}
	if derive {
		return c.judgePeriod(cl, r, published, rd)
	}
	judgeOn := func(day time.Time) judgement {
		return judge(f, c.reports[r.series], day, r.what, !strings.HasSuffix(r.series, "/period"), rd)
	}
	j := judgeOn(published)
	if asOf, ok := statedDate(f.asOf, published); ok && asOf.Before(published.AddDate(0, 0, -FreshDays)) && isNegative(j.verdict) {
		// "As of 20 March, 31,923 had been killed": the text dates the figure, so it is judged as of that
		// day, and never called wrong for the weeks since.
		at := judgeOn(asOf)
		j.verdict, j.why = VerdictUnchecked, fmt.Sprintf("the text dates the figure to %s (%q); as of then: %s: %s",
			asOf.Format(obs.DateLayout), f.asOf, at.verdict, at.why)
		if at.verdict == VerdictConsistent {
			j = at
			j.why = fmt.Sprintf("as of %s, the day the text gives it (%q): %s", asOf.Format(obs.DateLayout), f.asOf, at.why)
		}
	}
	cl.Verdict, cl.Why = j.verdict, j.why
	if j.at.Date.IsZero() {
		return cl
	}
	cl.Data = c.cite(r.series, j.at)
	if from, till := currentRun(f, c.series[r.series], j.at.Date); !from.IsZero() {
		cl.CurrentFrom, cl.CurrentUntil = from.Format(obs.DateLayout), till.Format(obs.DateLayout)
	}
	return cl
}

// cite is the report p of series as a claim names it.
func (c *Checker) cite(series string, p report) *DataPoint {
	source, _, _ := strings.Cut(series, "/") // a series id begins with its source
	return &DataPoint{Series: series, Value: p.Value, ReportDate: p.Date.Format(obs.DateLayout), Publisher: p.Publisher,
		Basis: p.Basis, Version: p.version, Source: source, SourceURL: c.sourceURLs[source], QuotedIn: p.RecordID, Snapshot: c.snapshotID}
}

// quotesReport says whether value equals a report of series, as first published or as revised, dated
// from the day before published to the day after.
func (c *Checker) quotesReport(series string, value int64, published time.Time) bool {
	for _, r := range c.reports[series] {
		if r.Value == value && absDays(r.Date.Sub(published)) <= 1 {
			return true
		}
	}
	return false
}

// maxSentenceBytes bounds one sentence, so that a text without punctuation costs linear time.
const maxSentenceBytes = 2000

var abbreviations = map[string]bool{"oct": true, "nov": true, "dec": true, "jan": true, "feb": true, "aug": true,
	"sept": true, "sep": true, "mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "no": true, "gen": true,
	"lt": true, "col": true, "sgt": true, "u.s": true, "u.n": true, "e.g": true, "i.e": true, "vs": true, "approx": true}

// Sentences splits a text into sentences: at line breaks, and after . ! ? (and closing quotes) followed by
// a space and a capital, digit or quote, unless the word before the stop is a known abbreviation.
func Sentences(text string) []string {
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		for len(s) > maxSentenceBytes {
			// Cut at the last clause boundary, else the last space, so a figure stays with its words.
			cut := max(strings.LastIndex(s[:maxSentenceBytes], ", "), strings.LastIndex(s[:maxSentenceBytes], "; "),
				strings.LastIndex(s[:maxSentenceBytes], " and "))
			if cut < maxSentenceBytes/2 {
				cut = strings.LastIndexByte(s[:maxSentenceBytes], ' ')
			}
			if cut <= 0 {
				cut = maxSentenceBytes
				for !utf8.RuneStart(s[cut]) {
					cut--
				}
			}
			out = append(out, s[:cut])
			s = strings.TrimSpace(s[cut:])
		}
		if s != "" {
			out = append(out, s)
		}
	}
	for _, para := range joinFigureLines(strings.Split(strings.ToValidUTF8(text, "\uFFFD"), "\n")) {
		start := 0
		for i := 0; i < len(para); i++ {
			c := para[i]
			if c != '.' && c != '!' && c != '?' {
				continue
			}
			j := i + 1
			for j < len(para) && strings.ContainsRune(`"')”’`, rune(para[j])) {
				j++
			}
			if strings.HasPrefix(para[j:], "”") || strings.HasPrefix(para[j:], "’") {
				j += len("”")
			}
			if j >= len(para) || para[j] != ' ' {
				continue
			}
			k := j + 1
			for k < len(para) && para[k] == ' ' { // "injured.  Between": two spaces after a stop
				k++
			}
			if k >= len(para) {
				continue
			}
			next := para[k]
			if !(next >= 'A' && next <= 'Z' || next >= '0' && next <= '9' || next == '"' || strings.HasPrefix(para[k:], "“")) {
				continue
			}
			if c == '.' && abbreviations[strings.ToLower(lastWord(para[start:i]))] {
				continue
			}
			add(para[start:j])
			start = j
		}
		add(para[start:])
	}
	return out
}

// joinFigureLines joins a line that holds only a figure to the next line of text, its label: "9,227"
// then "Number of Palestinians killed in Gaza", as news prints a toll in numbers.
func joinFigureLines(lines []string) []string {
	var out []string
	pending := ""
	for _, l := range lines {
		if m := figureDashLabelRE.FindStringSubmatch(l); m != nil {
			l = m[1] + " " + m[2] // "7,326 – Number of Palestinians killed", "– 8,005Number of …"
		}
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			if pending == "" {
				out = append(out, l)
			}
		case figureLineRE.MatchString(t):
			if pending != "" {
				out = append(out, pending)
			}
			pending = t
		case pending != "" && isLabel(t):
			out = append(out, pending+" "+t)
			pending = ""
		case pending != "":
			out = append(out, pending, l)
			pending = ""
		default:
			out = append(out, l)
		}
	}
	if pending != "" {
		out = append(out, pending)
	}
	return out
}

// isLabel: a short line with no closing stop, as a label is ("Number of Palestinians killed in Gaza"),
// not a sentence after a page number.
func isLabel(line string) bool {
	return len(strings.Fields(line)) <= 12 && !strings.ContainsAny(line[len(line)-1:], ".!?")
}

// figureDashLabelRE: a figure and its label on one line, joined by a dash or by nothing at all.
var figureDashLabelRE = regexp.MustCompile(`^\s*(?:[-–•*]\s*)?(` + lineQualifier + `\d[\d,.]*(?:\s*(?:million|thousand|billion))?\+?)(?:\s*[–—-]\s*|\s*:\s*|\s+[–—-]?\s*)?([A-Z][^0-9]*)$`)

var figureLineRE = regexp.MustCompile(`(?i)^(?:[-–•*]\s*)?` + lineQualifier + `(?:\d[\d,.  ]*(?:\s*(?:million|thousand|billion|m|k))?\+?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)$`)

// lineQualifier is a qualifier before a figure printed on a line of its own.
const lineQualifier = `(?:(?:over|more than|at least|about|nearly|almost|some|around|up to)\s+)?`

func lastWord(s string) string {
	i := strings.LastIndexAny(s, " (\"“")
	return s[i+1:]
}

// Counts tallies verdicts, for summaries.
func Counts(claims []Claim) []string {
	n := map[string]int{}
	for _, c := range claims {
		n[c.Verdict]++
	}
	var out []string
	for v, k := range n {
		out = append(out, fmt.Sprintf("%d %s", k, v))
	}
	sort.Strings(out)
	return out
}
