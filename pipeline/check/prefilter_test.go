package check

import (
	"slices"
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
	// The filter never changes what a pattern finds.
	for _, ts := range [][]term{placeTerms, metricTerms, attributionTerms, weakPlaceTerms} {
		for _, tm := range ts {
			for _, s := range []string{"killed in gaza and rafah", "the unrwa said 12 staff died in chad", "israeli strikes on tel aviv"} {
				if (tm.re.FindStringIndex(s) == nil) != (tm.re.Regexp.FindStringIndex(s) == nil) {
					t.Errorf("%s on %q: the filter changed the match", tm.re, s)
				}
			}
		}
	}
}
