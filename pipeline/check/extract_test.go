package check

import (
	"strings"
	"testing"
)

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
		// "Previously missing" says who they are; "confirmed dead" what happened to them.
		{"The figures include a revision: 233 previously missing individuals were confirmed dead by a judicial committee, pushing the tally past the 50,000 threshold.",
			map[string]string{"233": "killed/all", "past the 50,000": "killed/all"}},
		{"Rescuers have retrieved 354 bodies from under rubble in the Gaza Strip since a ceasefire was introduced there.", map[string]string{"354": "bodies_recovered/all"}},
		// Casualties that include the dead counted apart are not the dead.
		{"3,725 casualties have been reported, including 613 deaths.", map[string]string{"3,725": "casualties/all", "613": "killed/all"}},
		// A change: the later figure counts what the earlier one did, whatever follows it.
		{"The health minister said the death toll from Israeli air strikes on Lebanon climbed from 558 to 569, with more than 1,800 others wounded.",
			map[string]string{"558": "killed/all", "569": "killed/all", "more than 1,800": "injured/all"}},
		// Who did it is not who it happened to.
		{"Of the 278 Palestinians killed in the West Bank since October 7, 268 have been killed by Israeli troops.",
			map[string]string{"278": "killed/all", "268": "killed/all"}},
		{"Escalating hostilities have forced nearly 700,000 people to flee their homes in Lebanon.",
			map[string]string{"nearly 700,000": "displaced/all"}},
		{"Over 3,000 residents of Minjar Woreda took refuge at a school in Amora Bete Kebele.",
			map[string]string{"Over 3,000": "sheltering/all"}},
		{"He said at least 1,309 children have been killed and 3,738 others injured since March 18.",
			map[string]string{"at least 1,309": "killed/children", "3,738": "injured/children"}},
		{"At least 4,061 people have been killed in Lebanon, including 1,106 women and children and 222 health care workers.",
			map[string]string{"1,106": "killed/women_and_children", "222": "killed/medical_staff"}},
		{"At least 12 United Nations Relief and Works Agency (UNRWA) staff members have been killed in Gaza.",
			map[string]string{"At least 12": "killed/aid_workers"}},
		{"Throughout the war, 404 people, including 141 children, have perished from malnutrition.",
			map[string]string{"404": "killed/famine", "141": "killed/famine"}},
		// A status named in a relative clause is not what happened to the figure's people.
		{"During the month-long conflict, 89 UNRWA employees who were providing aid to Palestinian refugees in Gaza were killed.",
			map[string]string{"89": "killed/aid_workers"}},
		// A figure listed after another shares the verb before the list, but not after a detail.
		{"The strikes claimed the lives of two women and two men, as well as one additional casualty.",
			map[string]string{"two": "killed/all"}},
		{"383 Palestinians have been killed, including 96 children, and 4,433 Palestinians, including 671 children, injured across the West Bank.",
			map[string]string{"96": "killed/children", "4,433": "injured/all"}},
		{"The IDF has confirmed the deaths of 41 hostages still in captivity.", map[string]string{"41": "killed/all"}},
		// The group named after the figure, however long its name; "other patients" are no children.
		{"On 1 April, seven World Central Kitchen (WCK) aid workers were killed in Israeli airstrikes on their convoy.",
			map[string]string{"seven": "killed/aid_workers"}},
		{"At Shifa, two premature babies and ten other patients have died since the power outage.",
			map[string]string{"two": "killed/children", "ten": "killed/all"}},
		// A status says who, the verb what happened; "at least another" keeps its qualifier.
		{"In total, at least 319 IDPs sheltering in UNRWA shelters have been killed and at least another 1,135 were injured.",
			map[string]string{"at least 319": "killed/all", "at least another 1,135": "injured/all"}},
		{"Six others were reported to be in moderate condition, while 85 sustained minor injuries.",
			map[string]string{"Six": "injured/all", "85": "injured/all"}},
		// Hostages taken, or still held.
		{"Of the approximately 250 people Hamas took hostage on October 7, only 120 are believed to still be held in Gaza.",
			map[string]string{"approximately 250": "taken_hostage/all", "120": "held_hostage/all"}},
		{"Trump said that 24 hostages were alive.", map[string]string{"24": "held_hostage/all"}},
		{"The toll is not final, as around 240 people remain abducted by Hamas in Gaza.", map[string]string{"around 240": "held_hostage/all"}},
		{"Between 100 and 150 Israelis, including soldiers and civilians, have been captured and forcibly taken into Gaza.",
			map[string]string{"Between 100 and 150": "taken_hostage/all"}},
		// The dead brought to hospitals, and among them the bodies pulled from the rubble.
		{"The ministry reported that bodies of four martyrs have been transferred to the hospital over the past 24 hours, two of whom were pulled out from the rubble.",
			map[string]string{"four": "killed/all", "two": "bodies_recovered/all"}},
		{"He said 2,030 persons remained buried in Gaza under the debris.", map[string]string{"2,030": "missing/all"}},
		{"The UN said more than 100,000 Sudanese refugees had fled to neighbouring Chad, bringing the tally to more than half a million.",
			map[string]string{"more than 100,000": "refugees/all", "more than half a million": "refugees/all"}},
		{"Hamas fighters stormed across the border, killing over 1,200 people and abducting some 240 others.",
			map[string]string{"over 1,200": "killed/all", "some 240": "taken_hostage/all"}},
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
		text, span, want string // want: the area, and after a slash the scope or metric
	}{
		{"Israel's Magen David Adom reported two people injured by shrapnel on Friday after the latest barrage of missiles fired from Iran.", "two", "israel"},
		{"Israeli rescuers say two injured in Iran missile barrage", "two", "israel"},
		{"Israel says defeating Hamas in Rafah is vital against the group, which attacked Israel on October 7, killing 1,200 people.", "1,200", "israel"},
		// The 7 October attack, told as a relative clause or as "when", is an incident in Israel.
		{"It has struck 11,000 targets in the Gaza Strip since the attacks by Hamas on October 7 which killed over 1,400 people.", "over 1,400", "israel/incident"},
		{"It was the largest rescue in Gaza since Oct. 7, when Hamas and other militants stormed across the border, killing some 1,200 people.", "some 1,200", "israel/incident"},
		{"On 27 October, airstrikes struck a home in Jabalia Camp, northern Gaza, killing at least 22 Palestinians.", "at least 22", "gaza/incident"},
		{"Hamas fighters stormed across the border on October 7, killing some 1,200 people.", "some 1,200", "israel/incident"},
		{"Hamas's cross-border raid killed 1,200 people, Israeli officials say, and Israel's bombardment has killed more than 13,000 in Gaza.", "1,200", "israel/incident"},
		{"More than 1,200 people were killed when Hamas gunmen rampaged through Israeli communities near Gaza.", "More than 1,200", "israel/incident"},
		// A place that ends an earlier clause, or that "from" dates, is not the figure's.
		{"Despite not being part of Israel's bombardment of Gaza, 141 Palestinian children were killed by settlers and soldiers in the West Bank.", "141", "west_bank"},
		{"Israelis cheered the rescue of four hostages from war-torn Gaza while Palestinians counted the cost, with officials saying 274 people were killed.", "274", "gaza"},
		// The longest place named after the figure, though it runs on past the figure's words.
		{"Since the beginning of the year, a total of 102 Palestinians have been killed in the West Bank and Israel.", "102", "west_bank_israel"},
		{"The CPJ said 10 journalists were murdered by the Israeli military in Gaza and Lebanon.", "10", "gaza_lebanon"},
		// An attack that killed is not, by itself, the 7 October attack.
		{"Three massacres that left more than 300 dead in Port-au-Prince marked the period.", "more than 300", "haiti"},
		// People of one country who fled to another are its refugees; those displaced inside it are not.
		{"Last October alone saw 60,000 Sudanese taking refuge in Chad amid escalating Darfur violence.", "60,000", "sudan/refugees"},
		{"More than 3 million Sudanese have been driven from their homes, seeking safety in neighboring countries.", "More than 3 million", "sudan/refugees"},
		{"The war has internally displaced about 10 million Sudanese, and Chad hosts many more.", "about 10 million", "sudan/displaced"},
	} {
		got := ""
		for _, f := range Extract(tc.text, nil) {
			if f.TextSpan == tc.span {
				got = f.Area
				if _, what, ok := strings.Cut(tc.want, "/"); ok && what == f.Scope {
					got += "/" + f.Scope
				} else if ok {
					got += "/" + f.Metric
				}
			}
		}
		if got != tc.want {
			t.Errorf("%q in %q: placed in %q, want %s", tc.span, tc.text, got, tc.want)
		}
	}
}

