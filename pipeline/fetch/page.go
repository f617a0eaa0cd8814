package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
)

// Page GETs one web page, an article to check, under the rules a payload is fetched by: toll's
// User-Agent, the whole fetch bounded by Timeout, transient failures retried, and the body capped at
// maxBytes. Nothing is archived.
func (h *HTTP) Page(ctx context.Context, pageURL string, maxBytes int64) ([]byte, error) {
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http or https address", pageURL)
	}
	var body []byte
	var attempts int
	err = h.bounded(ctx, &attempts, func(ctx context.Context) error {
		return h.retry(ctx, &attempts, func() error {
			var err error
			body, _, err = h.get(ctx, pageURL, nil, maxBytes)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", pageURL, err)
	}
	return body, nil
}

// ErrNotPublic is a connection refused because its address is not on the public internet.
var ErrNotPublic = errors.New("the address is not a public one (loopback, private, link-local or unspecified)")

// PublicOnly is a net.Dialer Control that refuses to connect to an address that is not public, so that
// a server fetching pages its users name cannot be made to reach its own network.
func PublicOnly(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%s: %w", address, err)
	}
	ip := ap.Addr().Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
		return &net.OpError{Op: "dial", Net: network, Err: fmt.Errorf("%s: %w", ip, ErrNotPublic)}
	}
	return nil
}
