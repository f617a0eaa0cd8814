package snapshot

import (
	"context"
	"database/sql"
	"time"
)

// Comparison is one source's figure for one month and place, and how it was computed from the series.
type Comparison struct {
	Month     time.Time
	Source    string
	Place     string // the admin1 area, or the country
	Variant   string
	Measure   string
	Value     int64
	How       string
	Publisher string
}

// compareSQL brings series of different shapes to one monthly figure: counts within periods are summed
// by the month their period ends (over every admin area of an admin1 area); a running total gives its
// increase over the month (last report of the month minus last report of the month before); a stock
// gives its last value of the month. Variants stay apart; subgroups other than the one asked are left out.
const compareSQL = `
WITH picked AS (
  SELECT o.*, date_trunc('month', o.report_date) AS month, coalesce(o.admin1_name, o.country_iso3) AS place,
         coalesce(s.variant, '') AS variant_
  FROM observations o JOIN series s USING (series_id)
  WHERE o.metric = ? AND o.country_iso3 = ? AND o.subgroup = ?),
periods AS (
  SELECT date_trunc('month', period_end) AS month, source, place, variant_, measure, sum(value) AS value,
         'sum of the counts of periods ending in the month' AS how, any_value(publisher) AS publisher
  FROM picked WHERE measure = 'period' GROUP BY ALL),
month_end AS (
  SELECT month, source, series_id, place, variant_, measure, arg_max(value, report_date) AS value,
         any_value(publisher) AS publisher
  FROM picked WHERE measure IN ('cumulative', 'stock') GROUP BY ALL),
cumulative AS (
  SELECT month, source, place, variant_, measure,
         value - lag(value) OVER (PARTITION BY series_id ORDER BY month) AS value,
         'increase of the running total over the month' AS how, publisher
  FROM month_end WHERE measure = 'cumulative'),
stocks AS (
  SELECT month, source, place, variant_, measure, sum(value) AS value, 'stock at the last report of the month' AS how,
         any_value(publisher) AS publisher
  FROM month_end WHERE measure = 'stock' GROUP BY ALL)
SELECT month, source, place, variant_, measure, value, how, publisher
FROM (SELECT * FROM periods UNION ALL SELECT * FROM cumulative UNION ALL SELECT * FROM stocks)
WHERE value IS NOT NULL AND month BETWEEN ? AND ?
ORDER BY month, place, source, variant_`

// Compare lines up the sources' monthly figures for a metric, country and subgroup between two months.
func Compare(ctx context.Context, db *sql.DB, metric, country, subgroup string, from, to time.Time) ([]Comparison, error) {
	rows, err := db.QueryContext(ctx, compareSQL, metric, country, subgroup, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Comparison
	for rows.Next() {
		var c Comparison
		if err := rows.Scan(&c.Month, &c.Source, &c.Place, &c.Variant, &c.Measure, &c.Value, &c.How, &c.Publisher); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
