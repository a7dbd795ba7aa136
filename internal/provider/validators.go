// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// stringCheck adapts a func(string) error to a string validator that skips
// null and unknown values.
type stringCheck struct {
	summary     string
	description string
	check       func(string) error
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, errorDetail(err))
	}
}

func backupIDValidator() validator.String {
	return stringCheck{
		summary:     "Invalid backup id",
		description: "an Optimize backup id of a covered version: " + optimize.IDRuleSummary(),
		check:       optimize.ValidateBackupID,
	}
}

func versionValidator() validator.String {
	return stringCheck{
		summary:     "Invalid Optimize version",
		description: "an Optimize version of the form X.Y.Z, optionally followed by a qualifier such as -SNAPSHOT, that the provider covers (" + optimize.CoveredVersions() + ")",
		check: func(v string) error {
			_, err := optimize.ReleaseFor(v)
			return err
		},
	}
}

func endpointValidator() validator.String {
	return stringCheck{
		summary:     "Invalid Elasticsearch endpoint",
		description: "an http:// or https:// URL",
		check:       searchhttp.ValidateEndpoint,
	}
}

// repositoryNameValidator applies Elasticsearch's repository-name rules.
func repositoryNameValidator() validator.String {
	return stringCheck{
		summary:     "Invalid repository name",
		description: "an Elasticsearch snapshot repository name: not empty, without whitespace, control characters or any of \\ / * ? \" < > | , #, not starting with _",
		check:       optimize.ValidateRepositoryName,
	}
}

func indexPrefixValidator() validator.String {
	return stringCheck{
		summary:     "Invalid index prefix",
		description: "an Optimize index prefix: lowercase, without whitespace or any of \\ / * ? \" < > | , # :",
		check:       optimize.ValidateIndexPrefix,
	}
}

func durationValidator() validator.String {
	return stringCheck{
		summary:     "Invalid duration",
		description: "a positive Go duration such as 24h, 90m or 720h",
		check: func(v string) error {
			d, err := time.ParseDuration(v)
			switch {
			case err != nil:
				return fmt.Errorf("%q is not a duration such as 24h, 90m or 720h: %w", v, err)
			case d <= 0:
				return fmt.Errorf("%q is not positive", v)
			}
			return nil
		},
	}
}
