// Package apicheck holds tests of the module's exported API as a whole:
// that no exported signature names an internal package's type, and that
// the adapters spell the same option the same way (and document
// WithLimiter alike). Only tests live here.
package apicheck
