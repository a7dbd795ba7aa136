// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/metrics"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// NewPlatformBackupDataSource is the factory of optimize_platform_backup.
func NewPlatformBackupDataSource() datasource.DataSource { return &platformBackupDataSource{} }

type platformBackupDataSource struct {
	data *providerData
}

type platformBackupModel struct {
	BackupID        types.String             `tfsdk:"backup_id"`
	RepositoryName  types.String             `tfsdk:"repository_name"`
	RepositoryNames map[string]string        `tfsdk:"repository_names"`
	TenantRepos     []string                 `tfsdk:"webapps_tenant_repository_names"`
	Expect          []string                 `tfsdk:"expect"`
	State           types.String             `tfsdk:"state"`
	CamundaVersion  types.String             `tfsdk:"camunda_version"`
	FailureReason   types.String             `tfsdk:"failure_reason"`
	Missing         []string                 `tfsdk:"missing"`
	Components      []platformComponentModel `tfsdk:"components"`
	ZeebePartitions []zeebePartitionModel    `tfsdk:"zeebe_partitions"`
	StaleAfter      types.String             `tfsdk:"stale_after"`
	Metrics         types.String             `tfsdk:"prometheus_metrics"`
}

type platformComponentModel struct {
	Name           string                  `tfsdk:"name"`
	Version        string                  `tfsdk:"version"`
	State          string                  `tfsdk:"state"`
	ExpectedParts  int64                   `tfsdk:"expected_parts"`
	RepositoryName string                  `tfsdk:"repository_name"`
	FailureReason  string                  `tfsdk:"failure_reason"`
	Missing        []string                `tfsdk:"missing"`
	Snapshots      []platformSnapshotModel `tfsdk:"snapshots"`
}

type platformSnapshotModel struct {
	Name     string   `tfsdk:"name"`
	State    string   `tfsdk:"state"`
	Failures []string `tfsdk:"failures"`
}

func (d *platformBackupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_platform_backup"
}

