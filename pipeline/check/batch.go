package check

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"toll/pipeline/duck"
	"toll/pipeline/obs"
)

// BatchInput is one line of a batch file: a text (or one sentence) and its publication date. PageID
// groups consecutive sentences of one article, so that later sentences read in the context of earlier
// ones; URL or Title, when given, hint at where the article is about.
type BatchInput struct {
	ID        string `json:"id"`
	Published string `json:"published"`
	Text      string `json:"text"`
	Sentence  string `json:"sentence"`
	PageID    string `json:"page_id"`
	URL       string `json:"url"`
	Title     string `json:"title"`
}

// BatchResult is the answer for one input line, in input order.
type BatchResult struct {
	ID        string  `json:"id"`
	Published string  `json:"published,omitempty"`
	Claims    []Claim `json:"claims"`
	Error     string  `json:"error,omitempty"` // the line could not be checked; the others still are
}

// maxLineBytes caps one batch line.
const maxLineBytes = MaxTextBytes + 1<<16

// CheckBatch reads JSON lines from r and calls emit with each result, in order. A line that cannot be
// read gets a result with Error naming the line and the field; the batch goes on. It returns the number
// of such lines.
func (c *Checker) CheckBatch(ctx context.Context, name string, r io.Reader, emit func(BatchResult) error) (failed int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLineBytes)
	var pageCtx *Context
	page := ""
	for line := 1; sc.Scan(); line++ {
		if err := ctx.Err(); err != nil {
			return failed, err
		}
		raw := strings.TrimSpace(sc.Text())
		res, in := c.batchLine(name, line, raw)
		if res.Error == "" {
			if in.PageID == "" || in.PageID != page {
				pageCtx = NewContext(in.URL + " " + in.Title)
				page = in.PageID
			}
			published, _ := obs.ParseDate(in.Published)
			text := in.Text
			if text == "" {
				res.Claims = c.CheckSentence(in.Sentence, published, pageCtx)
			} else if res.Claims, err = c.checkTextIn(text, published, pageCtx); err != nil {
				res.Error = fmt.Sprintf("%s: line %d: field text: %v", name, line, err)
			}
		}
		if res.Error != "" {
			failed++
		}
		if res.Claims == nil {
			res.Claims = []Claim{}
		}
		if err := emit(res); err != nil {
			return failed, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return failed, fmt.Errorf("%s: a line is longer than %d bytes", name, maxLineBytes)
		}
		return failed, fmt.Errorf("%s: %w", name, err)
	}
	return failed, nil
}

func (c *Checker) batchLine(name string, line int, raw string) (BatchResult, BatchInput) {
	var in BatchInput
	bad := func(field, msg string) (BatchResult, BatchInput) {
		where := fmt.Sprintf("%s: line %d", name, line)
		if field != "" {
			where += ": field " + field
		}
		return BatchResult{ID: in.ID, Published: in.Published, Error: where + ": " + msg}, in
	}
	if raw == "" {
		return bad("", "empty line (every input line gets an output line, in order)")
	}
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		return bad("", "not a JSON object: "+err.Error())
	}
	if _, err := obs.ParseDate(in.Published); err != nil {
		return bad("published", fmt.Sprintf("want YYYY-MM-DD, got %q", in.Published))
	}
	if in.Text == "" && in.Sentence == "" {
		return bad("text", "missing (give text or sentence)")
	}
	return BatchResult{ID: in.ID, Published: in.Published}, in
}

// checkTextIn checks a whole text, continuing an article context.
func (c *Checker) checkTextIn(text string, published time.Time, ctx *Context) ([]Claim, error) {
	if err := checkInput(text); err != nil {
		return nil, err
	}
	var claims []Claim
	for _, s := range Sentences(text) {
		for _, cl := range c.CheckSentence(s, published, ctx) {
			cl.Sentence = s
			claims = append(claims, cl)
		}
	}
	return claims, nil
}

// ParquetWriter collects batch results into a table, one row per claim, and writes it as Parquet.
type ParquetWriter struct {
	db   *sql.DB
	conn *sql.Conn // the appender's connection; the table is written from it too
	app  *duckdb.Appender
}

const claimsTable = `CREATE TABLE claims (
  id VARCHAR, published DATE, claim INTEGER, text_span VARCHAR, value BIGINT, value_max BIGINT, qualifier VARCHAR,
  metric VARCHAR, population VARCHAR, subgroup VARCHAR, area VARCHAR, country_iso3 VARCHAR, attributed_to VARCHAR,
  scope VARCHAR, unit VARCHAR, verdict VARCHAR, why VARCHAR, tolerance VARCHAR, data_series VARCHAR, data_value BIGINT,
  data_report_date DATE, data_publisher VARCHAR, data_basis VARCHAR, snapshot VARCHAR, current_from DATE,
  current_until DATE, error VARCHAR)`

// NewParquetWriter starts a table in an in-memory DuckDB.
func NewParquetWriter(ctx context.Context) (*ParquetWriter, error) {
	db, err := duck.Open("", duck.Options{})
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, claimsTable); err != nil {
		db.Close()
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	w := &ParquetWriter{db: db, conn: conn}
	err = conn.Raw(func(dc any) error {
		w.app, err = duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "claims")
		return err
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return w, nil
}

func nullStr(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func nullDate(s string) driver.Value {
	if t, err := obs.ParseDate(s); err == nil {
		return t
	}
	return nil
}

func nullInt(p *int64) driver.Value {
	if p == nil {
		return nil
	}
	return *p
}

// Add appends one result's claims (or its error) as rows.
func (w *ParquetWriter) Add(r BatchResult) error {
	if r.Error != "" {
		return w.app.AppendRow(r.ID, nullDate(r.Published), nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil,
			nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, r.Error)
	}
	for i, c := range r.Claims {
		var series, publisher, basis, snap, reportDate driver.Value
		var value driver.Value
		if c.Data != nil {
			series, publisher, basis, snap = c.Data.Series, c.Data.Publisher, c.Data.Basis, c.Data.Snapshot
			value, reportDate = c.Data.Value, nullDate(c.Data.ReportDate)
		}
		if err := w.app.AppendRow(r.ID, nullDate(r.Published), int32(i), c.TextSpan, nullInt(c.Value), nullInt(c.ValueMax),
			c.Qualifier, c.Metric, nullStr(c.Population), c.Subgroup, nullStr(c.Area), nullStr(c.CountryISO3),
			nullStr(c.AttributedTo), c.Scope, c.Unit, c.Verdict, c.Why, nullStr(c.Tolerance), series, value, reportDate,
			publisher, basis, snap, nullDate(c.CurrentFrom), nullDate(c.CurrentUntil), nil); err != nil {
			return err
		}
	}
	return nil
}

// Write writes the table to path as zstd Parquet and closes the writer.
func (w *ParquetWriter) Write(path string) error {
	defer w.db.Close()
	if err := w.app.Close(); err != nil {
		return err
	}
	_, err := w.conn.ExecContext(context.Background(), fmt.Sprintf(`COPY (SELECT * FROM claims ORDER BY rowid) TO '%s' (FORMAT parquet, COMPRESSION zstd)`,
		strings.ReplaceAll(path, "'", "''")))
	return err
}
