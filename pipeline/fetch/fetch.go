// Package fetch is the only stage of toll that touches the network. It gets a source's payload over
// HTTP (or, offline, from the bundle of real payloads under data/), and archives every payload,
// content-addressed, before anything parses it. It does not parse payloads.
//
// Over HTTP it asks conditionally (If-None-Match / If-Modified-Since) so that an unchanged upstream costs
// one small request, retries transient failures only (connection errors, timeouts, 5xx, 429) with
// exponential backoff and jitter, and bounds the whole fetch, retries included, by one timeout.
package fetch

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
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

// Validators are what a server said about a payload's version, sent back to ask "has it changed?".
type Validators struct {
	ETag         string
	LastModified string
}

// Request is one fetch of one source.
type Request struct {
	Spec       source.Spec
	URL        string
	Validators Validators        // from the last payload loaded from this URL; empty for none
	header     http.Header       // the API key, when sent as a header
	query      map[string]string // the API key, when sent as a query parameter
}

// Result is what a fetch got: payloads oldest first, or NotModified with none.
type Result struct {
	Payloads    []Payload
	NotModified bool       // the server answered 304: nothing changed since Validators
	Validators  Validators // to send next time
	HTTPStatus  int
	Attempts    int
}

// Fetcher gets the payloads of a source, archived, oldest first.
type Fetcher interface {
	Fetch(ctx context.Context, req Request) (Result, error)
}

// Defaults for the HTTP client.
const (
	DefaultTimeout       = 2 * time.Minute
	DefaultMaxBytes      = 512 << 20
	DefaultRetries       = 4
	DefaultBaseDelay     = time.Second
	DefaultMaxDelay      = 30 * time.Second
	DefaultMaxRetryAfter = time.Minute
)

// HTTPError is an answer other than 200 OK or 304. It carries the start of the body, which usually says
// why.
type HTTPError struct {
	URL        string
	Status     int
	BodyStart  string
	RetryAfter time.Duration // from a Retry-After header, when there was one
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("GET %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.BodyStart != "" {
		msg += ": " + e.BodyStart
	}
	return msg
}

// Transient says whether a failed attempt is worth retrying: connection errors, timeouts of one attempt,
// a body cut short, 5xx and 429. Other 4xx, a payload over the size cap, the end of the whole fetch's
// time, a URL scheme other than http(s), too many redirects and a certificate that does not verify are
// final.
func Transient(err error) bool {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status == http.StatusTooManyRequests || he.Status >= 500
	}
	var ce *tls.CertificateVerificationError
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrTooManyRedirects) || errors.Is(err, ErrNoValidators) || errors.Is(err, ErrNotPublic) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ce) {
		return false
	}
	// The client wraps every failure in a *url.Error, itself a net.Error: judge what it wraps.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// MaxRedirects is how many redirects one request follows.
const MaxRedirects = 10

// Errors of a request that no retry mends.
var (
	ErrTooManyRedirects = fmt.Errorf("more than %d redirects", MaxRedirects)
	ErrNoValidators     = errors.New("HTTP 304 Not Modified to a request that sent no ETag or Last-Modified: the server or a proxy is wrong")
)

// UserAgent is what toll tells the servers it asks, for its version.
func UserAgent(version string) string {
	return "toll/" + version + " (conflict casualty statistics pipeline)"
}

// HTTP fetches payloads with GET requests.
type HTTP struct {
	Client        *http.Client
	UserAgent     string
	Timeout       time.Duration // covers the whole fetch: every attempt, body and waits included
	MaxBytes      int64
	Retries       int           // retries after the first attempt; negative means none
	BaseDelay     time.Duration // first backoff; doubled per retry, with jitter
	MaxDelay      time.Duration
	MaxRetryAfter time.Duration // a server's Retry-After is honoured up to this
	Archive       Archive
	Now           func() time.Time
	// Progress, when set, wraps a response body to show the download (a progress bar on a terminal).
	Progress func(name string, size int64, body io.Reader) io.Reader
}

// MissingKeyError says that a source needs an API key that is not configured: the source is skipped,
// not failed.
type MissingKeyError struct {
	Source, Env string
}

func (e *MissingKeyError) Error() string {
	return fmt.Sprintf("%s needs an API key: set %s", e.Source, e.Env)
}

// Getenv reads API keys; tests replace it.
var Getenv = os.Getenv

// Fetch GETs the request's URL (every page of it, for a paged API), retrying transient failures, and
// archives the payload.
func (h *HTTP) Fetch(ctx context.Context, req Request) (Result, error) {
	if k := req.Spec.Key; k != nil {
		value := Getenv(k.Env)
		if value == "" {
			return Result{}, &MissingKeyError{Source: req.Spec.Name, Env: k.Env}
		}
		if k.Query != "" {
			req.query = map[string]string{k.Query: value}
			req.URL = withQuery(req.URL, req.query)
		} else {
			req.header = http.Header{k.Header: {value}}
		}
	}
	var res Result
	err := h.bounded(ctx, &res.Attempts, func(ctx context.Context) error {
		if req.Spec.Paging != nil {
			var err error
			res, err = h.fetchPages(ctx, req)
			return err
		}
		return h.retry(ctx, &res.Attempts, func() error {
			r, err := h.attempt(ctx, req)
			r.Attempts = res.Attempts // counted by retry
			res = r
			return err
		})
	})
	if err != nil {
		return res, fmt.Errorf("fetch %s: %w", req.Spec.Name, err)
	}
	return res, nil
}

