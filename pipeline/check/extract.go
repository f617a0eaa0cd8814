package check

import (
	"fmt"
	"math"
	"strings"
)

// Figure is a casualty or displacement figure read from a sentence, with the fields of the claims
// labelling rules (testdata/claims/README.md).
type Figure struct {
	TextSpan     string `json:"text_span"`
	Value        *int64 `json:"value"`
	ValueMax     *int64 `json:"value_max,omitempty"`
	Qualifier    string `json:"qualifier"`
	Metric       string `json:"metric"`
	Population   string `json:"population"`
	Subgroup     string `json:"subgroup"`
	Area         string `json:"area"`
	CountryISO3  string `json:"country_iso3,omitempty"`
	AttributedTo string `json:"attributed_to,omitempty"`
	Scope        string `json:"scope"`
	Unit         string `json:"unit"`

	start, end  int          // of the numeral in the sentence
	metricFrom  metricSource // where its metric was read
	detail      bool         // it details the figure before it ("…, including 33 children")
	groupCue    string       // the words that name its people
	groupSure   bool         // false: its people may be a narrower group than a series' population
	perpetrator string       // "by settlers": the figure counts one perpetrator's share
	estimate    string       // the words that make it a study's estimate or a projection, not a report
	areaCue     string       // the words that decided its area
	areaSure    bool         // false: its place came from far context, a demonym alone, or the article's title
	areaOwn     bool         // its place is named right after it
	scopeCue    string       // the words that decided its scope
	scopeTail   string       // those words and the ones after them, for dating a period
	scopeSure   bool         // false: no words say its time frame, and cumulative is assumed
	scopeOwn    bool         // its time-frame words are nearer it than any other figure
	earlier     bool         // the text gives it as an earlier value of a count ("rose from 558 to 569")
	subset      string       // the words that make it a part of a toll: "identified"
	withMissing string       // the words that add the missing to it: "including those missing"
	asOf        string       // the words that date the figure itself: "as of 20 March"
}

// Context carries what earlier sentences of the same article said, for the fields a sentence leaves
// implicit: where ("Palestinians" in an article about the West Bank), and who said it ("he noted").
type Context struct {
	Area         string // the area of the article so far
	Attribution  string // the previous sentence's source
	Metric       string // the previous sentence's last metric, for "… including 316 children and 790 women"
	Scope        string // the previous sentence's event or window, for figures that go on telling of it
	LastScope    string // the previous sentence's time frame, for "during the same period"
	Section      string // the area a document's current section heading names ("## WEST BANK OVERVIEW")
	ArticleAreas string // areas named in the article's title or URL, a fallback
	// Read: the figures read so far with words for their time frame, by value, for "of these 360
	// fatalities", which restates one of them.
	Read map[int64]Figure
}

// NewContext starts an article; hint is any text about the whole article (its title or URL).
func NewContext(hint string) *Context {
	c := &Context{}
	hint = strings.NewReplacer("-", " ", "_", " ", "/", " ").Replace(asciiLower(hint))
	if a := firstPlace(hint, placeTerms); a != "" && a != "palestinians" {
		c.ArticleAreas = a
	} else if a := firstPlace(hint, weakPlaceTerms); a != "" {
		c.ArticleAreas = a
	}
	return c
}

// sentence is one sentence being read: its text, lowercased text, numerals, and which numerals can be
// figures at all (not dates, ages, money, counts of things).
type sentence struct {
	text       string
	lower      string
	nums       []Numeral
	candidate  []bool
	boundaries [][]int        // clause boundaries, from clauseBoundaryRE
	places     []placeMention // places named, from placeMentions
	metrics    []metricHit    // metric keywords, from metricTerms
	prevScope  string         // the scope of the previous sentence's first figure
	cues       []cueHit       // time-frame cues, from scopeCues
	held       held           // the patterns that can match the sentence
	reads      []metricRead   // metricOf's result for each numeral, once read
}

// metricRead is what metricFor read of a figure.
type metricRead struct {
	metric   string
	from     metricSource
	ok, done bool
}

// metricOf is metricFor, read once per figure: a figure listed after another ("two women and two men",
// "…, bringing the tally to N") asks for the other's metric again.
func (s sentence) metricOf(i int, ctx *Context) (string, metricSource, bool) {
	r := &s.reads[i]
	if !r.done {
		r.metric, r.from, r.ok = s.metricFor(i, ctx)
		r.done = true
	}
	return r.metric, r.from, r.ok
}

// metricHit is a metric keyword found in a sentence.
type metricHit struct {
	start, end int
	metric     string
	order      int // the term's place in metricTerms; earlier wins a tie
}

// dropAsides removes the pair of dashes around an aside that a verb follows ("At least 274 Palestinians —
// including dozens of children — were killed", "Nearly half of those – 163 people – were killed"): the
// subject and its verb are one clause.
func dropAsides(lower string, bounds [][]int) [][]int {
	var out [][]int
	for k := 0; k < len(bounds); k++ {
		if k+1 < len(bounds) && isDash(lower[bounds[k][0]:bounds[k][1]]) && isDash(lower[bounds[k+1][0]:bounds[k+1][1]]) &&
			bounds[k+1][0]-bounds[k][1] <= asideMax && verbAfterAsideRE.MatchString(lower[bounds[k+1][1]:]) {
			k++
			continue
		}
		out = append(out, bounds[k])
	}
	return out
}

// asideMax: the longest aside between two dashes that dropAsides joins across.
const asideMax = 100

func isDash(b string) bool { return strings.ContainsAny(b, "—–") }

var verbAfterAsideRE = mustPattern(`^\s*(?:were|was|have|has|had|are|is)\b`)

// newSentence reads a sentence once: numerals, clause boundaries, places and metric keywords, so that
// the work per figure is bounded by the figure's neighbourhood, not the sentence's length.
func newSentence(text, prevScope string) sentence {
	s := sentence{text: text, lower: asciiLower(text), nums: FindNumerals(text), prevScope: prevScope}
	s.held = holding(s.lower)
	s.places = placeMentions(s.lower, s.held)
	if len(s.nums) == 0 {
		return s // only its places matter, for the article's context
	}
	s.boundaries = dropAsides(s.lower, clauseBoundaryRE.findAllIn(s.lower, s.held))
	for k, t := range metricTerms {
		for _, loc := range t.re.findAllIn(s.lower, s.held) {
			s.metrics = append(s.metrics, metricHit{loc[0], loc[1], t.value, k})
		}
	}
	s.cues = s.scopeCues()
	s.candidate = make([]bool, len(s.nums))
	s.reads = make([]metricRead, len(s.nums))
	for i := range s.nums {
		s.candidate[i] = s.isFigure(i)
	}
	return s
}

// Bounds on how far from a figure its surroundings are read, in bytes.
const (
	lookBehind = 80
	lookAhead  = 120
)

// before returns up to lookBehind bytes of lowercased text before offset at.
func (s sentence) before(at int) string { return s.lower[max(0, at-lookBehind):at] }

// after returns up to lookAhead bytes of lowercased text from offset at.
func (s sentence) after(at int) string { return s.lower[at:min(len(s.lower), at+lookAhead)] }

// Extract returns the figures of one sentence, and updates ctx for the sentences after it.
func Extract(text string, ctx *Context) []Figure {
	if ctx == nil {
		ctx = NewContext("")
	}
	s := newSentence(text, ctx.LastScope)
	if level := headingLevel(text); level > 0 {
		if a := firstPlace(s.lower, placeTerms); a != "" && a != "palestinians" {
			ctx.Section = a
		} else if level <= 2 {
			ctx.Section = ""
		}
	}
	area := ""
	if ms := s.places; len(ms) > 0 {
		first := ms[0]
		for _, m := range ms {
			if m.start < first.start {
				first = m
			}
		}
		area, _ = s.resolvePalestinians(first.area, ctx)
	}
	attribution := ""
	if len(s.nums) > 0 || reportingRE.MatchString(s.lower) {
		attribution = s.attribution(ctx, area)
	}

	estimate := estimateRE.FindString(s.lower) // a study's estimate or another monitor's count, for every figure
	asOf := asOfRE.FindString(s.lower)         // the day the sentence dates its figures to
	if estimate == "" {
		estimate = otherCountRE.FindString(s.lower)
	}
	var figs []Figure
	var kept []int // index in s.nums of each figure, for coordination
	for i, n := range s.nums {
		if !s.candidate[i] {
			continue
		}
		metric, from, ok := s.metricOf(i, ctx)
		if !ok {
			continue
		}
		if metric == "casualties" && deathWordsRE.MatchString(s.lower) && !injuryWordsRE.MatchString(s.lower) && s.candidates() == 1 {
			metric = "killed" // "the death toll … the casualties swelled to 15,207": casualties said of the dead
		}
		if statusMetric[metric] && aidSentenceRE.MatchString(s.lower) && !casualtyWordRE.MatchString(s.clause(i)) {
			continue // people counted as reached by aid, not as displaced: "… to 10,000 IDPs in shelters"
		}
		f := Figure{Qualifier: "exactly", Metric: metric, Unit: "persons", start: n.Start, end: n.End, metricFrom: from}
		spanStart := n.Start
		switch {
		case n.Vague:
			f.Qualifier = vagueQualifier
		case n.Max > 0:
			f.Qualifier = "range"
			f.ValueMax = ptr(int64(math.Round(n.Max)))
			if k := strings.LastIndex(s.before(n.Start), "between"); k >= 0 {
				spanStart = n.Start - len(s.before(n.Start)) + k
			}
		default:
			if q, at := s.qualifierBefore(n.Start); q != "" {
				f.Qualifier, spanStart = q, at
			} else if trailingAtLeastRE.MatchString(s.after(n.End)) {
				f.Qualifier = "at least"
			} else if strings.HasPrefix(s.text[n.End:], "+") {
				f.Qualifier = "over" // "53,000+"
			}
		}
		if !n.Vague {
			f.Value = ptr(int64(math.Round(n.Value)))
		}
		if n.Percent {
			f.Unit = "percent"
			f.Metric = shareMetric(f.Metric)
		}
		f.TextSpan = text[spanStart:n.End]
		f.Subgroup, f.Population = s.subgroupFor(i)
		if n.Percent {
			f.Subgroup, f.Population = s.shareGroup(i, f.Subgroup, f.Population)
		}
		if f.Subgroup == "civilians" && statusMetric[f.Metric] {
			// "92,000 civilians remain displaced": displacement counts a population, not its civilians apart
			f.Subgroup, f.Population = "all", "all"
		}
		f.groupCue, f.groupSure = s.groupFor(i, f.Subgroup)
		f.perpetrator = s.perpetratorFor(i)
		f.estimate = estimate
		f.subset = subsetRE.FindString(s.clause(i))
		f.withMissing = withMissingRE.FindString(s.clause(i))
		f.earlier = risenFromRE.MatchString(s.before(n.Start)) // "had increased from 4,385 on Saturday"
		f.asOf = asOf
		p := s.areaFor(i, ctx)
		f.Area, f.areaCue, f.areaSure, f.areaOwn = p.area, p.cue, p.sure, p.own
		f.Scope, f.scopeCue, f.scopeTail, f.scopeSure, f.scopeOwn = s.scopeFor(i)
		if f.earlier && weekdayCueRE.MatchString(f.scopeCue) {
			f.Scope = "cumulative" // "increased from 4,385 on Saturday": the day dates the earlier value
		}
		if stockMetric[f.Metric] && f.Scope == "period" {
			// "1.4 million people are taking shelter", "101 remain in captivity": a state as it stands now,
			// whatever window the sentence names for how it came about.
			if h := s.head(i, 6); stateNowRE.MatchString(h) {
				f.Scope, f.scopeCue, f.scopeTail, f.scopeSure = "cumulative", strings.TrimSpace(h), "", true
			}
		}
		if prior, ok := ctx.Read[int64(n.Value)]; ok && !f.scopeSure && !n.Vague && restatedRE.MatchString(s.before(n.Start)) {
			// "Of these 360 fatalities": the figure read before, with its time frame and, when its own
			// words give none, its place.
			f.Scope, f.scopeCue, f.scopeTail, f.scopeSure = prior.Scope, prior.scopeCue, prior.scopeTail, true
			if !f.areaSure {
				f.Area, f.areaCue, f.areaSure = prior.Area, prior.areaCue, prior.areaSure
			}
		}
		switch {
		case !f.scopeSure && stockMetric[f.Metric]:
			f.scopeSure = true // a state (displaced, held hostage) is counted as it stands
		case !f.scopeSure && ctx.Scope != "":
			f.Scope = ctx.Scope // the event the article was just telling of goes on ("Ten were killed …")
		}
		f.AttributedTo = attribution
		if f.Metric == "hostage" {
			// Held when the figure's own words say so ("24 hostages were alive"), taken when they tell the
			// taking ("250 people Hamas took hostage"), else held when its clause says they still are.
			head := s.ownWords(i) // "250 or more hostages taken away": past the "or" that would end a head
			if k := strings.IndexAny(head, ",;("); k >= 0 {
				head = head[:k]
			}
			head = firstWords(head, 8)
			f.Metric = "taken_hostage"
			if heldRE.MatchString(head) || aliveRE.MatchString(head) || !takenRE.MatchString(head) && heldRE.MatchString(s.clause(i)) {
				f.Metric = "held_hostage"
			}
		}
		f.hostageArea()
		s.groundOperation(&f)
		s.refugeesAbroad(i, &f)
		f.CountryISO3 = countryOfArea[f.Area]
		figs = append(figs, f)
		kept = append(kept, i)
	}
	s.coordinate(figs, kept)

	if area != "" {
		ctx.Area = area
	}
	for _, f := range figs {
		if f.Area != "" && f.Area != "global" {
			ctx.Area = f.Area // the sentence's first placed figure: later ones are often asides
			break
		}
	}
	if len(figs) > 0 {
		ctx.Metric = figs[0].Metric // the sentence's main count
		ctx.Scope, ctx.LastScope = "", figs[0].Scope
		if figs[0].scopeSure && (figs[0].Scope == "incident" || figs[0].Scope == "period") && !weekdayCueRE.MatchString(figs[0].scopeCue) {
			ctx.Scope = figs[0].Scope
		}
	}
	ctx.Attribution = attribution
	for _, f := range figs {
		if f.scopeSure && f.Value != nil {
			if ctx.Read == nil {
				ctx.Read = map[int64]Figure{}
			}
			ctx.Read[*f.Value] = f
		}
	}
	return figs
}

