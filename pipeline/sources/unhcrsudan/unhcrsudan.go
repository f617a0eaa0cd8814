// Package unhcrsudan is the unhcr_odp_sudan connector, declared in source.yaml (see README.md).
package unhcrsudan

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/unhcrsudan/source.yaml", spec)
}
