// Package fetch is the only stage of toll that touches the network. It gets a source's payload over
// HTTP (or, offline, from the bundle of real payloads under data/), and archives every payload,
// content-addressed, before anything parses it. It does not parse payloads.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"toll/pipeline/source"
)

// Payload is one archived payload of one source.
type Payload struct {
	Source     string
	URL        string
	SHA256     string
	Path       string // the archived file
	Bytes      int64
	FetchedAt  time.Time // UTC
	HTTPStatus int       // 0 for a payload read from the offline bundle
}

// Fetcher gets the payloads of a source, archived, oldest first.
type Fetcher interface {
	Fetch(ctx context.Context, spec source.Spec, url string) ([]Payload, error)
}

// Defaults for the HTTP client.
const (
	DefaultTimeout  = 2 * time.Minute
	DefaultMaxBytes = 512 << 20
)

// HTTPError is an answer other than 200 OK. It carries the start of the body, which usually says why.
type HTTPError struct {
	URL       string
	Status    int
	BodyStart string
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("GET %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.BodyStart != "" {
		msg += ": " + e.BodyStart
	}
	return msg
}

// HTTP fetches payloads with plain GET requests.
type HTTP struct {
	Client    *http.Client
	UserAgent string
	Timeout   time.Duration // covers the whole request, body included
	MaxBytes  int64
	Archive   Archive
	Now       func() time.Time
}

// Fetch GETs url, streams the body into the archive and returns the archived payload.
func (h *HTTP) Fetch(ctx context.Context, spec source.Spec, url string) ([]Payload, error) {
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", spec.Name, err)
	}
	req.Header.Set("User-Agent", h.UserAgent)
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	fetchedAt := h.Now().UTC()
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", spec.Name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		start, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return nil, fmt.Errorf("fetch %s: %w", spec.Name, &HTTPError{URL: url, Status: resp.StatusCode, BodyStart: strings.TrimSpace(string(start))})
	}
	maxBytes := h.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	sum, path, n, err := h.Archive.Put(spec.Name, spec.Format, resp.Body, maxBytes)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("timed out after %s: %w", timeout, err)
		}
		return nil, fmt.Errorf("fetch %s: GET %s: %w", spec.Name, url, err)
	}
	return []Payload{{Source: spec.Name, URL: url, SHA256: sum, Path: path, Bytes: n, FetchedAt: fetchedAt, HTTPStatus: resp.StatusCode}}, nil
}
