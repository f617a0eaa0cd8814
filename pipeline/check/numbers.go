package check

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/grafana/regexp"
)

// Numeral is a number as printed in a text: digits, words, or a vague amount.
type Numeral struct {
	Start, End int     // byte offsets of the printed number in the text
	Value      float64 // 0 when Vague
	Max        float64 // upper end of a range ("between 2,300 and 2,400"), else 0
	Vague      bool    // "dozens", "tens of thousands": no value
	Percent    bool    // "85 percent", "90%"
	Ordinal    bool    // "662nd", "third"
	Words      bool    // written in words ("Sixty-six")
}

// Text returns the numeral as printed.
func (n Numeral) Text(s string) string { return s[n.Start:n.End] }

var (
	// Digits with thousands separators as printed: 34,900 / 15, 200 (a stray space) / 13.000 / 23 000 (also a narrow no-break
	// space) / 31726 / 1.7, then an optional scale word: 1.7 million, 1.9m, 13 thousand.
	// Scale words may follow after a space or hyphen; abbreviations must be attached ("1.9m", not "5 m").
	digitRE = fromDigits(`(?i)(?P<num>\d{1,3}(?:,\d{3})+|\d{1,3}(?:, \d{3}\b)+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:[  \x{202F}]\d{3})+|\d+(?:\.\d+)?)`+
		`(?:[\s-]?(?P<scale>million|billion|thousand|lakh|crore)\b|(?P<abbr>mn|bn|m|k)\b)?(?P<ord>st|nd|rd|th)?(?P<pct>\s*(?:%|percent\b|per cent\b))?`, false)
	groupedDotRE = regexp.MustCompile(`^\d{1,3}(\.\d{3})+$`)
	vagueRE      = regexp.MustCompile(`(?i)\b(?:tens of thousands|hundreds of thousands|many thousands|several thousands?|several hundreds?|` +
		`thousands|hundreds|dozens|millions|scores|tens|several)\b(?:\s+more\b)?`)
	rangeRE = regexp.MustCompile(`(?i)\bbetween\s+$`)

	wordPercentRE = regexp.MustCompile(`(?i)^\s*(?:%|percent\b|per cent\b)`)
	fromRE        = regexp.MustCompile(`(?i)\bfrom\s+$`)
	rangingRE     = regexp.MustCompile(`(?i)\b(?:ranging|ranged|varying|range) from\s+$`)
	aScaleRE      = regexp.MustCompile(`(?i)\b(half |(?:a )?quarter of |(?:a )?third of )?an? (million|dozen|hundred|thousand)\b`)

	// Clock times: "12:00", the typo "12:000", "7:30 a.m.", "9.30 pm", "at 0600 hrs".
	clockRE = fromDigits(`(?i)\b\d{1,2}:\d{2,3}(?:\s*(?:a\.?m\b\.?|p\.?m\b\.?|hrs\b|h\b))?|\b\d{1,2}[.:]\d{2}\s*(?:a\.?m\b\.?|p\.?m\b\.?)|\b\d{4}\s*(?:hrs|hours)\b`, true)
	// Days of a month, alone or in a list: "25 and 26 January", "on 12, 15, and 28 October",
	// "10-11 November", "October 12 and 15", "Oct. 7, 2023". "May" counts only capitalised.
	dayListRE      = fromDigits(day+`(?:(?:\s*,\s*`+day+`)*\s*,?\s*(?:and|to|or|&|-|–)\s*`+day+`)?\s*(?:of\s+)?`+monthNames+`\b`, true)
	urlRE          = regexp.MustCompile(`https?://[^\s)\]>"]+`)
	monthDayListRE = regexp.MustCompile(monthNames + `\.?\s+` + day + `(?:(?:\s*,\s*` + day + `)*\s*,?\s*(?:and|to|or|&|-|–)\s*` + day + `)?(?:,?\s+\d{4}\b)?`)
	monthDayRE     = regexp.MustCompile(`^` + monthNames + `\.?\s+` + day)
	groupedAfterRE = regexp.MustCompile(`^[,.]\d{3}`)
)

// day is a day of a month as printed: "7", "7th".
const day = `\b\d{1,2}(?:st|nd|rd|th)?\b`

const monthNames = `(?:(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|May|MAY)`

var smallNumbers = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var scales = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9,
	"mn": 1e6, "m": 1e6, "bn": 1e9, "k": 1e3, "lakh": 1e5, "crore": 1e7, "dozen": 12}

