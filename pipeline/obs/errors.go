package obs

import (
	"errors"
	"strings"
)

// ErrInvalid is the kind of every error that bad input causes; errors.Is(err, ErrInvalid) tells a
// payload that breaks its source's contract from an I/O or network failure.
var ErrInvalid = errors.New("invalid input")

// RowError says where in a payload the input is bad: the source, the record and the field.
// A payload with any RowError is rejected whole.
type RowError struct {
	Source string
	Record string // e.g. "record 12 (report_date 2024-05-09)", or "payload" for the whole payload
	Field  string // empty when the record as a whole is bad
	Err    error
}

func (e *RowError) Error() string {
	parts := []string{e.Source}
	if e.Record != "" {
		parts = append(parts, e.Record)
	}
	if e.Field != "" {
		parts = append(parts, "field "+e.Field)
	}
	parts = append(parts, e.Err.Error())
	return strings.Join(parts, ": ")
}

func (e *RowError) Unwrap() error { return e.Err }

// Is makes every RowError match ErrInvalid.
func (e *RowError) Is(target error) bool { return target == ErrInvalid }