// restatedRE: a definite "these" or "those" before a figure that restates one already given.
var restatedRE = mustPattern(`\b(?:these|those)\s+$`)

func ptr[T any](v T) *T { return &v }

// stateNowRE: a verb that says a state holds now.
var stateNowRE = mustPattern(`\b(?:are|is|remain|remains|are still|still)\b`)

// weekdayCueRE: a day named alone is too weak a cue to carry to the next sentence.
var weekdayCueRE = mustPattern(`^on \w+day$`)

// headingLevel returns the level of a Markdown heading ("## Title" is 2), 4 for a short line in bold
// ("**Casualties**", a sub-heading), and 0 for a sentence.
func headingLevel(text string) int {
	t := strings.TrimSpace(text)
	if n := len(t) - len(strings.TrimLeft(t, "#")); n > 0 && n <= 6 {
		return n
	}
	if strings.HasPrefix(t, "**") && strings.HasSuffix(t, "**") && len(t) < 80 {
		return 4
	}
	return 0
}

// hostageArea applies the conventions of the claims sets to the hostages of the 7 October attack:
// taken in Israel, held in Gaza. Kidnappings elsewhere keep their place.
func (f *Figure) hostageArea() {
	if f.Area != "" && f.Area != "gaza" && f.Area != "israel" {
		return
	}
	switch {
	case f.Metric == "taken_hostage":
		f.Area, f.areaCue, f.areaSure = "israel", "the 7 October abductions", true
	case f.Metric == "held_hostage":
		f.Area, f.areaCue, f.areaSure = "gaza", "hostages held in Gaza", true
	case f.ofTheAttack() && !f.areaOwn:
		f.Area, f.areaCue, f.areaSure = "israel", f.scopeCue, true
	}
}

// ofTheAttack says whether a figure counts one incident, the 7 October attack on Israel, by the words
// that decided its time frame or its place.
func (f Figure) ofTheAttack() bool {
	return f.Scope == "incident" && (sevenOctoberRE.MatchString(f.scopeCue) || sevenOctoberRE.MatchString(f.areaCue))
}

// groundOperation: "Israeli soldiers" names who they are, not where they fell. Killed "since the ground
// operation began", with no other place named, they fell in Gaza.
func (s sentence) groundOperation(f *Figure) {
	if f.Subgroup != "security_forces" || f.Area != "israel" || !strings.HasPrefix(f.areaCue, "israeli ") || strings.Contains(s.lower, "lebanon") {
		return
	}
	if m := groundOperationRE.FindString(s.lower); m != "" {
		f.Area, f.areaCue, f.areaSure, f.CountryISO3 = "gaza", m, true, countryOfArea["gaza"]
	}
}

var groundOperationRE = mustPattern(`\bground (?:operation|offensive|invasion|incursion|manoeuvre|maneuver|campaign)\b`)

// refugeesAbroad: people of one country displaced into, or sheltering in, another are refugees of the
// first ("60,000 Sudanese taking refuge in Chad", "3 million Sudanese … seeking safety in neighbouring
// countries"). People displaced inside their country ("internally displaced") are not.
func (s sentence) refugeesAbroad(i int, f *Figure) {
	if !statusMetric[f.Metric] || f.Metric == "refugees" && f.Area != "" {
		return
	}
	m := originDemonymRE.FindStringSubmatch(s.head(i, 4))
	if m == nil {
		return
	}
	origin := originOfDemonym[m[1]]
	start, end := s.clauseBounds(i)
	start = min(start, max(0, s.nums[i].Start-nearPlace))
	if internallyRE.MatchString(s.lower[start:end]) {
		return
	}
	abroad := s.namesFlight(start, end)
	for _, p := range s.places {
		if p.start >= start && p.end <= end && p.area != origin && countryOfArea[p.area] != "" && !demonymRE.MatchString(s.lower[p.start:p.end]) {
			abroad = true
		}
	}
	if abroad {
		f.Metric = "refugees"
		f.Area, f.areaCue, f.areaSure, f.areaOwn = origin, m[1], true, true
	}
}

var (
	originDemonymRE = mustPattern(`\b(sudanese|syrians|ukrainians|lebanese|haitians|yemenis|burmese|rohingya|congolese|ethiopians)\b`)
	originOfDemonym = map[string]string{"sudanese": "sudan", "syrians": "syria", "ukrainians": "ukraine", "lebanese": "lebanon",
		"haitians": "haiti", "yemenis": "yemen", "burmese": "myanmar", "rohingya": "myanmar", "congolese": "drc", "ethiopians": "ethiopia"}
	internallyRE = mustPattern(`\binternally\b|\bidps\b`)
)

var sevenOctoberRE = mustPattern(`\boct(?:ober|\.)? 7\b|\b7(?:th)? october|hamas(?:['’]s?)?(?: ?-led)? (?:[\w-]+ )?(?:attack|assault|incursion|rampage|raid|massacre)|\bhamas (?:gunmen|militants|fighters|terrorists) (?:\w+ )?(?:stormed|rampaged|attacked|infiltrated|swept|poured|burst|broke)\b`)

// evidence says which words decided the figure's reading.
func (f Figure) evidence() Evidence {
	e := Evidence{Place: f.areaCue, TimeFrame: f.scopeCue, Group: f.groupCue}
	if e.TimeFrame == "" && f.Scope != "" {
		e.TimeFrame = "no words say; " + f.Scope + " assumed"
	}
	if f.perpetrator != "" {
		e.Group = strings.TrimSpace(e.Group + " " + f.perpetrator)
	}
	e.Metric = map[metricSource]string{fromHead: "right after the figure", fromPredicate: "the figure's verb",
		fromBefore: "right before the figure", fromClause: "later in its clause", fromSentence: "earlier in its sentence",
		fromContext: "the previous sentence"}[f.metricFrom]
	return e
}

// reading says whether toll is sure enough of the figure to call it wrong, and if not, why.
func (f Figure) reading() reading {
	var unsure []string
	if !f.areaSure {
		if f.areaCue == "" {
			unsure = append(unsure, "the text names no place for it")
		} else {
			unsure = append(unsure, "its place comes from "+f.areaCue)
		}
	}
	if !f.scopeSure {
		unsure = append(unsure, "no words say whether it is a running total, one period or one incident")
	}
	if !f.groupSure {
		unsure = append(unsure, fmt.Sprintf("it counts %q, which may be a narrower group than the series counts", f.groupCue))
	}
	if f.estimate != "" {
		unsure = append(unsure, fmt.Sprintf("its sentence gives an estimate, a study or another monitor's count (%q), not the report of the series", f.estimate))
	}
	if f.perpetrator != "" && f.Area == "west_bank" {
		unsure = append(unsure, fmt.Sprintf("it counts those killed or injured %s, a share of the West Bank toll", f.perpetrator))
	}
	if f.metricFrom >= fromClause {
		unsure = append(unsure, "the word for what happened to them is not next to it")
	}
	if f.subset != "" {
		unsure = append(unsure, fmt.Sprintf("it may count only part of the toll (%q)", f.subset))
	}
	if f.withMissing != "" && f.Metric == "killed" {
		unsure = append(unsure, fmt.Sprintf("it may count the missing too (%q)", f.withMissing))
	}
	if f.earlier {
		unsure = append(unsure, "the text gives it as an earlier value of the count")
	}
	return reading{sure: len(unsure) == 0, unsure: unsure}
}

// asciiLower lowercases ASCII letters only, so that byte offsets in the result are those of the input
// (strings.ToLower may change the length of some non-ASCII letters).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func shareMetric(metric string) string {
	switch metric {
	case "displaced":
		return "displaced_share"
	case "casualties", "injured":
		return "casualty_share"
	}
	return "killed_share"
}

// MaxFigure bounds a figure of people: a larger number (a phone number, an identifier, a typo of 19
// digits) is not one, and never overflows a count.
const MaxFigure = 1e10

