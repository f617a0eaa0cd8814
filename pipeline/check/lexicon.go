package check

import (
	"github.com/grafana/regexp"

	"toll/schemas"
)

// The lexicons of claim extraction, in one place. Each is a list of patterns over lowercased English
// text, tried in order; the first that matches wins where order matters. The labelling rules they follow
// are those of shared/claims/README.md (copied in testdata/claims/README.md).

type term struct {
	re    *pattern
	value string
}

func terms(pairs ...string) []term {
	var ts []term
	for i := 0; i+1 < len(pairs); i += 2 {
		for _, p := range alternatives(pairs[i]) { // one pattern per alternative, each tried only where its words are
			ts = append(ts, term{p, pairs[i+1]})
		}
	}
	return ts
}

// metricTerms say what happened to the people a figure counts. A match is a place in the sentence; the
// extractor picks the one that belongs to the figure (see metricFor).
var metricTerms = terms(
	`\b(?:killed,? (?:and|or) (?:wounded|injured)|killed, (?:wounded|injured),? (?:and|or) (?:kidnapped|abducted)|dead and (?:wounded|injured)|casualt(?:y|ies))\b`, "casualties",
	`\bhospitali[sz](?:ed|ation)|\badmitted to (?:\w+ )?hospitals?\b`, "hospitalized",
	`\bbodies\b(?:\s+[\w-]+){0,5}?\s+(?:recovered|retrieved|pulled|found|exhumed|handed (?:over|back)|returned|released)\b|\b(?:recovered|retrieved|pulled out|exhumed) (?:the )?bodies\b|\bbodies (?:of \w+ )?(?:were )?(?:recovered|retrieved)\b|\bbodies (?:have been )?(?:collected|received)\b`, "bodies_recovered",
	`\b(?:froze|frozen) to death\b|\b(?:died|deaths?) (?:of|from|due to) (?:the )?(?:cold|hypothermia|exposure)|\bhypothermia\b|\bcold[- ]related deaths?\b`, "died_cold",
	`\borphan(?:ed|s)\b`, "orphaned",
	`\b(?:kill(?:ed|ing|s)?|dead|deaths?|died|dies|dying|die|fatalit(?:y|ies)|martyr(?:s|ed)?|lives|perished|slain|murdered|massacred|executed|victims|bodies|death toll|toll|tally|mourn(?:ing|s|ed)?|succumb(?:ed|s|ing)? to (?:\w+ ){0,2}?(?:wounds|injuries))\b`, "killed",
	`\binjur\w*|\b(?:wounded|wounding|wounds|hurt)\b|\bin (?:a )?(?:moderate|serious|critical|severe|stable|mild) condition\b`, "injured",
	`\b(?:missing|unaccounted|(?:still|remain\w*|buried|trapped|lie|lying|be|are|were) (?:[\w-]+ ){0,2}?(?:under|beneath) (?:the )?(?:rubble|debris)|disappear(?:ed|ance)?)\b`, "missing", // not "pulled from under the rubble"
	`\b(?:hostages?|abduct(?:ed|ing|ions?)|captivity|kidnap(?:ped|ping|pings)?|captives?|taken (?:[\w-]+ )?(?:into|to) gaza)\b`, "hostage",
	`\b(?:arrest(?:ed|s)?|detain(?:ed|ees)?|detentions?|imprisoned)\b`, "detained",
	`\b(?:refugees|fled (?:the country|abroad|to neighbou?ring)|fled (?:sudan|ukraine|syria|myanmar|haiti|lebanon|the country|their country)\b|left the country|(?:in|to|into|across) neighbou?ring (?:countries|states|nations)|fled (?:\w+ ){0,2}(?:into|to) (?:neighbou?ring|chad|egypt|uganda|south sudan|ethiopia|libya|lebanon|jordan|syria|turkey|poland|europe|bangladesh|the dominican republic)|crossed (?:the border|into)|(?:fled|fleeing) across the border)\b`, "refugees",
	`\b(?:displac\w*|no home to return to|from their homes|forced to flee|(?:people|persons|residents|civilians|families|palestinians|sudanese|others) to flee|to flee (?:their|from)|expelled|expulsions?|homeless|uproot\w*|fled|fleeing|(?:have|has|had) left|left (?:rafah|gaza city|the city|their homes)|moved out of|evacuated from|been evacuated|to evacuate|followed (?:the )?evacuation orders|on the road|(?:forced |such |population |displacement )?movements)\b`, "displaced",
	`\b(?:living in (?:tents|tent camps|makeshift (?:shelters|tents|camps))|shelters|sheltering|sheltered|seeking refuge|sought (?:shelter|refuge)|seeking shelter|(?:found|find|finding|discovered) shelter|taking refuge|taken refuge|took refuge|taken shelter|taking shelter|hosts|hosting|holds|staying|residing with|accommodated|hosted|squeezed into|in (?:official|collective) shelters)\b`, "sheltering",
)

// heldTerms mark hostages still held, as opposed to taken (on 7 October).
var heldRE = mustPattern(`\b(?:remain|remains|remained|remaining|still|held|captive|captivity|are being held|number of (?:\w+ )?hostages)\b`)

// takenRE: words that tell the taking of hostages, not their holding; aliveRE, said of the hostages
// themselves, their holding.
var (
	takenRE = mustPattern(`\b(?:took|taken|seized|kidnapped|abducted)\b`)
	aliveRE = mustPattern(`\b(?:alive|living)\b`)
)

// womenAndChildren names the two groups together: "women and children", "children or women", "women,
// children and the elderly".
const womenAndChildren = `women,? (?:and|or) (?:the )?children|children,? (?:and|or) (?:the )?women|women, children`

