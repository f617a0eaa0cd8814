package serve_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"toll/pipeline/snapshot"
)

// httpFile reads a served file with Range requests only, as DuckDB-WASM or another browser-side Parquet
// reader does, and counts the bytes it fetched.
type httpFile struct {
	url     string
	size    int64
	offset  int64
	fetched int64
}

func (f *httpFile) ReadAt(p []byte, off int64) (int, error) {
	if off >= f.size {
		return 0, io.EOF
	}
	end := min(off+int64(len(p)), f.size) - 1
	req, _ := http.NewRequest("GET", f.url, nil)
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, end))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent {
		return 0, fmt.Errorf("range %d-%d: %s", off, end, resp.Status)
	}
	n, err := io.ReadFull(resp.Body, p[:end-off+1])
	f.fetched += int64(n)
	if err == nil && n < len(p) {
		err = io.EOF
	}
	return n, err
}

func (f *httpFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		f.offset = offset
	case io.SeekCurrent:
		f.offset += offset
	case io.SeekEnd:
		f.offset = f.size + offset
	}
	if f.offset < 0 {
		return 0, errors.New("negative offset")
	}
	return f.offset, nil
}

func (f *httpFile) Read(p []byte) (int, error) {
	n, err := f.ReadAt(p, f.offset)
	f.offset += int64(n)
	return n, err
}

// A Parquet reader over HTTP reads a source's file of the observations dataset through Range requests:
// the row count the manifest records, and one country's rows, fetching only the row groups whose
// statistics may hold that country (the file is sorted by country), a fraction of the file.
func TestParquetOverHTTPRanges(t *testing.T) {
	srv, _ := serverOf(t, "hdx_hapi_conflict_events")
	_, body := get(t, request(t, "GET", srv.URL+"/snapshots", nil))
	var list struct {
		Latest    string
		Snapshots []snapshot.Manifest
	}
	if err := json.Unmarshal(body, &list); err != nil || len(list.Snapshots) == 0 {
		t.Fatalf("/snapshots: %v %s", err, body)
	}
	path := snapshot.SourceDir("hdx_hapi_conflict_events") + "/data.parquet"
	var entry snapshot.FileEntry
	for _, f := range list.Snapshots[len(list.Snapshots)-1].Files {
		if f.Path == path {
			entry = f
		}
	}
	u := srv.URL + "/snapshots/" + list.Latest + "/" + path
	resp, _ := get(t, request(t, "HEAD", u, nil))
	size, _ := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64)
	if size != entry.Bytes || size == 0 {
		t.Fatalf("HEAD: %d bytes, manifest says %d", size, entry.Bytes)
	}
	hf := &httpFile{url: u, size: size}
	pr, err := file.NewParquetReader(hf)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	if pr.NumRows() != entry.Rows {
		t.Errorf("footer says %d rows, manifest %d", pr.NumRows(), entry.Rows)
	}
	const country = "YEM" // 1,665 rows in the bundled HDX HAPI file
	col := pr.MetaData().Schema.ColumnIndexByName("country_iso3")
	var groups []int
	for g := range pr.NumRowGroups() {
		stats, err := pr.MetaData().RowGroup(g).ColumnChunk(col)
		if err != nil {
			t.Fatal(err)
		}
		st, err := stats.Statistics()
		if err != nil || st == nil || !st.HasMinMax() {
			t.Fatalf("row group %d has no statistics of country_iso3 (%v)", g, err)
		}
		min, max := string(st.(*metadata.ByteArrayStatistics).Min()), string(st.(*metadata.ByteArrayStatistics).Max())
		if min <= country && country <= max {
			groups = append(groups, g)
		}
	}
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	columns := make([]int, pr.MetaData().Schema.NumColumns())
	for i := range columns {
		columns[i] = i
	}
	tbl, err := fr.ReadRowGroups(context.Background(), columns, groups)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	rows := 0
	for _, chunk := range tbl.Column(col).Data().Chunks() {
		for i := range chunk.Len() {
			if chunk.(*array.String).Value(i) == country {
				rows++
			}
		}
	}
	if rows != 1665 {
		t.Errorf("%s: %d rows in row groups %v, want 1665", country, rows, groups)
	}
	t.Logf("%s: fetched %d of %d bytes (row groups %v of %d)", country, hf.fetched, size, groups, pr.NumRowGroups())
	if hf.fetched >= size/2 {
		t.Errorf("fetched %d of %d bytes for one country; its row groups should need far less", hf.fetched, size)
	}
}
