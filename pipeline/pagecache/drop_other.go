//go:build !linux

package pagecache

// Drop does nothing where the kernel takes no such hint (posix_fadvise) through golang.org/x/sys.
func Drop(path string) {}
