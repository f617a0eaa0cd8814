package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"toll/pipeline/config"
	"toll/pipeline/obs"
	"toll/pipeline/source"
)

// DefaultBundleDir is where the offline bundle lives in a checkout.
const DefaultBundleDir = "data/bundle"

// Bundle reads payloads from the offline bundle: real payloads kept in the repository and listed in
// <Dir>/bundle.yaml with the date each was published. A source's payloads are returned oldest first,
// each as if fetched at midnight UTC of its publication date, so replaying them builds real vintages.
type Bundle struct {
	Dir     string
	Archive Archive
}

// BundleEntry is one payload listed in bundle.yaml.
type BundleEntry struct {
	Source    string   `yaml:"source"`
	Published string   `yaml:"published"`
	File      string   `yaml:"file"`
	Files     []string `yaml:"files"` // the pages of a paged API, in order, instead of File
}

type bundleFile struct {
	Payloads []BundleEntry `yaml:"payloads"`
}

// Entries reads bundle.yaml; unknown keys are errors.
func (b *Bundle) Entries() ([]BundleEntry, error) {
	path := filepath.Join(b.Dir, "bundle.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("offline bundle: %w", err)
	}
	var f bundleFile
	if err := config.DecodeYAML(raw, &f); err != nil {
		return nil, fmt.Errorf("offline bundle %s: %w", path, err)
	}
	return f.Payloads, nil
}

// Fetch archives the source's bundled payloads and returns them oldest first. The request's URL is
// ignored: the payloads record the source's spec URL, where they were published.
// ErrNotInBundle is returned for a source the offline bundle holds no payload of (an API no response
// of was captured): the source is skipped, not failed.
var ErrNotInBundle = errors.New("no payload in the offline bundle")

func (b *Bundle) Fetch(ctx context.Context, req Request) (Result, error) {
	spec := req.Spec
	entries, err := b.Entries()
	if err != nil {
		return Result{}, err
	}
	var payloads []Payload
	for _, e := range entries {
		if e.Source != spec.Name {
			continue
		}
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		published, err := obs.ParseDate(e.Published)
		if err != nil {
			return Result{}, fmt.Errorf("offline bundle: %s: published %q: want YYYY-MM-DD", e.File, e.Published)
		}
		p, err := b.archive(spec, e, published)
		if err != nil {
			return Result{}, err
		}
		payloads = append(payloads, p)
	}
	if len(payloads) == 0 {
		return Result{}, fmt.Errorf("%w: %s has none for %s", ErrNotInBundle, b.Dir, spec.Name)
	}
	sort.SliceStable(payloads, func(i, j int) bool { return payloads[i].FetchedAt.Before(payloads[j].FetchedAt) })
	return Result{Payloads: payloads, Attempts: 1}, nil
}

func (b *Bundle) archive(spec source.Spec, e BundleEntry, published time.Time) (Payload, error) {
	files := e.Files
	if e.File != "" {
		files = append([]string{e.File}, files...)
	}
	var pages [][]byte
	for _, file := range files {
		page, err := os.ReadFile(filepath.Join(b.Dir, file))
		if err != nil {
			return Payload{}, fmt.Errorf("offline bundle: %w", err)
		}
		pages = append(pages, page)
	}
	if len(pages) == 0 {
		return Payload{}, fmt.Errorf("offline bundle: an entry of %s lists no file", spec.Name)
	}
	body := pages[0]
	if spec.Paging != nil { // archived as a live fetch of every page would be
		var err error
		if body, err = joinPages(spec.Format, pages); err != nil {
			return Payload{}, err
		}
	}
	sum, path, n, err := b.Archive.Put(spec.Name, spec.Format, bytes.NewReader(body), 0)
	if err != nil {
		return Payload{}, fmt.Errorf("offline bundle: %s: %w", files[0], err)
	}
	return Payload{Source: spec.Name, URL: spec.URL, SHA256: sum, Path: path, Bytes: n, FetchedAt: published}, nil
}
