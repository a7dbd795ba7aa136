// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

// NewBackupIDFunction is the factory of provider::optimize::backup_id.
func NewBackupIDFunction() function.Function { return backupIDFunction{} }

type backupIDFunction struct{}

func (backupIDFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "backup_id"
}

func (backupIDFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "A backup id in unix seconds from an RFC 3339 timestamp.",
		MarkdownDescription: "Turns an RFC 3339 timestamp into the unix-second backup id that Camunda's components and `optimize_backup_policy` use " +
			"(`provider::optimize::backup_id(\"2025-12-02T00:00:00Z\")` is `\"1764633600\"`). " +
			"With `plantimestamp()` it names a backup for a pre-upgrade gate: `provider::optimize::backup_id(plantimestamp())`. " +
			"Such ids sort after every date-like id (`20261124`), and Optimize 3.10 to 3.13 take them until 2038 (Java `Integer`).",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "timestamp", MarkdownDescription: "An RFC 3339 timestamp, such as `timestamp()` or `plantimestamp()` return."},
		},
		Return: function.StringReturn{},
	}
}

func (backupIDFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var ts string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &ts))
	if resp.Error != nil {
		return
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, "timestamp "+strconv.Quote(ts)+" is not an RFC 3339 timestamp such as 2025-12-02T00:00:00Z")
		return
	}
	if t.IsZero() {
		// terraform validate of Terraform 1.8 evaluates plantimestamp() as
		// the zero time; no plan ever passes it. "0" lets validate pass.
		resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, "0"))
		return
	}
	if t.Unix() < 0 {
		resp.Error = function.NewArgumentFuncError(0, "timestamp "+strconv.Quote(ts)+" is before 1970: a backup id is a non-negative number")
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, strconv.FormatInt(t.Unix(), 10)))
}