// subgroupTerms name who a figure counts, tried in order (the more specific first). Each maps to the
// subgroup vocabulary of schemas/vocabulary.yaml and to the population words of the claims README.
var subgroupTerms = []struct {
	re                   *pattern
	subgroup, population string
}{
	{mustPattern(`\baid[- ]seek\w*|\bseeking (?:food|aid)|\b(?:waiting for|awaiting) (?:\w+ ){0,3}?(?:aid|food)\b|\bflour massacre\b|\baid sites?\b|\baid distribution|\bdistribution (?:sites?|points?|centres?|centers?|hubs?)|\b(?:trying|tried|attempting|waiting|queuing|queueing|rushing) to (?:get|collect|receive|reach|obtain|approach) (?:food|aid|flour|a ghf|the ghf|an aid)|\bgaza humanitarian foundation\b|\bghf (?:site|sites|hub|hubs|centre|center|point)s?\b`), "aid_seekers", "aid_seekers"},
	{mustPattern(`\b(?:died|deaths?|dead|die|dying|martyrs|killed|perished|fatalities|lives)\b[^.;]{0,40}?\b(?:of|from|due to|by|because of|as a result of|linked to|related to|caused by)\s+(?:[\w-]+\s+){0,3}?(?:malnutrition|starvation|famine|dehydration|hunger)\b|\b(?:malnutrition|starvation|famine|hunger)[- ](?:related )?(?:deaths?|death toll|fatalities)\b|\btoll from (?:the )?(?:famine|starvation)\b|\bstarved to death\b`), "famine", "all"},
	{mustPattern(`\b(?:health ?care workers|health workers|medical (?:staff|workers|personnel)|health(?:care)? (?:personnel|staff)|medics|doctors|nurses|paramedics?|red crescent (?:workers|staff|members)|ambulance workers|employees of health ?care institutions)\b`), "medical_staff", "medical_staff"},
	{mustPattern(`\bcivil defen[cs]e\b|\bemergency[- ]service (?:workers|personnel)\b|\b(?:rescuers|rescue workers|first responders)\b`), "civil_defence", "civil_defence"},
	{mustPattern(`\b(?:journalists?|reporters?|media (?:workers|professionals|personnel))\b`), "journalists", "journalists"},
	{mustPattern(`\b(?:aid workers|humanitarian workers|relief workers|humanitarians|(?:u\.?n\.?|united nations|unrwa|agency) (?:employees|staff|workers|personnel|staffers)|staff members|staffers|colleagues|(?:its|their) (?:own )?(?:staff|employees|personnel))\b`), "aid_workers", "un_staff"},
	{mustPattern(`\b(?:` + womenAndChildren + `)\b`), "women_and_children", "women_and_children"},
	{mustPattern(`\b(?:children|child|kids|minors|boys|girls|students|infants|babies|newborns|toddlers)\b|\bunder (?:the age of )?(?:one|two|five|ten|\d{1,2})(?: years?)?(?: of age| old)?\b|\b(?:were|was|are|is) (?:under|below|aged) (?:the age of )?\s*$`), "children", "children"},
	{mustPattern(`\bwomen\b`), "women", "women"},
	{mustPattern(`\b(?:elderly|older (?:people|persons|adults)|senior citizens)\b`), "elderly", "elderly"},
	{mustPattern(`\b(?:soldiers?|troops|servicem[ae]n|policem[ae]n|police officers?|police|peacekeepers|security forces|military personnel|security personnel|officers|troopers|commanders?|government forces|forces members|members of (?:the )?(?:israeli |security |government |armed )?forces|members of the (?:ministry of (?:defen[cs]e|interior)|army|military))\b`), "security_forces", "security_forces"},
	{mustPattern(`\b(?:militants|fighters|terrorists|gunmen|combatants|operatives|(?:hezbollah|hamas) members|members of (?:hezbollah|hamas|armed groups))\b`), "combatants", "combatants"},
	{mustPattern(`\bcivilians?\b`), "civilians", "civilians"},
}

// amongGroupRE: the group a figure is counted among, after it ("16 injuries among health care workers").
var amongGroupRE = mustPattern(`^[^;.]{0,60}?\bamong (?:the |their |its )?((?:[\w-]+ ){0,3}?(?:staff|workers|personnel|journalists|children|women|idps|soldiers))\b`)

// subjectGroupRE: the group a toll is of, named before the figure ("the number of journalists killed has
// risen to 120", "the death toll of journalists").
var subjectGroupRE = mustPattern(`\b(?:number|toll|tally|count|deaths?|fatalities|casualties) (?:of|among) (?:the |its |their )?((?:[\w-]+ ){0,2}?(?:journalists|children|women|soldiers|staff|employees|personnel|medics|doctors|health workers|aid workers|paramedics|reporters|troops|police officers|civilians|civilian (?:victims|deaths|casualties)))\b|\b((?:israeli )?(?:army|military|soldiers?|idf|journalists?|children|women)(?:'s|’s)?) death toll\b`)

