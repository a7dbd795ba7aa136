// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package elasticsearch

import (
	"context"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// LogSubsystem is the terraform-plugin-log subsystem of Elasticsearch
// traffic; TF_LOG_PROVIDER_OPTIMIZE_ELASTICSEARCH sets its level apart.
const LogSubsystem = "elasticsearch"

// logContext adds the subsystem and masks every secret in both the provider's
// and the subsystem's log output.
func (c *Client) logContext(ctx context.Context) context.Context {
	ctx = tflog.NewSubsystem(ctx, LogSubsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_OPTIMIZE_ELASTICSEARCH"))
	if secrets := c.cfg.Secrets(); len(secrets) > 0 {
		ctx = tflog.MaskMessageStrings(ctx, secrets...)
		ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, LogSubsystem, secrets...)
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, LogSubsystem, secrets...)
	}
	return ctx
}

// requestLogger logs one line per request: method, path, status, duration.
// It never logs headers or bodies.
type requestLogger struct{}

func (requestLogger) LogRoundTrip(req *http.Request, res *http.Response, err error, _ time.Time, d time.Duration) error {
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
	return nil
}

func (requestLogger) RequestBodyEnabled() bool  { return false }
func (requestLogger) ResponseBodyEnabled() bool { return false }
