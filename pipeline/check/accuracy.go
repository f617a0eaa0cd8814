package check

import (
	"fmt"
	"strings"
)

// LabelledSentence is one record of a labelled claims set (testdata/claims/dev.jsonl).
type LabelledSentence struct {
	ID        string   `json:"id"`
	PageID    string   `json:"page_id"`
	URL       string   `json:"url"`
	Published string   `json:"published"`
	Sentence  string   `json:"sentence"`
	Claims    []Figure `json:"claims"`
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

// Accuracy is the result of running extraction over a labelled set.
type Accuracy struct {
	Values    Score // a figure counts when its value (and range end) matches a label's
	AllFields Score // ... and its qualifier, metric, subgroup and area match too
	// Sentences with no labelled figure, and how many of them got at least one figure anyway.
	EmptySentences, EmptyWithFigures int
	Mismatches                       []string // one line per difference, for tuning
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

// Measure runs extraction over labelled sentences, with one article context per page as the sentences
// of a page come in order.
func Measure(set []LabelledSentence) Accuracy {
	var acc Accuracy
	contexts := map[string]*Context{}
	for _, ls := range set {
		ctx := contexts[ls.PageID]
		if ctx == nil || ls.PageID == "" {
			ctx = NewContext(ls.URL)
			contexts[ls.PageID] = ctx
		}
		got := Extract(ls.Sentence, ctx)
		if len(ls.Claims) == 0 {
			acc.EmptySentences++
			if len(got) > 0 {
				acc.EmptyWithFigures++
			}
		}
		vTP := match(got, ls.Claims, valueKey)
		fTP := match(got, ls.Claims, fieldsKey)
		acc.Values.TP += vTP
		acc.Values.FP += len(got) - vTP
		acc.Values.FN += len(ls.Claims) - vTP
		acc.AllFields.TP += fTP
		acc.AllFields.FP += len(got) - fTP
		acc.AllFields.FN += len(ls.Claims) - fTP
		if fTP != len(got) || fTP != len(ls.Claims) {
			var g, w []string
			for _, f := range got {
				g = append(g, fieldsKey(f))
			}
			for _, f := range ls.Claims {
				w = append(w, fieldsKey(f))
			}
			acc.Mismatches = append(acc.Mismatches, fmt.Sprintf("%s %q\n   got  %v\n   want %v", ls.ID, ls.Sentence, g, w))
		}
	}
	return acc
}

// match counts the figures of got that pair with a label under key, each label used once.
func match(got, want []Figure, key func(Figure) string) int {
	left := map[string]int{}
	for _, f := range want {
		left[key(f)]++
	}
	n := 0
	for _, f := range got {
		if left[key(f)] > 0 {
			left[key(f)]--
			n++
		}
	}
	return n
}
