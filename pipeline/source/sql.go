package source

import "strings"

// SQLString is s as a DuckDB string literal, for the SQL a QuerySource writes and the warehouse runs.
func SQLString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// SQLEnum is the DuckDB type ENUM('a', 'b', …) of values, in their order.
func SQLEnum(values ...string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = SQLString(v)
	}
	return "ENUM(" + strings.Join(quoted, ", ") + ")"
}
