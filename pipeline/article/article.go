// Package article turns a web page into what toll check reads: the article's text, its title, and
// the date the page says it was published, with where on the page that date was found. The text is
// found by a readability algorithm (go-readability, a port of Firefox's Reader View), so that menus,
// captions of other stories and footers are not checked as the article's figures.
package article

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"toll/pipeline/fetch"
	"toll/pipeline/obs"
)

// Article is a page's article.
type Article struct {
	URL   string `json:"url"`
	Title string `json:"title,omitempty"`
	Text  string `json:"-"`
	// Published is the publication date the page gives (zero when it gives none), and PublishedFrom
	// where it was found: "article:published_time", "JSON-LD datePublished" or "<time datetime>".
	Published     time.Time `json:"-"`
	PublishedFrom string    `json:"published_from,omitempty"`
}

// ErrNoText is a page in which no article text was found.
var ErrNoText = errors.New("no article text found on the page")

// Parse reads the article of an HTML page found at pageURL.
func Parse(page []byte, pageURL string) (Article, error) {
	a := Article{URL: pageURL}
	u, err := url.Parse(pageURL)
	if err != nil {
		return a, fmt.Errorf("%s: %w", pageURL, err)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return a, fmt.Errorf("%s: %w", pageURL, err)
	}
	a.Published, a.PublishedFrom = publicationDate(doc) // before go-readability, which prunes the document
	r, err := readability.FromDocument(doc, u)
	if err != nil {
		return a, fmt.Errorf("%s: %w", pageURL, err)
	}
	a.Title = strings.TrimSpace(r.Title())
	if r.Node != nil {
		var text strings.Builder
		if err := r.RenderText(&text); err != nil {
			return a, fmt.Errorf("%s: %w", pageURL, err)
		}
		a.Text = strings.TrimSpace(text.String())
	}
	if a.Text == "" {
		return a, fmt.Errorf("%s: %w", pageURL, ErrNoText)
	}
	return a, nil
}

// Date is the publication date to check the article against: given (named givenAs), when one was
// given, else the page's own. ok is false when there is neither.
func (a Article) Date(given time.Time, givenAs string) (day time.Time, from string, ok bool) {
	switch {
	case !given.IsZero():
		return given, givenAs, true
	case !a.Published.IsZero():
		return a.Published, "the page's " + a.PublishedFrom, true
	}
	return time.Time{}, "", false
}

// Read fetches the page at address with pages (the fetch rules: User-Agent, time limit, retries, at most
// maxBytes) and reads its article.
func Read(ctx context.Context, pages *fetch.HTTP, address string, maxBytes int64) (Article, error) {
	page, err := pages.Page(ctx, address, maxBytes)
	if err != nil {
		return Article{}, err
	}
	return Parse(page, address)
}

// dateLike is the day at the start of a timestamp as pages write it ("2024-05-11T09:30:00+03:00",
// "2024-05-11 09:30", "2024-05-11"). The day is taken as the page writes it, in the publisher's own time
// zone: that is the date its readers saw.
var dateLike = regexp.MustCompile(`^\s*(\d{4}-\d{2}-\d{2})`)

func day(s string) (time.Time, bool) {
	m := dateLike.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	d, err := obs.ParseDate(m[1])
	return d, err == nil
}

// publishedMeta are the names a <meta> gives the publication time by (Open Graph's).
var publishedMeta = map[string]bool{"article:published_time": true, "og:article:published_time": true}

// publicationDate finds the date a page says it was published, trying, in order, the Open Graph
// article:published_time, JSON-LD's datePublished, an element marked itemprop="datePublished", and the
// first <time datetime>. A page's modification date is never taken for it.
func publicationDate(doc *html.Node) (time.Time, string) {
	var meta, itemprop, timeTag string
	var jsonLD []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Meta:
				if meta == "" && (publishedMeta[attr(n, "property")] || publishedMeta[attr(n, "name")]) {
					meta = attr(n, "content")
				}
			case atom.Script:
				if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil {
					jsonLD = append(jsonLD, n.FirstChild.Data)
				}
			case atom.Time:
				if timeTag == "" {
					timeTag = attr(n, "datetime")
				}
			}
			if attr(n, "itemprop") == "datePublished" && itemprop == "" {
				itemprop = attr(n, "content") + attr(n, "datetime")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if d, ok := day(meta); ok {
		return d, "article:published_time"
	}
	for _, s := range jsonLD {
		var v any
		if json.Unmarshal([]byte(withoutCDATA(s)), &v) == nil {
			if d, ok := day(datePublished(v)); ok {
				return d, "JSON-LD datePublished"
			}
		}
	}
	if d, ok := day(itemprop); ok {
		return d, `itemprop="datePublished"`
	}
	if d, ok := day(timeTag); ok {
		return d, "<time datetime>"
	}
	return time.Time{}, ""
}

// withoutCDATA is a script's content without the CDATA markers some pages wrap JSON in, as XHTML once
// needed ("//<![CDATA[ … //]]>").
func withoutCDATA(script string) string {
	s := strings.TrimPrefix(strings.TrimSpace(script), "//")
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "<![CDATA["))
	s = strings.TrimSpace(strings.TrimSuffix(s, "]]>"))
	return strings.TrimSuffix(s, "//")
}

// datePublished finds the first datePublished in a JSON-LD value: an object, an array of them, or an
// @graph.
func datePublished(v any) string {
	switch v := v.(type) {
	case map[string]any:
		if s, ok := v["datePublished"].(string); ok {
			return s
		}
		return datePublished(v["@graph"])
	case []any:
		for _, e := range v {
			if s := datePublished(e); s != "" {
				return s
			}
		}
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}
