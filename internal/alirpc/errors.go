package alirpc

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/errmap"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// commonCodes are the gateway codes every Alibaba RPC product shares
// (signature, credentials, throttling, availability).
var commonCodes = errmap.Table{Exact: map[string]driver.Code{
	"MissingParameter":                           driver.CodeInvalidArgument,
	"InvalidParameter":                           driver.CodeInvalidArgument,
	"InvalidVersion":                             driver.CodeInvalidArgument,
	"InvalidAction.NotFound":                     driver.CodeUnsupported,
	"InvalidRegionId.NotFound":                   driver.CodeInvalidArgument,
	"InvalidAccessKeyId.NotFound":                driver.CodeUnauthenticated,
	"InvalidAccessKeyId.Inactive":                driver.CodeUnauthenticated,
	"SignatureDoesNotMatch":                      driver.CodeUnauthenticated,
	"IncompleteSignature":                        driver.CodeUnauthenticated,
	"InvalidTimeStamp.Expired":                   driver.CodeUnauthenticated,
	"InvalidTimeStamp.Format":                    driver.CodeUnauthenticated,
	"SignatureNonceUsed":                         driver.CodeUnauthenticated,
	"MissingSecurityToken":                       driver.CodeUnauthenticated,
	"InvalidSecurityToken.Expired":               driver.CodeUnauthenticated,
	"InvalidSecurityToken.Malformed":             driver.CodeUnauthenticated,
	"InvalidSecurityToken.MismatchWithAccessKey": driver.CodeUnauthenticated,
	"Forbidden.RAM":                              driver.CodePermissionDenied,
	"Forbidden":                                  driver.CodePermissionDenied,
	"Throttling":                                 driver.CodeThrottled,
	"ServiceUnavailable":                         driver.CodeUnavailable,
	"SystemBusy":                                 driver.CodeUnavailable,
	"InternalError":                              driver.CodeUnavailable,
	"UnknownError":                               driver.CodeUnavailable,
}, Prefixes: map[string]driver.Code{
	"Throttling": driver.CodeThrottled,
}, Retry: map[string]driver.RetryClass{
	"SystemBusy":               driver.RetrySafe,
	"InvalidTimeStamp.Expired": driver.RetryClockSkew,
	// A reused nonce means some layer resent a request; the first copy may
	// have been applied.
	"SignatureNonceUsed": driver.RetryAmbiguous,
}}

// Mapper turns SDK errors of one product into *driver.Error.
type Mapper struct {
	Provider string
	// Codes are the product's own codes; they win over the gateway's.
	Codes errmap.Table
	// secrets are the credentials the product's API signs with (see
	// NewAPI); nil masks by pattern only.
	secrets *redact.Values
}

// Classify returns the neutral code of a provider code and HTTP status,
// and how a call that failed with it may be retried.
func (m Mapper) Classify(providerCode string, status int) (driver.Code, driver.RetryClass) {
	code, ok := errmap.Lookup(providerCode, m.Codes, commonCodes)
	switch {
	case ok:
	case status >= 500:
		code = driver.CodeUnavailable
	default:
		code = driver.CodeUnknown
	}
	return code, errmap.RetryOf(code, providerCode, m.Codes, commonCodes)
}

