// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// NewPlatformBackupPolicyResource is the factory of
// optimize_platform_backup_policy.
func NewPlatformBackupPolicyResource() resource.Resource { return &platformPolicyResource{} }

type platformPolicyResource struct {
	data *providerData
}

type platformPolicyModel struct {
	ID                    types.String   `tfsdk:"id"`
	Name                  types.String   `tfsdk:"name"`
	Every                 types.String   `tfsdk:"every"`
	KeepLast              types.Int64    `tfsdk:"keep_last"`
	KeepDaily             types.Int64    `tfsdk:"keep_daily"`
	KeepWeekly            types.Int64    `tfsdk:"keep_weekly"`
	KeepMonthly           types.Int64    `tfsdk:"keep_monthly"`
	KeepYearly            types.Int64    `tfsdk:"keep_yearly"`
	TimeZone              types.String   `tfsdk:"time_zone"`
	MaxAge                types.String   `tfsdk:"max_age"`
	MinCount              types.Int64    `tfsdk:"min_count"`
	StaleAfter            types.String   `tfsdk:"stale_after"`
	RepositoryName        types.String   `tfsdk:"repository_name"`
	WebappsRepositoryName types.String   `tfsdk:"webapps_repository_name"`
	CamundaVersion        types.String   `tfsdk:"camunda_version"`
	BackupIDs             types.List     `tfsdk:"backup_ids"`
	LatestBackupID        types.String   `tfsdk:"latest_backup_id"`
	LatestCompleteID      types.String   `tfsdk:"latest_complete_backup_id"`
	RetainedBy            types.Map      `tfsdk:"retained_by"`
	BackupDue             types.Bool     `tfsdk:"backup_due"`
	ExpiringBackupIDs     types.List     `tfsdk:"expiring_backup_ids"`
	ExpiringReasons       types.Map      `tfsdk:"expiring_reasons"`
	Alerts                types.List     `tfsdk:"alerts"`
	PrometheusMetrics     types.String   `tfsdk:"prometheus_metrics"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

func (r *platformPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_platform_backup_policy"
}

func (r *platformPolicyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *platformPolicyResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computedList := func(d string) schema.Attribute {
		return schema.ListAttribute{MarkdownDescription: d, ElementType: types.StringType, Computed: true}
	}
	keep := func(d string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: d, Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: platformPolicyDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<repository_name>/<name>`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Marks the policy's backups: it goes into the metadata of the Optimize snapshots and of the records snapshot of each id the policy takes, and only ids so marked are ever deleted. Unique within the repository (creating a policy whose name already marks backups there is refused at plan time). Lowercase letters, digits and `-`, at most %d characters.", optimize.MaxPolicyNameLength),
				Required:            true,
				Validators:          []validator.String{stringCheck{summary: "Invalid policy name", description: "lowercase letters, digits and -", check: optimize.ValidatePolicyName}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"every": schema.StringAttribute{
				MarkdownDescription: "A whole backup is due when the policy's newest backup that is complete everywhere started longer ago than this (a Go duration: `24h`).",
				Required:            true,
				Validators:          []validator.String{durationValidator()},
			},
			"keep_last": keep("The newest this many ids complete everywhere are kept."),
			"max_age": schema.StringAttribute{
				MarkdownDescription: "Ids complete everywhere that started longer ago than this expire unless a tier keeps them (a Go duration: `2160h`).",
				Optional:            true,
				Validators:          []validator.String{durationValidator()},
			},
			"min_count": schema.Int64Attribute{
				MarkdownDescription: "Retention never leaves fewer than this many ids complete everywhere (default 1: the newest one is never deleted).",
				Optional:            true, Computed: true, Default: int64default.StaticInt64(1),
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"stale_after": schema.StringAttribute{
				MarkdownDescription: "An id with a component still `IN_PROGRESS` after this long is stuck: the plan warns and is not empty (default `6h`).",
				Optional:            true, Computed: true, Default: stringdefault.StaticString("6h"),
				Validators: []validator.String{durationValidator()},
			},
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository of Optimize's and the records' snapshots. Defaults to the provider's `repository_name`.",
				Optional:            true, Computed: true,
				Validators:    []validator.String{repositoryNameValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"webapps_repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository the web apps (8.6, 8.7: Operate and Tasklist) write to, as Camunda is configured. Defaults to `repository_name`.",
				Optional:            true, Computed: true,
				Validators:    []validator.String{repositoryNameValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"camunda_version": schema.StringAttribute{
				MarkdownDescription: "Camunda's version (8.6 and later): decides the components and their order. Defaults to the provider's `camunda.version`, else the newest version in the exported records' index names.",
				Optional:            true, Computed: true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"backup_ids":                computedList("The policy's ids, oldest first, whatever their state."),
			"latest_backup_id":          schema.StringAttribute{MarkdownDescription: "The policy's newest id, whatever its state; empty when it has none.", Computed: true},
			"latest_complete_backup_id": schema.StringAttribute{MarkdownDescription: "The policy's newest id complete everywhere (every family and Zeebe `COMPLETED`): the restore point retention never deletes; empty when none.", Computed: true},
			"backup_due": schema.BoolAttribute{
				MarkdownDescription: "In a plan (and the state its apply records): `true` when the apply takes a whole backup. A refresh sets it `false`.",
				Computed:            true,
			},
			"expiring_backup_ids": computedList("In a plan (and the state its apply records): the ids retention deletes from every component. The apply deletes none the plan did not name, and none when its new backup failed."),
			"prometheus_metrics": schema.StringAttribute{
				MarkdownDescription: "The health of the policy's backups in the Prometheus text exposition format, one set of series per component (`component` label: each family, and `zeebe`), " +
					"labelled with the policy and the repository: the newest `COMPLETED` backup's end time, counts by state, stuck and failed counts. " +
					"Write it to a file for node_exporter's textfile collector (see the guide). It leaves out the age, so that it changes only when the backups do: alert on `time() - optimize_backup_latest_completed_end_timestamp_seconds`.",
				Computed: true,
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true,
				CreateDescription: "How long the apply that creates the policy may take its first backup and apply retention (default 1h). Exporting is resumed when it strikes.",
				UpdateDescription: "How long a scheduled apply may take its backup and apply retention (default 1h). Exporting is resumed when it strikes, and nothing is deleted after a backup that did not finish."}),
			"alerts": computedList("In a plan: what needs an operator (the newest id incomplete, naming the component and family; a stuck id), also given as warnings, so the plan is not empty while they last."),
		},
	}
	maps.Copy(resp.Schema.Attributes, retentionTierAttributes("an id complete everywhere"))
}

const platformPolicyDescription = "Scheduled whole Camunda 8 backups (as `optimize_platform_backup` takes them: one id across Zeebe, the web apps, Optimize's two parts and the exported records, " +
	"in the order Camunda documents, exporting always resumed) with retention by id across every component. " +
	"Every `terraform apply` is the clock: when the policy's newest id complete everywhere started longer ago than `every`, the plan shows an in-place update (`backup_due = true`), and the apply takes a backup, " +
	"then deletes what retention names in the plan (`expiring_backup_ids`, with `expiring_reasons`), each id as a unit from every component. When nothing is due, nothing expires and nothing needs an operator, the plan is empty.\n\n" +
	"Ids are the cluster's clock in unix seconds, above Zeebe's latest backup id. The policy's ids are those whose Optimize snapshots carry its name in their metadata; it never deletes another id " +
	"(a hand-made `optimize_platform_backup`, another policy's), never the newest id complete everywhere (every family and Zeebe `COMPLETED`), never an id while any of its components is `IN_PROGRESS`, " +
	"and never deletes anything when the apply's new backup failed. An incomplete id older than the newest complete one restores nothing and is deleted; newer ones are kept for the operator, and the plan warns (`alerts`), naming the component and family that are incomplete.\n\n" +
	"Destroying the policy deletes no backup."

// ValidateConfig refuses a min_count above keep_last.
func (r *platformPolicyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg platformPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.KeepLast.IsNull() || cfg.KeepLast.IsUnknown() || cfg.MinCount.IsNull() || cfg.MinCount.IsUnknown() {
		return
	}
	if cfg.MinCount.ValueInt64() > cfg.KeepLast.ValueInt64() {
		resp.Diagnostics.AddAttributeError(path.Root("min_count"), "min_count above keep_last",
			fmt.Sprintf("min_count = %d keeps more ids than keep_last = %d allows: set min_count at most %d.", cfg.MinCount.ValueInt64(), cfg.KeepLast.ValueInt64(), cfg.KeepLast.ValueInt64()))
	}
}

// platformPolicyConfig is the policy's configuration as the private state
// keeps it: a decision made for another configuration is made again.
type platformPolicyConfig struct {
	Name, Every, TimeZone, MaxAge, StaleAfter     string
	KeepLast, KeepDaily, KeepWeekly, KeepMonthly  int64
	KeepYearly, MinCount                          int64
	Repository, WebappsRepository, CamundaVersion string
}

// config is the model's configuration; false while any of it is unknown.
func (m *platformPolicyModel) config() (platformPolicyConfig, bool) {
	for _, v := range []types.String{m.Name, m.Every, m.TimeZone, m.MaxAge, m.StaleAfter, m.RepositoryName, m.WebappsRepositoryName, m.CamundaVersion} {
		if v.IsUnknown() {
			return platformPolicyConfig{}, false
		}
	}
	for _, v := range []types.Int64{m.KeepLast, m.KeepDaily, m.KeepWeekly, m.KeepMonthly, m.KeepYearly, m.MinCount} {
		if v.IsUnknown() {
			return platformPolicyConfig{}, false
		}
	}
	return platformPolicyConfig{
		Name: m.Name.ValueString(), Every: m.Every.ValueString(), TimeZone: m.TimeZone.ValueString(), MaxAge: m.MaxAge.ValueString(), StaleAfter: m.StaleAfter.ValueString(),
		KeepLast: m.KeepLast.ValueInt64(), KeepDaily: m.KeepDaily.ValueInt64(), KeepWeekly: m.KeepWeekly.ValueInt64(), KeepMonthly: m.KeepMonthly.ValueInt64(),
		KeepYearly: m.KeepYearly.ValueInt64(), MinCount: m.MinCount.ValueInt64(),
		Repository: m.RepositoryName.ValueString(), WebappsRepository: m.WebappsRepositoryName.ValueString(), CamundaVersion: m.CamundaVersion.ValueString(),
	}, true
}

// policy is the domain's policy of the configuration.
func (c platformPolicyConfig) policy() platform.Policy {
	duration := func(s string) time.Duration {
		d, _ := time.ParseDuration(s)
		return d
	}
	return platform.Policy{
		Name: c.Name, Every: duration(c.Every), KeepLast: int(c.KeepLast), KeepDaily: int(c.KeepDaily), KeepWeekly: int(c.KeepWeekly),
		KeepMonthly: int(c.KeepMonthly), KeepYearly: int(c.KeepYearly), Location: location(c.TimeZone), MaxAge: duration(c.MaxAge), MinCount: int(c.MinCount),
		StaleAfter: duration(c.StaleAfter),
	}
}

// request is the whole backup of id under the configuration.
func (c platformPolicyConfig) request(d *providerData, id int64) platform.Request {
	return platform.Request{ID: id, Version: c.CamundaVersion, Repository: c.Repository, WebappsRepository: c.WebappsRepository,
		IndexPrefix: d.indexPrefix, OptimizeVersion: d.version}
}

// Delete removes the policy from the state and deletes no backup.
func (r *platformPolicyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state platformPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	var ids []string
	resp.Diagnostics.Append(state.BackupIDs.ElementsAs(ctx, &ids, false)...)
	if len(ids) > 0 {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Platform backup policy %q removed; its %d backup(s) stay", state.Name.ValueString(), len(ids)),
			fmt.Sprintf("A policy's backups are data: destroying the policy deleted none of %s. Adopt each with terraform import (optimize_platform_backup, by its id) and destroy those, "+
				"or delete them from every component by hand.", strings.Join(ids, ", ")))
	}
}

var (
	_ resource.ResourceWithModifyPlan     = (*platformPolicyResource)(nil)
	_ resource.ResourceWithValidateConfig = (*platformPolicyResource)(nil)
	_ resource.ResourceWithConfigure      = (*platformPolicyResource)(nil)
)
