// Package israelsoldiers is the israel_soldiers_gaza connector, declared in source.yaml (see README.md).
package israelsoldiers

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/israelsoldiers/source.yaml", spec)
}
