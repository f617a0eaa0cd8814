//go:build !linux

package fetch

import "os"

// earlyWriteback writes to a file; elsewhere than Linux the archive's fsync alone writes it to disk.
type earlyWriteback struct{ f *os.File }

func (w *earlyWriteback) Write(p []byte) (int, error) { return w.f.Write(p) }
