// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

func (r *backupPolicyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computedList := func(d string) schema.Attribute {
		return schema.ListAttribute{MarkdownDescription: d, ElementType: types.StringType, Computed: true}
	}
	computedString := func(d string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: d, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Scheduled Optimize backups with a retention that treats a backup as a unit. " +
			"Creating the policy takes its first backup; afterwards every `terraform apply` (a CI schedule, a Kubernetes CronJob) is the clock: " +
			"when the policy's newest `COMPLETED` backup started longer ago than `every`, the plan shows an in-place update (`backup_due = true`) and the apply takes a backup (both parts, waited for), " +
			"then deletes what retention names in the plan (`expiring_backup_ids`), both parts of each backup in one request. When nothing is due and nothing expires, the plan is empty.\n\n" +
			"Backup ids are unix seconds at creation, greater than every backup id in the repository (`<name>-<unix seconds>` for Optimize 3.9); the snapshots carry the policy's name in their metadata, " +
			"and retention only ever deletes those. It never deletes a backup `IN_PROGRESS`, the newest `COMPLETED` one, anything when the apply's new backup failed, or so many that fewer than `min_count` `COMPLETED` backups remain. " +
			"A stuck backup (`IN_PROGRESS` for longer than `stale_after`), a `FAILED` newest backup, or a backup of the policy that something else deleted makes the plan non-empty with a warning (`alerts`), so a scheduled `terraform plan -detailed-exitcode` alerts; the apply acknowledges it.\n\n" +
			"A policy whose `name` already marks backups in the repository (another workspace's policy) is refused at plan time, before anything is written: import it instead. " +
			"With Optimize 3.10 to 3.13 (Java Integer ids), a due backup whose id would pass 2147483647 fails the plan, naming the backup that forces it.\n\n" +
			"Destroying the policy deletes no backup: they are data (see the guide \"Nightly backups with retention\" for removing them).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<repository_name>/<name>`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Marks the policy's backups (in their snapshots' metadata): unique within the repository; creating a policy whose name already marks backups there is refused at plan time (import that policy, or pick another name). Lowercase letters, digits and `-`, at most %d characters.", optimize.MaxPolicyNameLength),
				Required:            true,
				Validators:          []validator.String{stringCheck{summary: "Invalid policy name", description: "lowercase letters, digits and -", check: optimize.ValidatePolicyName}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"every": schema.StringAttribute{
				MarkdownDescription: "A backup is due when the policy's newest `COMPLETED` backup started longer ago than this (a Go duration: `24h`, `90m`). Applying more often than this takes no more backups.",
				Required:            true,
				Validators:          []validator.String{durationValidator()},
			},
			"keep_last": schema.Int64Attribute{
				MarkdownDescription: "The newest this many `COMPLETED` backups of the policy are kept (unless older than `max_age`); with no calendar tier set, the oldest beyond it are deleted. Unset: no count limit.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"max_age": schema.StringAttribute{
				MarkdownDescription: "`COMPLETED` backups that started longer ago than this are deleted (a Go duration: `720h`) unless a calendar tier keeps them, and never so many that fewer than `min_count` remain. Unset: no age limit.",
				Optional:            true,
				Validators:          []validator.String{durationValidator()},
			},
			"min_count": schema.Int64Attribute{
				MarkdownDescription: "Retention never leaves fewer than this many `COMPLETED` backups of the policy (default 1: the newest `COMPLETED` backup is never deleted).",
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(1),
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"stale_after": schema.StringAttribute{
				MarkdownDescription: "A backup of the policy still `IN_PROGRESS` after this long is stuck: the plan warns and is not empty (default `6h`).",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("6h"),
				Validators:          []validator.String{durationValidator()},
			},
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository of the policy's backups. Defaults to the provider's `repository_name`. Changing it makes a new policy there; the backups stay where they are.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{repositoryNameValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"backup_ids":          computedList("The policy's backups, oldest first (by the start of their first snapshot)."),
			"latest_backup_id":    computedString("The policy's newest backup, whatever its state; empty when it has none."),
			"latest_completed_at": computedString("When the policy's newest `COMPLETED` backup ended (RFC 3339); empty when none is `COMPLETED`."),
			"expiring_backup_ids": computedList("In a plan (and the state its apply records): the backups retention deletes, known at plan time. The apply deletes none the plan did not name, and none when its new backup failed. A refresh empties it; the next plan decides afresh."),
			"stuck_backup_ids":    computedList("The policy's backups `IN_PROGRESS` for longer than `stale_after`."),
			"failed_backup_ids":   computedList("The policy's backups `FAILED`, `INCOMPATIBLE` or `INCOMPLETE`."),
			"backup_due": schema.BoolAttribute{
				MarkdownDescription: "In a plan (and the state its apply records): `true` when the apply takes a backup. A refresh sets it `false`; the next plan decides afresh.",
				Computed:            true,
			},
			"alerts": computedList("In a plan (and the state its apply records): what needs an operator (a stuck backup, a `FAILED` newest backup, a failed restore drill), also given as warnings. A refresh empties it; every plan names them again while they last, so the plan is not empty."),
		},
	}
	maps.Copy(resp.Schema.Attributes, verifyAttributes())
	maps.Copy(resp.Schema.Attributes, retentionTierAttributes("a `COMPLETED` backup"))
	resp.Schema.Attributes["prometheus_metrics"] = schema.StringAttribute{
		MarkdownDescription: "The health of the policy's backups in the Prometheus text exposition format (labels `policy`, `repository`, `component=\"optimize\"`): " +
			"the newest `COMPLETED` backup's end time, counts by state, stuck and failed counts, and the last restore drill's result and time (with `verify_every`). " +
			"Write it to a file for node_exporter's textfile collector (see the guide \"Alert on backups with Prometheus\"). It leaves out the age, so that it changes only when the backups do: alert on `time() - optimize_backup_latest_completed_end_timestamp_seconds`. " +
			"Unknown in a plan that takes, deletes or drills a backup.",
		Computed: true,
	}
}
