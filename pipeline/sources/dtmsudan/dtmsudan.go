// Package dtmsudan is the iom_dtm_sudan connector, declared in source.yaml (see README.md).
package dtmsudan

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/dtmsudan/source.yaml", spec)
}
