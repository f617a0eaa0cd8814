package check

import "time"

// KnownAt exposes what a checker knew of a report at a publication date, for the tests.
func KnownAt(c *Checker, series string, reportDate, published time.Time) (Point, bool) {
	return c.knownAt(series, reportDate, published)
}
