package flowlogtest

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// This file draws the seam inside the emulator (see "Inside the emulator"
// in the package documentation). A gateway is one wire protocol: it routes
// a request to a product and action, authenticates it, dispatches it and
// writes answers, errors and faults in its protocol's shape. A product is
// one emulated API: its name, version and action table, its state and its
// rules. NewServer wires them; Server.serveHTTP picks the gateway.

// gateway is one wire protocol in front of the products it serves. Its
// methods take s.mu themselves where they need it.
type gateway interface {
	// name names the protocol in the log: "rpc", "tencent".
	name() string
	// route finds the product and action that r names, without
	// authenticating it, for the fault injector; ok is false if r names
	// none that the gateway serves. It reads the body only if it must.
	route(r *http.Request) (product, action string, ok bool)
	// maxBody is the size of the largest body the gateway reads.
	maxBody() int64
	// handle authenticates r, with the checks of the real gateway in its
	// order, and dispatches it to its product's action, which Calls then
	// counts. With dryRun it only authenticates and records nothing (no
	// nonce, no rate budget, no call): a request that passes gets a call
	// without error. It reads the body with peekBody, so that a request
	// can be handled again after a dry run.
	handle(r *http.Request, requestID string, dryRun bool) call
	// newRequestID returns a request ID in the protocol's format.
	newRequestID() string
	// internalError is the answer to a bug in the emulator: a panic, or a
	// handler's error that is not an *apiError.
	internalError() *apiError
	// writeOK writes an action's answer.
	writeOK(w http.ResponseWriter, requestID string, resp any)
	// writeError writes an error; product is "" if r names none.
	writeError(w http.ResponseWriter, r *http.Request, requestID, product string, e *apiError)
	// writeFault writes the canned answer of an injected fault of kind:
	// every kind but those that injectFault acts out on the connection.
	// body is r's body.
	writeFault(w http.ResponseWriter, r *http.Request, product string, kind FaultKind, body []byte)
}

// product is one emulated API as its gateway sees it. H is the type of the
// gateway's handlers (rpcHandler, tcHandler). Everything else, the state and
// the rules, is the product's own; the gateway calls its handlers with s.mu
// held, and they must not block.
type product[H any] interface {
	// name qualifies the product's Calls and fault rules: "Vpc", "Cbn",
	// "Tencent".
	name() string
	// version is the API version the product serves.
	version() string
	// handler returns the handler of action. Action names are
	// case-sensitive, as the real gateways treat them.
	handler(action string) (H, bool)
}

// actions is a product's action table. Embedded in the product, it gives it
// the handler method.
type actions[H any] map[string]H

func (a actions[H]) handler(action string) (H, bool) {
	h, ok := a[action]
	return h, ok
}

// call is what a gateway made of a request: the product and action it
// names, as far as known (for the log and for errors), and the action's
// answer or the error that stopped it.
type call struct {
	product, action string
	resp            any
	err             error
}

// apiError is an error answer, of a gateway or of an action. Each gateway
// writes it in its own envelope.
type apiError struct {
	// Status is the HTTP status of the answer. Alibaba errors are never
	// 2xx: the Alibaba SDK decides success from the status alone, so an
	// error with status 200 would be read as an empty success. Tencent
	// errors are all 200, with the error inside Response: the Tencent SDK
	// reads any other status as a transport failure and loses the code.
	Status  int
	Code    string
	Message string
	// Detail says which parameter or rule failed. It is only logged: many
	// real messages are generic ("The parameter invalid.") and the emulator
	// reproduces them verbatim, so the log is where a test author finds out
	// what exactly was wrong.
	Detail string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// serve answers r through g: g handles it, and the answer or the error is
// logged and written in g's shape.
func (s *Server) serve(g gateway, w http.ResponseWriter, r *http.Request) {
	requestID := g.newRequestID()
	c := g.handle(r, requestID, false)
	if c.err == nil {
		s.cfg.logger.Debug("flowlogtest: "+g.name()+" ok", "request_id", requestID,
			"product", c.product, "action", c.action)
		g.writeOK(w, requestID, c.resp)
		return
	}
	var e *apiError
	if !errors.As(c.err, &e) {
		s.cfg.logger.Error("flowlogtest: handler error", "error", c.err)
		e = g.internalError()
	}
	s.cfg.logger.Debug("flowlogtest: "+g.name()+" error", "request_id", requestID,
		"product", c.product, "action", c.action,
		"code", e.Code, "status", e.Status, "detail", e.Detail)
	g.writeError(w, r, requestID, c.product, e)
}

// peekBody reads up to limit+1 bytes of r's body and puts them back in
// front of the rest, so that the body can be read again: the fault injector
// routes and checks a request before it is served.
func peekBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(data), r.Body), r.Body}
	return data, err
}

type readCloser struct {
	io.Reader
	io.Closer
}

// randomUUID returns a random upper-case UUID (version 4), the format of
// request IDs.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

// credential is a key that a gateway accepts.
type credential struct {
	id, secret string
	// token is the STS token the request must carry; empty for a long-term
	// key.
	token string
}

// keyring holds the credentials a gateway accepts, by key ID.
type keyring map[string]credential

func (k *keyring) add(c credential) {
	if *k == nil {
		*k = make(keyring)
	}
	(*k)[c.id] = c
}

// orDefault returns k or, if no credential was configured, the default one
// alone. Once a test configures any credential the default one stops
// working, so tests of an unknown key stay meaningful.
func (k keyring) orDefault(id, secret string) keyring {
	if len(k) == 0 {
		return keyring{id: {id: id, secret: secret}}
	}
	return k
}