var ordinalWords = map[string]bool{"first": true, "second": true, "third": true, "fourth": true, "fifth": true,
	"sixth": true, "seventh": true, "eighth": true, "ninth": true, "tenth": true, "eleventh": true, "twelfth": true,
	"thirteenth": true, "fourteenth": true, "fifteenth": true, "sixteenth": true, "twentieth": true, "hundredth": true}

// FindNumerals returns the numerals of s in order. Ranges introduced by "between" are merged into one
// numeral with Max set.
func FindNumerals(s string) []Numeral {
	var ns []Numeral
	taken := make([]bool, len(s)+1)
	mark := func(n Numeral) {
		for i := n.Start; i < n.End; i++ {
			taken[i] = true
		}
		ns = append(ns, n)
	}
	// Clock times and dates are not counts: their digits are taken before any numeral is read.
	lower := asciiLower(s)
	hasMonth := false
	for _, m := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		hasMonth = hasMonth || strings.Contains(lower, m)
	}
	dates := clockRE.findAll(s)
	// A web address's digits ("status/1755545092306227596?s=20") are not numerals of the text.
	if strings.Contains(lower, "http") {
		dates = append(dates, urlRE.FindAllStringIndex(s, -1)...)
	}
	if hasMonth { // dates need a month's name; most sentences have none
		dates = append(dates, dayListRE.findAll(s)...)
		for _, m := range monthDayListRE.FindAllStringIndex(s, -1) {
			if groupedAfterRE.MatchString(s[m[1]:]) {
				// "from 2,670 on October 15 to 4,651": the list's last "day" begins a count; the date is
				// only its first day.
				m[1] = m[0] + len(monthDayRE.FindString(s[m[0]:]))
			}
			dates = append(dates, m)
		}
	}
	for _, m := range dates {
		for i := m[0]; i < m[1]; i++ {
			taken[i] = true
		}
	}
	for _, n := range findWordNumerals(s) {
		if !overlaps(taken, n) {
			mark(n)
		}
	}
	hasScale := strings.Contains(lower, "million") || strings.Contains(lower, "dozen") || strings.Contains(lower, "a hundred") ||
		strings.Contains(lower, "a thousand")
	var scaled [][]int
	if hasScale {
		scaled = aScaleRE.FindAllStringSubmatchIndex(s, -1)
	}
	for _, m := range scaled { // "half a million", "a dozen"
		n := Numeral{Start: m[0], End: m[1], Value: scales[asciiLower(s[m[4]:m[5]])], Words: true}
		if m[2] >= 0 {
			n.Value /= map[byte]float64{'h': 2, 'q': 4, 't': 3}[asciiLower(strings.TrimPrefix(asciiLower(s[m[2]:m[3]]), "a "))[0]]
		}
		if !overlaps(taken, n) {
			mark(n)
		}
	}
	group := func(m []int, name string) (int, int) {
		k := digitRE.SubexpIndex(name)
		return m[2*k], m[2*k+1]
	}
	for _, m := range digitRE.findAll(s) {
		start, end := m[0], m[1]
		// Not part of a longer token: "COVID-19", "A1", "F-16".
		if r, _ := utf8.DecodeLastRuneInString(s[:start]); unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' ||
			(r == '-' && start > 1 && isLetter(s[start-2])) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(s[end:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			continue
		}
		n := Numeral{Start: start, End: end}
		if overlaps(taken, n) {
			// "on October 11, 447 people": the day of a date, read with the next number as "11, 447".
			k := strings.Index(s[start:end], ", ")
			if k < 0 || overlaps(taken, Numeral{Start: start + k + 2, End: end}) {
				continue
			}
			start += k + 2
			n.Start = start
		}
		_, numEnd := group(m, "num")
		v, ok := parseDigits(s[start:numEnd], false)
		if ss, se := group(m, "scale"); ss >= 0 {
			v, ok = parseDigits(s[start:numEnd], true)
			v *= scales[asciiLower(s[ss:se])]
		} else if as, ae := group(m, "abbr"); as >= 0 {
			v, ok = parseDigits(s[start:numEnd], true)
			v *= scales[asciiLower(s[as:ae])]
		}
		if !ok {
			continue
		}
		if os, _ := group(m, "ord"); os >= 0 {
			n.Ordinal = true
		}
		if ps, _ := group(m, "pct"); ps >= 0 {
			n.Percent = true
		}
		n.Value = v
		mark(n)
	}
	vague := [][]int(nil)
	for _, w := range []string{"thousand", "hundred", "dozen", "million", "scores", "tens", "several"} {
		if strings.Contains(lower, w) {
			vague = vagueRE.FindAllStringIndex(s, -1)
			break
		}
	}
	for _, m := range vague {
		n := Numeral{Start: m[0], End: m[1], Vague: true}
		if !overlaps(taken, n) {
			mark(n)
		}
	}
	slices.SortFunc(ns, func(a, b Numeral) int { return a.Start - b.Start })
	return mergeRestated(s, mergeRanges(s, ns))
}