// isFigure says whether numeral i can be a casualty or displacement figure at all, by what surrounds it.
func (s sentence) isFigure(i int) bool {
	n := s.nums[i]
	if n.Ordinal || (n.Words && n.Value == 0 && !n.Vague) || n.Value > MaxFigure {
		return false
	}
	before, after := s.before(n.Start), s.after(n.End)
	if strings.HasSuffix(before, "/") || strings.HasPrefix(after, "/") { // 11/10/2023
		return false
	}
	if afterUnitRE.MatchString(after) || ageListAfterRE.MatchString(after) || moneyBeforeRE.MatchString(before) || moneyAfterRE.MatchString(after) ||
		labelBeforeRE.MatchString(before) || ratioAfterRE.MatchString(after) && !inEventsAfterRE.MatchString(after) || ratioBeforeRE.MatchString(before) ||
		aidTargetBeforeRE.MatchString(before) || countsObjects(after) {
		return false
	}
	// "home to 2 million", "2 million residents of Gaza", unless something happened to them: "3,000
	// residents of Minjar took refuge at a school".
	// "home to more than half a million IDPs" counts the displaced, not the population.
	if !n.Percent && (populationBeforeRE.MatchString(before) && !idpsRE.MatchString(s.head(i, 3)) || populationAfterRE.MatchString(after) && !s.metricIn(n.End, n.End+len(s.ownWords(i))) &&
		!killBeforeRE.MatchString(before) && !woundBeforeRE.MatchString(before)) { // "killed 12 student residents of the church"
		return false
	}
	if aidReachBeforeRE.MatchString(before) && !tollSubjectRE.MatchString(s.lower[:n.Start]) {
		return false
	}
	if roleBeforeRE.MatchString(before) || elidedObjectRE.MatchString(after) || personAgeBeforeRE.MatchString(before) ||
		medicalEvacRE.MatchString(s.clause(i)) {
		return false
	}
	own := s.ownWords(i)
	if thresholdBeforeRE.MatchString(before) || projectionBeforeRE.MatchString(before) {
		return false
	}
	// "two mothers are killed every hour", "seven women every two hours" (a number inside the rate)
	if rateRE.MatchString(own) || rateBeforeRE.MatchString(before) || rateRE.MatchString(firstWords(after, 6)) && everyRE.MatchString(own) {
		return false
	}
	if loc := stateAfterRE.FindStringIndex(own); loc != nil && !casualtyWordRE.MatchString(own[:loc[0]]) {
		return false // "13,901 women widowed"; not "13,000 children killed while others are suffering from …"
	}
	if groupSizeAfterRE.MatchString(after) || ageRangeAfterRE.MatchString(after) || s.isAge(n) || s.hasRoleAfter(i) {
		return false
	}
	if n.Percent && !s.isShareOfPeople(i) {
		return false
	}
	if monthBeforeRE.MatchString(before) || monthAfterRE.MatchString(after) {
		return false
	}
	if s.isYear(n) || s.isLoneOne(n) {
		return false
	}
	// Hypotheticals and aid needs, in the words that follow the figure ("… facing hunger"), but not
	// past an "and" that follows what happened to them ("12 million people displaced and nearly half the
	// population facing extreme hunger").
	words := firstWords(own, 12)
	if k := strings.Index(words, " and "); k >= 0 && s.metricIn(n.End, n.End+k) {
		words = words[:k]
	}
	return !notACountRE.MatchString(words)
}

// candidates counts the sentence's numerals that can be figures.
func (s sentence) candidates() int {
	n := 0
	for _, c := range s.candidate {
		if c {
			n++
		}
	}
	return n
}

// metricIn says whether a metric keyword starts between two offsets of the sentence.
func (s sentence) metricIn(start, end int) bool {
	for _, m := range s.metrics {
		if m.start >= start && m.start < end {
			return true
		}
	}
	return false
}

// ownWords returns the words after numeral i up to the next numeral, at most lookAhead bytes.
func (s sentence) ownWords(i int) string {
	n := s.nums[i]
	end := min(len(s.lower), n.End+lookAhead)
	if i+1 < len(s.nums) && s.nums[i+1].Start < end {
		end = s.nums[i+1].Start
	}
	return s.lower[n.End:end]
}

// countsObjects says whether the words after a number name things rather than people: "70 Palestinian
// Authority (PA) schools", "tens of thousands of tons".
func countsObjects(after string) bool {
	for _, w := range strings.Fields(firstWords(after, 4)) {
		if strings.ContainsAny(w, ";") || w[0] >= '0' && w[0] <= '9' || w[0] == ',' {
			return false // the clause, or the count, ends: "40,000 IDPs;also, 140 births", "97, The Times of Israel"
		}
		endsPhrase := strings.HasSuffix(w, ",")
		w, _, _ = strings.Cut(strings.Trim(w, ",.:()\"'’“”"), "/") // "schools/shelters"
		switch {
		case objectNouns[w]:
			return true
		case stopBeforeObject[w] || endsPhrase:
			return false
		}
	}
	return false
}

// isAge: a small number right after a name and closed by punctuation is an age ("Netanyahu, 73,").
func (s sentence) isAge(n Numeral) bool {
	return !n.Words && n.Value < 120 && ageAfterNameRE.MatchString(s.text[max(0, n.Start-40):n.Start]) &&
		ageEndRE.MatchString(s.text[n.End:min(len(s.text), n.End+3)])
}

// hasRoleAfter: the words after figure i, up to the next numeral, give its people a role that is not a
// casualty before any casualty word ("Four hostages were released", "490,311 displaced persons …
// received fresh bread"): released, rescued, evacuated, reached by aid.
func (s sentence) hasRoleAfter(i int) bool {
	n := s.nums[i]
	after := s.ownWords(i)
	if loc := roleAfterRE.FindStringIndex(after); loc != nil {
		return !casualtyWordRE.MatchString(after[:loc[1]-1]) || displacedOnly(after[:loc[1]])
	}
	_, cEnd := s.clauseBounds(i)
	rest := s.lower[n.End:max(n.End, min(cEnd, n.End+2*lookAhead))]
	if loc := roleVerbRE.FindStringIndex(rest); loc != nil {
		return !casualtyWordRE.MatchString(rest[:loc[0]]) || displacedOnly(rest[:loc[1]])
	}
	return false
}

// displacedOnly: the only casualty word before a role names a status, as in "490,311 displaced persons
// in UN shelters received fresh bread": they are counted as recipients, not as displaced.
func displacedOnly(t string) bool {
	for _, m := range casualtyWordRE.FindAllString(t, -1) {
		if m != "displaced" && m != "fled" {
			return false
		}
	}
	return true
}

// shareGroup returns the group a share of a toll is of: "70 per cent of those killed are said to be
// women and children".
func (s sentence) shareGroup(i int, subgroup, population string) (string, string) {
	n := s.nums[i]
	m := shareGroupRE.FindString(s.lower[n.End:min(len(s.lower), n.End+2*lookAhead)])
	if m == "" {
		return subgroup, population
	}
	tail := m[max(0, len(m)-30):] + s.lower[n.End+len(m):min(len(s.lower), n.End+len(m)+20)]
	for _, t := range subgroupTerms {
		if t.re.MatchString(tail) {
			return t.subgroup, t.population
		}
	}
	return subgroup, population
}

// isShareOfPeople: a percentage is a figure only as the share of a toll that a group makes up ("70 per
// cent of the victims were women and children", "of whom 66 per cent are children") or the share of a
// population displaced; shares by cause, place or of things are not.
func (s sentence) isShareOfPeople(i int) bool {
	c := s.clause(i)
	n := s.nums[i]
	after := s.lower[n.End:min(len(s.lower), n.End+2*lookAhead)]
	if shareGroupRE.MatchString(after) && (shareTollRE.MatchString(after) || shareTollRE.MatchString(s.before(n.Start))) {
		return true
	}
	return strings.Contains(c, "population") && (strings.Contains(c, "displac") || strings.Contains(c, "flee") ||
		strings.Contains(c, "fled") || strings.Contains(c, "evacuat") || strings.Contains(c, "uprooted"))
}

// firstWords returns the start of text up to its n-th word.
func firstWords(text string, n int) string {
	count, inWord := 0, false
	for i, r := range text {
		space := r == ' ' || r == '\t' || r == '\n'
		if !space && !inWord {
			count++
			if count > n {
				return text[:i]
			}
		}
		inWord = !space
	}
	return text
}

// isYear: a four-digit number from 1900 to 2100 printed without separators, unless a people noun
// follows it ("Of the 1200 deaths").
func (s sentence) isYear(n Numeral) bool {
	return !n.Words && !n.Vague && isYearValue(s.text, n) && !peopleAfterRE.MatchString(s.after(n.End))
}

var peopleAfterRE = mustPattern(`^\s*(?:\w+\s+)?(?:people|persons|palestinians|israelis|deaths|dead|killed|fatalities|civilians|children|women|soldiers|victims|martyrs|injured|wounded|others|individuals)\b`)

// isLoneOne: "one" alone is a count only in a list of counts ("and another one by ..."); otherwise it
// is "one of", "one in every", "one day old", or a singular noun, which the labelling rules leave out.
func (s sentence) isLoneOne(n Numeral) bool {
	if s.lower[n.Start:n.End] != "one" {
		return false
	}
	before := strings.TrimSpace(s.before(n.Start))
	if oneCountRE.MatchString(s.after(n.End)) {
		return false // "one additional Israeli soldier", "one WHO staff"
	}
	if strings.HasPrefix(strings.TrimSpace(s.after(n.End)), "of ") {
		return true // "one of the four"
	}
	return !(strings.HasSuffix(before, "another") || strings.HasSuffix(before, "while") || strings.HasSuffix(before, " and") ||
		strings.HasSuffix(before, "including")) || len(s.nums) < 2
}

// oneCountRE: "one" as a count, by the words after it: "one additional soldier", "One journalist was
// killed".
var oneCountRE = mustPattern(`^\s+(?:additional|more|other|further|(?:[\w-]+\s+)?(?:soldier|journalist|paramedic|person|civilian|palestinian|israeli|policeman|officer|doctor|nurse|medic|aid worker)\b)`)

// clause returns the text of the clause around numeral i: from the last clause boundary before it to
// the next one after it.
func (s sentence) clause(i int) string {
	start, end := s.clauseBounds(i)
	n := s.nums[i]
	return s.lower[max(start, n.Start-2*lookBehind):min(end, n.End+2*lookAhead)]
}

func (s sentence) clauseBounds(i int) (int, int) {
	n := s.nums[i]
	start, end := 0, len(s.lower)
	for _, b := range s.boundaries {
		if b[1] <= n.Start {
			start = b[1]
		}
		if b[0] >= n.End && end == len(s.lower) {
			end = b[0]
		}
	}
	return start, end
}

