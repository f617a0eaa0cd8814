package check

import (
	"fmt"
	"reflect"
	"testing"
)

func TestFindNumerals(t *testing.T) {
	tests := []struct {
		text string
		want []string // each numeral as text=value, vague as text=?, ranges as text=lo..hi
	}{
		{"Over 34,900 Palestinians", []string{"34,900=34900"}},
		// A date's day or year is not the first group of the number after it.
		{"since October 11, 447 people", []string{"447=447"}},
		{"since October 11, 2025, 447 people", []string{"447=447"}},
		// Digits of a web address are not numerals of the text.
		{"PRCS [reported](https://twitter.com/PalestineRCS/status/1755545092306227596?s=20) 3 killed", []string{"3=3"}},
		{"reached 13.000 people and 23 000 others, 31726 in all", []string{"13.000=13000", "23 000=23000", "31726=31726"}},
		{"More than 1.7 million fled; up to 1.9m were displaced", []string{"1.7 million=1700000", "1.9m=1900000"}},
		{"nearly two million residents", []string{"two million=2000000"}},
		{"Sixty-six were killed", []string{"Sixty-six=66"}},
		{"two thousand and 367 martyrs", []string{"two thousand and 367=2367"}},
		{"One hundred and twenty-nine people", []string{"One hundred and twenty-nine=129"}},
		{"the boys were about eight and ten", []string{"eight=8", "ten=10"}},
		{"rose from 2,670 on October 15 to 4,651", []string{"2,670=2670", "4,651=4651"}},
		{"Over Two Hundred Lives", []string{"Two Hundred=200"}},
		{"13 thousand children", []string{"13 thousand=13000"}},
		{"between 2,300 and 2,400 deaths", []string{"2,300 and 2,400=2300..2400"}},
		{"between 100 to 150 hostages", []string{"100 to 150=100..150"}},
		{"a toll ranging from 55,298 to 78,525", []string{"55,298 to 78,525=55298..78525"}},
		{"it rose from 39 to 115", []string{"39=39", "115=115"}},
		{"tens of thousands were killed, and dozens injured", []string{"tens of thousands=?", "dozens=?"}},
		{"thousands more are missing", []string{"thousands more=?"}},
		{"more than 85 percent of the population", []string{"85 percent=85%"}},
		{"over 90% were civilians", []string{"90%=90%"}},
		{"the 662nd day of the war", []string{"662nd=662th"}},
		{"deaths—10 women and five children", []string{"10=10", "five=5"}},
		{"F-16 jets and COVID-19", nil},
		// Clock times and days of a month are not counts.
		{"as of 14:00 reached 1,100, at about 12:000 and 7:30 a.m.", []string{"1,100=1100"}},
		{"between the afternoons of 25 and 26 January, 20 killed", []string{"20=20"}},
		{"on 12, 15, and 28 October, affecting 7 communities", []string{"7=7"}},
		{"Overnight (11-12 November), 3 killed; on October 12 and 15, 4 more", []string{"3=3", "4=4"}},
		{"In May, 5 were killed; they may die", []string{"5=5"}},
		// A number restated in brackets is one numeral; a stray space after the comma is a separator.
		{"Sixteen (16) out of the 26 killed", []string{"Sixteen (16)=16", "26=26"}},
		{"toll crosses 15, 200", []string{"15, 200=15200"}},
		{"an estimated 10,000 to 20,000 fled; 300-400 killed; it rose from 39 to 115", []string{"10,000 to 20,000=10000..20000", "300-400=300..400", "39=39", "115=115"}},
		{"more than half a million fled, a million displaced, a dozen killed, 3.15 lakh", []string{"half a million=500000", "a million=1000000", "a dozen=12", "3.15 lakh=315000"}},
		{"a quarter of a million displaced between 2022 and 2024", []string{"a quarter of a million=250000", "2022=2022", "2024=2024"}},
		{"more than a hundred soldiers and a thousand others", []string{"a hundred=100", "a thousand=1000"}},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, n := range FindNumerals(tt.text) {
			switch {
			case n.Vague:
				got = append(got, n.Text(tt.text)+"=?")
			case n.Max > 0:
				got = append(got, fmt.Sprintf("%s=%.0f..%.0f", n.Text(tt.text), n.Value, n.Max))
			case n.Percent:
				got = append(got, fmt.Sprintf("%s=%.0f%%", n.Text(tt.text), n.Value))
			case n.Ordinal:
				got = append(got, fmt.Sprintf("%s=%.0fth", n.Text(tt.text), n.Value))
			case n.Words && n.Value == 0:
			default:
				got = append(got, fmt.Sprintf("%s=%.0f", n.Text(tt.text), n.Value))
			}
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
			t.Errorf("%q:\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

// A digitPattern finds what its regular expression finds, on every sentence of the dev sets.
func TestDigitPatterns(t *testing.T) {
	for _, s := range append(devSentences(t), "A1 F-16 covid19 10-11 November 7th, 12:000 at 0600 hrs 1.9m 34,900 15, 200") {
		for _, p := range []digitPattern{digitRE, clockRE, dayListRE} {
			if got, want := p.findAll(s), p.FindAllStringSubmatchIndex(s, -1); !reflect.DeepEqual(got, want) {
				t.Errorf("%s on %q: found %v, want %v", p, s, got, want)
			}
		}
	}
}