// A figure listed with one whose place is sure takes that place when its own is not: the article's
// last place (here the West Bank) gives way to the sentence's.
func TestListedFigureTakesItsNeighboursPlace(t *testing.T) {
	ctx := NewContext("")
	Extract("Israeli forces killed 480 Palestinians in the occupied West Bank.", ctx)
	got := map[string]string{}
	for _, f := range Extract("More than 10,000 Palestinians have been killed in the besieged Gaza Strip since October 7 by heavy aerial and artillery bombardments – more than 4,000 children and 2,550 women.", ctx) {
		got[f.TextSpan] = f.Area
	}
	if got["more than 4,000"] != "gaza" || got["2,550"] != "gaza" {
		t.Errorf("placed %v, want the children and the women in Gaza", got)
	}
}

// Numbers that do not count people to whom something happened are never figures.
func TestNotFiguresOfPeople(t *testing.T) {
	for _, text := range []string{
		"Mr. Netanyahu, 73, spoke to reporters.",
		"An estimated two million Palestinians live in Gaza.",
		"The strike hit around 7:30 a.m.",
		"Israel mobilised a 3,000-person battalion.",
		"The war has taken a heavy toll on the impoverished nation of 50 million.",
		"The war has left about 26 million people facing acute hunger.",
		"Based on interviews with 6,810 newly arrived refugees, he said families were separated.",
		"Eleven reached the level of war, defined as a conflict causing at least 1,000 battle-related deaths in a year.",
		"UNICEF said that every day, more than 400 children in Gaza are either injured or killed.",
		"The strikes hit four locations across central Israel.",
		"Another 36 babies in incubators are at heightened risk of death.",
		"Between 2 and 9 November, 131 injured people were taken for medical care in Egypt.",
		"Vegetable baskets to host families and small-scale shelters for 2,000 IDPs in Khan Younis.",
		"There has been no access to education or a safe place for more than 600,000 children in Gaza.",
		"Vouchers and cash transfers were received by 1,845 people displaced.",
		"About 3,500 displaced children were screened for malnutrition.",
		"Since the war began, 140 births have been recorded at the shelter.",
		"Up to 200,000 others could be forced to flee to Chad in the next three months.",
		"In the coming months up to 132,000 children under five will suffer from acute malnutrition.",
		"Israel has issued renewed evacuation directives for approximately one million people to evacuate Gaza City.",
		"Seven women are killed every two hours in Gaza.",
		"The freed hostages included nine women and one girl.",
		"Under an immediate ceasefire scenario, 6,550 excess deaths are projected.",
		"Under the status quo scenario, the projections rise sharply to 58,260 deaths.",
		"In total, over 9,900 trees were damaged and 40 houses were vandalised.",
		"In the West Bank, Israeli forces killed Palestinians, including two sets of brothers.",
		"Nearly all IDPs are sheltering in UNRWA facilities across all five governorates.",
		"Media reports say that the boys who died were about eight and ten or eleven years old.",
		"The conflict flared up again after thousands of communications devices were detonated in Lebanon.",
		"At least three mass casualty events took place on 16 and 17 July.",
		"Overnight, the body of a girl who had just turned two was pulled from under the rubble of a house.",
	} {
		for _, f := range Extract(text, nil) {
			t.Errorf("%q in %q read as a figure of %s", f.TextSpan, text, f.Metric)
		}
	}
}