// metricFor finds what happened to the people figure i counts. It looks, in order: right after the
// figure up to the first conjunction ("1,200 people killed"); right before it, back to the previous
// figure ("killing 33 people"); after it to the end of its clause ("Some 2,913 children and 1,709 women
// are among the dead"); before it to the start of the sentence ("the death toll … has now reached
// 45,436"). A figure that names people but no metric ("… including 316 children") takes the previous
// sentence's.
func (s sentence) metricFor(i int, ctx *Context) (string, metricSource, bool) {
	n := s.nums[i]
	_, cEnd := s.clauseBounds(i)
	if casualtiesAfterRE.MatchString(s.after(n.End)) {
		return "casualties", fromHead, true
	}
	// The ministry's daily count of the dead "brought to hospitals", and among them those "pulled from
	// under the rubble": the first are killed, the second recovered bodies.
	if fromRubbleRE.MatchString(s.after(n.End)) {
		return "bodies_recovered", fromHead, true
	}
	if bodiesOfRE.MatchString(s.before(n.Start)) && toHospitalRE.MatchString(s.after(n.End)) {
		return "killed", fromHead, true
	}
	if bodiesOfRE.MatchString(s.before(n.Start)) && recoveryRE.MatchString(s.clause(i)) {
		return "bodies_recovered", fromBefore, true // "recovered the bodies of 684 dead"
	}
	// "…, bringing the tally to more than half a million": the running total of what the figure before counts.
	if k := s.prevCandidate(i); k >= 0 && bringingToRE.MatchString(s.before(n.Start)) {
		if m, _, ok := s.metricOf(k, ctx); ok {
			return m, fromBefore, true
		}
	}
	// A verb right before the figure that governs it, with the words after it, says what happened
	// (governingVerbs).
	before, after := s.before(n.Start), s.lower[n.End:cEnd]
	for _, g := range governingVerbs {
		if g.before.MatchString(before) && (g.after == nil || g.after.MatchString(after)) {
			return g.metric, fromBefore, true
		}
	}
	head := s.head(i, 8)
	// "57 of the hostages had been killed": the people named after "of" are who, not what happened.
	from := n.End
	if loc := ofPeopleRE.FindStringIndex(head); loc != nil {
		from += loc[1]
	}
	if statusAdjectiveRE.MatchString(head) {
		// "Twelve displaced people have been killed": "displaced" says who, the verb says what happened.
		from = n.End + len(statusAdjectiveRE.FindString(head))
	}
	if m := s.bestMetric(from, n.End+len(head), false); m != "" {
		if m == "hostage" && hostagesKilledRE.MatchString(head) {
			m = "killed" // "three other hostages were also killed"
		}
		if statusMetric[m] {
			// "319 IDPs sheltering in UNRWA shelters have been killed": the status says who, the verb what.
			if v := statusThenVerbRE.FindStringSubmatch(head); v != nil {
				m = "killed"
				if v[1] != "killed" {
					m = "injured"
				}
			}
		}
		return m, fromHead, true
	}
	// "427 Palestinians, including 62 children, were injured": the figure's own predicate, before the
	// next figure that is not a detail of it.
	predEnd := cEnd
	for j := i + 1; j < len(s.nums); j++ {
		if s.nums[j].Start < predEnd && s.candidate[j] && !detailRE.MatchString(s.lower[n.End:s.nums[j].Start]) {
			predEnd = s.nums[j].Start
			break
		}
	}
	if loc := predicateRE.FindStringIndex(s.lower[n.End:predEnd]); loc != nil {
		at := n.End + loc[1]
		if m := s.bestMetric(at, min(cEnd, at+30), false); m != "" {
			return m, fromPredicate, true
		}
	}
	windows := []struct {
		start, end  int
		nearestLast bool // the keyword nearest the figure is the last one in the window
		from        metricSource
	}{
		{s.prevFigureEnd(i), n.Start, true, fromBefore},
		{n.End, cEnd, false, fromClause},
		{0, n.Start, true, fromSentence},
	}
	for _, w := range windows {
		if w.from == fromClause {
			if m, ok := s.listedMetric(i, ctx); ok {
				return m, fromBefore, true
			}
		}
		if w.start >= w.end {
			continue
		}
		if m := s.bestMetric(w.start, w.end, w.nearestLast); m != "" {
			if statusMetric[m] && w.from == fromClause {
				// "89 employees who were providing aid to refugees … were killed": a status named in a
				// relative clause gives way to what happened to the figure's people.
				if loc := relativeClauseRE.FindStringIndex(s.lower[w.start:w.end]); loc != nil {
					if later := s.bestMetric(w.start+loc[1], w.end, false); later != "" && !statusMetric[later] {
						return later, w.from, true
					}
				}
			}
			return m, w.from, true
		}
	}
	if idpsRE.MatchString(head) {
		return "displaced", fromHead, true // "an estimated 1.7 million IDPs in Gaza", when no verb says more
	}
	if ctx.Metric != "" && (subgroupNounRE.MatchString(head) || risenFromRE.MatchString(s.before(n.Start))) {
		return ctx.Metric, fromContext, true // "the number had increased from 4,385 on Saturday": the count just told of
	}
	return "", 0, false
}

// risenFromRE: a count that went up from an earlier value, given before the figure.
var risenFromRE = mustPattern(`\b(?:number|toll|tally|figure|count|total)\s+(?:had\s+|has\s+|have\s+)?(?:increased|risen|rose|grown|grew|climbed|jumped|gone up|went up)\s+from\s+$`)

var (
	statusAdjectiveRE = mustPattern(`^\s*(?:[\w-]+\s+)?(?:(?:internally )?displaced|(?:previously |formerly )?missing)\s+(?:people|persons|palestinians|civilians|children|women|gazans|sudanese|individuals|residents)\b`)
	listedAfterRE     = mustPattern(`^\s+[\w-]+(?:\s+[\w-]+)?(?:,\s+|,?\s+and\s+)$`)
	bringingToRE      = mustPattern(`\b(?:bringing|raising|pushing|taking) (?:the|its) (?:overall |total |cumulative )?(?:tally|total|number|figure|count) (?:\w+ )?to\s+(?:some |about |around |over |more than |nearly |at least |almost )?$`)
	bodiesOfRE        = mustPattern(`\bbodies of\s+(?:some |about |around |over |more than |at least )?$`)
	fromRubbleRE      = mustPattern(`^\s*(?:[\w-]+\s+){0,3}?(?:of (?:whom|which|them)\s+)?(?:who\s+)?(?:were\s+|was\s+|had been\s+|have been\s+|has been\s+)?(?:pulled|recovered|retrieved|extracted)(?:\s+out)?\s+(?:from\s+)?(?:under\s+|beneath\s+)?(?:the\s+)?(?:rubble|debris)\b`)
	toHospitalRE      = mustPattern(`^\s*(?:[\w-]+\s+){0,3}?(?:have been|has been|were|was)\s+(?:transferred|brought|delivered|taken|admitted)\s+(?:to|at)\s+(?:the\s+)?(?:[\w-]+\s+)?hospitals?\b`)
	recoveryRE        = mustPattern(`\b(?:recover\w*|retriev\w*|pulled|exhumed|handed (?:over|back)|returned|released|received|collected)\b`)
)

// approxGap is the words of a qualifier that may stand between a verb and its figure: "killed at least".
const approxGap = `(?:(?:at least|more than|over|about|around|nearly|almost|some|an estimated|another|an additional|a further|a total of)\s+)?`

// governingVerbs: a verb right before a figure that says what happened to its people, whatever the
// words after the figure say of who they are, when the words after it (if given) follow.
var governingVerbs = []struct {
	before, after *pattern
	metric        string
}{
	// "confirmed the deaths of 41 hostages still in captivity"
	{mustPattern(`\b(?:deaths?|killing|killings|murder) of\s+(?:the\s+)?(?:only |just )?` + approxGap + `$`), nil, "killed"},
	// "rescuers have retrieved 354 bodies from under the rubble"
	{mustPattern(`\b(?:retrieved|recovered|pulled out|exhumed|found)\s+` + approxGap + `$`), mustPattern(`^\s*(?:[\w-]+\s+)?(?:bodies|corpses|remains)\b`), "bodies_recovered"},
	// "kills dozens at a migrant detention center", "killed 16 fleeing detainees", "wounded 50 more"
	{killBeforeRE, nil, "killed"},
	{woundBeforeRE, nil, "injured"},
	// "lost nine of her 10 children", "had lost a total of 152 staff"
	{mustPattern(`\blost\s+` + approxGap + `$`), mustPattern(`^\s*(?:of (?:her|his|their) )?(?:[\w-]+\s+){0,2}?` +
		`(?:children|sons|daughters|relatives|family members|members of (?:her|his|their) (?:\w+ )?family|brothers|sisters|` +
		`grandchildren|loved ones|staff|staff members|colleagues|employees)\b`), "killed"},
	// "home to more than half a million IDPs": a place that hosts them
	{homeToRE, idpsRE, "sheltering"},
	// "forced more than 250,000 to flee Gaza City"
	{mustPattern(`\bforc(?:ed|ing|es|e)\s+` + approxGap + `$`), mustPattern(`^\s*(?:[\w-]+\s+){0,2}?to (?:flee|leave|evacuate)\b`), "displaced"},
	// "has left at least 68 migrants and 47 others dead"
	{leftRE, mustPattern(`^(?:\s*[\w,-]+){0,6}?\s+dead\b`), "killed"},
	{leftRE, mustPattern(`^(?:\s*[\w,-]+){0,6}?\s+(?:injured|wounded)\b`), "injured"},
}

var (
	killBeforeRE  = mustPattern(`\bkill(?:s|ed|ing)?\s+` + approxGap + `$`)
	woundBeforeRE = mustPattern(`\b(?:wound(?:s|ed|ing)|injur(?:es|ed|ing))\s+` + approxGap + `$`)
	homeToRE      = mustPattern(`\bhome to\s+` + approxGap + `$`)
	leftRE        = mustPattern(`\b(?:left|leaving)\s+` + approxGap + `$`)
)

var statusThenVerbRE = mustPattern(`\b(?:have been|has been|had been|were|was)\s+(?:\w+\s+)?(killed|injured|wounded|hurt)\b`)

var hostagesKilledRE = mustPattern(`\b(?:hostages?|captives?)\b[^,;]{0,30}?\b(?:killed|dead|died|murdered|executed|slain)\b`)

var (
	deathWordsRE  = mustPattern(`\b(?:death toll|deaths|martyrs|killed|dead|died)\b`)
	injuryWordsRE = mustPattern(`\b(?:injur\w*|wounded|hurt)\b`)
)

var ofPeopleRE = mustPattern(`^\s*of (?:the|its|their|these|those|them|whom)\s+(?:[\w-]+\s+)?(?:hostages|captives|detainees|prisoners|refugees|displaced|staff|employees|[\w-]+)\b`)

// metricSource says where a figure's metric was read: the nearer, the surer.
type metricSource int

const (
	fromHead      metricSource = iota + 1 // the words right after the figure: "1,200 people killed"
	fromPredicate                         // its verb after an aside: "427 Palestinians, including 62 children, were injured"
	fromBefore                            // the words before it, back to the previous figure: "killing 33 people"
	fromClause                            // later in its clause
	fromSentence                          // earlier in its sentence: "the death toll … has now reached 45,436"
	fromContext                           // the previous sentence's
)

// relativeClauseRE: a relative clause about a figure's people, up to the verb of the figure's own clause.
var relativeClauseRE = mustPattern(`^\s*(?:[\w-]+\s+){0,3}?(?:who|that)\s+(?:were|was|are|is|had been|have been)\s+[^,;]{0,80}?\s(?:were|was|have been|has been|had been)\s`)

// predicateRE: the words after a figure up to its verb, across an aside ("…, including 62 children, ").
var predicateRE = mustPattern(`^(?:\s*[\w'’,.–—-]+){0,4}?(?:\s*(?:,|—|–|\s-)\s*(?:including|among them|among whom|of whom|mostly|many of them)[^,;—–]{0,80}(?:,|—|–|\s-))?\s*(?:were|was|have been|has been|had been|are|is|got|remain|remained)\s+(?:[\w-]+\s+){0,2}?`)

// subgroupNounRE: a figure that counts these and no metric continues the previous sentence's count.
// idpsRE: people named as IDPs, displaced unless a verb of their clause says otherwise.
var idpsRE = mustPattern(`^\s*(?:[\w-]+\s+)?(?:idps|internally displaced persons)\b`)

var subgroupNounRE = mustPattern(`^\s*(?:of (?:them|those|whom) (?:were|are) |\w+\s+)?(?:children|women|civilians|minors|girls|boys|elderly)\b`)

var casualtiesAfterRE = mustPattern(`^\s*(?:\w+\s+){0,4}?(?:killed|dead)(?:,? (?:and|or) |, )(?:wounded|injured)\b`)

// head returns the words right after numeral i, up to the first conjunction, the next numeral or the
// end of its clause, and at most maxWords words.
func (s sentence) head(i, maxWords int) string {
	n := s.nums[i]
	_, cEnd := s.clauseBounds(i)
	end := cEnd
	next := i + 1
	if next < len(s.nums) && denominatorRE.MatchString(s.lower[n.End:s.nums[next].Start]) {
		next++ // "nine of her 10 children": the group runs past the number of the whole
	}
	if next < len(s.nums) && s.nums[next].Start < end {
		end = s.nums[next].Start
	}
	if end < n.End {
		return ""
	}
	t := s.lower[n.End:min(end, n.End+lookAhead)]
	return firstWords(t[:firstConjunction(t)], maxWords)
}

var denominatorRE = mustPattern(`^\s*` + ofPossessive + `\s*$`)

// agentRE: the agent of a passive, or a clause that tells how it happened, and what follows it: "1,200
// people were killed when Hamas gunmen rampaged" counts no gunmen.
var agentRE = mustPattern(`\b(?:by|when|while|after|as|because|where|whereas|until)\b.*$`)

