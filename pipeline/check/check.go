// Package check is the claim-checking stage: it finds the casualty and displacement figures in a text
// (rules and lexicons in this package, no model), maps each to the series that can answer it (resolve.go),
// and compares it with the data as of the publication date (verdict.go).
//
// It reads a snapshot only, never the warehouse, so checks run while a pipeline run holds the warehouse.
// A Checker loads the series it needs once and then checks any number of texts.
package check

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"toll/pipeline/obs"
	"toll/pipeline/snapshot"
)

// Claim is a figure found in a text and what the data says about it.
type Claim struct {
	Figure
	Sentence           string     `json:"sentence,omitempty"`
	Verdict            string     `json:"verdict"`
	Why                string     `json:"why"`
	Tolerance          string     `json:"tolerance,omitempty"`
	Data               *DataPoint `json:"data,omitempty"`
	CurrentFrom        string     `json:"current_from,omitempty"`  // first report date the quoted figure holds for
	CurrentUntil       string     `json:"current_until,omitempty"` // last report date it holds for
	KnownAtPublication *DataPoint `json:"known_at_publication,omitempty"`

	offset int // of the figure in a whole document, in characters (for measuring against labels)
}

// DataPoint is the report a claim was compared with: citable, with the snapshot it was read from.
type DataPoint struct {
	Series     string `json:"series"`
	Value      int64  `json:"value"`
	ReportDate string `json:"report_date"`
	Publisher  string `json:"publisher"`
	Basis      string `json:"basis"`
	Snapshot   string `json:"snapshot"`
}

// Checker checks texts against one snapshot.
type Checker struct {
	snapshotID string
	series     map[string][]Point   // current reports of each series the rules use, by date
	history    map[string][]version // every version of those reports, for what was known when
}

// version is one version of one report: known from fetchedAt until supersededAt (zero: still current).
type version struct {
	Point
	fetchedAt, supersededAt time.Time
}

// Open loads the series the rules use from the snapshot LATEST names in dataDir.
func Open(ctx context.Context, dataDir string) (*Checker, error) {
	db, id, err := snapshot.OpenLatest(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	c := &Checker{snapshotID: id, series: map[string][]Point{}, history: map[string][]version{}}
	ids := "'" + strings.Join(ruleSeries(), "','") + "'"
	rows, err := db.QueryContext(ctx, `SELECT series_id, report_date, value, basis, publisher, fetched_at, superseded_at
		FROM history WHERE series_id IN (`+ids+`) ORDER BY series_id, report_date, fetched_at`)
	if err != nil {
		return nil, fmt.Errorf("check: reading snapshot %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var series string
		var v version
		var superseded *time.Time
		if err := rows.Scan(&series, &v.Date, &v.Value, &v.Basis, &v.Publisher, &v.fetchedAt, &superseded); err != nil {
			return nil, err
		}
		v.Date = obs.Day(v.Date)
		if superseded != nil {
			v.supersededAt = *superseded
		} else {
			c.series[series] = append(c.series[series], v.Point)
		}
		c.history[series] = append(c.history[series], v)
	}
	return c, rows.Err()
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
	lower := asciiLower(sentence)
	var claims []Claim
	for _, f := range Extract(sentence, ctx) {
		claims = append(claims, c.judgeFigure(f, lower, obs.Day(published)))
	}
	return claims
}

func (c *Checker) judgeFigure(f Figure, lower string, published time.Time) Claim {
	cl := Claim{Figure: f}
	r, verdict, why := resolve(f, lower)
	if verdict != "" {
		cl.Verdict, cl.Why = verdict, why
		return cl
	}
	cl.Tolerance = Tolerance(f.Qualifier)
	points := c.series[r.series]
	j := judge(f, points, published, r.what, !strings.HasSuffix(r.series, "/period"))
	cl.Verdict, cl.Why = j.verdict, j.why
	if j.at.Date.IsZero() {
		return cl
	}
	cl.Data = &DataPoint{Series: r.series, Value: j.at.Value, ReportDate: j.at.Date.Format(obs.DateLayout),
		Publisher: j.at.Publisher, Basis: j.at.Basis, Snapshot: c.snapshotID}
	if !j.currentFrom.IsZero() {
		cl.CurrentFrom, cl.CurrentUntil = j.currentFrom.Format(obs.DateLayout), j.currentTill.Format(obs.DateLayout)
	}
	if known, ok := c.knownAt(r.series, j.at.Date, published); ok && known.Value != j.at.Value {
		cl.KnownAtPublication = &DataPoint{Series: r.series, Value: known.Value, ReportDate: known.Date.Format(obs.DateLayout),
			Publisher: known.Publisher, Basis: known.Basis, Snapshot: c.snapshotID}
		cl.Why += fmt.Sprintf("; as fetched by the end of %s, the report of %s said %s, since revised",
			published.Format(obs.DateLayout), known.Date.Format(obs.DateLayout), obs.GroupDigits(known.Value))
	}
	return cl
}

// quotesReport says whether value equals a report of series, as first published or as revised, dated
// from the day before published to the day after.
func (c *Checker) quotesReport(series string, value int64, published time.Time) bool {
	for _, v := range c.history[series] {
		if v.Value == value && absDays(v.Date.Sub(published)) <= 1 && v.Basis == obs.BasisReported {
			return true
		}
	}
	return false
}

// knownAt returns the report of series on reportDate as toll had fetched it by the end of the publication
// day, when it had.
func (c *Checker) knownAt(series string, reportDate, published time.Time) (Point, bool) {
	cutoff := published.AddDate(0, 0, 1)
	for _, v := range c.history[series] {
		if v.Date.Equal(reportDate) && v.fetchedAt.Before(cutoff) && (v.supersededAt.IsZero() || v.supersededAt.After(cutoff)) {
			return v.Point, true
		}
	}
	return Point{}, false
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
	for _, para := range strings.Split(strings.ToValidUTF8(text, "\uFFFD"), "\n") {
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