// parseDigits reads "34,900", "13.000" (dot as thousands separator), "23 000", "1.7" (a decimal, when a
// scale word follows or the decimals are not a group of three).
func parseDigits(t string, scaled bool) (float64, bool) {
	switch {
	case strings.Contains(t, ","):
		t = strings.ReplaceAll(strings.ReplaceAll(t, ",", ""), " ", "") // "15, 200", a stray space as printed
	case strings.ContainsAny(t, "  \u202f"):
		t = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '\u202f' {
				return -1
			}
			return r
		}, t)
	case !scaled && groupedDotRE.MatchString(t):
		t = strings.ReplaceAll(t, ".", "")
	}
	v, err := strconv.ParseFloat(t, 64)
	return v, err == nil && !math.IsInf(v, 0)
}

// findWordNumerals reads numbers written in words: "two million", "Sixty-six", "two thousand and 367",
// "One hundred and twenty-nine", and digits followed by a scale word in words ("13 thousand" is read
// by the digit pattern).
func findWordNumerals(s string) []Numeral {
	type tok struct {
		start, end int
		word       string
	}
	var toks []tok
	for i := 0; i < len(s); {
		if !isLetterOrDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && (isLetterOrDigit(s[j]) || s[j] == '\'' || (s[j] == '-' && j+1 < len(s) && isLetter(s[j+1]))) {
			j++
		}
		toks = append(toks, tok{i, j, asciiLower(s[i:j])})
		i = j
	}
	var out []Numeral
	for i := 0; i < len(toks); i++ {
		if _, ok := wordValue(toks[i].word); !ok {
			if ordinalWords[toks[i].word] {
				out = append(out, Numeral{Start: toks[i].start, End: toks[i].end, Ordinal: true, Words: true})
			}
			continue
		}
		// Extend over number words, "and" between them, and digit groups after "and".
		j := i
		for k := i + 1; k < len(toks); k++ {
			gap := s[toks[k-1].end:toks[k].start]
			if strings.TrimSpace(gap) != "" && gap != "-" {
				break
			}
			w := toks[k].word
			if _, ok := wordValue(w); ok {
				j = k
				continue
			}
			// "and" goes on only after a scale word: "one hundred and twenty-nine", "two thousand and 367";
			// "eight and ten" are two numbers.
			if w == "and" && k+1 < len(toks) && isScaleWord(toks[j].word) {
				if _, ok := wordValue(toks[k+1].word); ok || isAllDigits(toks[k+1].word) {
					continue
				}
			}
			if isAllDigits(w) && k > 0 && toks[k-1].word == "and" {
				j = k
				continue
			}
			break
		}
		var words []string
		for k := i; k <= j; k++ {
			if toks[k].word != "and" {
				words = append(words, toks[k].word)
			}
		}
		v, ok := wordsValue(words)
		if ok && !(len(words) == 1 && isScaleWord(words[0])) {
			n := Numeral{Start: toks[i].start, End: toks[j].end, Value: v, Words: true}
			if loc := wordPercentRE.FindStringIndex(s[n.End:]); loc != nil { // "seven per cent"
				n.End += loc[1]
				n.Percent = true
			}
			out = append(out, n)
		}
		i = j
	}
	return out
}

func wordValue(w string) (float64, bool) {
	if v, ok := smallNumbers[w]; ok {
		return v, true
	}
	if w == "hundred" || w == "thousand" || w == "million" || w == "billion" {
		return scales[w], true
	}
	// "twenty-nine", "sixty-six"
	if a, b, ok := strings.Cut(w, "-"); ok {
		tens, ok1 := smallNumbers[a]
		units, ok2 := smallNumbers[b]
		if ok1 && ok2 && tens >= 20 && units < 10 {
			return tens + units, true
		}
	}
	return 0, false
}