// listedMetric: "claimed the lives of two women and two men", "killed along with his wife, three sons,
// and two daughters": a figure with no verb before it, listed right after a figure whose verb comes
// right before it, shares that verb. Not after a detail ("…, including 96 children, and 4,433
// Palestinians … injured"), where the list starts again.
func (s sentence) listedMetric(i int, ctx *Context) (string, bool) {
	k := s.prevCandidate(i)
	if k < 0 || !listedAfterRE.MatchString(s.lower[s.nums[k].End:s.nums[i].Start]) {
		return "", false
	}
	start := s.nums[k].Start
	if detailRE.MatchString(s.lower[max(0, start-80):start]) || s.bestMetric(max(s.prevFigureEnd(k), start-30), start, true) == "" {
		return "", false
	}
	m, from, ok := s.metricOf(k, ctx)
	return m, ok && from == fromBefore
}

// prevCandidate returns the candidate figure before figure i in its sentence, or -1.
func (s sentence) prevCandidate(i int) int {
	for k := i - 1; k >= 0; k-- {
		if s.candidate[k] {
			return k
		}
	}
	return -1
}

// prevFigureEnd returns where the words before figure i start: after the previous numeral that can be a
// figure, or at the start of its clause.
func (s sentence) prevFigureEnd(i int) int {
	start, _ := s.clauseBounds(i)
	for k := i - 1; k >= 0; k-- {
		if s.candidate[k] && s.nums[k].End > start {
			return s.nums[k].End
		}
	}
	return start
}

// nextFigureStart returns where the words after figure i end: at the next numeral that can be a figure,
// or at the end of its clause.
func (s sentence) nextFigureStart(i int) int {
	_, end := s.clauseBounds(i)
	for k := i + 1; k < len(s.nums); k++ {
		if s.candidate[k] && s.nums[k].Start < end {
			return s.nums[k].Start
		}
	}
	return end
}

// conjunctions end a figure's head: "1,200 people killed and …". A comma does too.
var conjunctions = wordSet(`and or with including among while`)

// firstConjunction returns where the first comma or conjunction ("and", "as well as") of t starts, or
// len(t). It scans words rather than run a pattern: it is called for every figure several times.
func firstConjunction(t string) int {
	for i := 0; i < len(t); i++ {
		if t[i] == ',' {
			return i
		}
		if !isLetter(t[i]) || (i > 0 && isLetterOrDigit(t[i-1])) {
			continue
		}
		j := i
		for j < len(t) && isLetter(t[j]) {
			j++
		}
		if j == len(t) || !isLetterOrDigit(t[j]) {
			if conjunctions[t[i:j]] || strings.HasPrefix(t[i:], "as well as") {
				return i
			}
		}
	}
	return len(t)
}

// bestMetric returns the metric whose keyword in lower[start:end] is nearest the figure: the last one
// when the window ends at the figure, the first one when it starts there. At one place, the earlier
// term in metricTerms wins ("dead and wounded" is casualties, not injured). "Refugees" names a status
// as often as a flight, so a window that also says "displaced" is about displacement, unless it names
// the flight itself ("refugees had fled to neighbouring Chad").
func (s sentence) bestMetric(start, end int, nearestLast bool) string {
	best, bestWord, bestPos, bestOrder := "", "", -1, 0
	displaced := false
	for _, h := range s.metrics {
		if h.start < start || h.end > end {
			continue
		}
		displaced = displaced || h.metric == "displaced"
		pos := h.start
		if nearestLast {
			pos = h.end
		}
		better := bestPos < 0 || (nearestLast && pos > bestPos) || (!nearestLast && pos < bestPos) ||
			(pos == bestPos && h.order < bestOrder)
		if better {
			best, bestWord, bestPos, bestOrder = h.metric, s.lower[h.start:h.end], pos, h.order
		}
	}
	if best == "refugees" && displaced && bestWord == "refugees" && !s.namesFlight(start, end) {
		return "displaced" // "refugees" names a status as often as a flight
	}
	return best
}

// namesFlight says whether lower[start:end] tells a flight across a border: a "refugees" term other
// than the word "refugees" itself, which names a status as often as a flight.
func (s sentence) namesFlight(start, end int) bool {
	for _, h := range s.metrics {
		if h.start >= start && h.end <= end && h.metric == "refugees" && s.lower[h.start:h.end] != "refugees" {
			return true
		}
	}
	return false
}

// qualifierBefore reads a qualifier from the words just before offset at; it returns the qualifier and
// where its words start.
func (s sentence) qualifierBefore(at int) (string, int) {
	before := s.lower[max(0, at-40):at]
	base := max(0, at-40)
	// "at least another 1,135": the qualifier is before the word that adds the figure to another.
	if loc := addedWordRE.FindStringIndex(before); loc != nil {
		before = before[:loc[0]]
	}
	for _, t := range qualifierTerms {
		if t.value == "range" {
			continue
		}
		if loc := t.re.FindStringIndex(before); loc != nil {
			start := base + loc[0]
			if s.lower[start] == ' ' {
				start++
			}
			return t.value, start
		}
	}
	return "", at
}

var addedWordRE = mustPattern(`\s(?:another|a further|an additional)\s+$`)

// subgroupFor returns the subgroup and population of figure i: the people named right after it; aid
// seekers and famine deaths also from the phrase that qualifies a list ("… killed and hundreds wounded
// while seeking food") or the words before it ("aid-seeking victims … reached 1,320 killed").
func (s sentence) subgroupFor(i int) (string, string) {
	n := s.nums[i]
	cStart, cEnd := s.clauseBounds(i)
	// Who did it is not who it happened to: "268 have been killed by Israeli troops".
	head := agentRE.ReplaceAllString(s.head(i, 7), "")
	clauseStart := max(cStart, n.Start-2*lookBehind)
	clause := s.lower[clauseStart:min(cEnd, n.End+2*lookAhead)]
	before := s.lower[max(s.prevFigureEnd(i), n.Start-lookBehind):n.Start]
	// The group's words up to the next figure, across "and": "1,106 women and children", "about 16,000
	// of whom were women or children".
	words := s.ownWords(i)
	words = words[:min(len(words), 60, max(0, cEnd-n.End))]
	for _, t := range subgroupTerms {
		switch t.subgroup {
		case "aid_seekers", "famine":
			// The circumstance of a death qualifies every figure of its clause ("… killed and hundreds
			// wounded while seeking food", "the toll from starvation … to 162, including 92 children"),
			// but for a total whose part it describes ("59 …, with at least 17 of them trying to get food").
			// Nor for a running total since the war began ("The incident, now called the Flour Massacre,
			// pushed the number … killed since Oct. 7 to over 30,000").
			if loc := t.re.FindStringIndex(clause); loc != nil && !s.partBefore(i, clauseStart+loc[0]) &&
				!warStartRE.MatchString(s.lower[min(clauseStart+loc[1], n.Start):n.Start]) {
				return t.subgroup, t.population
			}
		case "women_and_children":
			if womenAndChildrenRE.MatchString(words) {
				return t.subgroup, t.population
			}
		default:
			if t.re.MatchString(head) {
				return t.subgroup, t.population
			}
		}
	}
	if m := amongGroupRE.FindStringSubmatch(s.lower[n.End:cEnd]); m != nil && !hasPeopleNoun(head) {
		for _, t := range subgroupTerms {
			if t.re.MatchString(m[1]) {
				return t.subgroup, t.population
			}
		}
	}
	// The group a toll is of, named in the clause, or earlier in the sentence for a figure with no
	// people of its own ("The number of journalists killed … is up – 102 were killed in 2023").
	subject := subjectGroupRE.FindStringSubmatch(s.lower[cStart:n.Start])
	if subject == nil && strings.TrimSpace(head) != "" && !hasPeopleNoun(head) && s.prevCandidate(i) < 0 {
		subject = subjectGroupRE.FindStringSubmatch(s.lower[:cStart])
	}
	if m := subject; m != nil && !hasPeopleNoun(head) {
		group := m[1] + m[2]
		if staffRE.MatchString(group) && unAgencyRE.MatchString(s.lower) {
			return "aid_workers", "un_staff" // "the number of its staff members killed", in a sentence about UNRWA
		}
		if group == "army" || group == "military" || group == "idf" || strings.HasPrefix(group, "israeli ") {
			return "security_forces", "israeli_soldiers"
		}
		for _, t := range subgroupTerms {
			if t.re.MatchString(group) {
				return t.subgroup, t.population
			}
		}
	}
	if civilianBeforeRE.MatchString(before) {
		return "civilians", "civilians"
	}
	if staffRE.MatchString(firstWords(words, 9)) && unAgencyRE.MatchString(s.lower) {
		return "aid_workers", "un_staff" // "142 staff killed", in a sentence about UNRWA
	}
	if pop := populationOf(head); pop != "all" || hasPeopleNoun(head) {
		return "all", pop
	}
	if m := subjectPeopleRE.FindStringSubmatch(s.lower[cStart:n.Start]); m != nil {
		return "all", populationOf(m[1]) // "the number of Israelis killed … (36)"
	}
	return "all", "all"
}

// projectionBeforeRE: a model's projection, not a count ("the projections rise sharply to 58,260").
var projectionBeforeRE = mustPattern(`\bprojections?\b[^.;]{0,60}$`)

var everyRE = mustPattern(`\b(?:every|each|per)\s*$`)

// warStartRE: a window that starts with the war, which makes a running total of everyone.
var warStartRE = mustPattern(`\bsince (?:oct(?:ober|\.)? 7|7 oct(?:ober)?|the (?:start|beginning|outbreak) of the war|the war (?:began|started))\b`)

// partBefore says whether words at offset at describe a part of figure i's count, named between them
// ("with at least 17 of them trying to get food"), rather than the count itself ("404 people, including
// 141 children, have perished from malnutrition": the aside ends before the words).
func (s sentence) partBefore(i, at int) bool {
	for j := i + 1; j < len(s.nums) && s.nums[j].Start < at; j++ {
		after := s.lower[s.nums[j].End:min(len(s.lower), s.nums[j].End+12)]
		part := partitiveRE.MatchString(after) || detailRE.MatchString(s.lower[s.nums[i].End:s.nums[j].Start])
		if part && !strings.ContainsAny(s.lower[s.nums[j].End:at], ",;") {
			return true
		}
	}
	return false
}

var partitiveRE = mustPattern(`^\s*of (?:them|whom|those)\b`)

var (
	womenAndChildrenRE = mustPattern(`^\s*(?:[\w-]+\s+){0,3}?(?:` + womenAndChildren + `)\b`) // right after the figure
	staffRE            = mustPattern(`^\s*(?:[\w()-]+\s+){0,7}?(?:staff|staffers|employees|personnel|colleagues)\b`)
	unAgencyRE         = mustPattern(`\b(?:unrwa|united nations|u\.n\.|un agency|the agency|humanitarian)\b`)
)

var subjectPeopleRE = mustPattern(`\b(?:number|toll|tally|count|deaths?) of (?:the )?(palestinians|israelis|iranians|refugees|idps)\b`)

// groupFor says which words name the people figure i counts, and whether they are sure to be the
// whole population of a series: "25 Americans", "two senior officials", "428 killed by Israeli forces"
// (one perpetrator's share) may be narrower than all Palestinians killed.
func (s sentence) groupFor(i int, subgroup string) (cue string, sure bool) {
	words := strings.Fields(firstWords(s.head(i, 3), 3))
	if subgroup != "all" || len(words) == 0 {
		return strings.Join(words, " "), true
	}
	for k, w := range words {
		w = strings.Trim(w, ",.;:()\"'’“”")
		if generalPeople[w] || casualtyWordRE.MatchString(w) {
			return w, true
		}
		// "34,971 have been killed", "reaching 56,000 since October": the people are whoever the toll counts
		if auxiliaries[w] || k == 0 && phraseAfterRE.MatchString(w) {
			return "", true
		}
	}
	return strings.Join(words, " "), false
}

// phraseAfterRE: a word that opens a phrase of time or place right after a figure, not a group.
var phraseAfterRE = mustPattern(`^(?:since|in|on|at|from|during|across|after|before|until|so|to|as|over|throughout)$`)

