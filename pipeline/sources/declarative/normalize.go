package declarative

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"toll/pipeline/obs"
	"toll/pipeline/source"
)

// record is one record of a payload, every field as text; nested JSON objects are flattened with dots.
type record struct {
	label  string // "record 12" or "line 13", for errors
	fields map[string]string
}

func (r record) get(column string) (string, bool) {
	v, ok := r.fields[column]
	return strings.TrimSpace(v), ok
}

// Normalize reads the payload's records and makes one observation per record and series.
func (s *Source) Normalize(body []byte) (source.Result, error) {
	records, err := s.records(body)
	if err != nil {
		return source.Result{}, err
	}
	var res source.Result
	seen := map[obs.Key]int{}     // where each key's row is, for duplicates
	summed := map[string]string{} // each record summed, as its fields, to the label of its first copy
	for _, r := range records {
		if !s.keep(r) {
			continue
		}
		if s.spec.Duplicates == "sum" {
			// Summing a record twice doubles a count: a payload that repeats one exactly is suspect.
			fields := fmt.Sprint(r.fields) // fmt prints a map sorted by key
			if first, ok := summed[fields]; ok {
				res.Suspect = append(res.Suspect, fmt.Sprintf("%s repeats %s exactly, and this source sums its records", r.label, first))
			} else {
				summed[fields] = r.label
			}
		}
		rows, warnings, err := s.normalizeRecord(r)
		if err != nil {
			return source.Result{}, err
		}
		res.Warnings = append(res.Warnings, warnings...)
		for _, o := range rows {
			i, dup := seen[o.Key()]
			switch {
			case dup && s.spec.Duplicates == "sum":
				sum := &res.Rows[i]
				sum.Value += o.Value
				sum.ValueLow, sum.ValueHigh = addRange(sum.ValueLow, o.ValueLow), addRange(sum.ValueHigh, o.ValueHigh)
			case dup:
				res.Warnings = append(res.Warnings, obs.Warning{Source: s.spec.Name, Record: r.label,
					Msg: fmt.Sprintf("repeats %s for %s; this later record is kept", o.SeriesID, o.ReportDate.Format(obs.DateLayout))})
				res.Rows[i] = o
			default:
				seen[o.Key()] = len(res.Rows)
				res.Rows = append(res.Rows, o)
			}
		}
	}
	if len(records) > 0 && len(res.Rows) == 0 {
		res.Warnings = append(res.Warnings, obs.Warning{Source: s.spec.Name,
			Msg: fmt.Sprintf("%d records, none with a value for any series (check the column names)", len(records))})
	}
	return res, nil
}

// addRange adds two ends of ranges; a sum with an unknown end is unknown.
func addRange(a, b *int64) *int64 {
	if a == nil || b == nil {
		return nil
	}
	v := *a + *b
	return &v
}

func (s *Source) keep(r record) bool {
	for column, values := range s.spec.Where {
		v, _ := r.get(column)
		if !slices.Contains(values, v) {
			return false
		}
	}
	return true
}

func (s *Source) bad(record, field string, err error) error {
	return &obs.RowError{Source: s.spec.Name, Record: record, Field: field, Err: err}
}

