// Command emulator runs the flowlogtest emulator as a standalone server: the
// Alibaba Cloud VPC and CEN flow-log APIs (RPC, signature v1 and ACS3) and the
// Tencent Cloud VPC flow-log API (API 3.0, TC3-HMAC-SHA256) on one plain-HTTP
// endpoint, with real signature checks, for programs in any language, compose
// files and shell sessions, as moto's server mode or LocalStack are for AWS.
//
// Run it from a clone, or install it:
//
//	go run ./examples/emulator
//	go install github.com/cloudflowlog/flowlog-go/examples/emulator@latest
//
// Once listening it prints the endpoint, the credentials it accepts and what
// it seeded, e.g.:
//
//	endpoint: http://127.0.0.1:4566
//	alibaba access key id: LTAIflowlogtestEmulator
//	alibaba access key secret: flowlogtest-emulator-secret
//	tencent secret id: AKIDflowlogtestEmulator000000000001
//	tencent secret key: flowlogtest-tencent-emulator-key
//	...
//
// Point an SDK at the endpoint over HTTP with those credentials (region
// cn-hangzhou or ap-guangzhou with the default fixture). With this module's
// adapters: aliyun.WithEndpoint, cbn.WithEndpoint and tencent.WithEndpoint
// with the endpoint URL, and aliyun.WithAccessKey, cbn.WithAccessKey and
// tencent.WithSecretKey with the credentials.
//
// # Flags
//
//	-addr host:port          listen address (default 127.0.0.1:4566; port 0 picks one;
//	                         :4566 or 0.0.0.0:4566 in a container)
//	-fixture file.json       seed from a JSON fixture instead of the default one
//	-print-fixture           print the fixture (default or -fixture) and exit
//	-activation-delay d      how long Alibaba flow logs stay Activating, Deleting, ...
//	                         (default 50ms)
//	-activation-jitter d     random extra time in [0, d) per transition
//	-tencent-rate-limit n    Tencent requests per second per SecretId and action
//	                         (default 20, the documented limit; 0 turns it off)
//	-fault-rate p            probability 0..1 that a matching request fails
//	-fault-count n           fail the next n matching requests instead
//	-fault-kinds k,k         Throttle, ServerError, HTMLError, Reset, LostResponse,
//	                         Slow, Malformed, Echo, DocumentedError (case and - or _
//	                         do not matter: throttle,server-error)
//	-fault-action a          the action to fault, as Calls names it: CreateFlowLog
//	                         (every product), Vpc.CreateFlowLog, Cbn.CreateFlowlog,
//	                         Tencent.CreateFlowLog (default: every action)
//	-fault-seed n            seed of the fault decisions (default 1)
//	-fault-delay d           how long a Slow fault holds a request (default 1s)
//	-fault-code c            the documented code a DocumentedError fault answers with,
//	                         for a product-qualified -fault-action (Unauthorized on
//	                         Vpc.CreateFlowLog; flowlogtest.DocumentedErrorCodes)
//	-strict-rules            also enforce the plausible rules that go beyond the
//	                         documentation (flowlogtest.WithStrictRules)
//	-shutdown-timeout d      how long SIGTERM/SIGINT waits for requests (default 5s)
//
// The fault flags make one flowlogtest.FaultRule; see the flowlogtest package
// for what each kind looks like on the wire. For example, to throttle or fail
// a tenth of the creates, reproducibly:
//
//	go run ./examples/emulator -fault-rate 0.1 -fault-kinds throttle,server-error \
//	    -fault-action CreateFlowLog -fault-seed 1
//
// # Fixtures
//
// A fixture file is the JSON of flowlogtest.Fixture: resources per product
// ("aliyun", "cbn", "tencent"), each entry naming its parents. fixture.json,
// next to this file, is the default fixture written out (-print-fixture
// prints it); copy it and edit. Unknown fields are refused with their name,
// and invalid entries (an empty field, a Tencent ID without the real shape)
// with their JSON path, so a typo fails at start rather than as a NotFound
// later. A fixture replaces the default one; it holds resources, not flow
// logs.
//
// # Inspecting and resetting
//
// Under /_emulator/, a path no emulated API uses (both clouds' APIs are served
// on "/"), the same listener answers:
//
//	GET  /_emulator/state    the flow logs of the three products ("aliyun",
//	                         "cbn", "tencent"), the calls each action handled
//	                         ("calls": {"Vpc.CreateFlowLog": 1, ...}) and the
//	                         faults injected ("faultsInjected")
//	POST /_emulator/reset    back to the fixture: a fresh emulator with no flow
//	                         logs, calls, nonces or rate-limit history, and the
//	                         fault rules and seed of a new start; answers the new
//	                         state
//	GET  /_emulator/fixture  the fixture it seeds from
//
// For example:
//
//	curl -s http://127.0.0.1:4566/_emulator/state
//	curl -s -X POST http://127.0.0.1:4566/_emulator/reset
//
// SIGTERM or SIGINT stops it: requests in flight are answered (up to
// -shutdown-timeout) and it exits with status 0. Bad flags or a bad fixture
// exit with status 2, a failure to listen with 1.
//
// The emulator is a test double: it keeps everything in memory, trusts the
// network it listens on, and accepts only the well-known credentials above.
// Do not expose it beyond a test network.
package main