// perpetratorFor returns the words that count figure i for one perpetrator ("killed by settlers"),
// read up to the next numeral.
func (s sentence) perpetratorFor(i int) string {
	if m := byPerpetratorRE.FindString(s.ownWords(i)); m != "" && !strings.Contains(m, " or ") {
		return m // "243 have been killed by Israeli forces, eight by settlers"
	}
	c := s.clause(i)
	forces, settlers := forcesRE.FindString(c), settlersRE.FindString(c)
	if (forces == "") == (settlers == "") {
		return "" // neither, or both: the toll of all perpetrators
	}
	return "by " + forces + settlers
}

var (
	byPerpetratorRE = mustPattern(`\bby (?:either )?(?:israeli )?(?:forces|soldiers|troops|settlers)(?: or (?:israeli )?(?:forces|settlers))?\b`)
	forcesRE        = mustPattern(`\b(?:israeli )?(?:forces|soldiers|troops)\b`)
	settlersRE      = mustPattern(`\bsettlers?\b`)
)

// otherCountRE: a count by a monitor that counts differently from the publishers of toll's series,
// wherever the sentence names it. Monitors a text attributes figures to (CPJ, Reporters Without Borders,
// Euro-Med, B'Tselem) are attribution terms instead, and whoseCount reads them.
var otherCountRE = mustPattern(`\b(?:acled|armed conflict location|airwars|ucdp|uppsala)\b`)

// subsetRE: words that make a figure a part of a toll: the dead identified by name, as against all
// the dead a ministry counts.
var subsetRE = mustPattern(`\b(?:identified|identifiable|fully identified|named)\b`)

// asOfRE: words that date a figure to a day of its own, as a report stood then: "as of 20 March", "by
// March 20, 2024", "the ministry said on Tuesday", "between 7 October 2023 and 29 August 2024".
var asOfRE = mustPattern(`\b(?:as of|as at|by|until|up to|through|(?:said|reported|announced|stated|added)\s+(?:on\s+)?|(?:between|from) (?:7 october|october 7)(?:,? 2023)? (?:and|to|until))\s*(?:\d{1,2}(?:st|nd|rd|th)? (?:` + monthWords + `)|(?:` + monthWords + `)\.? \d{1,2}(?:st|nd|rd|th)?|(?:last )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b(?:,? 20\d\d)?`)

// withMissingRE: words that add the missing to a toll of the dead, as the Government Media Office's does.
var withMissingRE = mustPattern(`\b(?:including|includes|include|with|plus) (?:the |those |people |some )?(?:[\d,]+ )?(?:(?:people|persons|palestinians) )?(?:still )?missing\b|\bmissing (?:and|or) presumed dead\b`)

// estimateRE: a sentence about a study's estimate or a projection, which a report series cannot judge.
var estimateRE = mustPattern(`\b(?:study|studies|the lancet|model(?:led|ling|ing)?|projection|projected|projects|estimates? that|could (?:be|reach|exceed|rise|climb)|may have|might have|survey|excess deaths)\b`)

// generalPeople: words for a population as a whole, which a series of all people can answer.
var generalPeople = wordSet(`people persons individuals palestinians palestinian gazans israelis israeli lebanese
sudanese syrians ukrainians yemenis iranians others lives souls martyrs victims deaths fatalities dead casualties bodies
residents citizens inhabitants idps refugees more including`)

var auxiliaries = wordSet(`have has had were was are is been be being, died`)

var civilianBeforeRE = mustPattern(`\bcivilian (?:deaths|casualties|victims|death toll|fatalities|toll)\b`)

var populationTerms = terms(
	`\bpalestinians?\b`, "palestinians", `\bisraelis\b`, "israelis", `\biranians\b`, "iranians",
	`\b(?:idps|internally displaced)\b`, "idps", `\brefugees\b`, "refugees",
)

func populationOf(head string) string {
	for _, t := range populationTerms {
		if t.re.MatchString(head) {
			return t.value
		}
	}
	return "all"
}

// casualtyVerbRE: a verb of what happened, which closes a list of details before the next figure.
var casualtyVerbRE = mustPattern(`\b(?:killed|died|dead|wounded|injured|hurt|were|was|have been|has been)\b`)

// asOfClockRE: a clock time that dates an update ("the toll as of 10 November at 14:00"), not an event.
var asOfClockRE = mustPattern(`\bas of\b[^,;.]{0,30}$`)

// strikesOnRE: "the death toll from Israeli airstrikes on Lebanon" names where the dead fell, not an
// earlier event that dates them ("since the attack on Israel").
var strikesOnRE = mustPattern(`^from\s+(?:[\w-]+\s+)?(?:air ?strikes?|strikes?|attacks?|bombardments?|shelling|raids?)\s+(?:on|in|across)\s+$`)

// placeMentions returns every place named in lower, skipping war names ("since the war on Gaza
// began", see weakPlaceTerms) and places that only date a figure ("since the Oct. 7 attack on Israel").
func placeMentions(lower string, h held) []placeMention {
	blanked := []byte(lower)
	for _, t := range weakPlaceTerms {
		for _, loc := range t.re.findAllIn(lower, h) {
			for k := loc[0]; k < loc[1]; k++ {
				blanked[k] = ' '
			}
		}
	}
	text := string(blanked)
	if text != lower {
		h = holding(text) // the spaces can make a literal (" israel")
	}
	var ms []placeMention
	for _, t := range placeTerms {
		for _, loc := range t.re.findAllIn(text, h) {
			if m := timeReferenceRE.FindString(lower[max(0, loc[0]-40):loc[0]]); m != "" && !clauseBreakRE.MatchString(m) &&
				!movedFromRE.MatchString(lower[max(0, loc[0]-60):loc[0]]) && !strikesOnRE.MatchString(m) {
				continue
			}
			if t.value == "global" && rankRE.MatchString(lower[loc[1]:]) {
				continue // "the world's deadliest conflict" ranks a war; it does not place its dead
			}
			ms = append(ms, placeMention{t.value, loc[0], loc[1]})
		}
	}
	return ms
}

// movedFromRE: people moved from a place are counted there ("33,000 Palestinians displaced from the
// northern West Bank"); "from" does not date them.
var movedFromRE = mustPattern(`\b(?:displaced|fled|fleeing|evacuated|expelled|uprooted|forced out) from\s+(?:the\s+)?(?:[\w.-]+\s+){0,2}$`)

var rankRE = mustPattern(`^\s+(?:deadliest|worst|largest|biggest|most|highest|second|third)\b`)

// clauseBreakRE: words that end the phrase a time reference governs ("from war-torn Gaza while
// Palestinians counted the cost": Palestinians are not dated by "from").
var clauseBreakRE = mustPattern(`,|\b(?:while|and|but|where|when|whereas)\b`)

type placeMention struct {
	area       string
	start, end int
}

// firstPlace returns the area of the first place named in lower, or "".
func firstPlace(lower string, places []term) string {
	best, bestPos := "", -1
	for _, t := range places {
		if loc := t.re.FindStringIndex(lower); loc != nil && (bestPos < 0 || loc[0] < bestPos) {
			best, bestPos = t.value, loc[0]
		}
	}
	return best
}

// nearPlace is how far from a figure (in bytes) a place named in the same sentence is taken as its
// place rather than the article's.
const nearPlace = 80

// placeReading is where a figure is, the words that say so, and whether toll is sure of it; own: the
// words are the figure's own (the place named right after it).
type placeReading struct {
	area, cue string
	sure, own bool
}

// areaFor returns the area of figure i: the place named right after it ("1,455 Israelis", "killed in
// Lebanon") or right before it ("Israel 14"); else the place named nearest to it in the sentence, if
// near; else the article's area so far; else any place the sentence names, however far or weak; else
// the article's title or URL.
func (s sentence) areaFor(i int, ctx *Context) placeReading {
	n := s.nums[i]
	mentions := s.places
	head := s.head(i, 8)
	for _, m := range mentions {
		if m.start >= n.End && m.end <= n.End+len(head) {
			// "in the West Bank and Israel": the longest place that starts here, though it runs past the head.
			for _, o := range mentions {
				if o.start == m.start && o.end > m.end {
					m = o
				}
			}
			if demonymRE.MatchString(s.lower[m.start:m.end]) {
				// "10 Israelis … were killed … in the West Bank": the demonym names the people, the
				// place phrase of the clause says where.
				// Not a place phrase far on, in another phrase ("Thousands of Gazans have sought shelter …
				// since … Hamas attacks in Israel").
				if p, ok := s.placePhraseAfter(i); ok && !subordinateRE.MatchString(s.lower[n.End:p.start]) {
					return placeReading{p.area, s.lower[p.start:p.end], true, false}
				}
			}
			a, sure := s.resolvePalestinians(m.area, ctx)
			return placeReading{a, s.lower[m.start:m.end], sure, m.area != "palestinians"}
		}
	}
	if m := barePlaceBeforeRE.FindStringSubmatch(s.before(n.Start)); m != nil {
		return placeReading{bareCountryArea[m[1]], m[1], true, true}
	}
	// "141 Palestinian children were killed … in the West Bank": the place phrase of the figure's clause.
	if p, ok := s.placePhraseAfter(i); ok {
		return placeReading{p.area, s.lower[p.start:p.end], true, false}
	}
	var best placeMention
	bestDist := math.MaxInt
	for _, m := range mentions {
		d := m.start - n.End
		if m.end <= n.Start {
			d = n.Start - m.end
		}
		if m.area == "palestinians" {
			d += 30 // a demonym elsewhere in the sentence is weaker evidence than a place
		}
		if d < bestDist {
			best, bestDist = m, d
		}
	}
	switch {
	case best.area != "" && bestDist <= nearPlace:
		a, sure := s.resolvePalestinians(best.area, ctx)
		return placeReading{a, s.lower[best.start:best.end], sure, false}
	case ctx.Section != "":
		return placeReading{ctx.Section, "the section heading", false, false}
	case ctx.Area != "":
		return placeReading{ctx.Area, "the article's earlier sentences", false, false}
	case best.area != "":
		a, _ := s.resolvePalestinians(best.area, ctx)
		return placeReading{a, s.lower[best.start:best.end] + " (far from the figure)", false, false}
	}
	if a := firstPlace(s.lower, weakPlaceTerms); a != "" {
		return placeReading{a, "the name of the war", false, false}
	}
	if ctx.ArticleAreas != "" {
		return placeReading{ctx.ArticleAreas, "the article's title or address", false, false}
	}
	return placeReading{"", "", false, false}
}

// subordinateRE: words that open another phrase, whose places are not the figure's.
var subordinateRE = mustPattern(`\b(?:since|after|following|in reprisal|in response|because|which|who)\b`)

var (
	demonymRE     = mustPattern(`^(?:israelis|palestinians|lebanese|sudanese|syrians|ukrainians|iranians|yemenis|haitians|gazans|israeli (?:soldiers|civilians|citizens|nationals|people|residents|hostages|police|policemen|victims))$`)
	placeBeforeRE = mustPattern(`\b(?:in|across|throughout|inside|into)\s+(?:the\s+)?(?:occupied\s+)?$`)
	placePrepRE   = mustPattern(`^(?:in|across|throughout|inside|into) `)
)

// placePhraseAfter returns the first place named after figure i in its clause as "in PLACE" or
// "across PLACE".
func (s sentence) placePhraseAfter(i int) (placeMention, bool) {
	n := s.nums[i]
	_, cEnd := s.clauseBounds(i)
	for _, m := range s.places {
		if m.start >= n.End && m.end <= cEnd && !demonymRE.MatchString(s.lower[m.start:m.end]) &&
			(placeBeforeRE.MatchString(s.lower[max(0, m.start-20):m.start]) || placePrepRE.MatchString(s.lower[m.start:m.end])) {
			return m, true
		}
	}
	return placeMention{}, false
}