func (s *Source) normalizeRecord(r record) ([]obs.Observation, []obs.Warning, error) {
	place := obs.Place{}
	for _, f := range []struct {
		dst     *string
		mapping string
	}{{&place.CountryISO3, s.spec.Place.CountryISO3}, {&place.Admin1Pcode, s.spec.Place.Admin1Pcode},
		{&place.Admin1Name, s.spec.Place.Admin1Name}, {&place.Admin2Pcode, s.spec.Place.Admin2Pcode},
		{&place.Admin2Name, s.spec.Place.Admin2Name}} {
		*f.dst, _ = s.fieldOf(r, f.mapping)
	}
	if len(place.CountryISO3) != 3 || strings.ToUpper(place.CountryISO3) != place.CountryISO3 {
		return nil, nil, s.bad(r.label, s.spec.Place.CountryISO3, fmt.Errorf("want an ISO 3166-1 alpha-3 code, got %q", place.CountryISO3))
	}
	start, end, report, err := s.dates(r)
	if err != nil {
		return nil, nil, err
	}
	label := r.label + " (report_date " + report.Format(obs.DateLayout) + ")"
	recordID, publisher := "", s.spec.Publisher
	for _, f := range []struct {
		dst     *string
		mapping string
	}{{&recordID, s.spec.Record.ID}, {&publisher, s.spec.Record.Publisher}} {
		if f.mapping == "" {
			continue
		}
		v, ok := s.fieldOf(r, f.mapping)
		if !ok {
			return nil, nil, s.bad(label, f.mapping, errors.New("empty; every record of this source needs it"))
		}
		*f.dst = v
	}
	var rows []obs.Observation
	var warnings []obs.Warning
	for _, sr := range s.spec.Series {
		raw, _ := s.fieldOf(r, sr.Value)
		value, ok, err := parseCount(raw)
		if err != nil {
			return nil, nil, s.bad(label, sr.Value, err)
		}
		if !ok {
			continue
		}
		series := obs.Series{Source: s.spec.Name, Place: place, Metric: sr.Metric, Subgroup: sr.Subgroup,
			Measure: sr.Measure, Variant: s.variant(r, sr.Variant)}
		o := obs.Observation{SeriesID: series.ID(), Series: series, PeriodStart: start, PeriodEnd: end,
			ReportDate: report, RecordID: recordID, Value: value, Basis: cmp.Or(sr.Basis, obs.BasisReported),
			Publisher: publisher, Distributor: s.spec.Distributor}
		if sr.Measure == obs.MeasureStock {
			o.PeriodStart = end // a stock describes one day
		}
		for _, b := range []struct {
			dst    **int64
			column string
		}{{&o.ValueLow, sr.Low}, {&o.ValueHigh, sr.High}} {
			if b.column == "" {
				continue
			}
			raw, _ := s.fieldOf(r, b.column)
			v, ok, err := parseCount(raw)
			if err != nil {
				return nil, nil, s.bad(label, b.column, err)
			}
			if ok {
				*b.dst = &v
			}
		}
		if (o.ValueLow != nil && *o.ValueLow > o.Value) || (o.ValueHigh != nil && *o.ValueHigh < o.Value) {
			// The publisher's range does not contain its own estimate: keep the estimate, not the range.
			warnings = append(warnings, obs.Warning{Source: s.spec.Name, Record: label, Field: sr.Value,
				Msg: fmt.Sprintf("value %d outside its range %s..%s; the range is left out", o.Value, rangeEnd(o.ValueLow), rangeEnd(o.ValueHigh))})
			o.ValueLow, o.ValueHigh = nil, nil
		}
		rows = append(rows, o)
	}
	return rows, warnings, nil
}

func rangeEnd(p *int64) string {
	if p == nil {
		return "?"
	}
	return strconv.FormatInt(*p, 10)
}

// dates reads a record's period and report date.
func (s *Source) dates(r record) (start, end, report time.Time, err error) {
	d := s.spec.Dates
	if d.Year != "" {
		raw, _ := s.fieldOf(r, d.Year)
		y, convErr := strconv.Atoi(raw)
		if convErr != nil || y < 1900 || y > 2200 {
			return start, end, report, s.bad(r.label, d.Year, fmt.Errorf("want a year, got %q", raw))
		}
		if d.Month == "" {
			start = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			end = time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
			return start, end, end, nil
		}
		raw, _ = s.fieldOf(r, d.Month)
		m, ok := parseMonth(raw)
		if !ok {
			return start, end, report, s.bad(r.label, d.Month, fmt.Errorf("want a month name or number, got %q", raw))
		}
		start = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		end = start.AddDate(0, 1, -1)
		return start, end, end, nil
	}
	read := func(mapping string) (time.Time, error) {
		raw, ok := s.fieldOf(r, mapping)
		if !ok {
			return time.Time{}, s.bad(r.label, mapping, errors.New("missing"))
		}
		t, err := parseDate(raw)
		if err != nil {
			return time.Time{}, s.bad(r.label, mapping, err)
		}
		return t, nil
	}
	reportMapping, endMapping := cmp.Or(d.ReportDate, d.PeriodEnd), cmp.Or(d.PeriodEnd, d.ReportDate)
	if report, err = read(reportMapping); err != nil {
		return
	}
	if end, err = read(endMapping); err != nil {
		return
	}
	start = end
	if d.PeriodStart != "" {
		if start, err = read(d.PeriodStart); err != nil {
			return
		}
	}
	if end.Before(start) {
		err = s.bad(r.label, d.PeriodStart, fmt.Errorf("period starts %s, after it ends %s", start.Format(obs.DateLayout), end.Format(obs.DateLayout)))
	}
	return
}

