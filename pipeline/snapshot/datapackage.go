package snapshot

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"toll/schemas"
)

// DataPackageFile describes a snapshot as a Frictionless Data Package (v2): each file set as a
// resource with its schema, and every source with its licence and citation, so that tools that read
// Data Packages, and people, know what the files hold and on what terms.
const DataPackageFile = "datapackage.json"

type dataPackage struct {
	Schema      string     `json:"$schema"`
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Created     string     `json:"created"`
	Licenses    []license  `json:"licenses,omitempty"`
	Sources     []dpSource `json:"sources,omitempty"`
	Resources   []resource `json:"resources"`
}

type license struct {
	Name  string `json:"name,omitempty"` // an Open Definition licence id, where the licence has one
	Path  string `json:"path,omitempty"`
	Title string `json:"title"`
}

type dpSource struct {
	Title string `json:"title"` // the source's name and the citation its publisher asks for
	Path  string `json:"path,omitempty"`
}

type resource struct {
	Name        string      `json:"name"`
	Type        string      `json:"type"`
	Path        []string    `json:"path"`
	Format      string      `json:"format"`
	Mediatype   string      `json:"mediatype"`
	Description string      `json:"description"`
	Schema      tableSchema `json:"schema"`
}

type tableSchema struct {
	Fields []field `json:"fields"`
}

type field struct {
	Name        string       `json:"name"`
	Type        string       `json:"type"`
	Description string       `json:"description,omitempty"`
	Constraints *constraints `json:"constraints,omitempty"`
}

type constraints struct {
	Required bool `json:"required"`
}

// openDefinitionIDs are the licences toll's sources use that the Open Definition names, by the name
// toll's specs give them.
var openDefinitionIDs = map[string]string{"CC-BY-4.0": "CC-BY-4.0", "Public domain": "other-pd"}

// writeDataPackage writes root's datapackage.json for manifest m, whose files are written. Each
// resource's fields are its file's columns, described from schemas/observation.yaml where they are an
// observation's. The licences and sources are the package's: every resource holds rows of every source.
func writeDataPackage(ctx context.Context, db *sql.DB, root string, m Manifest) error {
	var licenses []license
	var sources []dpSource
	var restricted []string
	for _, s := range m.Sources {
		if s.License == "" {
			continue
		}
		l := license{Name: openDefinitionIDs[s.License], Path: s.LicenseURL, Title: s.License}
		if s.Restrictions != "" {
			l.Title += " (" + s.Restrictions + ")"
			restricted = append(restricted, s.Name+" ("+s.Restrictions+")")
		}
		if !slices.Contains(licenses, l) {
			licenses = append(licenses, l)
		}
		sources = append(sources, dpSource{Title: s.Name + ": " + s.Citation, Path: s.URL})
	}
	terms := "Each source keeps its own licence (listed with its citation)."
	if len(restricted) > 0 {
		terms += " The terms of these sources do not allow what follows their name: " + strings.Join(restricted, "; ") + "."
	}
	var obsFiles []string
	for _, f := range m.Files {
		if strings.HasPrefix(f.Path, ObservationsDir+"/") {
			obsFiles = append(obsFiles, f.Path)
		}
	}
	sets := []struct {
		name, description string
		paths             []string
	}{
		{"observations", "The current value of every observation, a folder per source; every file has these columns in this order. " + terms, obsFiles},
		{"superseded", "Every version of an observation that a later vintage replaced, and when (superseded_at); with the observations, the history.", []string{SupersededFile}},
		{"series", "One row per series: what it counts, its first and latest reports, its latest value, and its source's licence and citation.", []string{SeriesFile}},
		{"revisions", "Values that changed between vintages: old and new value, basis, payload and fetch time.", []string{RevisionsFile}},
	}
	dp := dataPackage{Schema: "https://datapackage.org/profiles/2.0/datapackage.json",
		Name: "toll-snapshot-" + strings.ToLower(m.ID), Title: "toll snapshot " + m.ID,
		Description: "Conflict casualty and displacement statistics as toll normalized them, every vintage kept. " + terms,
		Created:     m.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), Licenses: licenses, Sources: sources}
	for _, set := range sets {
		if len(set.paths) == 0 {
			continue
		}
		fields, err := fieldsOf(ctx, db, filepath.Join(root, filepath.FromSlash(set.paths[0])))
		if err != nil {
			return fmt.Errorf("describing %s: %w", set.paths[0], err)
		}
		dp.Resources = append(dp.Resources, resource{Name: set.name, Type: "table", Path: set.paths, Format: "parquet",
			Mediatype: MediaType(set.paths[0]), Description: set.description, Schema: tableSchema{Fields: fields}})
	}
	b, err := json.MarshalIndent(dp, "", "  ")
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(root, DataPackageFile), append(b, '\n'))
}

// fieldsOf is a Parquet file's columns as Table Schema fields.
func fieldsOf(ctx context.Context, db *sql.DB, path string) ([]field, error) {
	docs := map[string]schemas.Column{}
	for _, c := range schemas.Columns() {
		docs[c.Name] = c
	}
	docs["superseded_at"] = schemas.Column{Name: "superseded_at", Nullable: true,
		Doc: "when a later vintage replaced this version (UTC); the version is known from fetched_at until then"}
	rows, err := db.QueryContext(ctx, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))`, path)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var fields []field
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		f := field{Name: name, Type: tableSchemaType(typ)}
		if c, ok := docs[name]; ok {
			f.Description = c.Doc
			if !c.Nullable {
				f.Constraints = &constraints{Required: true}
			}
		}
		fields = append(fields, f)
	}
	return fields, rows.Err()
}

// tableSchemaType is the Table Schema type of a DuckDB column type.
func tableSchemaType(duckType string) string {
	switch {
	case duckType == "VARCHAR":
		return "string"
	case slices.Contains([]string{"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER"}, duckType):
		return "integer"
	case duckType == "DOUBLE" || duckType == "FLOAT" || strings.HasPrefix(duckType, "DECIMAL"):
		return "number"
	case duckType == "DATE":
		return "date"
	case strings.HasPrefix(duckType, "TIMESTAMP"):
		return "datetime"
	case duckType == "BOOLEAN":
		return "boolean"
	case strings.HasSuffix(duckType, "[]"):
		return "array"
	}
	return "any"
}