// Places. A place name ("in Gaza") is evidence of where a figure is; a demonym ("1,455 Israelis") is
// strong when it names the people counted. Israel is named mostly as a party ("killed by Israel",
// "Israel's war", "the Hamas-Israel conflict"), so only forms that place victims there count: "in
// southern Israel", "Israelis", "the attack that killed". Adjectives ("Israeli strikes") name the
// perpetrator and are not used.
var placeTerms = terms(
	`\b(?:west bank|east jerusalem),?(?: including east jerusalem,)? and (?:in )?israel\b`, "west_bank_israel",
	`\b(?:the )?gaza(?: strip)? and (?:in )?lebanon\b`, "gaza_lebanon",
	`\bgaza(?: strip)? and (?:in )?the west bank\b|\bwest bank and (?:in )?(?:the )?gaza(?: strip)?\b`, "gaza_west_bank",
	`\b(?:west bank|jenin|tulkar[e]?m|nablus|hebron|nur shams|east jerusalem|jericho|tubas|qalqilya|bethlehem)\b`, "west_bank",
	`\b(?:gaza|gazan|gazans|rafah|khan y[ou]nis|jabalia|deir al-balah|beit lahia|the strip|the enclave)\b`, "gaza",
	`\b(?:lebanon|lebanese|beirut|nabatieh|baalbek|tyre)\b`, "lebanon",
	`\b(?:sudan|sudanese|darfur|el fasher|khartoum|omdurman)\b`, "sudan",
	`\b(?:ukraine|ukrainian|ukrainians|kyiv|kharkiv)\b`, "ukraine",
	`\b(?:syria|syrian|syrians|latakia|tartous|baniyas|banyas|damascus|aleppo|idlib|alawite|sweida|suwayda|druze|homs|hama)\b`, "syria",
	`\b(?:congo|drc|goma|north kivu|bukavu|fardc|m23|monusco)\b`, "drc",
	`\b(?:yemen|yemeni|houthi|houthis|hodeidah|ras isa|sanaa)\b`, "yemen",
	`\b(?:iran|iranians|tehran)\b`, "iran",
	`\b(?:ethiopia|ethiopian|tigray|amhara)\b`, "ethiopia",
	`\b(?:myanmar|burma|burmese|sagaing|rakhine|kachin|shan state|mandalay)\b`, "myanmar",
	`\b(?:haiti|haitian|haitians|port-au-prince|artibonite|binuh|petit-goâve|cité soleil)\b`, "haiti",
	`\b(?:burkina faso|burkinabe|burkinabè|barsalogho|ouagadougou|djibo)\b`, "burkina_faso",
	`\b(?:in|into|to|inside|eastern) chad\b|\bchadian\b|\badre\b|\bouaddai\b|\bwadi fira\b`, "chad",
	`\b(?:in|inside) (?:the )?russia\b|\brussian (?:civilians|region|territory|city|border region)\b|\b(?:kursk|belgorod|bryansk)\b`, "russia",
	`\b(?:pakistan|pakistani|pakistanis|khyber pakhtunkhwa|balochistan)\b`, "pakistan",
	`\b(?:around the world|worldwide|globally|across the world|world['’]s|world over|in \d+ countries|across \d+ countries)\b`, "global",
	`\b(?:in|inside|into|southern|northern|central|across|throughout) israel\b|\bisraelis\b|\bisraeli (?:side|soldiers|civilians|citizens|nationals|people|residents|hostages|police|policemen|victims)\b|\bkibbutz(?:im)?\b|\b(?:died|killed|dead) (?:during|in) the (?:hamas |october 7 |oct\. 7 |7 october )(?:attack|massacre)|\b(?:october 7|oct\. 7|7 october)(?: hamas)? (?:attack|massacre)|\b(?:terror )?attack on (?:october 7|oct\. 7|7 october)|hamas(?:['’]s?)? (?:surprise |deadly |terror )?attack\b|\b(?:tel aviv|west jerusalem|holon|ramat gan|beersheva|beersheba|be'er sheva|haifa|ashkelon|ashdod|sderot|bat yam|rishon lezion|petah tikva|kiryat shmona|nir oz|be'eri|kfar aza|nova (?:music )?festival|golan heights|northern israel|southern israel)\b|\b(?:missiles?|rockets?|barrages?|strikes?|attacks?|drones?) (?:\w+ )?(?:on|at|against|into|toward|towards) israel\b|\b(?:attacked|invaded|stormed) (?:southern )?israel\b|\b(?:in|under) israel(?:i)? (?:prisons?|custody|detention)\b`, "israel",
	`\bpalestinians\b`, "palestinians", // gaza, or the West Bank where the article is about it
)

// timeReferenceRE: a place named after "since" or "following" dates a figure rather than placing it
// ("injured since the Oct. 7 attack on Israel"); such mentions are skipped.
var timeReferenceRE = mustPattern(`\b(?:since|following|after|before|amid|from)\s+(?:the\s+)?(?:[\w.-]+(?:['’]s?)?\s+){0,3}$|\bsolidarity with\s+(?:the\s+)?(?:residents|people|population)?\s*(?:of\s+)?(?:the\s+)?$`)

// reportedOnRE: a weekday after a reporting verb dates the report, not the figure ("said on Monday").
var reportedOnRE = mustPattern(`\b(?:said|says|reported|announced|stated|told|added|confirmed|noted|declared|updated)\s+(?:\w+\s+)?$`)

// barePlaceBeforeRE: a country named right before a figure ("Iran reports 224 killed, Israel 14").
var barePlaceBeforeRE = mustPattern(`\b(israel|iran|gaza|lebanon|syria|sudan|yemen|ukraine)\s*:?\s*$`)

var bareCountryArea = map[string]string{"israel": "israel", "iran": "iran", "gaza": "gaza", "lebanon": "lebanon",
	"syria": "syria", "sudan": "sudan", "yemen": "yemen", "ukraine": "ukraine"}

// weakPlaceTerms name a place only as the name of a war ("since the war on Gaza began"); they count
// when nothing else in the sentence or article says where.
var weakPlaceTerms = terms(
	`\b(?:(?:israel['’]s (?:[\w-]+ ){0,2})?(?:war|offensive|assault|aggression|bombardment|campaign|air assaults?|onslaught) (?:on|in|against) gaza|gaza war|war with hamas|israel-hamas war|unrwa)\b`, "gaza",
	// Where missiles came from, not where they hurt people: "two injured in Iran missile barrage".
	`\b(?:fired|launched) (?:\w+ )?from (?:iran|yemen)\b|\biran(?:ian)? (?:ballistic )?(?:missiles?|rockets?|drones?) ?(?:barrages?|attacks?|strikes?|salvos?)?\b`, "israel",
	`\bsettlers?\b`, "west_bank",
	`\bramallah\b`, "west_bank",
)

// countryOfArea gives the ISO 3166-1 alpha-3 code of an area (schemas/claims.yaml); areas of several
// countries and the world have none.
var countryOfArea = func() map[string]string {
	m := map[string]string{}
	for name, a := range schemas.ClaimAreas() {
		m[name] = a.Country
	}
	return m
}()

// qualifierTerms are read from the words just before a figure, longest first. Each pattern is anchored
// at the end of the preceding text.
var qualifierTerms = terms(
	`\bbetween\s*$`, "range",
	`\b(?:more than|higher than|greater than)\s*$`, "more than",
	`\b(?:at least|at the least|a minimum of|no fewer than|no less than)\s*$`, "at least",
	`\b(?:up to|as many as|as high as|under|less than|fewer than)\s*$`, "up to",
	`\b(?:nearly|almost|close to|just under|approaching|near)\s*$`, "nearly",
	`\b(?:about|around|approximately|approx\.|some|roughly|an estimated|estimated|estimated that|estimates that|estimates|closer to|an approximate|as few as)\s*$|\b(?:is|are|was|were) estimated to\b[^.;]{0,30}$`, "about",
	`\b(?:over|above|exceeds|exceeding|exceeded|exceed|surpassed|surpasses|surpassing|passed|passes|passing|topped|tops|topping|crossed|crosses|in excess of|past the|past)\s*$`, "over",
)