// The time frame of each figure: a window the sentence opens with "since" holds for its clauses, a
// detail's cue is the detail's only, and a present perfect alone makes a running total.
func TestTimeFrames(t *testing.T) {
	for _, tc := range []struct {
		text string
		want map[string]string // figure -> scope
	}{
		{"Since the ceasefire agreement began on October 11, 2025, the number of martyrs has reached 241, while 513 bodies have been recovered.",
			map[string]string{"241": "period", "513": "period"}},
		{"The UN confirms 71 civilians, including 14 women and nine children, have been killed in Lebanon since the ceasefire began on November 27, 2024.",
			map[string]string{"71": "period", "14": "period"}},
		{"Israeli forces killed 170 Palestinians in those areas in 2022.", map[string]string{"170": "period"}},
		{"At Shifa, ten patients have died since the power outage that started on 11 November.", map[string]string{"ten": "period"}},
		{"35,170 people have died, including 82 in the last 24 hours.", map[string]string{"35,170": "cumulative", "82": "period"}},
		{"Some 2,913 children are among the dead, the highest toll in Gaza since Israel withdrew from the territory in 2005.",
			map[string]string{"Some 2,913": "cumulative"}},
		// A state as it stands now, whatever window the sentence names for how it came about.
		{"UNRWA said 90 per cent of the population had been displaced over the last three months, where 1.4 million people are taking shelter in UNRWA facilities.",
			map[string]string{"1.4 million": "cumulative"}},
		{"The report said that from October 7, 2023, to November 5, settlers and soldiers killed 1,010 Palestinians in the West Bank.",
			map[string]string{"1,010": "cumulative"}},
		// No words for the time frame: a verb in the simple past tells one event, unless the sentence is
		// about a toll; a present perfect, a running total.
		{"Ten people were killed and 35 wounded in the main wave of attacks on Kyiv, authorities said.",
			map[string]string{"Ten": "incident", "35": "incident"}},
		{"The victims include 3,648 children and 2,290 women, while 22,219 other people were injured.",
			map[string]string{"22,219": "cumulative"}},
		{"As of 8 February, 225 soldiers were killed since the beginning of the ground operation.",
			map[string]string{"225": "cumulative"}},
		{"In Gaza, 35,000 people have been killed.", map[string]string{"35,000": "cumulative"}},
		// …but not a count too large for one event, nor one of many attacks or across a territory.
		{"At least 62,622 Palestinians were killed and 157,673 were wounded in Gaza, according to sources.",
			map[string]string{"At least 62,622": "cumulative", "157,673": "cumulative"}},
		{"About 280 health personnel were killed across Gaza, the statement added.", map[string]string{"About 280": "cumulative"}},
		{"Officials said 101 medics were killed in attacks.", map[string]string{"101": "cumulative"}},
		{"At least 53,655 Palestinians have been killed and more than 121,000 others injured since Israel's war on Gaza began in October 2023.",
			map[string]string{"At least 53,655": "cumulative", "more than 121,000": "cumulative"}},
		{"In Lebanon, at least 3,961 people have been killed and 16,520 wounded since October 2023, the health ministry said, most of them since September.",
			map[string]string{"at least 3,961": "cumulative", "16,520": "cumulative"}},
		// "16 in one strike" is where they were killed, not a ratio.
		{"Gaza's health ministry said 93 people had been killed, including 16 in one strike on a house in Rafah.", map[string]string{"16": "incident"}},
		{"Six members of the Abdeen family were also reportedly killed in another strike.", map[string]string{"Six": "incident"}},
		{"The simultaneous explosions of pagers and two-way radios over the two days killed at least 37 people and injured more than 3,000.",
			map[string]string{"at least 37": "incident", "more than 3,000": "incident"}},
		// A cue nearer another figure is that figure's; a detail with none is counted within its head.
		{"The Gaza health ministry says the death toll has reached 70,100, with more than 350 fatalities recorded since the October 10 ceasefire.",
			map[string]string{"70,100": "cumulative", "more than 350": "period"}},
		{"The ministry reported that the death toll had risen to 356 people in Lebanon, including 24 children, and that another 1,246 had been wounded.",
			map[string]string{"356": "cumulative", "24": "cumulative"}},
		{"Israeli forces have continued operations in Gaza, killing 357 Palestinians in the first 50 days.", map[string]string{"357": "period"}},
		// A window that follows the figures it is nearest holds for them, however long the words that date it.
		{"He said at least 1,309 children have been killed and 3,738 others injured since Israel resumed its air assaults on Gaza on March 18.",
			map[string]string{"at least 1,309": "period", "3,738": "period"}},
		{"Israeli strikes have killed 570 people in Lebanon since the Middle East war spread to the country on March 2, the Health Ministry said.",
			map[string]string{"570": "period"}},
		{"The Israeli army continues to bombard Gaza again, 240 Palestinians have been martyred in two days.", map[string]string{"240": "period"}},
		// A window the sentence opens with holds for the totals it gives ("the total number of deaths").
		{"The daily statistical report indicated that since the ceasefire came into effect on October 11, 2025, the total number of deaths has reached 420, with 1,184 injuries.",
			map[string]string{"420": "period", "1,184": "period"}},
		{"Lebanon says 78 more killed in Israeli attacks as death toll soars to 3,365", map[string]string{"78": "period", "3,365": "cumulative"}},
		{"The army has killed at least 41 Palestinians in various attacks on the Strip since early Saturday morning, hospital sources said.",
			map[string]string{"at least 41": "period"}},
		// Headlines name one event without an article: "killed in jihadist attack", "attack on … kills".
		{"Hundreds Killed in Jihadist Attack in Burkina Faso, 300-400 killed in raid", map[string]string{"300-400": "incident"}},
		{"Paramilitary Attack On Sudan Famine-hit Camp Kills 25: Activists", map[string]string{"25": "incident"}},
		// A range from 7 October is a running total to its end, "this year" included; "since last year"
		// is a window (toll cannot date it), not last year.
		{"The report said that from October 7, 2023, to November 5 this year, Israeli security forces and settlers killed 1,010 Palestinians in the West Bank.",
			map[string]string{"1,010": "cumulative"}},
		{"At least 78 people were killed in Israeli attacks across Lebanon on Tuesday, taking the overall death toll since last year to 3,365.",
			map[string]string{"3,365": "period"}},
		{"The Israeli army said 425 soldiers were killed in Gaza since the start of the Gaza conflict in early October.",
			map[string]string{"425": "cumulative"}},
		// Thousands wounded "in the bombardment", "in the fighting": the war, not one event.
		{"The ministry said 9,600 Palestinians have been wounded in the Israeli bombardment of Gaza.", map[string]string{"9,600": "cumulative"}},
		{"A ministry statement said some 62,681 people were also wounded in the fighting between Israeli forces and Palestinian militants.",
			map[string]string{"some 62,681": "cumulative"}},
		{"The death toll in the Gaza Strip since the beginning of the escalation of the Palestinian-Israeli conflict in early October 2023 has approached 50,609, the ministry added.",
			map[string]string{"50,609": "cumulative"}},
		{"Gaza Health Ministry: 1,042 Killed Since Israel Resumed Strikes", map[string]string{"1,042": "period"}},
		// OCHA's windows: clock times, "since the afternoon of", two days named, the same period a year before.
		{"* According to the Ministry of Health in Gaza, between 17:30 yesterday and 14:00 today, a total of 270 Palestinians were killed, and 1,089 others injured.",
			map[string]string{"270": "period", "1,089": "period"}},
		{"* In the West Bank, since the afternoon of 26 October (as of 21:00 on 27 October), Israeli forces have killed four Palestinians.", map[string]string{"four": "period"}},
		{"* In the West Bank, on 6 and 7 January, Israeli forces killed 11 Palestinians, including two sets of brothers.", map[string]string{"11": "period"}},
		{"Since the beginning of the year, a total of 102 Palestinians have been killed in the West Bank and Israel, compared with 78 in the same period in 2023.",
			map[string]string{"102": "period", "78": "period"}},
		// A clock time tells one event, unless it dates an update ("as of 10 November at 14:00").
		{"* At about 14:30, 45 people were reportedly killed and dozens injured in Deir al-Balah, Middle Area;", map[string]string{"45": "incident"}},
		{"* Between 21:00 and 21:30, 27 people were reportedly killed and dozens injured in two separate incidents in Jabalia;", map[string]string{"27": "incident"}},
		{"The Palestinian fatality toll in Gaza as of 10 November at 14:00 (latest update provided) stood at 11,078, of whom 4,506 were said to be children.",
			map[string]string{"11,078": "cumulative", "4,506": "cumulative"}},
		// "An additional" names a category of the count, not a window.
		{"An additional 74 Palestinians have been injured by settlers.", map[string]string{"74": "cumulative"}},
		// Killed in Israel "since the attack on October 7" is the war's running total there.
		{"More than 1,400 people have been killed in Israel since the surprise attack by Hamas on October 7.",
			map[string]string{"More than 1,400": "cumulative"}},
		// The 7 October attack, however it is told, is one event.
		{"The war started on October 7, when thousands of militants ploughed through the border and killed over 1,200 Israelis.",
			map[string]string{"over 1,200": "incident"}},
		{"The war erupted after a series of terror attacks on October 7, in which Hamas militants killed over 1,200 people in Israel.",
			map[string]string{"over 1,200": "incident"}},
	} {
		got := map[string]string{}
		for _, f := range Extract(tc.text, nil) {
			got[f.TextSpan] = f.Scope
		}
		for span, want := range tc.want {
			if got[span] != want {
				t.Errorf("%q in %q: %s, want %s", span, tc.text, got[span], want)
			}
		}
	}
}