// resolvePalestinians: "Palestinians" are counted in Gaza unless the sentence or article is about the
// West Bank.
func (s sentence) resolvePalestinians(a string, ctx *Context) (string, bool) {
	if a != "palestinians" {
		return a, true
	}
	strong := ""
	for _, m := range s.places {
		if m.area == "west_bank" || m.area == "gaza" {
			strong = m.area
			break
		}
	}
	switch {
	case settlersRE.MatchString(s.lower) && strong != "gaza" || strong == "west_bank":
		return "west_bank", true // settlers' violence is the West Bank's
	case strong != "":
		return strong, true
	case ctx.Section == "west_bank" || ctx.Section == "gaza":
		return ctx.Section, true
	case ctx.Area == "west_bank" || ctx.Area == "gaza":
		return ctx.Area, true
	}
	return "gaza", false // Palestinians, and nothing says where: most likely Gaza, not sure
}

// scopeFor says whether figure i is a running total (cumulative), a count within a window (period), one
// event (incident), or about an earlier conflict (historical), and the words that decided it. Cues in the
// figure's clause come first, then the rest of its sentence; within them an earlier conflict, then a
// window, then one event, then a running total. A figure with no cue is a running total where its verb
// is a present perfect ("have been killed") or it counts a state (displaced, held hostage); otherwise
// it is taken as one, and sure is false.
func (s sentence) scopeFor(i int) (scope, evidence, tail string, sure, own bool) {
	start, end := s.clauseBounds(i)
	n := s.nums[i]
	// "Hamas's Oct. 7 attack on Israel, which killed 1,300 people": the figure of a relative clause counts
	// what its antecedent did.
	if antecedent, ok := strings.CutSuffix(s.lower[max(0, start-90):start], ", which "); ok {
		if m := antecedentEventRE.FindString(antecedent); m != "" {
			return "incident", strings.TrimSpace(m), strings.TrimSpace(m), true, true
		}
	}
	if m := sevenOctoberRelativeRE.FindStringSubmatch(s.lower[max(0, n.Start-2*lookBehind):n.Start]); m != nil {
		return "incident", m[1], m[1], true, true // "the attacks by Hamas on October 7 which killed over 1,400"
	}
	scopeOwn := false
	perfect := "" // the figure's verb, when it is a present perfect: a running total unless the sentence opens a window
	for pass, span := range [][2]int{{max(start, n.Start-2*lookBehind), min(end, n.End+2*lookAhead)}, {0, len(s.lower)}} {
		var best *cueHit
		bestDist, bestOwn := math.MaxInt, false
		for k := range s.cues {
			c := &s.cues[k]
			if c.start < span[0] || c.end > span[1] {
				continue
			}
			if pass == 0 && s.detailBetween(i, c.start) {
				continue // the cue of a detail: "35,170 died, including 82 in the last 24 hours"
			}
			own := s.ownsCue(i, c)
			if pass == 1 && c.scope == "incident" && s.nearestFigure(c.start, c.end) != i {
				continue // outside the figure's clause, an event belongs to the figure nearest it
			}
			if c.scope == "incident" && n.Value >= oneEventMax && warLikeRE.MatchString(s.lower[c.start:c.end]) {
				continue // "9,600 wounded in the Israeli bombardment of Gaza": the war, not one event
			}
			d := c.start - n.End
			if c.end <= n.Start {
				d = n.Start - c.end
			}
			if c.scope == "historical" {
				d = -1 // an earlier conflict named in the clause decides
			}
			// In its clause, a cue nearer another figure is that figure's ("the death toll has reached 70,100,
			// with more than 350 recorded since the ceasefire"): the figure's own cues come first.
			if pass == 0 && own != bestOwn && best != nil {
				if own {
					best, bestDist, bestOwn = c, d, own
				}
				continue
			}
			if d < bestDist {
				best, bestDist, bestOwn = c, d, own
			}
		}
		if pass == 0 {
			scopeOwn = best != nil && bestOwn
			if w := s.openingWindow(); best != nil && best.scope == "cumulative" && w != nil && w.end <= n.Start &&
				genericTotalRE.MatchString(s.lower[best.start:best.end]) {
				// "Since the ceasefire came into effect on October 11, the total number of deaths has reached
				// 420": the sentence's window holds for its totals.
				return "period", s.lower[w.start:w.end], s.lower[w.start:min(len(s.lower), w.end+40)], true, false
			}
		}
		if best != nil && weekdayCueRE.MatchString(s.lower[best.start:best.end]) {
			// A day named alone is the weakest cue: "has risen to 47,583", said on Thursday, is a total.
			if m := presentPerfectRE.FindString(s.lower[span[0]:span[1]]); m != "" {
				return "cumulative", m, m, true, scopeOwn
			}
		}
		if best != nil && perfect != "" && best.scope != "cumulative" && (best.scope != "period" || !strings.HasPrefix(s.lower[best.start:best.end], "since") || best.start > n.Start) {
			// "Since the ceasefire began, 241 were killed, while 513 bodies have been recovered": a window
			// the sentence opens with "since" holds for it; any other cue outside the clause does not (a
			// running total's own words, "since the attack on October 7", are kept as its evidence).
			return "cumulative", perfect, perfect, true, scopeOwn
		}
		if best != nil {
			cueStart, cueEnd := best.start, best.end
			if best.scope == "incident" {
				// "on Oct. 7, when Hamas and other militants stormed across the border", "stormed across the
				// border on October 7, killing": the event is the 7 October attack, and the words that say
				// so are part of the evidence.
				from, to := max(0, best.start-60), max(best.end, min(n.Start, best.end+60))
				if loc := sevenOctoberRE.FindStringIndex(s.lower[from:to]); loc != nil {
					cueStart, cueEnd = min(cueStart, from+loc[0]), max(cueEnd, from+loc[1])
				}
			}
			return best.scope, s.lower[cueStart:cueEnd], s.lower[cueStart:min(len(s.lower), max(cueEnd, min(span[1], best.end+40)))], true, scopeOwn
		}
		if pass == 0 {
			// No cue in the clause: its verb may still say it, "have been killed" being a running total.
			perfect = presentPerfectRE.FindString(s.lower[span[0]:span[1]])
		}
	}
	if perfect != "" {
		return "cumulative", perfect, perfect, true, scopeOwn
	}
	// No cue, and the figure's own verb in the simple past ("Ten people were killed and 35 wounded …"):
	// news tells one event so, unless the sentence is about a toll ("the victims include …, while 22,219
	// other people were injured"), the count is too large for one event, or it is of many attacks or
	// across a territory. Not sure.
	words := s.lower[max(start, s.prevFigureEnd(i), n.Start-lookBehind):min(end, s.nextFigureStart(i), n.End+lookAhead)]
	if m := pastEventRE.FindString(words); m != "" && !tollTalkRE.MatchString(s.lower) && n.Value < oneEventMax &&
		!manyEventsRE.MatchString(words) {
		return "incident", m, m, false, false
	}
	return "cumulative", "", "", false, false
}

// openingWindow returns a "since" window the sentence gives before any of its figures, or nil.
func (s sentence) openingWindow() *cueHit {
	for k := range s.cues {
		c := &s.cues[k]
		if c.scope != "period" || !strings.HasPrefix(s.lower[c.start:c.end], "since") {
			continue
		}
		for j := range s.nums {
			if s.nums[j].End <= c.start && s.candidate[j] {
				return nil
			}
		}
		return c
	}
	return nil
}

// genericTotalRE: words that make a figure a total without saying since when ("the total number", "the
// death toll has reached"); a window the sentence opens with says it.
var genericTotalRE = mustPattern(`^(?:total number|(?:the )?(?:death |casualty )?toll|overall|in total|so far|to date|thus far|(?:has|have) reached|bringing the (?:\w+ )?(?:toll|total|number))`)

// warLikeRE: words for an event that may as well be a whole war ("the fighting", "the bombardment").
var warLikeRE = mustPattern(`\b(?:fighting|clashes|bombardment|shelling|assault|onslaught|campaign|offensive)\b`)

// oneEventMax: a count this large, told in the past tense with no words for its time frame, is a total
// more often than one event ("At least 62,622 Palestinians were killed and 157,673 were wounded").
const oneEventMax = 1000

var (
	pastEventRE = mustPattern(`\b(?:were|was) (?:\w+ )?(?:killed|injured|wounded|hurt|confirmed dead)\b|\b(?:killing|wounding|injuring)\b`)
	// Many events, or a whole territory: "killed in attacks", "killed across Gaza".
	manyEventsRE = mustPattern(`\bacross\b|\bin (?:[\w-]+ ){0,2}(?:attacks|strikes|air ?strikes|raids|bombardments|operations|incidents)\b`)
	tollTalkRE   = mustPattern(`\b(?:toll|tolls|tally|victims|martyrs|total|overall|cumulative|ministry|ministry's|of those killed|of these|in addition|as of)\b`)
)

var (
	// "the attacks on October 7 on Israeli territory, in which more than 1,400 died", "an attack on Israel on
	// 7 October that Israeli officials say killed about 1,200".
	sevenOctoberRelativeRE = mustPattern(`(\b(?:oct(?:ober|\.)? 7|7 october)(?:th)?(?: hamas)? (?:attacks?|massacre|assault|rampage)|(?:terror |deadly |surprise )?attacks? (?:on (?:southern )?israel )?on (?:oct(?:ober|\.)? 7|7 october)|attacks? by hamas(?: (?:and [\w -]{0,30})?on (?:oct(?:ober|\.)? 7|7 october))?|hamas(?:['’]s?)? (?:[\w-]+ )?(?:attacks?|assault|incursion)(?: on (?:southern )?israel)?(?: on (?:oct(?:ober|\.)? 7|7 october))?)(?: (?:on|in|against|inside) (?:southern )?(?:israel|israeli (?:territory|soil|towns|communities)))?,? (?:which|that|in which|during which) (?:[\w-]+ ){0,5}?$`)
	antecedentEventRE      = mustPattern(`(?:oct(?:ober|\.)? 7|7 october)(?: hamas)? (?:attacks?|massacre|assault|rampage)(?: on (?:southern )?israel)?$|\b(?:the|a|an) (?:[\w-]+ ){0,2}?(?:air ?strike|strike|attack|raid|bombing|massacre|explosion|blast)(?: on [\w -]{0,30})?$`)
)

// cueHit is a time-frame cue found in a sentence: words that make a figure near them a running total,
// a period, one incident or an earlier conflict.
type cueHit struct {
	start, end int
	scope      string
}

// scopeCues finds the time-frame cues of a sentence once, for every figure in it.
func (s sentence) scopeCues() []cueHit {
	var hits []cueHit
	for _, k := range []struct {
		res   []*pattern
		scope string
	}{
		{historicalScopeRE, "historical"}, {periodScopeRE, "period"}, {incidentScopeRE, "incident"}, {cumulativeScopeRE, "cumulative"},
	} {
		var locs [][]int
		for _, re := range k.res {
			locs = append(locs, re.findAllIn(s.lower, s.held)...)
		}
		for _, loc := range locs {
			scope := k.scope
			before := s.lower[max(0, loc[0]-60):loc[0]]
			if scope == "incident" && (timeReferenceRE.MatchString(before) || reportedOnRE.MatchString(before) || asOfClockRE.MatchString(before)) {
				continue // "since the 7 October attack" dates a figure; "said on Monday", the report; "as of 10 November at 14:00", the update
			}
			if strings.HasSuffix(s.lower[loc[0]:loc[1]], "same period") {
				if s.prevScope == "" {
					continue
				}
				scope = s.prevScope // "during the same period": the time frame just given
			}
			hits = append(hits, cueHit{loc[0], loc[1], scope})
		}
	}
	// A cue inside a longer one is part of it: "since the beginning of the conflict in October 2023".
	var kept []cueHit
	for _, h := range hits {
		inside := false
		for _, o := range hits {
			inside = inside || (o.start <= h.start && o.end >= h.end && o.end-o.start > h.end-h.start)
		}
		if !inside {
			kept = append(kept, h)
		}
	}
	return kept
}

