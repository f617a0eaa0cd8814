package check

import (
	"strings"
	"testing"
	"unicode/utf8"

	"toll/pipeline/obs"
)

// FuzzExtract: any text gives figures whose spans are in the text, and never a panic or a hang.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Over 34,900 Palestinians and 1,455 Israelis have suffered fatalities.",
		"between 2,300 and 2,400 civilians were killed; two thousand and 367 martyrs",
		"٣٤٬٩٠٠ قتيل", "İİİ 1.7 million displaced", "13.000 dead 23 000 injured 1.9m fled", "\xff\xfe 5 killed",
		"One hundred and twenty-nine people were killed, dozens injured, tens of thousands displaced.",
		"9223372036854775808 people were killed in Gaza", "at 12:000 on 25 and 26 January, 5 killed",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, fig := range Extract(text, nil) {
			if !strings.Contains(text, fig.TextSpan) {
				t.Fatalf("span %q is not in the text", fig.TextSpan)
			}
			if fig.Value != nil && (*fig.Value < 0 || *fig.Value > MaxFigure) {
				t.Fatalf("value %d out of bounds", *fig.Value)
			}
		}
		for _, s := range Sentences(text) {
			if len(s) > maxSentenceBytes || (utf8.ValidString(text) && !utf8.ValidString(s)) {
				t.Fatalf("bad sentence piece of %d bytes", len(s))
			}
		}
	})
}

// FuzzNumberRoundTrip: a count printed with thousands separators reads back as itself.
func FuzzNumberRoundTrip(f *testing.F) {
	for _, n := range []int64{0, 7, 34900, 1234567, 999999999} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		if n < 0 || n > 1e12 {
			return
		}
		for _, printed := range []string{obs.GroupDigits(n), strings.ReplaceAll(obs.GroupDigits(n), ",", " ")} {
			ns := FindNumerals("killed " + printed + " people")
			if len(ns) != 1 || int64(ns[0].Value) != n {
				t.Fatalf("%q read as %+v", printed, ns)
			}
		}
	})
}
