package config

import (
	"errors"
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// DecodeYAML decodes a file toll reads as configuration (the config file, source_files, the offline
// bundle's manifest) into v, strictly: an unknown key is an error naming its line. Anchors and aliases
// are refused: no such file needs them, and a few lines of aliases can expand into gigabytes.
func DecodeYAML(raw []byte, v any) error {
	file, err := parser.ParseBytes(raw, 0)
	if err != nil {
		return errors.New(yaml.FormatError(err, false, true))
	}
	for _, doc := range file.Docs {
		var found ast.Node
		ast.Walk(visitor(func(n ast.Node) bool {
			switch n.(type) {
			case *ast.AnchorNode, *ast.AliasNode:
				found = n
				return false
			}
			return found == nil
		}), doc)
		if found != nil {
			return fmt.Errorf("line %d: YAML anchors and aliases (& and *) are not accepted here; write the values out",
				found.GetToken().Position.Line)
		}
	}
	if err := yaml.UnmarshalWithOptions(raw, v, yaml.Strict()); err != nil {
		return errors.New(yaml.FormatError(err, false, true))
	}
	return nil
}

type visitor func(ast.Node) bool

func (f visitor) Visit(n ast.Node) ast.Visitor {
	if n == nil || !f(n) {
		return nil
	}
	return f
}