func isScaleWord(w string) bool {
	return w == "hundred" || w == "thousand" || w == "million" || w == "billion"
}

// wordsValue combines number words: "two thousand 367" = 2367, "one hundred twenty-nine" = 129.
func wordsValue(words []string) (float64, bool) {
	var total, current float64
	for _, w := range words {
		if isAllDigits(w) {
			v, _ := strconv.ParseFloat(w, 64)
			current += v
			continue
		}
		v, ok := wordValue(w)
		if !ok {
			return 0, false
		}
		switch {
		case w == "hundred":
			if current == 0 {
				current = 1
			}
			current *= 100
		case isScaleWord(w):
			if current == 0 {
				current = 1
			}
			total += current * v
			current = 0
		default:
			current += v
		}
	}
	return total + current, true
}

func mergeRanges(s string, ns []Numeral) []Numeral {
	var out []Numeral
	for i := 0; i < len(ns); i++ {
		n := ns[i]
		if i+1 < len(ns) && !n.Vague && !ns[i+1].Vague {
			gap := asciiLower(strings.TrimSpace(s[n.End:ns[i+1].Start]))
			between := rangeRE.MatchString(s[max(0, n.Start-12):n.Start]) || rangingRE.MatchString(s[max(0, n.Start-20):n.Start])
			// "between 2,300 and 2,400"; "10,000 to 20,000", "ranging from 55,298 to 78,525" and "300-400"
			// too, but not "from 39 to 115".
			years := isYearValue(s, n) && isYearValue(s, ns[i+1]) // "between 2022 and 2024"
			if years {
				out = append(out, n)
				continue
			}
			if between && gap == "and" || (between || !fromRE.MatchString(s[max(0, n.Start-12):n.Start])) && (gap == "to" || gap == "-" || gap == "–") {
				if ns[i+1].Value > n.Value { // a range's upper end exceeds its lower end
					n.Max = ns[i+1].Value
					n.End = ns[i+1].End
					n.Percent = n.Percent || ns[i+1].Percent
					i++
				}
			}
		}
		out = append(out, n)
	}
	return out
}

// mergeRestated makes "Sixteen (16)" one numeral: a number restated in digits in brackets.
func mergeRestated(s string, ns []Numeral) []Numeral {
	var out []Numeral
	for i := 0; i < len(ns); i++ {
		n := ns[i]
		if i+1 < len(ns) && ns[i+1].Value == n.Value && !n.Vague {
			if gap := s[n.End:ns[i+1].Start]; strings.TrimSpace(gap) == "(" && strings.HasPrefix(s[ns[i+1].End:], ")") {
				n.End = ns[i+1].End + 1
				i++
			}
		}
		out = append(out, n)
	}
	return out
}

// isYearValue: four digits from 1900 to 2100, printed without separators.
func isYearValue(s string, n Numeral) bool {
	t := s[n.Start:n.End]
	return len(t) == 4 && isAllDigits(t) && n.Value >= 1900 && n.Value <= 2100
}

// digitPattern is a pattern every match of which starts with a digit. Go's regexp tries an unanchored
// pattern at every byte of a text, which made these patterns a fifth of the time of a check; a
// digitPattern is tried, anchored, only where a digit is.
type digitPattern struct {
	*regexp.Regexp                // the pattern as written, unanchored
	anchored       *regexp.Regexp // the same, anchored at the start
	wordStart      bool           // the pattern starts with \b: a match starts only at a digit that starts a word
}

func fromDigits(expr string, wordStart bool) digitPattern {
	return digitPattern{regexp.MustCompile(expr), regexp.MustCompile(`^(?:` + expr + `)`), wordStart}
}

// findAll returns what FindAllStringSubmatchIndex(s, -1) does.
func (p digitPattern) findAll(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' || p.wordStart && i > 0 && (isLetterOrDigit(s[i-1]) || s[i-1] == '_') {
			continue
		}
		m := p.anchored.FindStringSubmatchIndex(s[i:])
		if m == nil {
			continue
		}
		for k := range m {
			if m[k] >= 0 {
				m[k] += i
			}
		}
		out = append(out, m)
		i = m[1] - 1
	}
	return out
}

func overlaps(taken []bool, n Numeral) bool {
	for i := n.Start; i < n.End; i++ {
		if taken[i] {
			return true
		}
	}
	return false
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
func isLetterOrDigit(b byte) bool {
	return isLetter(b) || b >= '0' && b <= '9'
}

func isAllDigits(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}
