//go:build linux

package pagecache

import (
	"os"

	"golang.org/x/sys/unix"
)

// Drop asks the kernel to drop the file's clean cached pages and to start writing its dirty ones. It is
// a hint: an error changes nothing and is not reported.
func Drop(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}
