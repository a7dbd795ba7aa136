// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"fmt"
	"net/http"
)

// HTTP limits the engines enforce before any action, in their Netty HTTP
// decoder (HttpObjectDecoder's LineParser and HeaderParser), and how they
// answer. Sources: Netty 4.1.89+ (the counting of Elasticsearch 7.17.11+,
// 8.8+ and OpenSearch 2.7+: the three dialects here), and the engines'
// AbstractHttpServerTransport.handleIncomingRequest, which turns the
// decoder's failure into RestController.dispatchBadRequest: a 400 with the
// exception as the error (ElasticsearchException/OpenSearchException
// getExceptionName: TooLongHttpLineException -> too_long_http_line_exception).
const (
	// maxInitialLineLength is http.max_initial_line_length (4kb): the request
	// line (method, target, protocol, single spaces, no line break) may be
	// this long, no longer.
	maxInitialLineLength = 4096
	// maxHeaderSize8K is http.max_header_size of Elasticsearch 7.x and
	// OpenSearch (8kb); Elasticsearch 8.4 raised it to 16kb. It bounds the
	// sum of the header lines "Name: value", without line breaks.
	maxHeaderSize8K  = 8192
	maxHeaderSize16K = 16384
)

// limitError is an answer to a request the engine refuses in its decoder;
// closes: the engine closes the connection after it (a too-long line: the
// decoder gives up on the connection).
type limitError struct {
	*esError
	closes bool
}

// httpLimits checks a request against the engine's HTTP limits.
func (d *dialect) httpLimits(r *http.Request) *limitError {
	if n := requestLineLength(r); n > maxInitialLineLength {
		return &limitError{esError: newError(http.StatusBadRequest, "too_long_http_line_exception",
			fmt.Sprintf("An HTTP line is larger than %d bytes.", maxInitialLineLength)), closes: true}
	}
	limit := d.maxHeaderSize
	if limit == 0 {
		limit = maxHeaderSize8K
	}
	if n := headerSize(r); n > limit {
		return &limitError{esError: newError(http.StatusBadRequest, "too_long_http_header_exception",
			fmt.Sprintf("HTTP header is larger than %d bytes.", limit))}
	}
	return nil
}

// requestLineLength is the length of the request line as the client sent
// it: "METHOD TARGET PROTO".
func requestLineLength(r *http.Request) int {
	return len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto)
}

// headerSize is the sum of the request's header lines "Name: value" (Go
// keeps Host apart from the other headers).
func headerSize(r *http.Request) int {
	n := 0
	if r.Host != "" {
		n += len("Host: ") + len(r.Host)
	}
	for name, values := range r.Header {
		for _, v := range values {
			n += len(name) + len(": ") + len(v)
		}
	}
	return n
}