func parseMonth(s string) (time.Month, bool) {
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 12 {
		return time.Month(n), true
	}
	for m := time.January; m <= time.December; m++ {
		if strings.EqualFold(s, m.String()) || (len(s) == 3 && strings.EqualFold(s, m.String()[:3])) {
			return m, true
		}
	}
	return 0, false
}

var dateLayouts = []string{obs.DateLayout, "2006-01-02T15:04:05", time.RFC3339, "2006-01-02 15:04:05"}

func parseDate(s string) (time.Time, error) {
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return obs.Day(t), nil
		}
	}
	return time.Time{}, fmt.Errorf("want a date (YYYY-MM-DD), got %q", s)
}

// parseCount reads a count printed as a number or a string ("663396", "1,234", "12.0"); empty, "-" and
// "null" mean no value.
func parseCount(raw string) (int64, bool, error) {
	raw = strings.ReplaceAll(strings.TrimSpace(raw), ",", "")
	switch strings.ToLower(raw) {
	case "", "-", "null", "na", "n/a":
		return 0, false, nil
	}
	if v, err := strconv.ParseInt(raw, 10, 64); err == nil {
		return v, true, nil
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false, fmt.Errorf("want a whole number, got %q", raw)
	}
	return int64(f), true, nil
}

// records reads the payload's records according to the format.
func (s *Source) records(body []byte) ([]record, error) {
	if s.spec.Compression == "zip" {
		var err error
		if body, err = unzipOne(body); err != nil {
			return nil, s.bad("payload", "", err)
		}
	}
	body = trimBOM(body)
	switch s.spec.Format {
	case "csv":
		return s.csvRecords(body)
	case "xlsx":
		return s.xlsxRecords(body)
	case "jsonl":
		var out []record
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(make([]byte, 64<<10), 64<<20)
		for line := 1; sc.Scan(); line++ {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			var v any
			if err := decode(sc.Bytes(), &v); err != nil {
				return nil, s.bad(fmt.Sprintf("line %d", line), "", fmt.Errorf("not JSON: %w", err))
			}
			r, err := s.jsonRecord(fmt.Sprintf("line %d", line), v)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, sc.Err()
	}
	var doc any
	if err := decode(body, &doc); err != nil {
		return nil, s.bad("payload", "", fmt.Errorf("not JSON (truncated payload?): %w", err))
	}
	pages := []any{doc}
	if s.spec.Paging != nil { // fetch archives the pages of a paged API as a JSON array of pages
		arr, ok := doc.([]any)
		if !ok {
			return nil, s.bad("payload", "", errors.New("want the JSON array of pages that a paged fetch archives"))
		}
		pages = arr
	}
	var out []record
	for p, page := range pages {
		items, err := s.at(page, s.spec.Records)
		if err != nil {
			return nil, s.bad(fmt.Sprintf("page %d", p+1), s.spec.Records, err)
		}
		for _, item := range items {
			r, err := s.jsonRecord(fmt.Sprintf("record %d", len(out)), item)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

func decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// at returns the array at a dot-separated path of a JSON document.
func (s *Source) at(doc any, path string) ([]any, error) {
	v := doc
	if path != "" {
		for _, key := range strings.Split(path, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("want an object with %q", key)
			}
			if v, ok = m[key]; !ok {
				return nil, fmt.Errorf("missing %q", key)
			}
		}
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, errors.New("want an array of records")
	}
	return arr, nil
}

func (s *Source) jsonRecord(label string, v any) (record, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return record{}, s.bad(label, "", fmt.Errorf("want an object, got %T", v))
	}
	r := record{label: label, fields: map[string]string{}}
	flatten("", obj, r.fields)
	return r, nil
}

func flatten(prefix string, obj map[string]any, out map[string]string) {
	for k, v := range obj {
		switch v := v.(type) {
		case map[string]any:
			flatten(prefix+k+".", v, out)
		case nil:
		case string:
			out[prefix+k] = v
		case json.Number:
			out[prefix+k] = v.String()
		case bool:
			out[prefix+k] = strconv.FormatBool(v)
		}
	}
}

// unzipOne returns the one data file of a zip archive (UCDP publishes a release as a zip of one CSV).
func unzipOne(body []byte) ([]byte, error) {
	member, _, err := source.OpenZipMember(bytes.NewReader(body), int64(len(body)), nil)
	if err != nil {
		return nil, err
	}
	defer member.Close()
	return io.ReadAll(member)
}

// checkHeader refuses a table without a column the spec reads.
func (s *Source) checkHeader(where string, header []string) error {
	columns := map[string]bool{}
	for _, h := range header {
		columns[h] = true
	}
	for _, needed := range s.columnsUsed() {
		if !columns[needed] {
			return s.bad(where, needed, fmt.Errorf("column missing (the file has %s)", strings.Join(header, ", ")))
		}
	}
	return nil
}

// xlsxRecords reads the listed worksheets, each with a header row.
func (s *Source) xlsxRecords(body []byte) ([]record, error) {
	book, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		return nil, s.bad("payload", "", fmt.Errorf("not an xlsx workbook: %w", err))
	}
	defer book.Close()
	var out []record
	for _, sheet := range s.spec.Sheets {
		rows, err := book.GetRows(sheet)
		if err != nil {
			return nil, s.bad("sheet "+sheet, "", err)
		}
		if len(rows) == 0 {
			return nil, s.bad("sheet "+sheet, "", errors.New("empty"))
		}
		header := rows[0]
		if err := s.checkHeader("sheet "+sheet+" header", header); err != nil {
			return nil, err
		}
		for i, row := range rows[1:] {
			rec := record{label: fmt.Sprintf("sheet %s row %d", sheet, i+2), fields: make(map[string]string, len(header))}
			for j, h := range header {
				if j < len(row) {
					rec.fields[h] = row[j]
				}
			}
			out = append(out, rec)
		}
	}
	return out, nil
}

func (s *Source) csvRecords(body []byte) ([]record, error) {
	r := csv.NewReader(bytes.NewReader(body))
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return nil, s.bad("payload", "", fmt.Errorf("not CSV: %w", err))
	}
	if err := s.checkHeader("header", header); err != nil {
		return nil, err
	}
	for range s.spec.SkipRows {
		if _, err := r.Read(); err != nil {
			return nil, s.bad("line 2", "", fmt.Errorf("skipping the rows after the header: %w", err))
		}
	}
	var out []record
	for {
		row, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			line := len(out) + 2
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, s.bad(fmt.Sprintf("line %d", line), "", err)
		}
		line, _ := r.FieldPos(0)
		rec := record{label: fmt.Sprintf("line %d", line), fields: make(map[string]string, len(header))}
		for i, h := range header {
			rec.fields[h] = row[i]
		}
		out = append(out, rec)
	}
}

// columnsUsed lists the columns the spec reads, so that a CSV without one of them is refused at its
// header rather than read as empty.
func (s *Source) columnsUsed() []string {
	var cols []string
	add := func(m string) {
		if m != "" && !strings.HasPrefix(m, "=") {
			cols = append(cols, m)
		}
	}
	p, d := s.spec.Place, s.spec.Dates
	for _, m := range []string{p.CountryISO3, p.Admin1Pcode, p.Admin1Name, p.Admin2Pcode, p.Admin2Name,
		d.ReportDate, d.PeriodStart, d.PeriodEnd, d.Year, d.Month} {
		add(m)
	}
	for _, sr := range s.spec.Series {
		add(sr.Value)
		add(sr.Low)
		add(sr.High)
		for _, m := range variantColumnRE.FindAllStringSubmatch(sr.Variant, -1) {
			add(m[1])
		}
	}
	for c := range s.spec.Where {
		add(c)
	}
	return cols
}
