package sandbox

// Credentials the sandbox accepts. They are deliberately distinctive so
// tests can assert they never appear in logs or state.
const (
	SmartDocumentorClientID     = "sd-terraform-client"
	SmartDocumentorClientSecret = "sdsecret-Q7f3a9c2e1b8d4"
	SmartDocumentorAccessToken  = "sdstatic-T9x2k4m6p8r0"

	DocSpaceToken   = "dstoken-W3e5r7t9y1u3"
	DocSpaceAuthKey = "dsauthkey-H2j4k6l8z0x2"

	AttackForgeAPIKey = "afkey-N1b3v5c7x9z2m4"

	GoldLeafAPIKey     = "glkey-P0o9i8u7y6t5r4"
	GoldLeafAPIKeyName = "terraform"

	RoyaltiToken = "RWAK_rt-L5k4j3h2g1f0d9"
)
