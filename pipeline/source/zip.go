package source

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// MaxExpansion is how many times its archive's size (or 1 MiB, if more) a zipped payload may expand to:
// data compresses a few times, far more is a zip bomb.
const MaxExpansion = 100

// OpenZipMember opens the one file of a zip archive that want accepts (nil: any), leaving out folders
// and hidden files; an archive with none, or several, is an error. Reading the member fails once it has
// expanded beyond MaxExpansion times the archive's size.
func OpenZipMember(r io.ReaderAt, size int64, want func(name string) bool) (io.ReadCloser, string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, "", fmt.Errorf("not a zip archive: %w", err)
	}
	var members []*zip.File
	for _, f := range zr.File {
		if !f.FileInfo().IsDir() && !strings.HasPrefix(path.Base(f.Name), ".") && (want == nil || want(f.Name)) {
			members = append(members, f)
		}
	}
	if len(members) != 1 {
		names := make([]string, len(members))
		for i, m := range members {
			names[i] = m.Name
		}
		return nil, "", fmt.Errorf("want one data file in the zip archive, found %d %v", len(members), names)
	}
	rc, err := members[0].Open()
	if err != nil {
		return nil, "", fmt.Errorf("zip member %s: %w", members[0].Name, err)
	}
	capped := &expansionCap{ReadCloser: rc, left: MaxExpansion * max(size, 1<<20)}
	return capped, members[0].Name, nil
}

// expansionCap fails its reads once more than left bytes came from the member.
type expansionCap struct {
	io.ReadCloser
	left int64
}

func (c *expansionCap) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if c.left -= int64(n); c.left < 0 {
		return n, fmt.Errorf("expands beyond %d times the zip archive's size", MaxExpansion)
	}
	return n, err
}

// OpenZipFile opens the zip archive at path and its one file that want accepts, as OpenZipMember does;
// closing what it returns closes both.
func OpenZipFile(path string, want func(name string) bool) (io.ReadCloser, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, "", err
	}
	member, name, err := OpenZipMember(f, info.Size(), want)
	if err != nil {
		f.Close()
		return nil, "", err
	}
	return zipFile{member, f}, name, nil
}

// zipFile is a member of a zip archive that closes the archive's file with it.
type zipFile struct {
	io.ReadCloser
	file *os.File
}

func (z zipFile) Close() error { return errors.Join(z.ReadCloser.Close(), z.file.Close()) }
