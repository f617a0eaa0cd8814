package fetch

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"toll/pipeline/source"
)

// fetchPages gets every page of a paged API and archives them as one payload, so that one fetch is one
// vintage: CSV pages joined under the first page's header; JSON pages as a JSON array of the page bodies,
// in order. Conditional requests are not used: a paged answer has no single version.
func (h *HTTP) fetchPages(ctx context.Context, req Request) (Result, error) {
	p := req.Spec.Paging
	maxBytes := cmp.Or(h.MaxBytes, DefaultMaxBytes)
	var res Result
	var pages [][]byte
	total := int64(0)
	fetchedAt := h.Now().UTC()
	next := req.URL
	for offset := 0; next != ""; {
		pageURL := next
		if p.Style == source.PagingOffset {
			pageURL = withQuery(req.URL, map[string]string{
				cmp.Or(p.LimitParam, "limit"): strconv.Itoa(p.Limit), cmp.Or(p.OffsetParam, "offset"): strconv.Itoa(offset)})
		}
		var body []byte
		err := h.retry(ctx, &res.Attempts, func() error {
			var err error
			body, res.HTTPStatus, err = h.get(ctx, pageURL, req.header, maxBytes-total)
			return err
		})
		if err != nil {
			return res, fmt.Errorf("page %d (%s): %w", len(pages)+1, pageURL, err)
		}
		total += int64(len(body))
		pages = append(pages, body)
		switch p.Style {
		case source.PagingOffset:
			rows, err := countRows(req.Spec.Format, body)
			if err != nil {
				return res, fmt.Errorf("page %d (%s): %w", len(pages), pageURL, err)
			}
			offset += rows
			if rows < p.Limit {
				next = ""
			}
		case source.PagingNext:
			link, err := nextLink(body, p.NextField)
			if err != nil {
				return res, fmt.Errorf("page %d (%s): %w", len(pages), pageURL, err)
			}
			next = onHost(link, req.URL)
			if next != "" && req.query != nil { // the configured key, not whatever the API echoed
				next = withQuery(next, req.query)
			}
		}
		if len(pages) > 100000 {
			return res, fmt.Errorf("more than 100000 pages: the API does not end")
		}
	}
	joined, err := joinPages(req.Spec.Format, pages)
	if err != nil {
		return res, err
	}
	sum, path, n, err := h.Archive.Put(req.Spec.Name, req.Spec.Format, bytes.NewReader(joined), maxBytes)
	if err != nil {
		return res, err
	}
	res.Payloads = []Payload{{Source: req.Spec.Name, URL: req.URL, SHA256: sum, Path: path, Bytes: n,
		FetchedAt: fetchedAt, HTTPStatus: res.HTTPStatus}}
	return res, nil
}

// get makes one GET and returns the body of a 200 answer, at most maxBytes of it.
func (h *HTTP) get(ctx context.Context, u string, header http.Header, maxBytes int64) ([]byte, int, error) {
	resp, err := h.do(ctx, u, header)
	if resp == nil {
		return nil, 0, err
	}
	if err != nil {
		return nil, resp.StatusCode, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, resp.StatusCode, err
	}
	if int64(len(body)) > maxBytes {
		return nil, resp.StatusCode, ErrTooLarge
	}
	return body, resp.StatusCode, nil
}

// countRows counts the records of one page: CSV rows after the header, or the items of the first JSON
// array found in the page (a bare array, or the array under the envelope's only array field).
func countRows(format string, body []byte) (int, error) {
	if format == "csv" {
		r := csv.NewReader(bytes.NewReader(body))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			return 0, fmt.Errorf("not CSV: %w", err)
		}
		return max(0, len(rows)-1), nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return 0, fmt.Errorf("not JSON: %w", err)
	}
	switch v := v.(type) {
	case []any:
		return len(v), nil
	case map[string]any:
		for _, field := range v {
			if a, ok := field.([]any); ok {
				return len(a), nil
			}
		}
	}
	return 0, nil
}

// nextLink reads the next page's URL from a JSON page.
func nextLink(body []byte, field string) (string, error) {
	var page map[string]any
	if err := json.Unmarshal(body, &page); err != nil {
		return "", fmt.Errorf("not a JSON object: %w", err)
	}
	link, _ := page[field].(string)
	return link, nil
}

// onHost moves a next-page link onto the host the source is configured with, so that a mirror or a
// test server keeps serving every page (APIs write their public host into their links).
func onHost(link, base string) string {
	if link == "" {
		return ""
	}
	l, err1 := url.Parse(link)
	b, err2 := url.Parse(base)
	if err1 != nil || err2 != nil {
		return link
	}
	l.Scheme, l.Host = b.Scheme, b.Host
	return l.String()
}

// withQuery returns u with the query parameters set.
func withQuery(u string, params map[string]string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := parsed.Query()
	for k, v := range params {
		q.Set(k, v)
	}
	parsed.RawQuery = q.Encode()
	return parsed.String()
}

// joinPages makes one payload of the pages; see fetchPages.
func joinPages(format string, pages [][]byte) ([]byte, error) {
	var b bytes.Buffer
	if format == "csv" {
		for i, p := range pages {
			if i > 0 {
				if nl := bytes.IndexByte(p, '\n'); nl >= 0 {
					p = p[nl+1:]
				} else {
					continue
				}
			}
			b.Write(p)
			if len(p) > 0 && p[len(p)-1] != '\n' {
				b.WriteByte('\n')
			}
		}
		return b.Bytes(), nil
	}
	b.WriteByte('[')
	for i, p := range pages {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(bytes.TrimSpace(p))
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}
