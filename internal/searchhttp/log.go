// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// LogSubsystem is the terraform-plugin-log subsystem of Elasticsearch
// traffic; TF_LOG_PROVIDER_OPTIMIZE_ELASTICSEARCH sets its level apart.
const LogSubsystem = "elasticsearch"

// LogContext adds the request log's subsystem to ctx and masks every secret
// of cfg in the provider's and the subsystem's output.
func LogContext(ctx context.Context, cfg Config) context.Context {
	ctx = tflog.NewSubsystem(ctx, LogSubsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_OPTIMIZE_ELASTICSEARCH"))
	if secrets := cfg.Secrets(); len(secrets) > 0 {
		ctx = tflog.MaskMessageStrings(ctx, secrets...)
		ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, LogSubsystem, secrets...)
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, LogSubsystem, secrets...)
	}
	return ctx
}

// RequestLogger logs one line per request at DEBUG: method, path, status,
// duration; and at TRACE the headers the request went out with, credentials
// redacted (loggedHeaders). It never logs bodies. Both go-elasticsearch's
// and opensearch-go's transports take it.
type RequestLogger struct{}

// LogRoundTrip logs one request.
func (RequestLogger) LogRoundTrip(req *http.Request, res *http.Response, err error, _ time.Time, d time.Duration) error {
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.Path,
		"query":       req.URL.RawQuery,
		"duration_ms": d.Milliseconds(),
	}
	if res != nil {
		fields["status"] = res.StatusCode
	}
	if err != nil {
		fields["error"] = err.Error()
	}
	tflog.SubsystemDebug(req.Context(), LogSubsystem, "Elasticsearch request", fields)
	headers := map[string]any{"method": req.Method, "path": req.URL.Path}
	for name, value := range loggedHeaders(req.Header) {
		headers[name] = value
	}
	tflog.SubsystemTrace(req.Context(), LogSubsystem, "Elasticsearch request headers", headers)
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
