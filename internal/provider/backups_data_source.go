// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/metrics"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// NewBackupsDataSource is the factory of optimize_backups.
func NewBackupsDataSource() datasource.DataSource { return &backupsDataSource{} }

type backupsDataSource struct {
	data *providerData
}

type backupsDataSourceModel struct {
	RepositoryName  types.String        `tfsdk:"repository_name"`
	State           types.String        `tfsdk:"state"`
	OptimizeVersion types.String        `tfsdk:"optimize_version"`
	StaleAfter      types.String        `tfsdk:"stale_after"`
	Backups         []listedBackupModel `tfsdk:"backups"`
	Metrics         types.String        `tfsdk:"prometheus_metrics"`
}

// listedBackupModel is one backup of a listing, the facts of Optimize 8.x's
// GET /actuator/backups.
type listedBackupModel struct {
	BackupID        types.String          `tfsdk:"backup_id"`
	OptimizeVersion types.String          `tfsdk:"optimize_version"`
	State           types.String          `tfsdk:"state"`
	FailureReason   types.String          `tfsdk:"failure_reason"`
	StartTime       types.String          `tfsdk:"start_time"`
	EndTime         types.String          `tfsdk:"end_time"`
	Snapshots       []listedSnapshotModel `tfsdk:"snapshots"`
	Unclassified    []string              `tfsdk:"unclassified_indices"`
}

type listedSnapshotModel struct {
	Name      types.String `tfsdk:"name"`
	State     types.String `tfsdk:"state"`
	StartTime types.String `tfsdk:"start_time"`
	Failures  []string     `tfsdk:"failures"`
}

func (d *backupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backups"
}

func (d *backupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computedString := func(description string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every Optimize backup of a snapshot repository, newest first, read with one Elasticsearch request whatever their number: " +
			"backups taken by Optimize's own backup API and by this provider alike, with the facts Optimize 8.x's `GET /actuator/backups` reports. " +
			"Snapshots whose names do not parse as an Optimize backup's belong to no backup and are left out.\n\n" +
			"With an Optimize 3.10+ or 8.x installation (the provider's `optimize_version`, else the `schemaVersion` in the installation's metadata index, else the newest version among the backups), a warning names every backup whose id Optimize's own backup list cannot read (a non-numeric id, one with a leading zero, or one beyond that version's id type) and every `camunda_optimize_*` snapshot name it cannot read at all: one of them makes that list fail for the whole repository.",
		Attributes: map[string]schema.Attribute{
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository to list. Defaults to the provider's `repository_name`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{repositoryNameValidator()},
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "Only backups in this state: `COMPLETED`, `IN_PROGRESS`, `FAILED`, `INCOMPATIBLE` or `INCOMPLETE`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(stateNames()...)},
			},
			"optimize_version": schema.StringAttribute{
				MarkdownDescription: "Only backups taken for this Optimize version (`8.6.0-SNAPSHOT` matches `8.6.0`).",
				Optional:            true,
				Validators:          []validator.String{versionValidator()},
			},
			"stale_after": staleAfterAttribute(),
			"prometheus_metrics": computedString(prometheusMetricsDescription("the backups listed (the `state` and `optimize_version` filters apply: leave them unset to monitor the repository)",
				"`policy` empty, `repository`, `component` `optimize`")),
			"backups": schema.ListNestedAttribute{
				MarkdownDescription: "The backups, newest first (by the start time of their first snapshot).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"backup_id":        computedString("Optimize backup id."),
					"optimize_version": computedString("Optimize version the backup was taken for (`X.Y.Z`, from the snapshot names)."),
					"state":            computedString(backupStatus[0].description),
					"failure_reason":   computedString(backupStatus[1].description),
					"start_time":       computedString("When the backup's first snapshot started (RFC 3339)."),
					"end_time":         computedString("When the backup's last snapshot ended (RFC 3339); empty while one still runs."),
					"unclassified_indices": schema.ListAttribute{
						MarkdownDescription: unclassifiedIndicesDescription,
						ElementType:         types.StringType,
						Computed:            true,
					},
					"snapshots": schema.ListNestedAttribute{
						MarkdownDescription: "The backup's snapshots, part 1 first.",
						Computed:            true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"name":       computedString("Snapshot name."),
							"state":      computedString(partAttributes[1].description),
							"start_time": computedString("When the snapshot started (RFC 3339)."),
							"failures": schema.ListAttribute{
								MarkdownDescription: "Elasticsearch's reason and shard failures, one per entry.",
								ElementType:         types.StringType,
								Computed:            true,
							},
						}},
					},
				}},
			},
		},
	}
}