// trailingQualifier: "186,000 or even more" is at least.
var trailingAtLeastRE = mustPattern(`^\s*(?:or (?:even )?more|and more|plus)\b`)

// vagueQualifier: vague amounts carry the qualifier "vague" whatever precedes them.
const vagueQualifier = "vague"

// Numbers that are not casualty or displacement figures.
// approxTail ends a pattern of the words before a figure: a qualifier that may stand right before it.
const approxTail = `\s*(?:some|about|around|over|more than|nearly|up to|at least|an estimated|approximately)?\s*$`

// ofPossessive: the whole a part is counted of ("nine of her 10 children"), a number that is not a figure.
const ofPossessive = `of (?:her|his|their|its|our|my)`

var (
	// A unit of time, length or age right after the number: "45 days", "14-month", "13-year-old", "24 hours".
	afterUnitRE = mustPattern(`^(?:\s|-)*(?:(?:deadliest|bloodiest|worst|first|last|past|straight|consecutive|full|long)\s+)?(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies)|km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|foot|feet|inch(?:es)?|am\b|pm\b|a\.m|p\.m|o'clock|per ?cent (?:increase|rise|decrease|drop)|% (?:increase|rise|decrease|drop))`)
	// Money before or after.
	moneyBeforeRE = mustPattern(`(?:[$€£]|\bus\$|\busd|\beur)\s*$`)
	moneyAfterRE  = mustPattern(`^\s*(?:dollars|euros|pounds|usd|shekels)\b`)
	// A month name next to a day number or year: "October 7", "7 October", "Oct. 7, 2023".
	monthBeforeRE = mustPattern(`\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s*$`)
	monthAfterRE  = mustPattern(`^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b`)
	// Words before a number that make it an identifier or a position: "Resolution 2728", "phase 2".
	labelBeforeRE = mustPattern(`\b(?:resolution|article|no\.|number|phase|round|day|week|page|route|flight|chapter|section|level|grade|class|covid|aged?|ages|(?:father|mother|parents?) of|provid(?:e|ed|es|ing))\s*$`)
	// "a woman around 60": a person's age.
	personAgeBeforeRE = mustPattern(`\b(?:woman|man|girl|boy|child|person|teenager|mother|father|grandmother|grandfather)\s+(?:around|about|aged|of|approximately)\s*$|\b(?:(?:had )?(?:just )?turned|turning|turns)\s+$`)
	// "about eight and ten or eleven years old": the first ages of a list of them.
	ageListAfterRE = mustPattern(`^(?:\s*,?\s*(?:and|or|to|,|-|–)\s*(?:\d{1,3}|[a-z]+(?:-[a-z]+)?)){1,3}\s*(?:years?|months?)[\s-]+old\b`)
	// "children (6-23 months)": the first number of an age range.
	ageRangeAfterRE = mustPattern(`^\s*[-–]\s*\d+\s*(?:years?|months?|weeks?|days?)\b`)
	// An age after a name: "Mr. Netanyahu, 73," (read on the text as printed, for the capital).
	ageAfterNameRE = mustPattern(`\b[A-Z][a-z]+,\s*$`)
	ageEndRE       = mustPattern(`^\s*(?:[,;)]|\.\s|\.$|$)`)
	// "Gaza's 2.3 million", "home to 24,000", "enclave of 2.3 million people": population sizes.
	populationBeforeRE = mustPattern(`(?:\b(?:home to|population of|inhabitants of|(?:enclave|strip|territory|city|country|nation|state|province|town|village|region|camp|area) of)\s*(?:some|about|around|over|more than|nearly|roughly|an estimated)?\s*|['’]s\s*)$`)
	populationAfterRE  = mustPattern(`^\s*(?:\w+\s+){0,2}?(?:inhabitants|population|residents of|(?:people |palestinians |civilians )?(?:live|living|lived) (?:in|there|on)|call\w* (?:it|the \w+) home)\b`)
	// Shares and ratios that are not counts: "one in every three", "nine out of ten".
	ratioAfterRE = mustPattern(`^\s*(?:in every|in|out of)\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten)`)
	// "16 in one strike", "30 in two attacks": where they were killed, not a ratio
	inEventsAfterRE = mustPattern(`^\s*in\s+(?:one|two|three|four|five|a single|\d+)\s+(?:[\w-]+\s+)?(?:strikes?|air ?strikes?|attacks?|raids?|incidents?|bombings?|blasts?|explosions?|shellings?)\b`)
	ratioBeforeRE   = mustPattern(`\b(?:in every|out of|one in|` + ofPossessive + `)\s*$`) // "nine of her 10 children"
	// People an appeal or programme means to reach, not people harmed: "to assist some 400,000 people".
	aidTargetBeforeRE = anyOf(
		`\b(?:orders?|directives?|warnings?|instructions?)\b[^.;:]{0,30}\bfor`+approxTail,
		`\b(?:no|without|lack(?:ing)?|limited) access to\b[^.;:]{0,50}\bfor`+approxTail,
		`\b(?:received|used|collected) by`+approxTail,
		`\b(?:assist(?:ed|ing|s)?|help(?:ed|ing|s)?|support(?:ed|ing|s)?|feed(?:ing|s)?|fed|serv(?:e|ed|es|ing)|vaccinat\w*|immuni[sz]\w*|target(?:ed|ing|s)?|benefit\w*|cover(?:ed|ing|s)?|releas(?:e|ed|ing)|free(?:d|ing)?|rescu(?:e|ed|ing)|transferr?(?:ed|ing)?|register(?:ed|ing)|enrol\w*|screen(?:ed|ing)|exchange for|swap(?:ped)? for)`+approxTail,
		`\b(?:assistance|aid|kits?|meals|parcels|services|water|food|cash|bread|supplies|vouchers|items|nfis|care|classes|sessions|activities|blankets|mattresses|tents|shelters|baskets|tools|hygiene|support|provision|provided|distributed|delivered)\b[^.;:]{0,50}\b(?:to|for)`+approxTail)
	// Aid that reaches people: "WFP reached 137,000 displaced Gazans", unless a toll is what reached.
	aidReachBeforeRE = mustPattern(`\breach(?:ed|ing|es)?\s+(?:some|about|around|over|more than|nearly|up to|at least|an estimated|approximately)?\s*$`)
	tollSubjectRE    = mustPattern(`\b(?:toll|number|total|tally|count|figure|deaths|dead|martyrs|victims|wounded|injured|displaced|killed|casualties|fatalities|refugees|idps)\b`)
	// A role that is not a casualty, said of the figure's people anywhere in its clause with an
	// auxiliary ("ten Israelis and two foreign nationals, held as hostages in Gaza, … were released").
	roleVerbRE = mustPattern(`\b(?:were|was|have been|has been|had been|are|will be|would be|to be|being)\s+(?:\w+\s+)?(?:released|freed|rescued|transferred|vaccinated|reached|served|assisted|repatriated|exchanged|swapped|deported|discharged)\b`)
	// Medical evacuations abroad: "23 wounded and sick people … were evacuated from Gaza to Egypt".
	medicalEvacRE = mustPattern(`\b(?:evacuated|transferred|referred|taken)\b[^.;]{0,40}?\b(?:to|into) (?:egypt|jordan|the uae|abroad|turkey|qatar)\b|\bmedical(?:ly)? evacuat\w*|\bfor (?:medical )?(?:care|treatment) (?:in|to) (?:egypt|jordan|the uae|turkey|qatar)\b`)
	// People counted after their release, rescue or evacuation: "the freed hostages included nine women".
	roleBeforeRE = mustPattern(`\b(?:freed|released|rescued|evacuated|returned|exchanged|repatriated)\s+(?:\w+\s+)?(?:hostages|detainees|prisoners|captives|patients)(?:\s+(?:included|include|includes|including|were|are|comprised)(?:[^.;]{0,40}?(?:\band|,))?)?\s*$|\b(?:release|evacuation|transfer|rescue|exchange|medical evacuation) of\s+(?:some |about |around |over |more than |nearly |up to |at least )?$|\b(?:interviews? with|interviewed|surveyed|survey of|polled)\s+(?:some |about |around |over |more than |nearly |at least )?$|\bto (?:treat|serve|assist|feed|reach|support|cover)\s+(?:between\s+)?(?:some |about |around |over |more than |nearly |up to |at least )?$`)
	// Words right after a number that make it count something already named: "seven involving physical
	// violence", "two of which were used as shelters", "over two thirds".
	elidedObjectRE = mustPattern(`^\s*(?:involving|affecting|targeting|of which|thirds|quarters|fifths|halves)\b`)
	// A role that is not a casualty, in the words after a figure, before any casualty verb: released
	// hostages, evacuated patients, people reached by aid.
	roleAfterRE = mustPattern(`^(?:\s*[\w'’-]+){0,7}?\s+(?:(?:were|was|have been|has been|had been|are|will be|would be|to be|being|may have|might have|are believed to have)\s+)?(?:escaped|survived|released|freed|rescued|medically evacuated|transferred|vaccinated|immuni[sz]ed|reached|served|assisted|received|redeemed|benefited|discharged|repatriated|exchanged|swapped|crossed into egypt|taken for medical care|deported|resulted in|resulting in|led to|participated|attended|took part)\b`)
	// Casualty words that, when they come before a role word, make the figure a casualty after all.
	casualtyWordRE = mustPattern(`\b(?:kill\w*|dead|deaths?|died|bodies|corpses|victims|injur\w*|wounded|displaced|fled|missing|martyr\w*|abducted|taken hostage|detained|arrested)\b`)
	// Rates are not counts: "two mothers are killed every hour", "an average of 44 per month".
	rateRE = mustPattern(`\b(?:every|each|per) (?:single )?(?:\w+ )?(?:day|hour|week|month|minute)s?\b|\ba (?:day|week|month)\b(?: on average)?$|\bdaily average\b`)
	// A threshold that defines a category, not a count: "defined as a conflict causing at least 1,000 deaths".
	thresholdBeforeRE = mustPattern(`\bdefined as\b[^.;]{0,40}$|\b(?:wars?|conflicts?) (?:with|causing|of) (?:more than |at least |over )?$`)
	rateBeforeRE      = mustPattern(`\b(?:an average of|averaging|average of|a median of|median of|on average|the rate of|every (?:single )?(?:day|hour|week|month),?)\s+(?:some |about |around |nearly |almost |over |more than )?$`)
	// States that are not what a casualty figure counts: widowed, amputees, malnourished, pregnant.
	stateAfterRE = mustPattern(`\b(?:widowed|widows|amputees?|amputations?|requiring|suffering from|pregnant|expected to give birth|deliver(?:ing)? babies|malnourished|acute malnutrition)\b`)
	// Hypotheticals and aid needs: "could die", "facing hunger", "need assistance".
	notACountRE = mustPattern(`\b(?:could die|may die|might die|excess deaths?|(?:are|is|were) projected|could be (?:forced|displaced|killed)|will (?:suffer|face)|at (?:[\w-]+ )?risk of|(?:were|was|have been|has been) (?:screened|vaccinated|immuni[sz]ed|reached|assisted)|facing (?:[\w-]+ ){0,2}?(?:hunger|famine|starvation|malnutrition|catastrophic)|in need of|need(?:s|ing)? (?:humanitarian )?(?:aid|assistance)|depend on|require assistance|food insecur\w*|hungry)\b`)
)