func (d *platformBackupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	families := strings.Join(platform.FamilyNames(), "`, `")
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	strList := func(desc string) schema.Attribute {
		return schema.ListAttribute{MarkdownDescription: desc, ElementType: types.StringType, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Is backup `X` of the whole Camunda 8 installation there? Reads, with one listing request per repository and no write, " +
			"the snapshots of every component's backup of one id: Optimize (`camunda_optimize_<id>_<version>_part_<n>_of_2`), the web apps of 8.8 and later " +
			"(`camunda_webapps_<id>_<version>_part_<n>_of_<N>`), Operate and Tasklist of 8.6 and 8.7 (`camunda_operate_...`, `camunda_tasklist_...`), and the exported Zeebe records " +
			"(`camunda_zeebe_records_backup_<id>`). A family is one version, as one Optimize backup is: it is complete when parts 1 to N of N of one version (the full `X.Y.Z`) are all there and `SUCCESS` " +
			"(N from the names), and parts of different versions make no backup (`optimize_backup_state` and the restore judge Optimize's family the same way); " +
			"the backup is `COMPLETED` only when every expected family is, and a family that is not expected never changes that. Zeebe's own partition backups live in its blob store, which the provider cannot see: check them with Zeebe's backup API in the same gate " +
			"(guide \"Gate a Camunda upgrade on a complete platform backup\").",
		Attributes: map[string]schema.Attribute{
			"backup_id": schema.StringAttribute{
				MarkdownDescription: "The platform backup's id, the one every component's backup was taken with (unix seconds, such as `1764633600`).",
				Required:            true,
				Validators:          []validator.String{stringCheck{summary: "Invalid backup id", description: "plain decimal digits", check: platformIDCheck}},
			},
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository of every family not named in `repository_names`. Defaults to the provider's `repository_name`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{repositoryNameValidator()},
			},
			"repository_names": schema.MapAttribute{
				MarkdownDescription: "The repository of a family where it is not `repository_name`, by family: `" + families + "`.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.OneOf(platform.FamilyNames()...)),
					mapvalidator.ValueStringsAre(repositoryNameValidator()),
				},
			},
			"webapps_tenant_repository_names": schema.ListAttribute{
				MarkdownDescription: "Camunda 8.10 physical tenants: the snapshot repository of each tenant, into which it writes its web apps' backup with the same snapshot names " +
					"(camunda/camunda #60719: one repository per physical tenant). The `webapps` family is read from each and is `COMPLETED` only when it is complete in every one; " +
					"`components` lists it once per repository. Excludes `repository_names.webapps`.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.List{listvalidator.ValueStringsAre(repositoryNameValidator()), listvalidator.UniqueValues(), listvalidator.SizeAtLeast(1)},
			},
			"expect": schema.ListAttribute{
				MarkdownDescription: "The families a complete backup has. Unset: those of the Camunda version the snapshot names say (8.8 and later: `optimize`, `webapps`, `zeebe_records`; " +
					"8.6 and 8.7: `optimize`, `operate`, `tasklist`, `zeebe_records`). Set it for a platform without Optimize, or without exported records.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf(platform.FamilyNames()...)), listvalidator.UniqueValues()},
			},
			"state": str("`COMPLETED` only when every expected family is complete and, with the provider's `camunda {}` block, Zeebe's backup of the id is `COMPLETED`; " +
				"otherwise `FAILED`, `INCOMPATIBLE`, `IN_PROGRESS` or `INCOMPLETE`, the worst first."),
			"zeebe_partitions": schema.ListNestedAttribute{
				MarkdownDescription: "With the provider's `camunda {}` block: Zeebe's backup of the id per partition, read through Zeebe's backup API (none when Zeebe has no backup of it, which makes the backup `INCOMPLETE`). " +
					"Without the block: empty, and Zeebe's backup is not judged.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"partition_id":   schema.Int64Attribute{MarkdownDescription: "Zeebe's partition.", Computed: true},
					"state":          str("The partition's backup state: `COMPLETED`, `IN_PROGRESS`, `FAILED`, `DOES_NOT_EXIST`."),
					"failure_reason": str("Why it failed; empty otherwise."),
					"broker_version": str("The version of the broker that took it."),
				}},
			},
			"stale_after": staleAfterAttribute(),
			"prometheus_metrics": str(prometheusMetricsDescription("each component's backup of the id (its state as in `components`, and with the provider's `camunda {}` block Zeebe's, component `zeebe`, as in `zeebe_partitions`)",
				"`policy` empty, `repository` (empty for Zeebe's), `component` (the family: `"+families+"`)")),
			"camunda_version": str("The Camunda version of the backup: the most common minor version among the expected families' snapshot names, written as the newest of its names (components of one release may differ in their patch version; the parts of one family may not)."),
			"failure_reason":  str("Why the backup is not `COMPLETED`, per family, and snapshots of another version (never counted). Empty otherwise."),
			"missing":         strList("Names of the snapshots an expected family should have and does not."),
			"components": schema.ListNestedAttribute{
				MarkdownDescription: "Each family found or expected.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":            str("The family: `" + families + "`."),
					"version":         str("The version its snapshot names carry (empty for the Zeebe records)."),
					"state":           str("The family's state, aggregated as for one backup."),
					"expected_parts":  schema.Int64Attribute{MarkdownDescription: "N: the parts its names say it has (0 when none was found).", Computed: true},
					"repository_name": str("The repository it was read from."),
					"failure_reason":  str("Why it is not `COMPLETED`; empty otherwise."),
					"missing":         strList("Names of its snapshots that should exist and do not."),
					"snapshots": schema.ListNestedAttribute{
						MarkdownDescription: "Its snapshots, part 1 first.",
						Computed:            true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"name":     str("Snapshot name."),
							"state":    str("Elasticsearch's snapshot state."),
							"failures": strList("Elasticsearch's reason and shard failures, one per entry."),
						}},
					},
				}},
			},
		},
	}
}

