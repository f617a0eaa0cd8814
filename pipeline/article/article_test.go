package article_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"toll/pipeline/article"
)

func page(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Each real page's publication date, from each of the places pages put it, and where it was found.
func TestPublicationDate(t *testing.T) {
	for _, tt := range []struct {
		file, date, from string
	}{
		{"wordpress-excerpt.html", "2017-03-09", "article:published_time"},
		{"gitlab-blog.html", "2024-06-25", "JSON-LD datePublished"},
		{"v8-blog.html", "2019-11-21", `itemprop="datePublished"`},
		{"firefox-nightly-blog.html", "2020-12-18", "<time datetime>"},
		{"wapo-1-excerpt.html", "", ""}, // the page does not say
	} {
		a, err := article.Parse(page(t, tt.file), "https://example.org/"+tt.file)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		got := ""
		if !a.Published.IsZero() {
			got = a.Published.Format("2006-01-02")
		}
		if got != tt.date || a.PublishedFrom != tt.from {
			t.Errorf("%s: published %q from %q, want %q from %q", tt.file, got, a.PublishedFrom, tt.date, tt.from)
		}
	}
}

// The article's text is its story, not the page's menus: the news page's figures are there, its
// navigation is not.
func TestArticleText(t *testing.T) {
	a, err := article.Parse(page(t, "wapo-1-excerpt.html"), "http://www.washingtonpost.com/world/x.html")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Attack stokes instability fears in North Africa" {
		t.Errorf("title %q", a.Title)
	}
	for _, want := range []string{"killing at least 19 people, including 17 foreigners", "About 50 other people were wounded"} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("the text lacks %q:\n%s", want, a.Text)
		}
	}
	for _, menu := range []string{"Sign In", "Subscribe"} {
		if strings.Contains(a.Text, menu) {
			t.Errorf("the text holds the page's %q", menu)
		}
	}
}

func TestNoArticle(t *testing.T) {
	_, err := article.Parse([]byte("<html><head><title>x</title></head><body></body></html>"), "https://example.org/")
	if !errors.Is(err, article.ErrNoText) {
		t.Errorf("an empty page: %v, want ErrNoText", err)
	}
}

// The date a check uses: the one given, else the page's, and where it came from.
func TestDate(t *testing.T) {
	given := time.Date(2024, 5, 11, 0, 0, 0, 0, time.UTC)
	page := article.Article{Published: time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC), PublishedFrom: "JSON-LD datePublished"}
	if d, from, ok := page.Date(given, "--published"); !ok || !d.Equal(given) || from != "--published" {
		t.Errorf("given: %v %q %v", d, from, ok)
	}
	if d, from, ok := page.Date(time.Time{}, "--published"); !ok || !d.Equal(page.Published) || from != "the page's JSON-LD datePublished" {
		t.Errorf("the page's: %v %q %v", d, from, ok)
	}
	if _, _, ok := (article.Article{}).Date(time.Time{}, "--published"); ok {
		t.Error("no date at all: ok")
	}
}
