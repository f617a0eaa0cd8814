// Package publish copies snapshots to object storage through gocloud.dev/blob: an S3-compatible bucket
// (s3://bucket?region=…, credentials from the standard AWS environment) or a local folder
// (file:///path). Snapshots land under snapshots/<id>/ as on disk, so DuckDB, Spark, Trino or Athena
// read them where they are.
//
// The order keeps readers safe: every file of a snapshot first, then its manifest, then LATEST. A
// publish that stops halfway leaves the remote LATEST on the previous complete snapshot, and the next
// Sync publishes again.
package publish

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// URLs
	_ "gocloud.dev/blob/s3blob"   // s3:// URLs (and S3-compatible servers via ?endpoint=)
	"gocloud.dev/gcerrors"

	"toll/pipeline/snapshot"
)

// LatestKey is the object that names the newest complete published snapshot.
const LatestKey = "snapshots/LATEST"

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

// Sync publishes the local LATEST snapshot to url unless the bucket's LATEST names it already. It
// returns the id published, or "" when there was nothing to do.
func Sync(ctx context.Context, dataDir, url string) (string, error) {
	id, err := snapshot.Latest(dataDir)
	if err != nil {
		return "", err
	}
	bucket, err := blob.OpenBucket(ctx, url)
	if err != nil {
		return "", fmt.Errorf("publish: opening %s: %w", url, err)
	}
	defer bucket.Close()
	remote, err := RemoteLatest(ctx, bucket)
	if err != nil {
		return "", fmt.Errorf("publish: reading %s: %w", LatestKey, err)
	}
	if remote == id {
		return "", nil
	}
	if err := Snapshot(ctx, bucket, dataDir, id); err != nil {
		return "", err
	}
	return id, nil
}

// Snapshot uploads one snapshot: its files, then its manifest, then LATEST.
func Snapshot(ctx context.Context, bucket *blob.Bucket, dataDir, id string) error {
	m, err := snapshot.ReadManifest(dataDir, id)
	if err != nil {
		return err
	}
	dir := snapshot.Path(dataDir, id)
	for _, f := range m.Files {
		if err := upload(ctx, bucket, filepath.Join(dir, f.Path), "snapshots/"+id+"/"+f.Path, f.Bytes); err != nil {
			return err
		}
	}
	manifest := filepath.Join(dir, snapshot.ManifestFile)
	info, err := os.Stat(manifest)
	if err != nil {
		return err
	}
	if err := upload(ctx, bucket, manifest, "snapshots/"+id+"/"+snapshot.ManifestFile, info.Size()); err != nil {
		return err
	}
	if err := bucket.WriteAll(ctx, LatestKey, []byte(id+"\n"), &blob.WriterOptions{ContentType: "text/plain"}); err != nil {
		return fmt.Errorf("publish: %s: %w", LatestKey, err)
	}
	return nil
}

// upload copies a file to key and checks that the object has the file's size.
func upload(ctx context.Context, bucket *blob.Bucket, path, key string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	opts := &blob.WriterOptions{ContentType: "application/octet-stream"}
	if strings.HasSuffix(key, ".json") {
		opts.ContentType = "application/json"
	}
	w, err := bucket.NewWriter(ctx, key, opts)
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
