// Package pagecache keeps a large file that toll writes or reads once, front to back, from filling the
// kernel's page cache: the archived copy of a download, a release unzipped from it, DuckDB's read of
// them. A payload of gigabytes would otherwise push out what other readers keep cached (the snapshots a
// dashboard reads), and bringing new pages into the cache is not free: on this project's machines
// (2-core VMs) it cost about 2 s of system time per GB, more than the write to disk itself (README,
// Performance). Dropping pages changes nothing of what is read or written: a dropped page that is read
// again comes from disk.
package pagecache

import (
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Interval is how often Limit drops pages: at 2 GB/s, about 100 MB are cached between two drops.
const Interval = 50 * time.Millisecond

// Limit drops the cached pages of the files at paths (for a folder, of the files in it) every Interval
// until the returned stop is called, and once more then. Dirty pages are not dropped: the kernel is
// asked to start writing them, and they go at a later drop. A path not there yet is skipped until it
// is. stop may be called more than once.
func Limit(paths ...string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(Interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				dropAll(paths)
				return
			case <-tick.C:
				dropAll(paths)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done) })
		<-finished
	}
}

func dropAll(paths []string) {
	for _, p := range paths {
		info, err := os.Stat(p)
		switch {
		case err != nil:
		case info.IsDir():
			entries, _ := os.ReadDir(p)
			for _, e := range entries {
				if e.Type().IsRegular() {
					Drop(filepath.Join(p, e.Name()))
				}
			}
		case info.Mode().IsRegular():
			Drop(p)
		}
	}
}