func (d *backupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *backupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg backupsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !d.data.configured(&resp.Diagnostics) {
		return
	}
	repository := stringOr(cfg.RepositoryName, d.data.repository)
	backups, diags := listBackups(ctx, d.data, repository, cfg.State, cfg.OptimizeVersion)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.RepositoryName = types.StringValue(repository)
	cfg.Backups = make([]listedBackupModel, 0, len(backups))
	src := metrics.Source{Repository: repository, Component: string(platform.Optimize)}
	for _, b := range backups {
		cfg.Backups = append(cfg.Backups, newListedBackup(b, d.data.indexPrefix))
		src.Backups = append(src.Backups, metricsBackup(b))
	}
	src.Stuck = stuckBackups(src.Backups, staleAfter(cfg.StaleAfter), time.Now())
	// No age: it would change the text at every read.
	text, err := metrics.Render(time.Time{}, src)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot write the metrics of repository %q", repository), errorDetail(err))
		return
	}
	cfg.Metrics = types.StringValue(text)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// listBackups lists the backups of repository that pass the filters, and
// warns of backups that Optimize's own backup list cannot read. The data
// source and the list resource share it.
func listBackups(ctx context.Context, data *providerData, repository string, state, version types.String) ([]optimize.Backup, diag.Diagnostics) {
	var diags diag.Diagnostics
	if repository == "" {
		diags.AddError("Cannot list backups", noRepositoryDetail())
		return nil, diags
	}
	filter := optimize.ListFilter{State: optimize.State(state.ValueString())}
	if v := version.ValueString(); v != "" {
		normalized, err := optimize.NormalizeVersion(v)
		if err != nil {
			diags.AddError("Invalid Optimize version", errorDetail(err))
			return nil, diags
		}
		filter.Version = normalized
	}
	listing, err := data.service.ListBackups(ctx, repository)
	if err != nil {
		diags.AddError(fmt.Sprintf("Cannot list the backups of repository %q", repository), diagnosis{operation: "read"}.detail(err))
		return nil, diags
	}
	all := listing.Backups
	// Optimize's own list is the installation's: its version as configured
	// or in its metadata index; the newest among the backups only when
	// neither is known.
	var ids []optimize.BackupID
	var names []string
	installation, whose := "", "the installation's version"
	if optimize.MayBeUnlistable(all, listing.Unparsed) {
		// Only then is the installation's version worth a request.
		if v, err := data.installationVersion(ctx); err == nil && v != "" {
			installation, _ = optimize.NormalizeVersion(v)
		}
		if installation == "" {
			installation, whose = optimize.NewestVersion(all), "the newest version among the backups; set optimize_version on the provider to name the installation's"
		}
		ids = optimize.UnlistableIDs(installation, all)
		names = optimize.UnlistableNames(installation, listing.Unparsed)
	}
	if len(ids)+len(names) > 0 {
		var what []string
		for _, id := range ids {
			what = append(what, fmt.Sprintf("backup %q", id))
		}
		for _, n := range names {
			what = append(what, fmt.Sprintf("snapshot %s (no backup's name)", n))
		}
		diags.AddWarning(fmt.Sprintf("Optimize %s cannot list repository %q: %d snapshot name(s) it cannot read", installation, repository, len(what)),
			fmt.Sprintf("Optimize %s (%s) reads backup ids back from snapshot names as plain decimal numbers within its id type, and its backup list (GET /actuator/backups) fails for the whole repository while one of them is not: %s. "+
				"Delete these when they are no longer needed (terraform destroy of their optimize_backup resources; DELETE _snapshot/%s/<name> for the others), or keep them in another repository.",
				installation, whose, strings.Join(what, ", "), optimize.PathEscape(repository)))
	}
	return filter.Filter(all), diags
}