// stockMetric: metrics that count people in a state at a date, which a figure gives as it stands.
var stockMetric = map[string]bool{"displaced": true, "sheltering": true, "refugees": true, "held_hostage": true,
	"missing": true, "detained": true}

// Status metrics name a state people are in; in a sentence about aid they count its recipients.
var statusMetric = map[string]bool{"displaced": true, "sheltering": true, "refugees": true}

// aidSentenceRE: a sentence about aid delivered or planned.
var aidSentenceRE = mustPattern(`\b(?:deliver(?:ed|ing|s)?|distribut(?:ed|ing|es|ion)|provid(?:ed|ing|es)|provision|supplied|reach(?:ed|ing)|assist(?:ed|ing)|benefit(?:ed|ing|ted)|kits|meals|vouchers|cash|supplements?|supplementation|interventions|sessions|activities|partners|nfis|food parcels|hot meals|bread|water trucking|plans? to|planning|improve)\b`)

// Shares of a toll by group: the group ("… were women and children") and the toll it is a share of.
var (
	shareGroupRE = mustPattern(`^[^.;]{0,100}?\b(?:were|are|was|is|being|be|as)\s+(?:estimated to be\s+|\w+\s+){0,2}?(?:women|children|men|girls|boys|elderly|civilians|minors|residents|child|combatants|fighters|militants)\b`)
	shareTollRE  = mustPattern(`\b(?:fatalities|victims|dead|deaths|killed|casualties|of whom|of which|toll|those who died)\b`)
)

