package testkit

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// RedisAddrEnv names the environment variable that holds the address of
// the Redis server the tests use; DefaultRedisAddr is used when it is
// empty. Every machine of this project runs a Redis server there.
const (
	RedisAddrEnv     = "FLOWLOG_REDIS_ADDR"
	DefaultRedisAddr = "127.0.0.1:6379"
)

var redisPings sync.Map // address -> error of its PING, once per test binary

// RedisAddr returns the address of the Redis server for tests (env
// FLOWLOG_REDIS_ADDR, default 127.0.0.1:6379) once it has answered a PING.
// When it does not, the test is skipped, or fails when env CI is non-empty:
// a CI run must not pass by skipping what it exists to test.
//
// The PING is written by hand, in RESP, so that this package, which every
// adapter's tests import, does not link a Redis client.
func RedisAddr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv(RedisAddrEnv)
	if addr == "" {
		addr = DefaultRedisAddr
	}
	v, ok := redisPings.Load(addr)
	if !ok {
		v, _ = redisPings.LoadOrStore(addr, ping(addr))
	}
	if err, _ := v.(error); err != nil {
		msg := fmt.Sprintf("no Redis server answers at %s (set %s to another address): %v", addr, RedisAddrEnv, err)
		if os.Getenv("CI") != "" {
			t.Fatalf("%s; CI is set, so this fails instead of skipping", msg)
		}
		t.Skip(msg)
	}
	return addr
}

// ping sends PING to addr and returns nil if it answers +PONG; the error
// reports a reply such as -NOAUTH as it is.
func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(time.Second)); err != nil {
		return err
	}
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading the reply to PING: %w", err)
	}
	if line = strings.TrimRight(line, "\r\n"); line != "+PONG" {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}

// RedisNamespace returns a name no other test run uses: t's name, made
// safe for a key and a SCAN pattern, and a random suffix. Tests sharing a
// server use it to keep their keys apart, and to find them to clean up.
func RedisNamespace(t testing.TB) string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, t.Name())
	return name + "-" + hex.EncodeToString(b[:])
}
