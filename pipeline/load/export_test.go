package load

// AppendOrder exposes the appender's column order to the tests.
func AppendOrder() []string { return appendOrder }
