// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// LogSubsystem is the terraform-plugin-log subsystem of Elasticsearch
// traffic; TF_LOG_PROVIDER_OPTIMIZE_ELASTICSEARCH sets its level apart.
const LogSubsystem = "elasticsearch"

// engineLog is the search engine's request log.
var engineLog = ServiceLog{Subsystem: LogSubsystem, Service: "Elasticsearch"}

// LogContext adds the request log's subsystem to ctx and masks every secret
// of cfg in the provider's and the subsystem's output.
func LogContext(ctx context.Context, cfg Config) context.Context {
	return engineLog.Context(ctx, cfg.Secrets()...)
}

// RequestLogger logs one line per request at DEBUG: method, path, status,
// duration; and at TRACE the headers the request went out with, credentials
// redacted (loggedHeaders). It never logs bodies. Both go-elasticsearch's
// and opensearch-go's transports take it.
type RequestLogger struct{}

// LogRoundTrip logs one request.
func (RequestLogger) LogRoundTrip(req *http.Request, res *http.Response, err error, _ time.Time, d time.Duration) error {
	engineLog.LogRoundTrip(req.Context(), req, res, err, d)
	return nil
}

// Redacted stands for a header value the log does not show.
const Redacted = "(redacted)"

// plainHeaders carry nothing secret: the TRACE log shows their values.
var plainHeaders = map[string]bool{
	"Accept": true, "Accept-Encoding": true, "Content-Type": true, "Content-Length": true, "User-Agent": true,
	"X-Amz-Date": true, "X-Amz-Content-Sha256": true, "X-Opaque-Id": true,
}

// loggedHeaders is a request's headers as the TRACE log shows them, one
// value per name: the values of plainHeaders as they are; Authorization as
// its scheme, and for AWS Signature Version 4 its credential scope (the
// access key id, the date, the region and the service) and signed headers
// too, which a signature mismatch is debugged with, never the signature;
// any other header's value (X-Amz-Security-Token, a proxy's credential in
// elasticsearch.headers) as Redacted. The secrets of the configuration are
// masked on top of this (LogContext).
func loggedHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		value := strings.Join(values, ", ")
		switch canonical := http.CanonicalHeaderKey(name); {
		case plainHeaders[canonical]:
			out[canonical] = value
		case canonical == "Authorization":
			out[canonical] = loggedAuthorization(value)
		default:
			out[canonical] = Redacted
		}
	}
	return out
}

// loggedAuthorization keeps an Authorization's scheme and, for AWS4-HMAC-SHA256,
// its Credential and SignedHeaders.
func loggedAuthorization(value string) string {
	scheme, params, found := strings.Cut(value, " ")
	if !found {
		return Redacted // no scheme: all of it may be the credential
	}
	if scheme != "AWS4-HMAC-SHA256" {
		return scheme + " " + Redacted
	}
	var kept []string
	for _, p := range strings.Split(params, ",") {
		p = strings.TrimSpace(p)
		switch k, _, _ := strings.Cut(p, "="); k {
		case "Credential", "SignedHeaders":
			kept = append(kept, p)
		default:
			kept = append(kept, k+"="+Redacted)
		}
	}
	return scheme + " " + strings.Join(kept, ", ")
}

// RequestBodyEnabled is false: bodies are never logged.
func (RequestLogger) RequestBodyEnabled() bool { return false }

// ResponseBodyEnabled is false: bodies are never logged.
func (RequestLogger) ResponseBodyEnabled() bool { return false }