// Error converts an error of an SDK call for op into a *driver.Error.
// signatures are those of the call's requests. The SDK's texts are never
// reused verbatim: its transport errors carry the signed URL, its
// SignatureDoesNotMatch message the string to sign, and a server or proxy
// may echo the request in any shape. So every text is scrubbed by value
// (the credentials the API signed with, the call's signatures) and by
// pattern.
func (m Mapper) Error(ctx context.Context, op, id string, err error, signatures ...string) error {
	if err == nil {
		return nil
	}
	scrub := func(s string) string { return m.secrets.String(s, signatures...) }
	e := &driver.Error{Provider: m.Provider, Op: op, ID: id}
	var server *sdkerrors.ServerError
	var client *sdkerrors.ClientError
	var uerr *url.Error
	switch {
	case errors.As(err, &server):
		e.ProviderCode = server.ErrorCode()
		e.Message = errmap.Message(scrub(server.Message()))
		if e.ProviderCode == "" && e.Message == "" {
			// Without a body the SDK's own text is a dump of the headers.
			e.Message = "HTTP " + strconv.Itoa(server.HttpStatus()) + " without an error code"
		}
		e.RequestID = server.RequestId()
		e.HTTPStatus = server.HttpStatus()
		e.Code, e.Retry = m.Classify(e.ProviderCode, e.HTTPStatus)
		if h := server.RespHeaders["Retry-After"]; len(h) > 0 {
			e.RetryAfter = errmap.RetryAfter(h[0], time.Now())
		}
		e.Err = sanitize(server, scrub)
	case errors.As(err, &uerr):
		// The cause stays reachable for errors.Is (a context's end, say),
		// behind a scrubbed text if its own holds a secret.
		e.Err = &url.Error{Op: uerr.Op, URL: scrub(uerr.URL), Err: m.secrets.Error(uerr.Err, signatures...)}
		e.Message = "request failed: " + scrub(uerr.Err.Error())
		e.Code = driver.CodeUnavailable
		e.Retry = errmap.TransportRetry(ctx, uerr)
		if ctx.Err() != nil {
			e.Code = driver.CodeUnknown
		}
	case errors.As(err, &client):
		// Client errors are the SDK's own (bad response body, endpoint not
		// resolved, ...). Their text may embed a transport error, so only the
		// code and a scrubbed message are kept.
		e.ProviderCode = client.ErrorCode()
		e.Message = errmap.Message(scrub(client.Message()))
		e.Code = driver.CodeUnknown
		if client.ErrorCode() == sdkerrors.JsonUnmarshalErrorCode {
			// A success status with a body that does not decode: the
			// request may well have been applied.
			e.Code, e.Retry = driver.CodeUnavailable, driver.RetryAmbiguous
		}
		e.Err = errors.New(scrub(client.Error()))
	default:
		e.Message = errmap.Message(scrub(err.Error()))
		e.Err = errors.New(e.Message)
		e.Code = driver.CodeUnknown
	}
	return e
}

// Call runs one SDK call for op and maps its error; signatures returns
// those of the requests the call sent, once it has returned. A panic inside
// the SDK becomes an error too: the SDK asserts the types of fields in
// error bodies (a numeric RequestId panics), and a malformed response must
// never crash the caller.
func (m Mapper) Call(ctx context.Context, op, id string, signatures func() []string, call func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &driver.Error{Code: driver.CodeUnavailable, Retry: driver.RetryAmbiguous, Provider: m.Provider, Op: op, ID: id,
				Message: "malformed response: the SDK could not decode it"}
		}
	}()
	err = call()
	return m.Error(ctx, op, id, err, signatures()...)
}

// sanitize returns server, or, when scrub changes any of its text, a copy
// made with the SDK's own constructor from the scrubbed texts: the message
// of SignatureDoesNotMatch ends with the server's string to sign, which
// holds the AccessKeyId and, with STS credentials, the SecurityToken; a
// server that echoes the request quotes it whole; and the SDK's Error text
// repeats the message and the response headers. The copy is still a
// *ServerError with the same code, request ID, host ID, recommendation,
// HTTP status and headers (their values scrubbed), so errors.As and its
// accessors work as before.
func sanitize(server *sdkerrors.ServerError, scrub func(string) string) error {
	if text := server.Error(); scrub(text) == text {
		return server
	}
	body := map[string]any{
		"RequestId": server.RequestId(),
		"HostId":    server.HostId(),
		"Code":      server.ErrorCode(),
		"Recommend": scrub(server.Recommend()),
		"Message":   scrub(server.Message()),
	}
	if d := server.AccessDeniedDetail(); d != nil {
		body["AccessDeniedDetail"] = d
	}
	content, err := json.Marshal(body)
	clean, ok := sdkerrors.NewServerError(server.HttpStatus(), string(content), scrub(server.Comment())).(*sdkerrors.ServerError)
	if err != nil || !ok {
		// Not expected; never hand out the original text.
		return errors.New(scrub(server.Error()))
	}
	clean.RespHeaders = make(map[string][]string, len(server.RespHeaders))
	for k, vs := range server.RespHeaders {
		for _, v := range vs {
			clean.RespHeaders[k] = append(clean.RespHeaders[k], scrub(v))
		}
	}
	return clean
}
