// Package config reads toll's optional configuration file (toll.yaml). Every key is optional: the
// built-in catalog of sources is the default. Unknown keys and unknown source names are errors that
// name the line, so a typo never silently falls back to a default.
package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Config is the whole file.
type Config struct {
	// SourceFiles are declarative source files (YAML, see pipeline/sources/declarative) that add sources
	// to the built-in ones; relative paths are relative to the config file.
	SourceFiles []string          `yaml:"source_files"`
	Sources     map[string]Source `yaml:"sources"`
	Publish     Publish           `yaml:"publish"`
	// MemoryLimit caps the memory DuckDB uses in a run (its memory_limit, e.g. "2GB"); beyond it, large
	// loads and sorts spill to <data-dir>/tmp. Empty means run.DefaultMemoryLimit.
	MemoryLimit string `yaml:"memory_limit"`
}

// Publish says where every new snapshot is copied: s3://bucket/prefix?region=… or file:///path.
type Publish struct {
	URL string `yaml:"url"`
}

// Source overrides the catalog's settings for one source.
type Source struct {
	URL      string        `yaml:"url"`       // the live URL to fetch instead of the catalog's
	Timeout  time.Duration `yaml:"timeout"`   // for the whole fetch, e.g. 90s
	MaxBytes int64         `yaml:"max_bytes"` // size cap of one payload
	Schedule string        `yaml:"schedule"`  // cron schedule for toll schedule
}

// Load reads the file at path; relative source_files become relative to its folder.
func Load(path string) (Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(path, raw)
	for i, f := range c.SourceFiles {
		if !filepath.IsAbs(f) {
			c.SourceFiles[i] = filepath.Join(filepath.Dir(path), f)
		}
	}
	return c, err
}

// Parse reads a config file's bytes; name is used in errors. Unknown keys are errors naming the line.
func Parse(name string, raw []byte) (Config, error) {
	var c Config
	if err := DecodeYAML(raw, &c); err != nil {
		return Config{}, fmt.Errorf("config %s:\n%w", name, err)
	}
	return c, nil
}

// CheckSources returns an error naming each sources key that is not a known source, and each bad value.
func (c Config) CheckSources(name string, knownSources []string) error {
	known := map[string]bool{}
	for _, n := range knownSources {
		known[n] = true
	}
	var errs []error
	for _, n := range slices.Sorted(maps.Keys(c.Sources)) {
		s := c.Sources[n]
		if !known[n] {
			errs = append(errs, fmt.Errorf("sources: unknown source %q (known: %s)", n, strings.Join(knownSources, ", ")))
		}
		if s.Timeout < 0 || s.MaxBytes < 0 {
			errs = append(errs, fmt.Errorf("sources.%s: timeout and max_bytes must not be negative", n))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("config %s: %w", name, err)
	}
	return nil
}
