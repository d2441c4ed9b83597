// Package recipes holds the acceptance tests of what the guides hand to
// users as is: the people module (examples/modules/people) and the drift
// report script (scripts/drift-report.sh). Their configurations declare the
// provider by its published source, workspace-membership/membership, so the
// tests here serve the provider in-process under that address
// (TF_ACC_PROVIDER_NAMESPACE, set by TestMain for the whole package): the
// configurations are tested exactly as published. The drift report's test
// runs terraform by hand (acctest.CLI), as the guide's scheduled job does.
package recipes
