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

// ServiceLog is the request log of a service the provider calls over HTTP:
// the search engine (engineLog, which RequestLogger writes) and Camunda's
// management APIs. DEBUG: method, path, query, status, duration; TRACE: the
// headers, credentials redacted (loggedHeaders); never a body; under a
// subsystem of its own, with the secrets given masked.
type ServiceLog struct {
	// Subsystem names the log's subsystem ("camunda");
	// TF_LOG_PROVIDER_OPTIMIZE_<SUBSYSTEM> sets its level apart.
	Subsystem string
	// Service names the service in the lines ("Camunda request").
	Service string
	// Host: the lines name the host too (a service whose components answer
	// on endpoints of their own).
	Host bool
}

// Context adds the subsystem to ctx and masks secrets in the provider's and
// the subsystem's output.
func (l ServiceLog) Context(ctx context.Context, secrets ...string) context.Context {
	ctx = tflog.NewSubsystem(ctx, l.Subsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_OPTIMIZE", l.Subsystem))
	var s []string
	for _, v := range secrets {
		if v != "" {
			s = append(s, v)
		}
	}
	if len(s) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, s...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, s...)
	ctx = tflog.SubsystemMaskMessageStrings(ctx, l.Subsystem, s...)
	return tflog.SubsystemMaskAllFieldValuesStrings(ctx, l.Subsystem, s...)
}

// LogRoundTrip logs one request, in the context of ctx (Context's).
func (l ServiceLog) LogRoundTrip(ctx context.Context, req *http.Request, res *http.Response, err error, d time.Duration) {
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.Path,
		"query":       req.URL.RawQuery,
		"duration_ms": d.Milliseconds(),
	}
	if l.Host {
		fields["host"] = req.URL.Host
	}
	if res != nil {
		fields["status"] = res.StatusCode
	}
	if err != nil {
		fields["error"] = err.Error()
	}
	tflog.SubsystemDebug(ctx, l.Subsystem, l.Service+" request", fields)
	headers := map[string]any{"method": req.Method, "path": req.URL.Path}
	for name, value := range loggedHeaders(req.Header) {
		headers[name] = value
	}
	tflog.SubsystemTrace(ctx, l.Subsystem, l.Service+" request headers", headers)
}

// Redact replaces every secret in s by Redacted: for text that leaves the
// log's masking, such as an error message that quotes an answer.
func Redact(s string, secrets ...string) string {
	for _, v := range secrets {
		if v != "" {
			s = strings.ReplaceAll(s, v, Redacted)
		}
	}
	return s
}
