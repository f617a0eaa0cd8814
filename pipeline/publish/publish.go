// Package publish copies snapshots to object storage through gocloud.dev/blob: an S3-compatible bucket
// (s3://bucket/prefix?region=…, credentials from the standard AWS environment), Google Cloud Storage
// (gs://bucket/prefix), Azure Blob Storage (azblob://container/prefix) or a local folder
// (file:///path). Snapshots land under <prefix>/snapshots/<id>/ as on disk, so DuckDB, Spark, Trino or
// Athena read them where they are.
//
// The order keeps readers safe: every file of a snapshot first, then its manifest, then LATEST. A
// publish that stops halfway leaves the remote LATEST on the previous complete snapshot, and the next
// Sync publishes again. LATEST never moves back to an older snapshot unless forced.
package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/azureblob" // azblob:// URLs
	_ "gocloud.dev/blob/fileblob"  // file:// URLs
	_ "gocloud.dev/blob/gcsblob"   // gs:// URLs
	_ "gocloud.dev/blob/s3blob"    // s3:// URLs (and S3-compatible servers via ?endpoint=)
	"gocloud.dev/gcerrors"

	"toll/pipeline/snapshot"
)

// LatestKey is the object, under the target's prefix, that names the newest complete published snapshot.
const LatestKey = "snapshots/LATEST"

// How long a reader may keep what it fetched: a snapshot's objects never change under their id, and
// LATEST moves with every publish.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheLatest    = "public, max-age=60"
)

// ErrOlder is returned when the target's LATEST names a newer snapshot than the one to publish.
var ErrOlder = errors.New("the target's LATEST names a newer snapshot than this data directory's")

// Open opens the bucket a publish URL names. Its path is a prefix inside the bucket
// (s3://bucket/team/toll puts everything under team/toll/), but for file:///path, where it is the
// folder, created if missing; no sidecar files of attributes are written there.
func Open(ctx context.Context, raw string) (*blob.Bucket, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return nil, fmt.Errorf("publish: %q is not a URL such as s3://bucket/prefix?region=… or file:///path", raw)
	}
	q := u.Query()
	prefix := ""
	if u.Scheme == "file" {
		q.Set("create_dir", "true")
		q.Set("metadata", "skip")
	} else {
		prefix = strings.Trim(u.Path, "/")
		if prefix != "" && q.Get("prefix") != "" {
			return nil, fmt.Errorf("publish: %s names a prefix twice, in its path and in ?prefix=", redact(u))
		}
		u.Path = ""
	}
	u.RawQuery = q.Encode()
	bucket, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("publish: opening %s: %w", redact(u), err)
	}
	if prefix != "" {
		bucket = blob.PrefixedBucket(bucket, prefix+"/")
	}
	return bucket, nil
}

func redact(u *url.URL) string { return u.Redacted() }

