package check

import (
	"cmp"
	"fmt"
	"time"

	"toll/pipeline/obs"
)

// A ClaimReview is a verdict as schema.org's fact-check markup
// (https://schema.org/ClaimReview): what search engines and fact-check aggregators read from a
// fact-checker's page. Tests validate it against the schema.org vocabulary.
type ClaimReview struct {
	Context       string        `json:"@context"`
	Type          string        `json:"@type"`
	ClaimReviewed string        `json:"claimReviewed"`
	ItemReviewed  reviewedClaim `json:"itemReviewed"`
	ReviewRating  rating        `json:"reviewRating"`
	ReviewBody    string        `json:"reviewBody"`
	Author        organization  `json:"author"`
	DatePublished string        `json:"datePublished"`
	IsBasedOn     *dataset      `json:"isBasedOn,omitempty"`
}

type reviewedClaim struct {
	Type          string        `json:"@type"`
	DatePublished string        `json:"datePublished"`
	Appearance    *creativeWork `json:"appearance,omitempty"`
}

type creativeWork struct {
	Type string `json:"@type"`
	URL  string `json:"url"`
}

type rating struct {
	Type              string `json:"@type"`
	RatingValue       int    `json:"ratingValue,omitempty"`
	BestRating        int    `json:"bestRating,omitempty"`
	WorstRating       int    `json:"worstRating,omitempty"`
	AlternateName     string `json:"alternateName"`
	RatingExplanation string `json:"ratingExplanation"`
}

type organization struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// dataset is the report a verdict rests on: the source's dataset, its publisher, the report's date and
// the snapshot toll read it from.
type dataset struct {
	Type             string       `json:"@type"`
	Name             string       `json:"name"`
	URL              string       `json:"url,omitempty"`
	Publisher        organization `json:"publisher"`
	TemporalCoverage string       `json:"temporalCoverage"`
	Version          string       `json:"version"`
}

// ratings places each verdict on a five-point scale, as fact-checkers' markup does (5: the figure holds),
// with the words that name it. A verdict that judges nothing (unchecked, no data) has no value.
var ratings = map[string]struct {
	value int
	name  string
}{
	VerdictConsistent:  {5, "Consistent with the data"},
	VerdictOutdated:    {3, "Outdated"},
	VerdictUnderstated: {2, "Understated"},
	VerdictOverstated:  {2, "Overstated"},
	VerdictUnchecked:   {0, "Unchecked"},
	VerdictNoData:      {0, "No data to check against"},
}

// ClaimReviews gives each claim of an article, published on published (and found at articleURL, when
// known), as a ClaimReview made on reviewed, by reviewer.
func ClaimReviews(claims []Claim, published time.Time, articleURL, reviewer string, reviewed time.Time) []ClaimReview {
	out := make([]ClaimReview, 0, len(claims))
	for _, c := range claims {
		r := ratings[c.Verdict]
		cr := ClaimReview{
			Context:       "https://schema.org",
			Type:          "ClaimReview",
			ClaimReviewed: c.Sentence,
			ItemReviewed:  reviewedClaim{Type: "Claim", DatePublished: published.Format(obs.DateLayout)},
			ReviewRating:  rating{Type: "Rating", RatingValue: r.value, AlternateName: r.name, RatingExplanation: c.Why},
			ReviewBody:    fmt.Sprintf("%q: %s. %s", c.TextSpan, c.Verdict, c.Why),
			Author:        organization{Type: "Organization", Name: reviewer},
			DatePublished: reviewed.Format(obs.DateLayout),
		}
		if cr.ClaimReviewed == "" {
			cr.ClaimReviewed = c.TextSpan
		}
		if r.value > 0 {
			cr.ReviewRating.BestRating, cr.ReviewRating.WorstRating = 5, 1
		}
		if articleURL != "" {
			cr.ItemReviewed.Appearance = &creativeWork{Type: "CreativeWork", URL: articleURL}
		}
		if d := c.Data; d != nil {
			// An official statement rests on the report that quotes it; a sum toll built, on its parts,
			// which the explanation names.
			name, url := d.Source, cmp.Or(d.QuotedIn, d.SourceURL)
			if c.Derived != nil && len(c.Derived.Parts) > 0 {
				name = d.Series
			}
			cr.IsBasedOn = &dataset{Type: "Dataset", Name: name, URL: url,
				Publisher: organization{Type: "Organization", Name: d.Publisher}, TemporalCoverage: d.ReportDate,
				Version: "toll snapshot " + d.Snapshot}
		}
		out = append(out, cr)
	}
	return out
}
