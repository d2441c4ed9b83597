package goldleaf

// GoldLeaf's rules: what the API refuses, as pure functions over plain
// values (table-tested in rules_test.go).

import (
	"unicode"
	"unicode/utf8"
)

// minPasswordLength is the shortest password GoldLeaf's policy accepts.
const minPasswordLength = 8

// Password policy rules, in the words used in plan-time errors.
const (
	ruleLength  = "at least 8 characters"
	ruleUpper   = "an upper-case letter"
	ruleLower   = "a lower-case letter"
	ruleDigit   = "a digit"
	ruleSpecial = "a special character (anything other than a letter, a digit or a space)"
)

// passwordProblems lists the policy rules pw breaks: at least 8
// characters, an upper-case letter, a lower-case letter, a digit and a
// special character.
func passwordProblems(pw string) []string {
	var upper, lower, digit, special bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case !unicode.IsLetter(r) && !unicode.IsSpace(r):
			special = true
		}
	}
	var out []string
	if utf8.RuneCountInString(pw) < minPasswordLength {
		out = append(out, ruleLength)
	}
	if !upper {
		out = append(out, ruleUpper)
	}
	if !lower {
		out = append(out, ruleLower)
	}
	if !digit {
		out = append(out, ruleDigit)
	}
	if !special {
		out = append(out, ruleSpecial)
	}
	return out
}
