package redislimit

import (
	"context"
	"log/slog"
	"net"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

// options are the client options the package documentation recommends,
// for addr.
func options(addr string) *redis.Options {
	return &redis.Options{
		Addr:                  addr,
		ContextTimeoutEnabled: true,
		DialTimeout:           250 * time.Millisecond,
		ReadTimeout:           250 * time.Millisecond,
		MaxRetries:            -1,
		DialerRetries:         1,
	}
}

// newRedis returns a client of the test Redis (see testkit.RedisAddr),
// closed when the test ends. Each call makes a client of its own, as each
// replica of a service would have.
func newRedis(t testing.TB) *redis.Client {
	t.Helper()
	return newClient(t, options(testkit.RedisAddr(t)))
}

func newClient(t testing.TB, o *redis.Options) *redis.Client {
	t.Helper()
	c := redis.NewClient(o)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// namespace returns a namespace of the test's own and deletes its keys
// when the test ends.
func namespace(t testing.TB) string {
	t.Helper()
	rdb := newRedis(t)
	ns := testkit.RedisNamespace(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// Both the limiter's "rate:flowlog:<ns>:…" and the budget's
		// "flowlog:<ns>:…".
		iter := rdb.Scan(ctx, 0, "*flowlog:"+ns+":*", 100).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("listing the keys of namespace %q: %v", ns, err)
			return
		}
		if len(keys) > 0 {
			if err := rdb.Del(ctx, keys...).Err(); err != nil {
				t.Errorf("deleting the keys of namespace %q: %v", ns, err)
			}
		}
	})
	return ns
}

// records is a slog.Handler that keeps what it is given.
type records struct {
	mu sync.Mutex
	rs []slog.Record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *records) WithGroup(string) slog.Handler            { return r }

func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rs = append(r.rs, rec.Clone())
	return nil
}

// at returns the records of level.
func (r *records) at(level slog.Level) []slog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.DeleteFunc(slices.Clone(r.rs), func(rec slog.Record) bool { return rec.Level != level })
}

func (r *records) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.rs)
}

// attr returns the value of rec's attribute key as text, "" if none.
func attr(rec slog.Record, key string) string {
	var v string
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value.String()
			return false
		}
		return true
	})
	return v
}

// switchable is a Client that forwards to the client it is set to: the
// test's stand-in for a Redis that goes away and comes back, with the
// Limiter or Budget under test unchanged.
type switchable struct{ c atomic.Pointer[redis.Client] }

func switchTo(c *redis.Client) *switchable {
	s := &switchable{}
	s.c.Store(c)
	return s
}

func (s *switchable) set(c *redis.Client) { s.c.Store(c) }

func (s *switchable) Eval(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return s.c.Load().Eval(ctx, script, keys, args...)
}

func (s *switchable) EvalSha(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return s.c.Load().EvalSha(ctx, sha1, keys, args...)
}

func (s *switchable) EvalRO(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return s.c.Load().EvalRO(ctx, script, keys, args...)
}

func (s *switchable) EvalShaRO(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return s.c.Load().EvalShaRO(ctx, sha1, keys, args...)
}

func (s *switchable) ScriptExists(ctx context.Context, hashes ...string) *redis.BoolSliceCmd {
	return s.c.Load().ScriptExists(ctx, hashes...)
}

func (s *switchable) ScriptLoad(ctx context.Context, script string) *redis.StringCmd {
	return s.c.Load().ScriptLoad(ctx, script)
}

func (s *switchable) Del(ctx context.Context, keys ...string) *redis.IntCmd {
	return s.c.Load().Del(ctx, keys...)
}

// unreachable returns a client of a port on which nothing listens: every
// call fails at once with "connection refused".
func unreachable(t testing.TB) *redis.Client {
	t.Helper()
	return newClient(t, options(testkit.ClosedAddr(t)))
}

// hungRedis returns the address of a server that accepts connections and
// never answers: a Redis that hangs.
func hungRedis(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		done  = make(chan struct{})
	)
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().String()
}

func TestMain(m *testing.M) {
	// go-redis logs each failed dial itself; the tests that make Redis
	// fail on purpose would fill the output with them.
	redis.SetLogger(quiet{})
	os.Exit(m.Run())
}

type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}