// A figure of a group and no verb goes on counting what the sentence before counted.
func TestGroupContinuesTheCount(t *testing.T) {
	ctx := NewContext("")
	Extract("Israeli forces killed 170 Palestinians in the West Bank this year.", ctx)
	for _, f := range Extract("At least 43 of them were children.", ctx) {
		if f.Metric != "killed" || f.Subgroup != "children" {
			t.Errorf("%q: %s/%s, want killed/children", f.TextSpan, f.Metric, f.Subgroup)
		}
		return
	}
	t.Error("no figure in \"At least 43 of them were children.\"")
}

// figureIn returns the figure of a sentence whose text is span; the test fails when there is none.
func figureIn(t *testing.T, sentence, span string) (Figure, bool) {
	t.Helper()
	for _, f := range Extract(sentence, nil) {
		if f.TextSpan == span {
			return f, true
		}
	}
	t.Errorf("%q: no figure %q", sentence, span)
	return Figure{}, false
}

// fieldCase is a figure of a sentence and one field of its reading: metric, subgroup or area.
type fieldCase struct{ sentence, span, want string }

// checkReadings reads each sentence and compares the field of the figure that field returns.
func checkReadings(t *testing.T, name string, field func(Figure) string, readings []fieldCase) {
	t.Helper()
	for _, r := range readings {
		if f, ok := figureIn(t, r.sentence, r.span); ok && field(f) != r.want {
			t.Errorf("%q in %q: %s %s, want %s", r.span, r.sentence, name, field(f), r.want)
		}
	}
}