// ownsCue: a time-frame cue is figure i's when i is the numeral nearest it, or is listed with that
// numeral ("67 killed and 106 injured in the past 24 hours"). A day named alone ("on Sunday") is too weak a
// cue to belong to one figure more than another.
func (s sentence) ownsCue(i int, c *cueHit) bool {
	if weekdayCueRE.MatchString(s.lower[c.start:c.end]) {
		return false
	}
	j := s.cueOwner(c)
	if j < 0 || !s.candidate[j] {
		return false
	}
	lo, hi := min(i, j), max(i, j)
	for k := lo; k < hi; k++ {
		if !s.candidate[k+1] || !coordinated(s.lower[s.nums[k].End:s.nums[k+1].Start]) {
			return false
		}
	}
	return true
}

// cueOwner returns the numeral nearest a time-frame cue, figure or not ("four Israelis held hostage
// since October 7" own that date), leaving out the numerals of the cue's own words ("since the October
// 10 ceasefire") that are not figures.
func (s sentence) cueOwner(c *cueHit) int {
	best, bestDist := -1, math.MaxInt
	for j, m := range s.nums {
		if !s.candidate[j] && (m.Start >= c.start && m.End <= c.end || isYearValue(s.text, m)) {
			continue
		}
		if d := max(c.start-m.End, m.Start-c.end, 0); d < bestDist {
			best, bestDist = j, d
		}
	}
	return best
}

// nearestFigure returns the candidate figure nearest a span of the sentence.
func (s sentence) nearestFigure(start, end int) int {
	best, bestDist := -1, math.MaxInt
	for j, m := range s.nums {
		if !s.candidate[j] {
			continue
		}
		d := max(start-m.End, m.Start-end, 0)
		if d < bestDist {
			best, bestDist = j, d
		}
	}
	return best
}

// detailBetween says whether a figure introduced as a detail of figure i ("…, including 82") lies
// between figure i and offset at, further on in the sentence: what follows it is the detail's.
func (s sentence) detailBetween(i, at int) bool {
	n := s.nums[i]
	for j := i + 1; j < len(s.nums) && s.nums[j].Start < at; j++ {
		// …unless the figure's own verb comes after the detail and before the cue: "71 civilians, including
		// 14 women, have been killed … since the ceasefire began".
		if s.candidate[j] && detailRE.MatchString(s.lower[n.End:s.nums[j].Start]) {
			return !finiteVerbRE.MatchString(s.lower[s.nums[j].End:at])
		}
	}
	return false
}

var finiteVerbRE = mustPattern(`\b(?:have|has|had|were|was|are|is)\b`)

// attribution returns who the sentence says its figures come from, or the previous sentence's source
// when this one continues it ("he noted").
func (s sentence) attribution(ctx *Context, area string) string {
	for _, t := range attributionTerms {
		loc := t.re.FindStringIndex(s.lower)
		if loc == nil {
			continue
		}
		if t.value == "ministry" || t.value == "UN" {
			if !reportingRE.MatchString(s.lower) {
				continue
			}
			if t.value == "ministry" {
				if m := ministryOfArea[area]; m != "" {
					return m
				}
				if m := ministryOfArea[ctx.Area]; m != "" {
					return m
				}
				continue
			}
		}
		return t.value
	}
	if inheritAttributionRE.MatchString(s.lower) {
		return ctx.Attribution
	}
	return ""
}

// coordinate applies the rules for coordinated figures: a qualifier heading a list applies to each
// figure of it ("At least 3,785 killed and 12,493 wounded"), and a figure without a noun of its own
// takes its neighbour's people ("102 aid workers killed and 27 wounded"). A figure after "including",
// "with", "among" or "while" starts afresh.
func (s sentence) coordinate(figs []Figure, idx []int) {
	for k := 1; k < len(figs); k++ {
		prev, cur := &figs[k-1], &figs[k]
		gap := s.lower[prev.end:cur.start]
		// An elliptical figure ("… killed and 51,000 injured", "… and wounded 49,229 others") shares the
		// qualifier across an aside; one with a verb of its own ("63,354 were injured") does not.
		elliptical := cur.metricFrom == fromHead || cur.metricFrom == fromBefore
		if len(gap) > 2*lookAhead || !coordinated(gap) && !(elliptical && coordinatedAcross(gap)) ||
			ownVerbRE.MatchString(s.head(idx[k], 4)) {
			continue
		}
		if cur.Qualifier == "exactly" && prev.Qualifier != "exactly" && prev.Qualifier != vagueQualifier && prev.Qualifier != "range" {
			cur.Qualifier = prev.Qualifier
		}
	}
	// Metric: a figure of an "including" list, or coordinated with one, without a metric word of its own
	// counts what the figure it details counts ("7,326 killed, including 3,038 children and 1,792 women,
	// and 18,967 injured": the women were killed).
	for k := 1; k < len(figs); k++ {
		prev, cur := &figs[k-1], &figs[k]
		gap := s.lower[prev.end:cur.start]
		// The list goes on ("… 3,038 children and 1,792 women") until a figure of people in general
		// ("…, including 96 children, and 4,433 Palestinians, including 671 children, injured").
		listed := coordinated(gap) && prev.detail && !generalPeople[strings.Trim(firstWords(s.head(idx[k], 1), 1), " ,.;:")]
		if len(gap) > lookAhead || !detailRE.MatchString(gap) && !listed {
			continue
		}
		cur.detail = true // also with a metric word of its own ("including at least 3,038 children killed")
		if cur.metricFrom > fromBefore {
			cur.Metric, cur.metricFrom = prev.Metric, prev.metricFrom
		}
		if !cur.scopeOwn && prev.scopeSure {
			// Nor words of its own for its time frame: it is counted within its head's, when words give the
			// head's ("the death toll had risen to 356 people, including 24 children, and another 1,246 had
			// been wounded": the 24 are of the 356, not of another 1,246).
			cur.Scope, cur.scopeCue, cur.scopeTail, cur.scopeSure, cur.scopeOwn = prev.Scope, prev.scopeCue, prev.scopeTail, prev.scopeSure, prev.scopeOwn
		}
	}
	// A change: "the death toll climbed from 558 to 569, with more than 1,800 others wounded". The second
	// figure is the same count as the first, later; the first is an earlier value, as the text says.
	for k := 1; k < len(figs); k++ {
		prev, cur := &figs[k-1], &figs[k]
		if !changeToRE.MatchString(s.lower[prev.end:cur.start]) || !fromBeforeRE.MatchString(s.lower[max(0, prev.start-lookBehind):prev.start]) {
			continue
		}
		prev.earlier = true
		if cur.metricFrom != fromHead {
			cur.Metric, cur.metricFrom = prev.Metric, prev.metricFrom
		}
		if cur.Subgroup == "all" {
			cur.Subgroup, cur.Population = prev.Subgroup, prev.Population
		}
	}
	// Place: a detail ("10 Israelis, including four members of security forces, were killed … in the
	// West Bank and Israel") is where the figure it details is, unless its own words place it; so is a
	// figure listed with one whose place is sure, when its own is not ("… in the Gaza Strip – more than
	// 4,000 children and 2,550 women").
	for k := 1; k < len(figs); k++ {
		prev, cur := &figs[k-1], &figs[k]
		gap := s.lower[prev.end:cur.start]
		if len(gap) <= lookAhead && !cur.areaOwn && (detailRE.MatchString(gap) || coordinated(gap) && prev.areaSure && !cur.areaSure) {
			cur.Area, cur.areaCue, cur.areaSure, cur.CountryISO3 = prev.Area, prev.areaCue, prev.areaSure, prev.CountryISO3
		}
	}
	// People: also across a breakdown ("30,457 civilian casualties -- 10,582 killed and 19,875 injured"),
	// and to "a further" figure ("485 children are known to have died … and a further 1,005 have been
	// injured").
	for k := 1; k < len(figs); k++ {
		prev, cur := &figs[k-1], &figs[k]
		gap := s.lower[prev.end:cur.start]
		if len(gap) > lookAhead || (!coordinated(gap) && !breakdownRE.MatchString(gap) && !furtherRE.MatchString(gap)) {
			continue
		}
		// Not from a detail to a figure with a verb of its own, which counts the head ("…, including 1,792
		// women, and about 18,967 have been injured"); but "16 health workers were killed and 30 were
		// injured" are health workers.
		// "1,309 children have been killed and 3,738 others injured": the others are children too.
		if cur.Subgroup == "all" && cur.Population == "all" && (!hasPeopleNoun(s.head(idx[k], 5)) || othersRE.MatchString(s.head(idx[k], 2))) &&
			!(prev.detail && (cur.metricFrom == fromPredicate || ownVerbRE.MatchString(s.head(idx[k], 4)))) {
			from := prev
			if prev.detail && (cur.Metric != prev.Metric || casualtyVerbRE.MatchString(gap)) {
				// The detail list has closed ("15 Israelis, including four members of Israeli forces, have
				// been killed and 97 injured"; "… including 1,792 women, and 18,967 injured"): the figure
				// counts the people of the figure the list details.
				for j := k - 1; j >= 0; j-- {
					if !figs[j].detail {
						from = &figs[j]
						break
					}
				}
			}
			cur.Subgroup, cur.Population = from.Subgroup, from.Population
		}
	}
}

// detailRE: the words between a figure and one that details it.
var detailRE = mustPattern(`^[^;.]{0,80}\b(?:including|among them|among whom|of whom|of which)\s+(?:\w+\s+){0,2}$`)

var furtherRE = mustPattern(`\band (?:a further|another|an additional)\s*$`)

// fromBeforeRE and changeToRE: "rose from 4,385 on Saturday to 4,651".
var (
	fromBeforeRE = mustPattern(`\bfrom\s+(?:about |around |some |nearly |over |more than |at least )?$`)
	changeToRE   = mustPattern(`^[^,;.]{0,40}?\bto\s+(?:about |around |some |nearly |over |more than |at least )?$`)
)

var breakdownRE = mustPattern(`^[^;.]{0,40}(?:--|—|–|:)\s*$`)

var (
	coordinationBlockRE = mustPattern(`\b(?:including|with|among|of whom|while|whereas|but|bringing|raising|which|after|since|from|as)\b|[;.:()]`)
	coordinationRE      = mustPattern(`\band\b|,|\bor\b`)
)

func coordinated(gap string) bool {
	return len(strings.Fields(gap)) <= 8 && coordinationRE.MatchString(gap) && !coordinationBlockRE.MatchString(gap)
}

// coordinatedAcross: a longer gap that still joins two figures with "and", across an aside ("…
// Palestinians, most of them women and children, and wounded 49,229 others").
func coordinatedAcross(gap string) bool {
	return len(strings.Fields(gap)) <= 16 && andBeforeRE.MatchString(gap) && !coordinationBlockRE.MatchString(gap)
}

var andBeforeRE = mustPattern(`,? and (?:\w+ )?$`)

// ownVerbRE: a figure with a verb of its own ("… and 63,354 Palestinians were injured") is a clause of
// its own, and keeps no qualifier from the figure before.
var ownVerbRE = mustPattern(`^\s*(?:[\w-]+\s+){0,2}?(?:were|was|have been|has been|had been|are|is)\b`)

var othersRE = mustPattern(`^\s*(?:others|more)\b`)

var peopleNounRE = mustPattern(`\b(?:people|persons|individuals|others|palestinians|israelis|iranians|civilians|residents|children|women|men|soldiers|victims|lives|staff|workers|members|patients|migrants|detainees|prisoners|hostages)\b`)

func hasPeopleNoun(head string) bool { return peopleNounRE.MatchString(head) }
