package duck_test

import (
	"testing"

	"toll/pipeline/duck"
)

// SQL literals double a quote inside them; an ENUM lists its values in order.
func TestLiterals(t *testing.T) {
	if got, want := duck.String("Cox's Bazar"), `'Cox''s Bazar'`; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
	if got, want := duck.Enum("b", "a'"), `ENUM('b', 'a''')`; got != want {
		t.Errorf("Enum = %s, want %s", got, want)
	}
}
