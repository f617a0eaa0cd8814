//go:build linux

package pagecache

import (
	"os"
	"path/filepath"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// cached counts the file's pages in the page cache (mincore over a mapping of it).
func cached(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return 0
	}
	m, err := unix.Mmap(int(f.Fd()), 0, int(info.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	page := os.Getpagesize()
	vec := make([]byte, (len(m)+page-1)/page)
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)),
		uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}

const chunk = 8 << 20

// writeChunk appends a chunk and flushes it, so that its pages are clean (droppable) and cached.
func writeChunk(t *testing.T, f *os.File) {
	t.Helper()
	if _, err := f.Write(make([]byte, chunk)); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
}

// cachedFile creates a file in dir holding one chunk, flushed and cached; it skips the test on a file
// system that keeps no page cache for it, or whose pages are the file (tmpfs: they are never dropped).
func cachedFile(t *testing.T, dir string) (*os.File, string) {
	t.Helper()
	var fs unix.Statfs_t
	if unix.Statfs(dir, &fs) == nil && fs.Type == unix.TMPFS_MAGIC {
		t.Skip("tmpfs: its pages are the file, and are not dropped")
	}
	path := filepath.Join(dir, "payload")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	writeChunk(t, f)
	if cached(t, path) == 0 {
		t.Skip("this file system keeps no page cache for the file")
	}
	return f, path
}

func TestDrop(t *testing.T) {
	_, path := cachedFile(t, t.TempDir())
	Drop(path)
	if n := cached(t, path); n > 0 {
		t.Fatalf("%d pages cached after Drop, want 0", n)
	}
}

// While Limit runs, a file written in sequence keeps about one interval's writes cached, not all of it;
// once stopped, nothing.
func TestLimit(t *testing.T) {
	dir := t.TempDir()
	f, path := cachedFile(t, dir)
	stop := Limit(dir) // a folder: the files in it
	defer stop()
	page := os.Getpagesize()
	for range 4 {
		writeChunk(t, f)
		time.Sleep(3 * Interval)
		if n := cached(t, path); n*page >= chunk {
			t.Fatalf("%d MiB cached of a file written 8 MiB at a time under Limit, want less than one write", n*page>>20)
		}
	}
	stop()
	stop() // again: a no-op
	if n := cached(t, path); n > 0 {
		t.Errorf("%d pages cached after stop, want 0", n)
	}
}