// objectNouns are things a number can count that are not people: "113 healthcare facilities", "19 major
// killings", "two newly documented incidents". See countsObjects.
var objectNouns = wordSet(`hospital hospitals facilities facility ambulances trucks lorries parcels schools buildings homes
installations teams loads kits communities structures posters sessions interventions nfis households families items litres liters cubic tonnes tons metres meters km beds
times fold percent doses vaccines cases consultations interviews pallets truckloads bags boxes containers generators
battalions brigades convoys missions calls
houses flats apartments units mosques churches attacks strikes airstrikes raids massacres killings missiles rockets
drones bombs shells tons tonnes meals tents sites camps villages towns cities countries points incidents violations
vehicles tanks tunnels targets crossings bakeries wells clinics centres centers shelters projectiles explosions
operations sorties statements locations conflicts confrontations wars parts institutions outlets offices regions
provinces districts births trees sets governorates partners events devices pagers phones radios weapons guns rifles`)

// Group words a figure can name that are not people harmed: "a 3,000-person battalion", "two senior
// leaders". They make a figure a group's size, not a toll.
var groupSizeAfterRE = mustPattern(`^[\s-]*(?:person|man|member|strong|soldier)\b`)

// stopBeforeObject: words after a number that show it counts people or starts a predicate, so a later
// object noun ("300 people in hospitals") is not what it counts.
var stopBeforeObject = wordSet(`people persons individuals palestinians israelis civilians children women men soldiers
victims others in at on from to were was are is have has had been who that and or with by for among as staff members
employees workers near inside outside across around after before during when while since under into over following amid
along between within`)

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range regexp.MustCompile(`\s+`).Split(words, -1) {
		if w != "" {
			set[w] = true
		}
	}
	return set
}