// Who a figure counts: groups named after it, and the circumstance of the deaths, which describes the
// part of a total it follows, not the total.
func TestGroupsOfPeople(t *testing.T) {
	checkReadings(t, "subgroup", func(f Figure) string { return f.Subgroup }, []fieldCase{
		{"The toll has reached 7,028, including 2,913 children, 1,709 women, and 397 elderly individuals.", "397", "elderly"},
		{"Forces killed 59 Palestinians across Gaza, with at least 17 of them trying to get food at aid sites.", "59", "all"},
		{"Forces killed 59 Palestinians across Gaza, with at least 17 of them trying to get food at aid sites.", "at least 17", "aid_seekers"},
		{"118 Palestinians were killed and 760 wounded while waiting for a humanitarian aid convoy.", "760", "aid_seekers"},
		{"Israel killed 112 Gazans in the flour massacre.", "112", "aid_seekers"},
		{"Officials have reported that one paramedic has been killed.", "one", "medical_staff"},
		{"Casualties included 26 employees of healthcare institutions and 28 emergency service workers.", "26", "medical_staff"},
		{"Casualties included 26 employees of healthcare institutions and 28 emergency service workers.", "28", "civil_defence"},
		{"The doctor lost nine of her 10 children in the strike.", "nine", "children"},
		{"A total of 485 children are known to have died across Ukraine and a further 1,005 have been injured since the invasion.", "1,005", "children"},
		{"The number of journalists killed in 2024 is up sharply over recent years – 102 were killed in 2023.", "102", "journalists"},
		{"The number of civilian victims was particularly high in the first months, with 4,289 killed and more than 3,000 injured.", "4,289", "civilians"},
		{"The incident, now called the flour massacre, pushed the number of Palestinians killed since Oct. 7 to over 30,000.", "over 30,000", "all"},
		{"At least 40,000 Palestinians have been killed, including at least 10,627 children of whom 663 were under one year of age.", "663", "children"},
		// Displacement counts a population, not its civilians apart.
		{"Approximately 92,000 civilians remain displaced due to the ongoing military operations in Lebanon.", "Approximately 92,000", "all"},
		// Starvation is a cause of death only when the words say it caused one.
		{"The death toll is now reaching nearly 56,000 in Gaza since October 2023, and famine is unfolding across the territory.", "nearly 56,000", "all"},
		{"The total number of people dying due to starvation has reached 175, including 93 children.", "175", "famine"},
		{"At least 101 people have died in recent days from starvation in Gaza, the ministry said.", "At least 101", "famine"},
		// Once a list of details closes, the next figure counts the people of the figure it detailed.
		{"* Since 7 October, 15 Israelis, including four members of Israeli forces, have been killed and 97 injured in the West Bank.", "97", "all"},
		{"Israeli strikes killed 35 people, including 10 children, and wounded 80 others, the ministry said.", "80", "all"},
	})
}

