package main

import (
	"toll/pipeline/config"
	"toll/pipeline/source"
	"toll/pipeline/sources/all"
	"toll/pipeline/sources/declarative"
)

// loadConfig reads the optional config file and returns it with the registry it describes: the built-in
// sources plus the declarative source files it lists. Any error is a usage error (exit 2).
func loadConfig(path string) (config.Config, *source.Registry, error) {
	reg := all.Registry()
	if path == "" {
		return config.Config{}, reg, nil
	}
	cfg, err := config.Load(path)
	if err != nil {
		return cfg, nil, &exitError{code: exitUsage, err: err}
	}
	for _, f := range cfg.SourceFiles {
		src, err := declarative.Load(f)
		if err != nil {
			return cfg, nil, &exitError{code: exitUsage, err: err}
		}
		if _, dup := reg.Lookup(src.Spec().Name); dup {
			return cfg, nil, usageError("source file %s: a source called %s exists already", f, src.Spec().Name)
		}
		reg.Register(src)
	}
	if err := cfg.CheckSources(path, reg.Names()); err != nil {
		return cfg, nil, &exitError{code: exitUsage, err: err}
	}
	return cfg, reg, nil
}