// Scope: what time frame a figure covers. Each pattern is a cue; scopeFor weighs the cues of a figure's
// clause, then of its sentence.
var (
	// An earlier conflict: "the 2014 war", "before 7 October", "decades ago".
	historicalScopeRE = alternatives(`\b(?:decades ago|years ago|in 19\d\d|in the 19\d\ds|two decades|the nakba|(?:the )?(?:19\d\d|200\d|201\d|202[0-2]) (?:war|conflict|offensive|escalation|assault|hostilities|fighting)|(?:previous|earlier|past|prior) (?:wars|conflicts|escalations|rounds of (?:fighting|hostilities))|before (?:the (?:current )?war|october 7|7 october|oct\.? 7)|prior to (?:the (?:current )?war|october 7|7 october|oct\.? 7)|previous escalations|since (?:19\d\d|200\d|201\d))\b`)
	// A window: "in the past 24 hours", "since the ceasefire", "since 18 March", "in 2024", "this year".
	periodScopeRE = alternatives(`\b(?:(?:past|last|previous|preceding) (?:\d+|two|three|four|five|six|seven|several|few|twenty-four|forty-eight)? ?(?:hours?|days?|weeks?|months?)|24 hours|48 hours|twenty-four hours|overnight|since dawn|since (?:this|yesterday) morning|since midnight|this week|last week|last month|in just (?:\w+ )?(?:days|weeks)|in (?:two|three|four|five|six|seven|eight|nine|ten|\d+) (?:days|weeks)|since the (?:ceasefire|truce|resumption|collapse)|since the (?:start|beginning|end|collapse) of (?:the )?(?:ceasefire|truce|pause)|since the end of truce|since the (?:ceasefire|truce)(?: agreement)? (?:began|took effect|started|came into)|last (?:year|january|february|march|april|may|june|july|august|september|october|november|december)|since (?:[a-z]+ )?last year|in the reporting period|during the reporting period|in recent (?:days|weeks|months)|so far (?:on|this) \w+|between (?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?) \d{1,2} and|in (?:simply |just )?(?:over|under) a (?:month|week)|since (?:the )?ghf|since (?:the )?(?:aid )?distribution|since (?:the )?(?:start|beginning) of (?:the|this) year|since (?:the )?(?:start|beginning) of 20\d\d|(?:so far )?this year|in (?:early |late |mid-)?(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?: 20\d\d)?|(?:since|from) (?:early |late |mid-)?(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|nov(?:ember)?|dec(?:ember)?)|since (?:\d{1,2} )?(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|nov(?:ember)?|dec(?:ember)?)|since (?:early |late )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|since (?:the )?(?:israel(?:i)?|occupation)(?: [\w-]+){0,2} (?:resumed|renewed)\b|between (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday) and|between (?:the )?(?:afternoons?|mornings?|evenings?|nights?) of|between (?:[1-68-9]|[12]\d|3[01])(?::\d\d)? and|between (?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?: 20\d\d)? and|(?:in|during|throughout|so far in) (?:early |late |mid-)?202\d|since (?:the |a |an )?(?:[\w.-]+ ){1,8}?(?:on|in) (?:(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|nov(?:ember)?|dec(?:ember)?)\.? \d{1,2}|oct(?:ober)?\.? (?:[1-689]|[12]\d|3[01])\b|\d{1,2} (?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|nov(?:ember)?|dec(?:ember)?)|(?:[1-689]|[12]\d|3[01]) oct(?:ober)?\b)|since (?:a|the) (?:[\w.-]+ )?(?:ceasefire|cease-fire|truce)\b|first fortnight|more deaths|between \d{1,2}:\d\d (?:yesterday|today|on \d{1,2} (?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))(?: and)? \d{1,2}:\d\d|since the (?:afternoon|morning|evening|night) of \d{1,2} (?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|on \d{1,2}(?:, \d{1,2})*,? and \d{1,2} (?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|(?:in|during) the (?:same|equivalent) period (?:in|of) 20\d\d|in (?:a|one) (?:single )?day|single day|the same period|first (?:\w+ )?months of|since (?:the )?(?:escalation|offensive|operation|incursion) (?:of|on|in) (?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|since (?:the )?(?:escalation|offensive|operation|incursion) began on|since (?:the )?(?:renewed|new) (?:offensive|escalation|assault)|between (?:[1-68-9]|[12]\d|3[01]) (?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?: 20\d\d)? and|between (?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?) \d{1,2}[-–]\d|from dawn|single-day|since the (?:current|latest|new|recent) (?:ceasefire|truce)|since (?:the )?(?:signing (?:of )?(?:the )?)?(?:(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? \d{1,2}|\d{1,2} (?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)),? (?:ceasefire|cease-fire|truce)|since (?:the )?signing (?:of )?(?:the )?(?:ceasefire|cease-fire|truce)|(?:in|during) the first (?:\d+|[a-z-]+) (?:days|weeks|months)|(?:[\d,]*\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds|thousands)) more (?:[\w-]+ )?(?:people|persons|palestinians|israelis|lebanese|civilians|soldiers|children|women|bodies|martyrs|deaths|fatalities|casualties|killed|dead|died|wounded|injured))\b`)
	// One event: a strike, an attack, a raid, named by a determiner ("the strike on the school"), or the
	// 7 October attack. Plural and generic uses ("Israeli strikes") name the war, not an event.
	incidentScopeRE = alternatives(`\b(?:(?:oct(?:ober|\.)? 7|7 october|october 7th)(?: hamas)? (?:attacks?|massacre|assault|raid|rampage|incursion)|on (?:october 7|7 october|oct\.? 7)(?:,? 2023)?,|hamas(?:['’]s?)?(?: ?-led)? (?:surprise |deadly |cross-border |terror )?(?:attack|assault|incursion|rampage|raid)|\bhamas (?:gunmen|militants|fighters|terrorists) (?:\w+ )?(?:stormed|rampaged|attacked|infiltrated|swept|poured)|(?:a|an|the|this|that|one|another|single|latest|yesterday['’]s|(?:mon|tues|wednes|thurs|fri|satur|sun)day['’]s|deadly|double|twin|separate) (?:[\w-]+ ){0,2}?(?:air ?strike|strike|attack|raid|bombing|bombardment|shelling|explosions?|blasts?|massacre|ambush|shooting|stampede|assault|incursion|rampage|incident|collapse)|in the (?:fighting|clashes)|the battle for|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|strikes? (?:on|targeting|hit|hitting) (?:a|an|the) |(?:a|an|the) (?:[\w-]+ ){0,2}?(?:barrage|volley|airstrike)|struck|bombed|shelled|stormed|raided|opened fire|(?:ploughed|plowed|poured|burst|broke|swarmed) (?:through|across|into) (?:the border|southern israel|israel)|(?:russian|israeli|u\.?s\.?|american|ukrainian|saudi|coalition|drone|missile|rocket|artillery|suicide|car|truck) (?:air ?strike|strike|bombing|blast|explosion)|(?:drone|missile|rocket|suicide|car|truck) attack|death toll (?:from|in|of) (?:the )?(?:[\w-]+ ){0,3}?(?:attack|strike|explosion|blast|massacre|bombing|raid|(?:exploding )?pagers|earthquake|collapse|stampede)|[\w-]+ massacre|(?:during|in) (?:the )?(?:armed |heavy |fierce )?clashes|in (?:[\w-]+ )?(?:attack|air ?strike|strike|raid|bombing|blast|explosion|ambush|massacre)|at (?:about |around |approximately )?\d{1,2}:\d\d\b|between \d{1,2}:\d\d and \d{1,2}:\d\d|(?:attack|air ?strike|strike|raid|bombing|blast|explosion|shelling) (?:on |in )(?:[\w'’-]+ ){0,5}?kills)\b`)
	// A running total: "since the war began", "the death toll", "so far", "bringing the total to".
	cumulativeScopeRE = alternatives(`\b(?:since (?:the )?(?:start|beginning|outbreak|onset) of (?:the )?escalation(?: of (?:the )?(?:[\w-]+ ){0,2}(?:conflict|war|hostilities))?(?: (?:in|on) (?:early )?(?:october 2023|7 october(?: 2023)?|october 7(?:, 2023)?))?|between (?:7 october|october 7)(?:,? 2023)? and (?:[a-z]+ \d{1,2}|\d{1,2} [a-z]+)(?:,? 20\d\d)?|between (?:7 october|october 7|7 and \d{1,2} october)|since (?:the |a |an )?(?:surprise |deadly |unprecedented |terror |cross-border )*(?:hamas(?:['’]s?)? )?(?:attacks?|assault|incursion)\b[^.;]{0,60}?\b(?:oct(?:ober|\.)? 7|7 october)|from (?:7 october|october 7(?:th)?)(?:,? 2023)?,? (?:to|until|through) (?:[a-z]+ \d{1,2}|\d{1,2} [a-z]+)(?:,? (?:this year|last year|20\d\d))?|from 7 october|from october 7(?:th)?(?:,? 2023)?|(?:during|in) the same period|since (?:the )?(?:start|beginning|outbreak|onset|launch) of (?:the |israel['’]s |the israeli )?(?:gaza |israel-hamas |israel-gaza |ground )?(?:war|conflict|aggression|offensive|genocide|hostilities|escalation|fighting|operation|invasion)(?: (?:in|on) (?:october 2023|7 october(?: 2023)?|october 7(?:, 2023)?))?|since (?:the |israel['’]s |hamas['’]s |the israeli )?(?:war|conflict|genocide|aggression|offensive|fighting|assault|bombardment)(?: (?:on|in|against) (?:the )?(?:gaza|gaza strip|hamas|israel))? (?:began|started|erupted|broke out)(?: (?:in|on) (?:october 2023|7 october(?: 2023)?|october 7(?:, 2023)?))?|since oct(?:ober|\.)? 7|since 7 oct(?:ober)?|since oct(?:ober|\.)? 2023|since the (?:oct\.? 7|october 7|7 october)|since the escalation of (?:the )?(?:conflict|war|hostilities)|(?:bringing|raising|pushing|taking) (?:the|its) (?:\w+ )?(?:toll|total|number|tally|count)|total (?:number|toll|death toll)|(?:death|casualty) toll|the (?:overall|cumulative) (?:toll|number)|overall|cumulative|in total|so far|to date|thus far|throughout the war|during the war|of the war|in the war|the toll|(?:death|casualty) toll (?:\w+ ){0,3}(?:rose|risen|climbed|reached|stands|stood|passed|surpassed|exceeded|topped|hit))\b`)
	// The present perfect of a toll: "have been killed", "has risen to".
	presentPerfectRE = mustPattern(`\b(?:have|has) (?:now |so far |reportedly )?(?:been|died|risen|reached|climbed|surpassed|topped|passed|exceeded|increased|grown|jumped|soared|killed|left|claimed)\b|\b(?:stands?|stood) at\b`)
)

