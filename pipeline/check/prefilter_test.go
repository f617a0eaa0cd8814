package check

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestPatternLiterals(t *testing.T) {
	tests := []struct {
		expr string
		need []string
	}{
		{`\b(?:gaza|rafah)\b`, []string{"gaza", "rafah"}},
		{`\bkilled and (?:wounded|injured)\b`, []string{"killed and "}},
		{`(?i)\bUNRWA\b`, []string{"unrwa"}},
		{`\b(?:in|into) chad\b|\bchadian\b`, []string{" chad", "chadian"}},
		{`\d+ killed`, []string{" killed"}},
		{`\b\w+\b`, nil},
		{`\bun\b|\bunited nations\b`, nil}, // "un" is too short to rule a sentence out
	}
	for _, tt := range tests {
		p := mustPattern(tt.expr)
		got := slices.Clone(p.need)
		slices.Sort(got)
		want := slices.Clone(tt.need)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: needs %q, want %q", tt.expr, got, want)
		}
	}
	// The filter never changes what a pattern finds, on every sentence of the dev set.
	raw, err := os.ReadFile("testdata/claims/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var sentences []string
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var ls struct{ Sentence string }
		if err := json.Unmarshal([]byte(line), &ls); err != nil {
			t.Fatal(err)
		}
		sentences = append(sentences, asciiLower(ls.Sentence))
	}
	var all []*pattern
	for _, ts := range [][]term{placeTerms, metricTerms, attributionTerms, weakPlaceTerms, qualifierTerms} {
		for _, tm := range ts {
			all = append(all, tm.re)
		}
	}
	all = append(all, periodScopeRE...)
	all = append(all, incidentScopeRE...)
	all = append(all, cumulativeScopeRE...)
	all = append(all, aidTargetBeforeRE...)
	for _, p := range all {
		for _, s := range sentences {
			if (p.FindStringIndex(s) == nil) != (p.Regexp.FindStringIndex(s) == nil) {
				t.Errorf("%s on %q: the filter changed the match", p, s)
			}
		}
	}
}