func newListedBackup(b optimize.Backup, indexPrefix string) listedBackupModel {
	m := listedBackupModel{
		Unclassified:    append([]string{}, b.UnclassifiedIndices(indexPrefix)...),
		BackupID:        types.StringValue(string(b.ID)),
		OptimizeVersion: types.StringValue(b.Version),
		State:           types.StringValue(string(b.State)),
		FailureReason:   types.StringValue(b.FailureReason),
		StartTime:       types.StringValue(formatTime(b.StartTime())),
		EndTime:         types.StringValue(formatTime(b.EndTime())),
		Snapshots:       make([]listedSnapshotModel, 0, len(b.Snapshots)),
	}
	for _, s := range b.Snapshots {
		m.Snapshots = append(m.Snapshots, listedSnapshotModel{
			Name:      types.StringValue(s.Name),
			State:     types.StringValue(s.State),
			StartTime: types.StringValue(formatTime(s.StartTime)),
			Failures:  snapshotFailures(s),
		})
	}
	return m
}

// defaultStaleAfter is stale_after's default, as optimize_backup_policy's.
const defaultStaleAfter = 6 * time.Hour

// staleAfterAttribute is the data sources' stale_after, for their metrics.
func staleAfterAttribute() schema.Attribute {
	return schema.StringAttribute{
		MarkdownDescription: "For `prometheus_metrics`: a backup still `IN_PROGRESS` after this long (from its start) counts in `optimize_backup_stuck` (a Go duration; default `6h`, as `optimize_backup_policy`'s `stale_after`).",
		Optional:            true,
		Validators:          []validator.String{durationValidator()},
	}
}

// staleAfter is stale_after, its default when unset.
func staleAfter(v types.String) time.Duration {
	if d, err := time.ParseDuration(v.ValueString()); err == nil && d > 0 {
		return d
	}
	return defaultStaleAfter
}

// prometheusMetricsDescription describes prometheus_metrics of what, with
// its labels.
func prometheusMetricsDescription(what, labels string) string {
	return "The health of " + what + " in the Prometheus text exposition format: write it to node_exporter's textfile collector (guide \"Alert on backups with Prometheus\"). " +
		"Gauges labelled " + labels + ": `optimize_backup_latest_completed_end_timestamp_seconds` (the latest end among `COMPLETED` backups; absent when none is `COMPLETED`: alert with `absent()`), " +
		"`optimize_backup_backups{state=...}` (every state, 0 included), `optimize_backup_stuck` (see `stale_after`) and `optimize_backup_failed` (`FAILED`, `INCOMPATIBLE` or `INCOMPLETE`), sorted. " +
		"No age is written, so that the text changes only when the backups do (an output of it keeps plans empty): the age is `time() - optimize_backup_latest_completed_end_timestamp_seconds`, " +
		"which keeps growing when the backups, or the writing of this file, stop."
}

// metricsBackup is b as internal/metrics sees it.
func metricsBackup(b optimize.Backup) metrics.Backup {
	return metrics.Backup{ID: string(b.ID), State: string(b.State), Start: b.StartTime(), End: b.EndTime()}
}

// stuckBackups counts the backups IN_PROGRESS that started longer than
// staleAfter before now: optimize_backup_policy's stuck_backup_ids rule.
func stuckBackups(backups []metrics.Backup, staleAfter time.Duration, now time.Time) int {
	n := 0
	for _, b := range backups {
		if b.State == string(optimize.StateInProgress) && now.Sub(b.Start) > staleAfter {
			n++
		}
	}
	return n
}

func stateNames() []string {
	names := make([]string, len(optimize.States))
	for i, s := range optimize.States {
		names[i] = string(s)
	}
	return names
}

var _ datasource.DataSourceWithConfigure = (*backupsDataSource)(nil)
