// Package invariant holds the model-based invariant suite: random histories
// of every Client operation, on every provider, against the emulator, with
// the library's promises checked against the emulator's own state after
// every step. Only tests live here; see invariant_test.go for the promises
// and the flags that make the suite run longer (-rapid.checks,
// -rapid.steps) or replay a failure (-rapid.seed, -rapid.failfile).
package invariant
