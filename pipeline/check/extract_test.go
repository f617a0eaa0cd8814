package check

import "testing"

func TestFirstConjunction(t *testing.T) {
	for text, want := range map[string]int{
		" people killed and 30 injured": 15,
		" people, including 3 children": 7,
		" sandwiches were eaten":        22, // "and" inside a word is no conjunction
		" killed as well as 5 injured":  8,
		"":                              0,
	} {
		if got := firstConjunction(text); got != want {
			t.Errorf("firstConjunction(%q) = %d, want %d", text, got, want)
		}
	}
}

// A list of details counts what the figure it details counts, until a figure of people in general, or
// one with a verb of its own, starts again from the head; "killed or wounded" counts casualties.
func TestDetailLists(t *testing.T) {
	for _, tc := range []struct {
		text string
		want map[string]string // figure -> metric/subgroup
	}{
		{"Since 7 October, 7,326 Palestinians have been killed, including at least 3,038 children and 1,792 women, and about 18,967 have been injured, according to the MoH in Gaza.",
			map[string]string{"7,326": "killed/all", "at least 3,038": "killed/children", "1,792": "killed/women", "about 18,967": "injured/all"}},
		{"Since 7 October 2023, 383 Palestinians have been killed, including 96 children, and 4,433 Palestinians, including 671 children, injured across the West Bank.",
			map[string]string{"383": "killed/all", "96": "killed/children", "4,433": "injured/all", "671": "injured/children"}},
		{"Since October 7, 16 health workers were killed and 30 were injured in Gaza, the WHO said.",
			map[string]string{"16": "killed/medical_staff", "30": "injured/medical_staff"}},
		{"More than 50,000 Palestinian children have been killed or wounded in Gaza since October 2023.",
			map[string]string{"More than 50,000": "casualties/children"}},
		{"More than 22,000 people have been killed, injured or kidnapped in gang violence in Haiti.",
			map[string]string{"More than 22,000": "casualties/all"}},
		{"One journalist was killed during the clashes.", map[string]string{"One": "killed/journalists"}},
		{"Escalating hostilities have forced nearly 700,000 people to flee their homes in Lebanon.",
			map[string]string{"nearly 700,000": "displaced/all"}},
		{"Over 3,000 residents of Minjar Woreda took refuge at a school in Amora Bete Kebele.",
			map[string]string{"Over 3,000": "sheltering/all"}},
		{"He said at least 1,309 children have been killed and 3,738 others injured since March 18.",
			map[string]string{"at least 1,309": "killed/children", "3,738": "injured/children"}},
	} {
		got := map[string]string{}
		for _, f := range Extract(tc.text, nil) {
			got[f.TextSpan] = f.Metric + "/" + f.Subgroup
		}
		for span, want := range tc.want {
			if got[span] != want {
				t.Errorf("%q in %q: %s, want %s", span, tc.text, got[span], want)
			}
		}
	}
}

// Where the people were, not where the attack came from.
func TestPlaceOfAnAttack(t *testing.T) {
	for _, tc := range []struct {
		text, span, want string
	}{
		{"Israel's Magen David Adom reported two people injured by shrapnel on Friday after the latest barrage of missiles fired from Iran.", "two", "israel"},
		{"Israeli rescuers say two injured in Iran missile barrage", "two", "israel"},
		{"Israel says defeating Hamas in Rafah is vital against the group, which attacked Israel on October 7, killing 1,200 people.", "1,200", "israel"},
	} {
		got := ""
		for _, f := range Extract(tc.text, nil) {
			if f.TextSpan == tc.span {
				got = f.Area
			}
		}
		if got != tc.want {
			t.Errorf("%q in %q: placed in %q, want %s", tc.span, tc.text, got, tc.want)
		}
	}
}
