package check

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"toll/pipeline/obs"
)

// LabelledSentence is one record of a labelled sentence set (testdata/claims/dev.jsonl, dev-wide.jsonl).
type LabelledSentence struct {
	ID        string           `json:"id"`
	PageID    string           `json:"page_id"`
	URL       string           `json:"url"`
	Published string           `json:"published"`
	Sentence  string           `json:"sentence"`
	Claims    []LabelledFigure `json:"claims"`
}

// LabelledDocument is one whole labelled report (testdata/claims/flash-dev/labels.jsonl).
type LabelledDocument struct {
	ID        string           `json:"id"`
	Published string           `json:"published"`
	Path      string           `json:"path"` // relative to the labels file
	Claims    []LabelledFigure `json:"claims"`
}

// LabelledFigure is a figure as a person labelled it; for whole documents also where it is and, for
// the series toll holds, which report it quotes.
type LabelledFigure struct {
	Figure
	Sentence            string `json:"sentence"`
	SpanOffset          int    `json:"span_offset"` // in characters from the document's start
	ExpectedSeriesValue *int64 `json:"expected_series_value"`
	ExpectedSeriesDate  string `json:"expected_series_date"`
}

// Score counts how well extraction matches labels.
type Score struct {
	TP, FP, FN int
}

func (s Score) Precision() float64 { return ratio(s.TP, s.TP+s.FP) }
func (s Score) Recall() float64    { return ratio(s.TP, s.TP+s.FN) }
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (s Score) String() string {
	return fmt.Sprintf("precision %.3f recall %.3f F1 %.3f (tp %d, fp %d, fn %d)", s.Precision(), s.Recall(), s.F1(), s.TP, s.FP, s.FN)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Accuracy is what a labelled set says of toll check: how well it reads figures and how its verdicts
// fare on the figures that quote a report exactly.
type Accuracy struct {
	Values    Score // a figure counts when its value (and range end) matches a label's
	AllFields Score // ... and its qualifier, metric, subgroup and area match too
	// Time frame: of the figures whose value matched a label, how many have the label's scope.
	ScopeRight, ScopeMatched int
	// Series figures: labels that quote a report of a series toll holds (the Gaza ministry's totals;
	// in whole documents, every label with an expected report), and how many toll judged consistent
	// with that report.
	SeriesQuoted, SeriesResolved int
	// Negative verdicts (outdated, overstated, understated), and those given on a figure that equals a
	// report of the series it was compared with, published within a day of the text: each is a defect.
	Negative, NegativeOnQuote int
	// Negative verdicts on a figure whose metric, group or place differs from every label of its value:
	// an accusation resting on a misreading.
	NegativeMisread int
	Verdicts        map[string]int
	FieldErrors     map[string]int      // of the figures whose value matched, how many have each field wrong
	FieldMismatches map[string][]string // and which, one line each, by field
	// Sentences with no labelled figure, and how many of them got at least one figure anyway.
	EmptySentences, EmptyWithFigures int
	Mismatches                       []string // one line per difference, for tuning
	NegativeLines                    []string // every negative verdict, for reading by hand
}

func valueKey(f Figure) string {
	if f.Value == nil {
		return "vague"
	}
	k := fmt.Sprint(*f.Value)
	if f.ValueMax != nil {
		k += fmt.Sprintf("-%d", *f.ValueMax)
	}
	return k
}

func fieldsKey(f Figure) string {
	return strings.Join([]string{valueKey(f), f.Qualifier, f.Metric, f.Subgroup, f.Area}, "|")
}

// MeasureSentences checks labelled sentences, with one article context per page (the sentences of a
// page come in order), and scores what it finds. A nil Checker scores extraction only.
func (c *Checker) MeasureSentences(set []LabelledSentence) Accuracy {
	acc := Accuracy{Verdicts: map[string]int{}, FieldErrors: map[string]int{}, FieldMismatches: map[string][]string{}}
	contexts := map[string]*Context{}
	for _, ls := range set {
		ctx := contexts[ls.PageID]
		if ctx == nil || ls.PageID == "" {
			ctx = NewContext(ls.URL)
			contexts[ls.PageID] = ctx
		}
		published, _ := obs.ParseDate(ls.Published)
		got := c.checkOne(ls.Sentence, published, ctx)
		for i := range got {
			got[i].Sentence = ls.Sentence
		}
		if len(ls.Claims) == 0 {
			acc.EmptySentences++
			if len(got) > 0 {
				acc.EmptyWithFigures++
			}
		}
		for i := range ls.Claims {
			ls.Claims[i].SpanOffset = -1
			ls.Claims[i].Sentence = ls.Sentence
		}
		acc.add(ls.ID, published, got, ls.Claims, c)
	}
	return acc
}

// MeasureDocuments checks whole labelled documents, read from files by read, and scores them.
func (c *Checker) MeasureDocuments(docs []LabelledDocument, read func(path string) (string, error)) (Accuracy, error) {
	acc := Accuracy{Verdicts: map[string]int{}, FieldErrors: map[string]int{}, FieldMismatches: map[string][]string{}}
	for _, d := range docs {
		text, err := read(d.Path)
		if err != nil {
			return acc, err
		}
		published, err := obs.ParseDate(d.Published)
		if err != nil {
			return acc, fmt.Errorf("%s: field published: %w", d.ID, err)
		}
		var got []Claim
		at, ctx := 0, NewContext("")
		for _, s := range Sentences(text) {
			if k := strings.Index(text[at:], s); k >= 0 {
				at += k
			}
			for _, cl := range c.checkOne(s, published, ctx) {
				cl.offset = utf8.RuneCountInString(text[:at+cl.start])
				cl.Sentence = s
				got = append(got, cl)
			}
		}
		acc.add(d.ID, published, got, d.Claims, c)
	}
	return acc, nil
}

// checkOne extracts, and with a Checker judges, one sentence.
func (c *Checker) checkOne(sentence string, published time.Time, ctx *Context) []Claim {
	if c == nil {
		var out []Claim
		for _, f := range Extract(sentence, ctx) {
			out = append(out, Claim{Figure: f})
		}
		return out
	}
	return c.CheckSentence(sentence, published, ctx)
}

// add scores one sentence's or document's claims against its labels. A claim pairs with the label of
// the same value (and fields) nearest it in the text, each label used once.
func (acc *Accuracy) add(id string, published time.Time, got []Claim, want []LabelledFigure, c *Checker) {
	valuePair := pair(got, want, valueKey)
	fieldsPair := pair(got, want, fieldsKey)
	vTP, fTP := 0, 0
	for g, w := range valuePair {
		if w < 0 {
			continue
		}
		vTP++
		acc.ScopeMatched++
		if got[g].Scope == want[w].Scope {
			acc.ScopeRight++
		}
		gf, wf := got[g].Figure, want[w].Figure
		for field, same := range map[string]bool{"qualifier": gf.Qualifier == wf.Qualifier, "metric": gf.Metric == wf.Metric,
			"subgroup": gf.Subgroup == wf.Subgroup, "area": gf.Area == wf.Area, "scope": gf.Scope == wf.Scope} {
			if !same {
				acc.FieldErrors[field]++
				acc.FieldMismatches[field] = append(acc.FieldMismatches[field], fmt.Sprintf("%s %s: got %s|%s|%s|%s|%s want %s|%s|%s|%s|%s %q in %q", id, field,
					gf.Qualifier, gf.Metric, gf.Subgroup, gf.Area, gf.Scope, wf.Qualifier, wf.Metric, wf.Subgroup, wf.Area, wf.Scope, gf.TextSpan, got[g].Sentence))
			}
		}
	}
	for _, w := range fieldsPair {
		if w >= 0 {
			fTP++
		}
	}
	acc.Values.TP += vTP
	acc.Values.FP += len(got) - vTP
	acc.Values.FN += len(want) - vTP
	acc.AllFields.TP += fTP
	acc.AllFields.FP += len(got) - fTP
	acc.AllFields.FN += len(want) - fTP

	matchedBy := make([]int, len(want))
	for i := range matchedBy {
		matchedBy[i] = -1
	}
	for g, w := range valuePair {
		if w >= 0 {
			matchedBy[w] = g
		}
	}
	for w, l := range want {
		if !quotesSeries(l) {
			continue
		}
		acc.SeriesQuoted++
		g := matchedBy[w]
		if g >= 0 && got[g].Verdict == VerdictConsistent &&
			(l.ExpectedSeriesDate == "" || got[g].Data != nil && (nearDate(got[g].Data.ReportDate, l.ExpectedSeriesDate) ||
				l.ExpectedSeriesValue != nil && got[g].Data.Value == *l.ExpectedSeriesValue)) {
			acc.SeriesResolved++
			continue
		}
		line := fmt.Sprintf("%s unresolved %q (%s, expected report %s):", id, l.TextSpan, published.Format(obs.DateLayout), l.ExpectedSeriesDate)
		if g >= 0 {
			line += fmt.Sprintf(" %s|%s|%s|%s %s: %s", got[g].Metric, got[g].Subgroup, got[g].Area, got[g].Scope, got[g].Verdict, got[g].Why)
		} else {
			line += " not found"
		}
		acc.Mismatches = append(acc.Mismatches, line+"\n    in "+strconv.Quote(l.Sentence))
	}
	for _, cl := range got {
		acc.Verdicts[cl.Verdict]++
		if !isNegative(cl.Verdict) {
			continue
		}
		acc.Negative++
		quote := c != nil && cl.Data != nil && c.quotesReport(cl.Data.Series, *cl.Value, published)
		if quote {
			acc.NegativeOnQuote++
		}
		misread := !slices.ContainsFunc(want, func(l LabelledFigure) bool {
			return valueKey(l.Figure) == valueKey(cl.Figure) && l.Metric == cl.Metric && l.Subgroup == cl.Subgroup && l.Area == cl.Area
		})
		if misread {
			acc.NegativeMisread++
		}
		acc.NegativeLines = append(acc.NegativeLines, fmt.Sprintf("%s %s %q (%s, %s/%s/%s/%s): %s; exact quote of a report: %v; read otherwise than labelled: %v",
			id, cl.Verdict, cl.TextSpan, published.Format(obs.DateLayout), cl.Metric, cl.Subgroup, cl.Area, cl.Scope, cl.Why, quote, misread))
	}
	for g, w := range fieldsPair {
		if w < 0 {
			acc.Mismatches = append(acc.Mismatches, fmt.Sprintf("%s extra %s|%s %q\n    in %q", id, fieldsKey(got[g].Figure), got[g].Scope, got[g].TextSpan, got[g].Sentence))
		}
	}
	used := map[int]bool{}
	for _, w := range fieldsPair {
		used[w] = true
	}
	for w, l := range want {
		if !used[w] {
			acc.Mismatches = append(acc.Mismatches, fmt.Sprintf("%s missed %s|%s %q\n    in %q", id, fieldsKey(l.Figure), l.Scope, l.TextSpan, l.Sentence))
		}
	}
}

// quotesSeries: a label that quotes a report of a series toll holds. Whole documents say which
// report; in sentences, the Gaza ministry's running totals of the killed and injured.
func quotesSeries(l LabelledFigure) bool {
	if l.ExpectedSeriesDate != "" {
		return true
	}
	return l.SpanOffset < 0 && l.AttributedTo == "Gaza Health Ministry" && l.Area == "gaza" && l.Scope == "cumulative" &&
		l.Subgroup == "all" && (l.Metric == "killed" || l.Metric == "injured") && l.Value != nil && l.Unit == "persons"
}

func nearDate(a, b string) bool {
	da, err1 := obs.ParseDate(a)
	db, err2 := obs.ParseDate(b)
	return err1 == nil && err2 == nil && absDays(da.Sub(db)) <= 1
}

func isNegative(verdict string) bool {
	return verdict == VerdictOutdated || verdict == VerdictOverstated || verdict == VerdictUnderstated
}

// pair pairs each claim with a label of the same key, nearest in the text first (by character offset,
// where both have one), each label used once. It returns the label index for each claim, or -1.
func pair(got []Claim, want []LabelledFigure, key func(Figure) string) []int {
	type cand struct{ g, w, dist int }
	var cands []cand
	for g := range got {
		for w := range want {
			if key(got[g].Figure) != key(want[w].Figure) {
				continue
			}
			d := 0
			if want[w].SpanOffset >= 0 && got[g].offset >= 0 {
				d = got[g].offset - want[w].SpanOffset
				if d < 0 {
					d = -d
				}
			}
			cands = append(cands, cand{g, w, d})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	out := make([]int, len(got))
	for i := range out {
		out[i] = -1
	}
	used := make([]bool, len(want))
	for _, c := range cands {
		if out[c.g] < 0 && !used[c.w] {
			out[c.g], used[c.w] = c.w, true
		}
	}
	return out
}

// Report prints the figures `make accuracy` shows for one set.
func (acc Accuracy) Report(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", name)
	fmt.Fprintf(&b, "  values:      %s\n", acc.Values)
	fmt.Fprintf(&b, "  all fields:  %s\n", acc.AllFields)
	fmt.Fprintf(&b, "  time frame:  %.3f of matched figures (%d/%d)\n", ratio(acc.ScopeRight, acc.ScopeMatched), acc.ScopeRight, acc.ScopeMatched)
	fmt.Fprintf(&b, "  series figures judged consistent with the report they quote: %.3f (%d/%d)\n",
		ratio(acc.SeriesResolved, acc.SeriesQuoted), acc.SeriesResolved, acc.SeriesQuoted)
	fmt.Fprintf(&b, "  negative verdicts: %d, on exact quotes of a report: %d, on figures read otherwise than labelled: %d\n",
		acc.Negative, acc.NegativeOnQuote, acc.NegativeMisread)
	var vs []string
	for v, n := range acc.Verdicts {
		vs = append(vs, fmt.Sprintf("%s %d", v, n))
	}
	sort.Strings(vs)
	fmt.Fprintf(&b, "  verdicts: %s\n", strings.Join(vs, ", "))
	var fe []string
	for f, n := range acc.FieldErrors {
		fe = append(fe, fmt.Sprintf("%s %d", f, n))
	}
	sort.Strings(fe)
	fmt.Fprintf(&b, "  fields wrong on matched figures: %s\n", strings.Join(fe, ", "))
	if acc.EmptySentences > 0 {
		fmt.Fprintf(&b, "  sentences without figures: %d, of which %d got a figure anyway\n", acc.EmptySentences, acc.EmptyWithFigures)
	}
	return b.String()
}