// bounded runs do within the fetch's time limit (Timeout), and says so when the limit ends it.
func (h *HTTP) bounded(ctx context.Context, attempts *int, do func(ctx context.Context) error) error {
	timeout := cmp.Or(h.Timeout, DefaultTimeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := do(ctx)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("gave up after %s and %d attempts: %w", timeout, *attempts, err)
	}
	return err
}

// retry calls do until it succeeds, fails for good, or the context ends, counting attempts.
func (h *HTTP) retry(ctx context.Context, attempts *int, do func() error) error {
	retries := cmp.Or(h.Retries, DefaultRetries)
	if h.Retries < 0 {
		retries = 0
	}
	for n := 1; ; n++ {
		*attempts++
		err := do()
		if err == nil || ctx.Err() != nil {
			return err
		}
		if !Transient(err) {
			return err
		}
		if n > retries {
			return fmt.Errorf("%w (after %d attempts)", err, n)
		}
		if err := sleep(ctx, h.backoff(n, err)); err != nil {
			return fmt.Errorf("gave up waiting to retry after %d attempts: %w", n, err)
		}
	}
}

// backoff returns how long to wait before retry n (1-based): exponential with full jitter in its upper
// half, and at least a server's Retry-After up to MaxRetryAfter. A Retry-After of 0 still waits the
// backoff, so it cannot burn every retry at once.
func (h *HTTP) backoff(n int, err error) time.Duration {
	base := cmp.Or(h.BaseDelay, DefaultBaseDelay)
	d := min(cmp.Or(h.MaxDelay, DefaultMaxDelay), base<<min(n-1, 20))
	d = d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
	var he *HTTPError
	if errors.As(err, &he) && he.RetryAfter > d {
		d = min(he.RetryAfter, cmp.Or(h.MaxRetryAfter, DefaultMaxRetryAfter))
	}
	return d
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// do sends one GET with toll's User-Agent, the key header and the given extra headers, and returns the
// response when its status is 200 or 304; any other status is an *HTTPError with the start of the body.
func (h *HTTP) do(ctx context.Context, url string, headers http.Header) (*http.Response, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	hr.Header.Set("User-Agent", h.UserAgent)
	for k, v := range headers {
		hr.Header[k] = v
	}
	client := *cmp.Or(h.Client, http.DefaultClient)
	client.CheckRedirect = func(next *http.Request, via []*http.Request) error {
		if len(via) >= MaxRedirects {
			return ErrTooManyRedirects
		}
		if next.URL.Host != via[0].URL.Host {
			// Go forwards every header it does not know to be a credential; an API key sent as a header
			// of our own must not reach another host.
			for k := range headers {
				next.Header.Del(k)
			}
		}
		if h.Client != nil && h.Client.CheckRedirect != nil {
			return h.Client.CheckRedirect(next, via)
		}
		return nil
	}
	resp, err := client.Do(hr)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified {
		defer resp.Body.Close()
		start, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return resp, &HTTPError{URL: url, Status: resp.StatusCode, BodyStart: strings.TrimSpace(string(start)),
			RetryAfter: retryAfter(resp.Header.Get("Retry-After"), h.Now())}
	}
	return resp, nil
}

// attempt makes one conditional request and archives a 200's body.
func (h *HTTP) attempt(ctx context.Context, req Request) (Result, error) {
	headers := req.header.Clone()
	if headers == nil {
		headers = http.Header{}
	}
	if v := req.Validators; v.ETag != "" {
		headers.Set("If-None-Match", v.ETag)
	} else if v.LastModified != "" {
		headers.Set("If-Modified-Since", v.LastModified)
	}
	fetchedAt := h.Now().UTC()
	resp, err := h.do(ctx, req.URL, headers)
	if resp == nil {
		return Result{}, err
	}
	res := Result{HTTPStatus: resp.StatusCode}
	if err != nil {
		return res, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		if req.Validators == (Validators{}) {
			return res, fmt.Errorf("GET %s: %w", req.URL, ErrNoValidators)
		}
		res.NotModified, res.Validators = true, req.Validators
		return res, nil
	}
	res.Validators = Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	var body io.Reader = resp.Body
	if h.Progress != nil {
		body = h.Progress(req.Spec.Name, resp.ContentLength, body)
	}
	sum, path, n, err := h.Archive.Put(req.Spec.Name, req.Spec.Format, body, cmp.Or(h.MaxBytes, DefaultMaxBytes))
	if err != nil {
		return res, fmt.Errorf("GET %s: %w", req.URL, err)
	}
	res.Payloads = []Payload{{Source: req.Spec.Name, URL: req.URL, SHA256: sum, Path: path, Bytes: n,
		FetchedAt: fetchedAt, HTTPStatus: resp.StatusCode}}
	return res, nil
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
