// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package process

import "strings"

// QuietLogs turns the plugin's loggers off when nothing in environ asks for
// logs, and reports whether it did. Without TF_LOG, TF_LOG_PROVIDER* or
// TF_LOG_SDK*, Terraform (and OpenTofu) parse every line a plugin writes to
// stderr and throw it away, yet terraform-plugin-go and the framework log at
// TRACE by default: megabytes of JSON per refresh of a hundred resources.
// With any of those variables set (even to a level that logs less), nothing
// changes: the loggers read them exactly as before.
//
// The SDK's loggers and the provider's own read their levels from the
// environment when each request starts (terraform-plugin-log's
// WithLevelFromEnv: TF_LOG_SDK for the SDK's root logger, whose level the
// TF_LOG_SDK_PROTO and TF_LOG_SDK_FRAMEWORK subsystems inherit when unset;
// TF_LOG_PROVIDER_OPTIMIZE for the provider's), so setenv is given OFF for
// both before the server starts. main calls it with os.Environ and os.Setenv.
func QuietLogs(environ []string, setenv func(key, value string) error) (bool, error) {
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if value == "" {
			continue // set but empty: Terraform treats it as unset
		}
		if name == "TF_LOG" || strings.HasPrefix(name, "TF_LOG_PROVIDER") || strings.HasPrefix(name, "TF_LOG_SDK") {
			return false, nil
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_PROVIDER_OPTIMIZE"} {
		if err := setenv(name, "OFF"); err != nil {
			return false, err
		}
	}
	return true, nil
}