// Clause boundaries: a figure's context does not cross them.
var clauseBoundaryRE = mustPattern(`;|\s[—–]\s|, (?:bringing|raising|pushing|taking|leading to) |, which |, while\b|, when\b|\bwhereas\b|\bbut\b`)

// Attribution: who a sentence says the figures come from. Patterns are tried in order on the lowercased
// sentence; the first found is the attribution. Ministries are named by the area they serve.
var attributionTerms = terms(
	`\b(?:health ministry|ministry of health) in ramallah\b`, "Palestinian Health Ministry (Ramallah)",
	`\blebanese (?:health )?minist|\blebanon['’]s (?:health )?ministry|\babiad\b|\blebanese ministry of (?:public )?health`, "Lebanese Health Ministry",
	`\biran(?:ian|['’]s) (?:health )?ministry|\bkermanpour\b|\biranian health`, "Iranian Health Ministry",
	`\bhouthi-(?:run|controlled|led) (?:health )?ministry|\bal-asbahi\b`, "Houthi-run Health Ministry",
	`\b(?:gaza(?:['’]s)? (?:health ministry|ministry of health|health authorities)|hamas-run health ministry|gaza-based health|health (?:ministry|authorities|officials) in (?:gaza|the (?:enclave|strip|territory|hamas-run))|ministry of health in gaza|palestinian (?:ministry of health|health ministry) in gaza|al-qudra|territory['’]s health ministry|palestinian health officials)`, "Gaza Health Ministry",
	`\b(?:gaza(?:['’]s)? )?government media office\b|\bgaza media office\b`, "Gaza Government Media Office",
	`\bunrwa\b|relief and works agency`, "UNRWA",
	`\bunicef\b|children['’]s fund|un children['’]s agency`, "UNICEF",
	`\bocha\b|office for the coordination of humanitarian affairs`, "OCHA",
	`\biom\b|international organi[sz]ation for migration|migration agency`, "IOM",
	`\bcpj\b|committee to protect journalists`, "CPJ",
	`\breporters without borders\b`, "Reporters Without Borders",
	`\bifj\b|international federation of journalists`, "IFJ",
	`\beuro-?med(?:iterranean)?\b`, "Euro-Med Monitor",
	`\bb['’]tselem\b`, "B'Tselem",
	`\baid worker security database\b|\binsecurity insight\b`, "Aid Worker Security Database",
	`\bsohr\b|syrian observatory`, "SOHR",
	`\bhrmmu\b|human rights monitoring mission`, "OHCHR/HRMMU",
	`\bohchr\b|high commissioner for human rights`, "OHCHR",
	`\bmagen david adom\b`, "Magen David Adom",
	`\bsudan doctors network\b`, "Sudan Doctors Network",
	`\bpalestine red crescent\b|\bprcs\b`, "Palestine Red Crescent Society",
	`\bpalestinian civil defen[cs]e\b`, "Palestinian Civil Defense",
	`\bhuman rights activists\b`, "Human Rights Activists in Iran",
	`\bisraeli (?:military|army)\b|\bidf\b|israel defen[cs]e forces`, "Israeli military",
	`\bisraeli foreign ministry\b|\blior haiat\b`, "Israeli Foreign Ministry",
	`\bisraeli authorities\b`, "Israeli authorities",
	`\bwafa\b`, "WAFA",
	`\bmedical sources\b`, "Gaza medical sources",
	`\bhospital officials\b`, "hospital officials",
	`\bhouthis\b`, "Houthis",
	`\bworld health organi[sz]ation|\btedros\b`, "WHO",
	`\b(?:the )?(?:health )?ministry\b`, "ministry", // resolved by area: Gaza Health Ministry, ...
	`\bunited nations\b|\bthe u\.n\.|\bthe un\b`, "UN",
)

// ministryOfArea names the health ministry an unqualified "the ministry" refers to.
var ministryOfArea = map[string]string{
	"gaza": "Gaza Health Ministry", "west_bank": "Palestinian Health Ministry", "lebanon": "Lebanese Health Ministry",
	"iran": "Iranian Health Ministry", "yemen": "Houthi-run Health Ministry",
}

// reportingRE finds a reporting verb or phrase, which makes an organisation mentioned near it the source.
var reportingRE = mustPattern(`\b(?:according to|said|says|say|reported|reports|announced|stated|confirmed|added|noted|told|revealed|documented|estimated|estimates|recorded|registered|listed|figures|data|tally|statement|update)\b`)

// inheritAttributionRE: a sentence that continues the previous one's report ("he noted", "it added").
var inheritAttributionRE = mustPattern(`\b(?:he|she|it|they) (?:said|noted|added|reported|stated)\b|\bthe (?:spokesman|spokesperson|agency|ministry|minister) (?:said|added|noted)\b|\baccording to the (?:spokesman|spokesperson|ministry|agency)\b`)