// The place of a figure: a demonym in its own words holds against a place in another phrase, and "the
// world's deadliest" ranks a war without placing its dead.
func TestPlaceOfTheFigure(t *testing.T) {
	checkReadings(t, "area", func(f Figure) string { return f.Area }, []fieldCase{
		{"Thousands of Gazans have sought shelter at UNRWA facilities since Israel launched a campaign in reprisal for Hamas attacks in Israel.", "Thousands", "gaza"},
		{"Two Palestinians from the West Bank were killed while carrying out an attack in Israel on 30 November.", "Two", "israel"},
		{"The war in Ukraine continues to be the world's deadliest conflict, with around 76,000 battle-related deaths in 2024.", "around 76,000", "ukraine"},
		{"UNRWA: 33,000 Palestinians displaced from northern West Bank living in harsh conditions", "33,000", "west_bank"},
		{"Since 7 October 2023, seven Palestinian prisoners died while under Israeli custody.", "seven", "israel"},
		// "Israeli soldiers" says who they are; killed in the ground operation, they fell in Gaza.
		{"The total number of Israeli soldiers killed in the ground operation has reached 137.", "137", "gaza"},
		{"Israel said 56 soldiers have been killed since the start of its ground operation in Lebanon.", "56", "lebanon"},
		// The toll "from airstrikes on Lebanon" is of Lebanon: strikes on a place kill there.
		{"Death toll from Israeli airstrikes on Lebanon reaches 2,464: Health ministry", "2,464", "lebanon"},
	})
}

