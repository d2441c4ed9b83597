package goldleaf

import (
	"strings"
	"testing"
)

// Table tests of GoldLeaf's rules (rules.go).

func TestPasswordProblems(t *testing.T) {
	cases := map[string][]string{
		"Str0ng!pass": nil,
		"Ab1!":        {ruleLength},
		"abcdef1!":    {ruleUpper},
		"ABCDEF1!":    {ruleLower},
		"Abcdefg!":    {ruleDigit},
		"Abcdefg1":    {ruleSpecial},
		"":            {ruleLength, ruleUpper, ruleLower, ruleDigit, ruleSpecial},
		"Ünïcödé1€":   nil,
	}
	for pw, want := range cases {
		got := passwordProblems(pw)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("passwordProblems(%q) = %v, want %v", pw, got, want)
		}
	}
	// the length boundary
	atLength := "Aa1!" + strings.Repeat("x", minPasswordLength-len("Aa1!"))
	if got := passwordProblems(atLength); got != nil {
		t.Errorf("passwordProblems(%q) = %v, want none", atLength, got)
	}
	if got := passwordProblems(atLength[1:]); strings.Join(got, "|") != ruleLength+"|"+ruleUpper {
		t.Errorf("passwordProblems(%q) = %v", atLength[1:], got)
	}
}