// RemoteLatest returns the id the bucket's LATEST names, or "" when there is none.
func RemoteLatest(ctx context.Context, bucket *blob.Bucket) (string, error) {
	b, err := bucket.ReadAll(ctx, LatestKey)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// Result is what a Sync did.
type Result struct {
	ID     string // the snapshot published; "" when the target's LATEST named it already
	Files  int    // objects written, the manifest and LATEST included
	Bytes  int64
	Remote string // the id the target's LATEST named before
	// Restricted names each source of the snapshot whose terms do not allow commercial use or
	// redistribution, with what they do not allow: a bucket meant to be public may break them.
	Restricted []string
}

// Sync publishes the local LATEST snapshot to url unless the target's LATEST names it already. It
// refuses, with ErrOlder, to move the target's LATEST to an older snapshot than the one it names (a
// data directory restored from a backup, another deployment's bucket), unless force.
func Sync(ctx context.Context, dataDir, url string, force bool) (Result, error) {
	var res Result
	id, err := snapshot.Latest(dataDir)
	if err != nil {
		return res, err
	}
	bucket, err := Open(ctx, url)
	if err != nil {
		return res, err
	}
	defer bucket.Close()
	if res.Remote, err = RemoteLatest(ctx, bucket); err != nil {
		return res, fmt.Errorf("publish: reading %s: %w", LatestKey, err)
	}
	if res.Remote == id {
		return res, nil
	}
	local, err := snapshot.ReadManifest(dataDir, id)
	if err != nil {
		return res, err
	}
	for _, s := range local.Sources {
		if s.Restrictions != "" {
			res.Restricted = append(res.Restricted, s.Name+" ("+s.Restrictions+")")
		}
	}
	if res.Remote != "" && !force {
		if remote, err := remoteManifest(ctx, bucket, res.Remote); err != nil {
			return res, fmt.Errorf("publish: the target's LATEST names %s, whose manifest cannot be read (%w); --force publishes over it", res.Remote, err)
		} else if remote.CreatedAt.After(local.CreatedAt) {
			return res, fmt.Errorf("publish: %w: it names %s (created %s), this is %s (created %s); --force moves it back",
				ErrOlder, res.Remote, remote.CreatedAt.Format(timeFormat), id, local.CreatedAt.Format(timeFormat))
		}
	}
	res.ID = id
	res.Files, res.Bytes, err = uploadSnapshot(ctx, bucket, dataDir, local)
	return res, err
}

const timeFormat = "2006-01-02T15:04:05Z07:00"

func remoteManifest(ctx context.Context, bucket *blob.Bucket, id string) (snapshot.Manifest, error) {
	var m snapshot.Manifest
	b, err := bucket.ReadAll(ctx, "snapshots/"+id+"/"+snapshot.ManifestFile)
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	return m, err
}

// uploadSnapshot uploads one snapshot, m: its files, then its manifest, then LATEST. It returns how many
// objects and bytes it wrote.
func uploadSnapshot(ctx context.Context, bucket *blob.Bucket, dataDir string, m snapshot.Manifest) (int, int64, error) {
	id := m.ID
	dir := snapshot.Path(dataDir, id)
	var files int
	var bytes int64
	for _, f := range m.Files {
		if err := upload(ctx, bucket, filepath.Join(dir, filepath.FromSlash(f.Path)), "snapshots/"+id+"/"+f.Path, f.Bytes); err != nil {
			return files, bytes, err
		}
		files, bytes = files+1, bytes+f.Bytes
	}
	manifest := filepath.Join(dir, snapshot.ManifestFile)
	info, err := os.Stat(manifest)
	if err != nil {
		return files, bytes, err
	}
	if err := upload(ctx, bucket, manifest, "snapshots/"+id+"/"+snapshot.ManifestFile, info.Size()); err != nil {
		return files, bytes, err
	}
	latest := []byte(id + "\n")
	if err := bucket.WriteAll(ctx, LatestKey, latest, &blob.WriterOptions{ContentType: snapshot.MediaType(LatestKey), CacheControl: cacheLatest}); err != nil {
		return files, bytes, fmt.Errorf("publish: %s: %w", LatestKey, err)
	}
	return files + 2, bytes + info.Size() + int64(len(latest)), nil
}

// upload copies a file to key and checks that the object has the file's size.
func upload(ctx context.Context, bucket *blob.Bucket, path, key string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := bucket.NewWriter(ctx, key, &blob.WriterOptions{ContentType: snapshot.MediaType(key), CacheControl: cacheImmutable})
	if err != nil {
		return fmt.Errorf("publish: %s: %w", key, err)
	}
	if _, err := io.Copy(w, f); err != nil {
		w.Close()
		return fmt.Errorf("publish: %s: %w", key, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("publish: %s: %w", key, err)
	}
	attrs, err := bucket.Attributes(ctx, key)
	if err != nil {
		return fmt.Errorf("publish: %s: %w", key, err)
	}
	if attrs.Size != size {
		return fmt.Errorf("publish: %s: the bucket holds %d bytes, the file has %d", key, attrs.Size, size)
	}
	return nil
}
