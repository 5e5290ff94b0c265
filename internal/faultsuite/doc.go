// Package faultsuite holds the fault suite: many creates on all three
// providers against an emulator that injects faults, proving that retries
// never make a second flow log and that every failure is a typed error. It
// has only tests.
package faultsuite
