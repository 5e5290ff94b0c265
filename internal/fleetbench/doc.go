// Package fleetbench holds the fleet-scale benchmarks of the client against
// the emulator: what a reconcile of thousands of resources costs in
// describe and create calls, per provider. It has no code of its own; see
// its tests, and the README's performance section for the commands.
package fleetbench