func platformIDCheck(id string) error {
	if id == "" {
		return errors.New("a platform backup id must not be empty")
	}
	for i, c := range id {
		if c < '0' || c > '9' {
			return fmt.Errorf("platform backup id %q contains %q at position %d: Camunda's components take numeric backup ids (unix seconds, such as 1764633600)", id, c, i)
		}
	}
	return nil
}

func (d *platformBackupDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *platformBackupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg platformBackupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !d.data.configured(&resp.Diagnostics) {
		return
	}
	id := cfg.BackupID.ValueString()
	repository := stringOr(cfg.RepositoryName, d.data.repository)
	repositoryOf := func(family platform.Component) string {
		if r := cfg.RepositoryNames[string(family)]; r != "" {
			return r
		}
		return repository
	}
	for _, f := range platform.Families {
		if repositoryOf(f) == "" {
			resp.Diagnostics.AddError(fmt.Sprintf("Cannot read platform backup %q", id), noRepositoryDetail())
			return
		}
	}
	if len(cfg.TenantRepos) > 0 && cfg.RepositoryNames[string(platform.Webapps)] != "" {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read platform backup %q", id),
			"Both repository_names.webapps and webapps_tenant_repository_names are set: name the web apps' repository once (one repository, or one per physical tenant).")
		return
	}
	pb, err := platform.ReadTenantFamilies(ctx, d.data.service.Cluster, optimize.BackupID(id), repositoryOf, components(cfg.Expect), cfg.TenantRepos)
	if err != nil {
		detail := diagnosis{operation: "read"}.detail(err)
		if errors.Is(err, optimize.ErrBackupNotFound) {
			detail = fmt.Sprintf("No snapshot of backup %q of any component (%s) was found in %s. Check backup_id, repository_name and repository_names: "+
				"each component takes its backup with the same id, into the repository it is configured with.", id, strings.Join(platform.FamilyNames(), ", "), repositoriesText(repositoryOf))
		}
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read platform backup %q", id), detail)
		return
	}
	cfg.ZeebePartitions = []zeebePartitionModel{}
	if d.data.camundaBlock {
		v, err := d.withZeebe(ctx, pb)
		if err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("Cannot read platform backup %q", id), platformDetail(err))
			return
		}
		pb = v
		if v.Zeebe != nil {
			for _, p := range v.Zeebe.Partitions {
				cfg.ZeebePartitions = append(cfg.ZeebePartitions, zeebePartitionModel{PartitionID: int64(p.ID), State: string(p.State), FailureReason: p.FailureReason, BrokerVersion: p.BrokerVersion})
			}
		}
	}
	cfg.RepositoryName = types.StringValue(repository)
	cfg.State = types.StringValue(string(pb.State))
	cfg.CamundaVersion = types.StringValue(pb.CamundaVersion)
	cfg.FailureReason = types.StringValue(pb.FailureReason)
	cfg.Missing = append([]string{}, pb.Missing...)
	cfg.Components = make([]platformComponentModel, 0, len(pb.Families))
	for _, c := range pb.Families {
		m := platformComponentModel{
			Name: string(c.Family), Version: c.Version, State: string(c.State), ExpectedParts: int64(c.ExpectedParts),
			RepositoryName: c.Repository, FailureReason: c.Reason, Missing: append([]string{}, c.Missing...),
			Snapshots: make([]platformSnapshotModel, 0, len(c.Snapshots)),
		}
		for _, s := range c.Snapshots {
			m.Snapshots = append(m.Snapshots, platformSnapshotModel{Name: s.Name, State: s.State, Failures: snapshotFailures(s)})
		}
		cfg.Components = append(cfg.Components, m)
	}
	text, err := platformMetrics(pb, staleAfter(cfg.StaleAfter), time.Now())
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot write the metrics of platform backup %q", id), errorDetail(err))
		return
	}
	cfg.Metrics = types.StringValue(text)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// platformMetrics renders one source per family of the verdict (one per