// What happened to a figure's people: a verb of harm that governs it, what they were left, kin lost;
// and "of her 10 children" numbers the whole, not a figure.
func TestMetricFromTheVerb(t *testing.T) {
	checkReadings(t, "metric", func(f Figure) string { return f.Metric }, []fieldCase{
		{"A US strike kills dozens at a migrant detention center, officials say.", "dozens", "killed"},
		{"Two people succumbed to their wounds overnight in Gaza, the ministry said.", "Two", "killed"},
		// An aside between dashes does not part a subject from its verb.
		{"At least 274 Palestinians — including dozens of children — were killed and hundreds more wounded, the ministry said.", "At least 274", "killed"},
		{"Nearly half of those – 163 people – were killed just in the past month.", "163", "killed"},
		// A count's noun phrase ends at a comma: "97, The Times of Israel reported" counts no times.
		{"The number of Israeli soldiers killed since the start of the ground operation has risen to 97, The Times of Israel reported.", "97", "killed"},
		{"Gunmen reportedly killed 16 fleeing detainees and wounded 50 more.", "16", "killed"},
		{"The airstrike has left at least 68 migrants and 47 others dead.", "at least 68", "killed"},
		{"The doctor lost nine of her 10 children in the strike.", "nine", "killed"},
		{"UNRWA said it had lost a total of 152 staff in Gaza as of January 22.", "152", "killed"},
		{"The centre holds 40,000 IDPs;also, 140 births have been recorded there since the war began.", "40,000", "sheltering"},
		{"The ministry said it has recorded 15 deaths from hypothermia this winter, all of them children.", "15", "died_cold"},
		{"Six infants have died in the Gaza Strip, where hundreds of thousands of people are living in tent camps.", "hundreds of thousands", "sheltering"},
		{"Memorials to each of the 250 or more hostages taken away into Gaza, some of them dead, some of them still there.", "250", "taken_hostage"},
		{"A raid in February rescued two hostages while leaving 74 Palestinians dead.", "74", "killed"},
		{"Israeli offensive forced more than 250,000 to flee Gaza City in past month, says UN", "more than 250,000", "displaced"},
		{"On October 10, 2023, security forces killed 12 student residents of the church.", "12", "killed"},
		{"So far, the army has confirmed the deaths of only 33 hostages.", "33", "killed"},
		{"Sennar was already home to more than half a million IDPs, most of whom had fled Khartoum.", "more than half a million", "sheltering"},
		{"The conflict has devastated Sudan, with over 12 million people displaced and nearly half the population facing extreme hunger.", "over 12 million", "displaced"},
	})
	checkReadings(t, "qualifier", func(f Figure) string { return f.Qualifier }, []fieldCase{
		{"A drone struck the hospital, killing at the least six staff.", "at the least six", "at least"},
	})
	for sentence, notFigure := range map[string]string{
		"The doctor lost nine of her 10 children in the strike.":              "10", // the number of her children
		"Two gunmen died, and three others may have escaped, officials said.": "three",
	} {
		for _, f := range Extract(sentence, nil) {
			if f.TextSpan == notFigure {
				t.Errorf("%q in %q read as a figure of %s", notFigure, sentence, f.Metric)
			}
		}
	}
}

// "Of these 360 fatalities" restates a figure read before, with its time frame and place.
func TestRestatedFigure(t *testing.T) {
	ctx := NewContext("")
	Extract("Since 7 October 2023, 360 Palestinians have been killed across the West Bank.", ctx)
	for _, f := range Extract("Of these 360 fatalities, 350 were killed by Israeli forces.", ctx) {
		if f.TextSpan == "360" {
			if f.Scope != "cumulative" || f.Area != "west_bank" || !f.scopeSure {
				t.Errorf("360 read as %s in %s (sure %v), want cumulative in west_bank", f.Scope, f.Area, f.scopeSure)
			}
			return
		}
	}
	t.Error("360 not read as a figure")
}
