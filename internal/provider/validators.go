// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/optimize-tf/terraform-provider-optimize/internal/elasticsearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
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
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, capitalize(err.Error())+".")
	}
}

func backupIDValidator() validator.String {
	return stringCheck{
		summary:     "Invalid backup id",
		description: "an Optimize backup id of a covered version: for 3.9 not blank, shorter than 3996 characters, lowercase, without a space, a line break or any of \" * \\ < | , > / ? _ #; for 3.10 and later a number",
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
		check:       elasticsearch.ValidateEndpoint,
	}
}

// repositoryNameValidator applies Elasticsearch's repository-name rules.
func repositoryNameValidator() validator.String {
	return stringCheck{
		summary:     "Invalid repository name",
		description: "an Elasticsearch snapshot repository name: not empty, without whitespace or any of \\ / * ? \" < > | , #, not starting with _",
		check: func(name string) error {
			return checkElasticsearchName("repository name", name)
		},
	}
}

func indexPrefixValidator() validator.String {
	return stringCheck{
		summary:     "Invalid index prefix",
		description: "an Optimize index prefix: lowercase, without whitespace or any of \\ / * ? \" < > | , # :",
		check: func(prefix string) error {
			if err := checkElasticsearchName("index prefix", prefix); err != nil {
				return err
			}
			if strings.ToLower(prefix) != prefix || strings.Contains(prefix, ":") {
				return fmt.Errorf("index prefix %q must be lowercase and must not contain ':'", prefix)
			}
			return nil
		},
	}
}

func checkElasticsearchName(what, name string) error {
	if name == "" {
		return fmt.Errorf("%s must not be empty", what)
	}
	if strings.HasPrefix(name, "_") {
		return fmt.Errorf("%s %q must not start with '_'", what, name)
	}
	if i := strings.IndexAny(name, "\\/*?\"<>|,# \t\r\n"); i >= 0 {
		return fmt.Errorf("%s %q must not contain %q", what, name, name[i])
	}
	return nil
}

// capitalize starts a message as a sentence. A message that starts with a
// name written as it must be typed (an attribute such as optimize_version,
// a snapshot, index or path) keeps that spelling.
func capitalize(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if s == "" || strings.ContainsAny(first, "_-./%\"") {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