// repository of the web apps' tenants), each with the id's backup in the
// family's state, and Zeebe's when it was read.
func platformMetrics(pb platform.Verdict, staleAfter time.Duration, now time.Time) (string, error) {
	var sources []metrics.Source
	for _, f := range pb.Families {
		b := metricsBackup(optimize.Backup{ID: pb.ID, State: f.State, Snapshots: f.Snapshots})
		sources = append(sources, metrics.Source{Repository: f.Repository, Component: string(f.Family), Backups: []metrics.Backup{b}})
	}
	if pb.ZeebeRead {
		sources = append(sources, metrics.Source{Component: string(platform.Zeebe), Backups: zeebeMetricsBackups(pb)})
	}
	for i := range sources {
		sources[i].Stuck = stuckBackups(sources[i].Backups, staleAfter, now)
	}
	// No age: it would change the text at every read.
	return metrics.Render(time.Time{}, sources...)
}

// zeebeMetricsBackups is Zeebe's backup of the id, as the verdict judges
// it: INCOMPLETE when Zeebe has none; otherwise its state in the families'
// vocabulary (platform's zeebeState: DOES_NOT_EXIST and DELETED are
// INCOMPLETE), from its first partition's start to its last one's update.
func zeebeMetricsBackups(pb platform.Verdict) []metrics.Backup {
	if pb.Zeebe == nil {
		return []metrics.Backup{{ID: string(pb.ID), State: string(optimize.StateIncomplete)}}
	}
	state := optimize.State(pb.Zeebe.State)
	if !slices.Contains(optimize.States, state) {
		state = optimize.StateIncomplete
	}
	b := metrics.Backup{ID: string(pb.ID), State: string(state)}
	for _, p := range pb.Zeebe.Partitions {
		if !p.CreatedAt.IsZero() && (b.Start.IsZero() || p.CreatedAt.Before(b.Start)) {
			b.Start = p.CreatedAt
		}
		if p.LastUpdatedAt.After(b.End) {
			b.End = p.LastUpdatedAt
		}
	}
	if state == optimize.StateInProgress {
		b.End = time.Time{}
	}
	return []metrics.Backup{b}
}

// withZeebe judges Zeebe's backup of the id with the families': read
// through Zeebe's API in the version the snapshot names say.
func (d *platformBackupDataSource) withZeebe(ctx context.Context, pb platform.Verdict) (platform.Verdict, error) {
	client, err := d.data.camundaClient(pb.CamundaVersion)
	if err != nil {
		return platform.Verdict{}, err
	}
	id, err := strconv.ParseInt(string(pb.ID), 10, 64)
	if err != nil {
		return platform.Verdict{}, fmt.Errorf("platform backup id %q: Zeebe takes ids of at most 19 digits: %w", pb.ID, err)
	}
	zb, err := client.ReadBackup(ctx, platform.Zeebe, id)
	switch {
	case errors.Is(err, platform.ErrNotFound):
		return platform.WithZeebe(pb, id, nil), nil
	case err != nil:
		return platform.Verdict{}, fmt.Errorf("reading Zeebe's backup %d: %w", id, err)
	}
	return platform.WithZeebe(pb, id, &zb), nil
}

func repositoriesText(repositoryOf func(platform.Component) string) string {
	seen := map[string]bool{}
	var out []string
	for _, f := range platform.Families {
		if r := repositoryOf(f); !seen[r] {
			seen[r] = true
			out = append(out, fmt.Sprintf("%q", r))
		}
	}
	return "repository " + strings.Join(out, ", ")
}

// components are the families named in the configuration.
func components(names []string) []platform.Component {
	var out []platform.Component
	for _, n := range names {
		out = append(out, platform.Component(n))
	}
	return out
}

var _ datasource.DataSourceWithConfigure = (*platformBackupDataSource)(nil)
