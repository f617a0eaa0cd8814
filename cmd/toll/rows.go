package main

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"toll/pipeline/obs"
)

// writeRows prints a result set as an aligned table, CSV, or a JSON array of objects. Every format
// writes a DATE as 2006-01-02 and a timestamp in RFC 3339 (UTC), and an integer as an integer. CSV
// writes NULL, NaN and infinities as an empty field, which pandas and R read as missing; JSON writes them
// as null and keeps the columns in the SELECT's order; the table shows NULL.
func writeRows(w io.Writer, rows *sql.Rows, format string) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	var (
		tw    *tabwriter.Writer
		cw    *csv.Writer
		first = true
	)
	switch format {
	case "table":
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	case "csv":
		cw = csv.NewWriter(w)
		if err := cw.Write(cols); err != nil {
			return err
		}
	case "json":
		if _, err := io.WriteString(w, "["); err != nil {
			return err
		}
	}
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	var line bytes.Buffer
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		text := make([]string, len(cols))
		missing := make([]bool, len(cols))
		for i, v := range values {
			text[i], missing[i] = formatValue(v, types[i].DatabaseTypeName())
		}
		switch format {
		case "table":
			for i := range text {
				if missing[i] && values[i] == nil {
					text[i] = "NULL"
				}
			}
			fmt.Fprintln(tw, strings.Join(text, "\t"))
		case "csv":
			if err := cw.Write(text); err != nil {
				return err
			}
		case "json":
			line.Reset()
			if !first {
				line.WriteString(",")
			}
			first = false
			line.WriteString("\n  {")
			for i, c := range cols {
				if i > 0 {
					line.WriteString(", ")
				}
				name, _ := json.Marshal(c)
				line.Write(name)
				line.WriteString(": ")
				line.Write(jsonValue(values[i], text[i], missing[i]))
			}
			line.WriteString("}")
			if _, err := w.Write(line.Bytes()); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	switch format {
	case "table":
		return tw.Flush()
	case "csv":
		cw.Flush()
		return cw.Error()
	}
	end := "\n]\n"
	if first {
		end = "]\n"
	}
	_, err = io.WriteString(w, end)
	return err
}

// formatValue is a value as text, and whether it is missing (NULL, NaN or an infinity: "").
func formatValue(v any, dbType string) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case time.Time:
		if dbType == "DATE" {
			return v.UTC().Format(obs.DateLayout), false
		}
		return v.UTC().Format(time.RFC3339), false
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", true
		}
		return strconv.FormatFloat(v, 'g', -1, 64), false
	case float32:
		return formatValue(float64(v), dbType)
	case *big.Int:
		return v.String(), false
	case []byte:
		return string(v), false
	}
	return fmt.Sprint(v), false
}

// jsonValue is a value as JSON: a number or a boolean as itself, a missing one as null, anything else
// as the string formatValue made of it.
func jsonValue(v any, text string, missing bool) []byte {
	if missing {
		return []byte("null")
	}
	switch v.(type) {
	case int8, int16, int32, int64, uint8, uint16, uint32, uint64, int, uint, float32, float64, bool, *big.Int:
		return []byte(text)
	}
	b, _ := json.Marshal(text)
	return b
}
