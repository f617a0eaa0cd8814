package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"toll/pipeline/obs"
	"toll/pipeline/source"
)

// HeldError is a payload held back by its source's Hold rules: it parsed, but would replace the current
// data with something implausible. It stays in the archive, and the current data stays as it was.
type HeldError struct {
	Source string
	Rule   string // what it breaks
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("held back, not made current: %s; the current data stays. If a person finds the payload right, "+
		"`toll run --source %s --accept %s` loads it", e.Rule, e.Source, e.Source)
}

// IsHeld says whether err is a payload held back.
func IsHeld(err error) bool {
	var h *HeldError
	return errors.As(err, &h)
}

// checkHold applies spec.Hold to a staged vintage, inside the load's transaction, before anything is
// committed: incoming is the staged relation, current the source's current rows, rows how many rows the
// vintage has and before how many current ones the source had. whole is false when incoming holds only
// the rows that differ from the current ones (a source in the store), which cannot show a series'
// latest value.
func checkHold(ctx context.Context, q queryer, v Vintage, spec source.Spec, incoming, current string, currentArgs []any,
	rows, before int64, whole bool) error {
	if v.Accept {
		return nil
	}
	hold := spec.Hold.WithDefaults()
	held := func(format string, args ...any) error {
		return &HeldError{Source: v.Source, Rule: fmt.Sprintf(format, args...)}
	}
	if before > 0 && float64(rows) < (1-hold.MaxShrink)*float64(before) {
		return held("it has %d rows where the source has %d current ones (more than %.0f%% fewer)", rows, before, 100*hold.MaxShrink)
	}
	var series, record, field string
	var date sql.NullTime
	var value int64
	err := q.QueryRowContext(ctx, `SELECT series_id, coalesce(record_id, ''), report_date,
    CASE WHEN value < 0 THEN 'value' WHEN value_low < 0 THEN 'value_low' ELSE 'value_high' END,
    least(coalesce(value, 0), coalesce(value_low, 0), coalesce(value_high, 0))
  FROM `+incoming+` WHERE value < 0 OR value_low < 0 OR value_high < 0 LIMIT 1`).Scan(&series, &record, &date, &field, &value)
	switch {
	case err == nil:
		return held("series %s, report %s%s: %s is %d, a negative count", series, date.Time.Format(obs.DateLayout), recordSuffix(record), field, value)
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if !whole {
		return nil
	}
	var was, now int64
	var wasDate, nowDate sql.NullTime
	err = q.QueryRowContext(ctx, `WITH
  old AS (SELECT series_id, arg_max(value, report_date) AS v, max(report_date) AS d FROM `+current+`
          WHERE measure = 'cumulative' AND value IS NOT NULL GROUP BY series_id),
  new AS (SELECT series_id, arg_max(value, report_date) AS v, max(report_date) AS d FROM `+incoming+`
          WHERE measure = 'cumulative' AND value IS NOT NULL GROUP BY series_id)
SELECT old.series_id, old.v, old.d, new.v, new.d FROM old JOIN new USING (series_id)
WHERE new.v < old.v * (1 - ?) ORDER BY (old.v - new.v) / old.v DESC LIMIT 1`, append(currentArgs, hold.MaxFall)...).
		Scan(&series, &was, &wasDate, &now, &nowDate)
	switch {
	case err == nil:
		return held("the running total %s falls from %d (report of %s) to %d (report of %s), by more than %.0f%%", series,
			was, wasDate.Time.Format(obs.DateLayout), now, nowDate.Time.Format(obs.DateLayout), 100*hold.MaxFall)
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	return nil
}

func recordSuffix(record string) string {
	if record == "" {
		return ""
	}
	return ", record " + record
}
