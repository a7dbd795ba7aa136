// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package provider is the Terraform layer of the provider: schemas, and the
// conversion between Terraform values and the backup domain. Nothing else.
package provider

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/awsauth"
	"github.com/optimize-tf/terraform-provider-optimize/internal/camunda"
	"github.com/optimize-tf/terraform-provider-optimize/internal/engine"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/optimize-tf/optimize"

// Environment variables the provider falls back to; the ELASTICSEARCH_* ones
// are the elasticstack provider's, with the same meaning.
const (
	EnvEndpoints   = "ELASTICSEARCH_ENDPOINTS"
	EnvUsername    = "ELASTICSEARCH_USERNAME"
	EnvPassword    = "ELASTICSEARCH_PASSWORD"
	EnvAPIKey      = "ELASTICSEARCH_API_KEY"
	EnvBearerToken = "ELASTICSEARCH_BEARER_TOKEN"
	EnvInsecure    = "ELASTICSEARCH_INSECURE"
	EnvRepository  = "CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME"
)

// New returns the provider factory for a version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &optimizeProvider{version: version} }
}

type optimizeProvider struct {
	version string
	// stop is closed when Terraform asks the provider to stop (NewServer);
	// nil when the provider is served without it.
	stop *stopSignal

	// clusters keeps one engine.Cluster per connection configuration, so
	// that the engine is detected (GET /) once per provider instance, not
	// once per command.
	clustersMu sync.Mutex
	clusters   map[string]*engine.Cluster
}

// cluster returns the cluster of a connection configuration, made once.
func (p *optimizeProvider) cluster(cfg searchhttp.Config, awsKey string) (*engine.Cluster, error) {
	keyed := cfg
	keyed.AWS = nil // a new signer per Configure: keyed by its configuration instead
	key := fmt.Sprintf("%#v|%s", keyed, awsKey)
	p.clustersMu.Lock()
	defer p.clustersMu.Unlock()
	if c, ok := p.clusters[key]; ok {
		return c, nil
	}
	c, err := engine.NewCluster(cfg)
	if err != nil {
		return nil, err
	}
	if p.clusters == nil {
		p.clusters = map[string]*engine.Cluster{}
	}
	p.clusters[key] = c
	return c, nil
}

// awsKeyOf is the aws block's configuration, for the cluster cache.
func awsKeyOf(es *elasticsearchModel) string {
	if es == nil || es.AWS == nil {
		return ""
	}
	return es.AWS.Region.ValueString() + "|" + es.AWS.Profile.ValueString() + "|" + es.AWS.AssumeRoleARN.ValueString()
}

// providerModel is the provider block.
type providerModel struct {
	Elasticsearch   *elasticsearchModel `tfsdk:"elasticsearch"`
	RepositoryName  types.String        `tfsdk:"repository_name"`
	IndexPrefix     types.String        `tfsdk:"index_prefix"`
	OptimizeVersion types.String        `tfsdk:"optimize_version"`
	Camunda         *camundaModel       `tfsdk:"camunda"`
}

type elasticsearchModel struct {
	Endpoints   types.List   `tfsdk:"endpoints"`
	Username    types.String `tfsdk:"username"`
	Password    types.String `tfsdk:"password"`
	APIKey      types.String `tfsdk:"api_key"`
	BearerToken types.String `tfsdk:"bearer_token"`
	CAFile      types.String `tfsdk:"ca_file"`
	CAData      types.String `tfsdk:"ca_data"`
	Insecure    types.Bool   `tfsdk:"insecure"`
	Headers     types.Map    `tfsdk:"headers"`
	AWS         *awsModel    `tfsdk:"aws"`
}

// awsModel is elasticsearch.aws: AWS Signature Version 4 for Amazon
// OpenSearch Service.
type awsModel struct {
	Region        types.String `tfsdk:"region"`
	Profile       types.String `tfsdk:"profile"`
	AssumeRoleARN types.String `tfsdk:"assume_role_arn"`
}

// providerData is what resources and data sources get from Configure. A
// Configure call makes a new one for each Terraform command (plan, apply).
type providerData struct {
	stop        *stopSignal       // Terraform asked the provider to stop
	service     *optimize.Service // nil while the configuration is not known yet
	known       bool              // the provider configuration is fully known
	repository  string
	indexPrefix string
	version     string

	// How to reach Camunda's management APIs (provider_camunda.go): nil
	// without a camunda block, or while the configuration is not known
	// (camundaBlock tells them apart); Version is "" when not configured.
	camunda      *camunda.Config
	camundaBlock bool

	// The repositories' backups as the last listing read them, in this
	// process: a plan after a refresh evaluates policies without reading
	// again (one request per repository per refresh).
	listingsMu sync.Mutex
	listings   map[string][]optimize.Backup

	// The cluster the service talks to, and whether a supported engine
	// answered it: asked once per command, by the first plan.
	cluster      *engine.Cluster
	connectOnce  sync.Once
	connectError error

	// The installation's version as read from Optimize's metadata index:
	// read at most once per command, whatever the number of resources.
	versionMu   sync.Mutex
	versionRead bool
	readVersion string
	readErr     error

	// How far the local clock is ahead of the cluster's: read once per
	// command (clusterNow).
	skewMu   sync.Mutex
	skewRead bool
	skew     time.Duration
}

// cachedListing is the last listing of repository read in this process.
func (d *providerData) cachedListing(repository string) ([]optimize.Backup, bool) {
	d.listingsMu.Lock()
	defer d.listingsMu.Unlock()
	all, ok := d.listings[repository]
	return all, ok
}

func (d *providerData) cacheListing(repository string, all []optimize.Backup) {
	d.listingsMu.Lock()
	defer d.listingsMu.Unlock()
	if d.listings == nil {
		d.listings = map[string][]optimize.Backup{}
	}
	d.listings[repository] = all
}

// configured reports whether Elasticsearch can be reached, and otherwise
// says why in diags: the provider is not configured yet (d is nil) or its
// configuration holds values known only after apply (no service). Every
// resource, data source, list resource and action checks it before a
// request.
func (d *providerData) configured(diags *diag.Diagnostics) bool {
	if d == nil || d.service == nil {
		diags.AddError("Provider not configured",
			"The optimize provider's configuration is not known yet (it depends on values known only after apply), so Elasticsearch cannot be reached. Apply the resources it depends on first, or use -target.")
		return false
	}
	return true
}

// planRepository plans an unset repository_name as the provider's, and
// reports whether the plan can go on: false after adding an error (no
// repository, or no cluster answers; see reachable) under summary.
func (d *providerData) planRepository(ctx context.Context, repository *types.String, summary string, diags *diag.Diagnostics) bool {
	if repository.IsUnknown() && d.known {
		if d.repository == "" {
			addNoRepositoryPlanError(diags)
			return false
		}
		*repository = types.StringValue(d.repository)
	}
	return d.reachable(ctx, summary, diags)
}

// reachable reports whether a supported engine answers at the endpoints,
// asking once per command (engine detection's GET /, which the first
// request of the command makes anyway), and otherwise adds an error under
// summary saying why: unreachable, refused (AWS's message with it), an
// engine the provider does not work with, Elasticsearch behind
// elasticsearch.aws. Resources call it before they plan: a plan that has
// not reached the cluster would plan a create, or no change, on nothing it
// has seen, and a saved plan applied when the cluster cannot be reached
// would end in an inconsistent plan instead of the cause. An unknown
// provider configuration passes (nothing can be reached before apply).
func (d *providerData) reachable(ctx context.Context, summary string, diags *diag.Diagnostics) bool {
	if d == nil || d.cluster == nil {
		return true
	}
	d.connectOnce.Do(func() { _, d.connectError = d.cluster.Connect(ctx) })
	if d.connectError != nil {
		diags.AddError(summary, sentence(d.connectError)+
			".\n\nThe plan reads the cluster to say what the apply will do, and stops when it cannot: nothing was written.")
		return false
	}
	return true
}

// installationVersion returns the Optimize version of the installation: the
// provider's optimize_version when set, otherwise the schema version in
// Optimize's metadata index, read once and cached. It returns "" and no
// error when the version cannot be known yet (the configuration is unknown).
func (d *providerData) installationVersion(ctx context.Context) (string, error) {
	if d.version != "" {
		// The configured spelling (8.6.0-SNAPSHOT) goes into the plan, as
		// the user wrote it; snapshot names carry its X.Y.Z.
		if _, err := optimize.NormalizeVersion(d.version); err != nil {
			return "", err
		}
		return d.version, nil
	}
	if d.service == nil {
		return "", nil
	}
	d.versionMu.Lock()
	defer d.versionMu.Unlock()
	if !d.versionRead {
		d.versionRead = true
		d.readVersion, d.readErr = d.service.ResolveVersion(ctx, "", d.indexPrefix)
	}
	return d.readVersion, d.readErr
}

func (p *optimizeProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "optimize"
	resp.Version = p.version
}

func (p *optimizeProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Backs up and restores Camunda Optimize's data in Elasticsearch, the way Optimize's own backup API does, without a running Optimize.",
		Attributes: map[string]schema.Attribute{
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Elasticsearch snapshot repository that holds the backups, unless a resource names its own. Falls back to `" + EnvRepository + "`, the variable Optimize itself reads. The repository must be registered in Elasticsearch.",
				Optional:            true,
				Validators:          []validator.String{repositoryNameValidator()},
			},
			"index_prefix": schema.StringAttribute{
				MarkdownDescription: "Optimize's index prefix (`es.settings.index.prefix`). Defaults to `optimize`. Indices of another installation, even one whose prefix starts with this one (such as `optimize-staging`), are never part of a backup.",
				Optional:            true,
				Validators:          []validator.String{indexPrefixValidator()},
			},
			"optimize_version": schema.StringAttribute{
				MarkdownDescription: "Version of Optimize whose data is backed up, as it goes into snapshot names (`8.6.0-SNAPSHOT` is written `8.6.0`). It decides the backup id rule (" + optimize.IDRuleSummary() + ") and which indices go into part 1. Verified: Optimize " + optimize.CoveredVersions() + "; a newer version is backed up whole with a warning, and versions without a backup API (3.0 to 3.8, 8.0 to 8.5) are refused (see the guide on Optimize versions). When unset, it is read once per plan from Optimize's metadata index (`<index_prefix>-metadata`, field `schemaVersion`).",
				Optional:            true,
				Validators:          []validator.String{versionValidator()},
			},
		},
		Blocks: map[string]schema.Block{
			"camunda": camundaBlock(),
			"elasticsearch": schema.SingleNestedBlock{
				MarkdownDescription: "How to reach Elasticsearch. Each attribute falls back to the environment variable of the elasticstack provider, with the same meaning, so both providers can share one configuration.",
				Attributes: map[string]schema.Attribute{
					"endpoints": schema.ListAttribute{
						MarkdownDescription: "Elasticsearch URLs, such as `https://es.example.com:9200`. Falls back to `" + EnvEndpoints + "` (comma-separated).",
						ElementType:         types.StringType,
						Optional:            true,
						Sensitive:           false,
						Validators:          []validator.List{listvalidator.ValueStringsAre(endpointValidator())},
					},
					"username": schema.StringAttribute{
						MarkdownDescription: "Username for basic authentication. Falls back to `" + EnvUsername + "`.",
						Optional:            true,
					},
					"password": schema.StringAttribute{
						MarkdownDescription: "Password for basic authentication. Falls back to `" + EnvPassword + "`.",
						Optional:            true,
						Sensitive:           true,
					},
					"api_key": schema.StringAttribute{
						MarkdownDescription: "Base64-encoded API key (`id:api_key`), sent as `Authorization: ApiKey ...`. Falls back to `" + EnvAPIKey + "`. Exclusive with the other authentication methods.",
						Optional:            true,
						Sensitive:           true,
					},
					"bearer_token": schema.StringAttribute{
						MarkdownDescription: "Bearer token, sent as `Authorization: Bearer ...`. Falls back to `" + EnvBearerToken + "`. Exclusive with the other authentication methods.",
						Optional:            true,
						Sensitive:           true,
					},
					"ca_file": schema.StringAttribute{
						MarkdownDescription: "Path to a PEM file of certificate authorities that sign Elasticsearch's certificate.",
						Optional:            true,
					},
					"ca_data": schema.StringAttribute{
						MarkdownDescription: "PEM-encoded certificate authorities, as an alternative to `ca_file`.",
						Optional:            true,
					},
					"insecure": schema.BoolAttribute{
						MarkdownDescription: "Skip the verification of Elasticsearch's TLS certificate. Falls back to `" + EnvInsecure + "`. Only for tests.",
						Optional:            true,
					},
					"headers": schema.MapAttribute{
						MarkdownDescription: "Extra HTTP headers sent with every request, such as an `Authorization` from a proxy in front of Elasticsearch. Their values are sensitive, and masked in the provider's logs.",
						ElementType:         types.StringType,
						Optional:            true,
						Sensitive:           true,
					},
				},
				Blocks: map[string]schema.Block{
					"aws": schema.SingleNestedBlock{
						MarkdownDescription: "Sign every request with AWS Signature Version 4 (service `es`), for an Amazon OpenSearch Service domain with IAM access (OpenSearch 2.x). " +
							"Credentials come from the AWS SDK for Go v2's default chain: the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), the shared files (`AWS_PROFILE` or `profile`), " +
							"web identity (EKS with IRSA), container and instance roles; cached and refreshed as the SDK does. Excludes username/password, `api_key` and `bearer_token`. " +
							"See the guide \"Amazon OpenSearch Service with IAM\".",
						Attributes: map[string]schema.Attribute{
							"region": schema.StringAttribute{
								MarkdownDescription: "The domain's region, such as `eu-west-1`. Falls back to `AWS_REGION` and the profile's region.",
								Optional:            true,
							},
							"profile": schema.StringAttribute{
								MarkdownDescription: "A profile of the shared configuration files. Falls back to `AWS_PROFILE`.",
								Optional:            true,
							},
							"assume_role_arn": schema.StringAttribute{
								MarkdownDescription: "A role to assume with the chain's credentials (STS `AssumeRole`), such as `arn:aws:iam::123456789012:role/optimize-backup`.",
								Optional:            true,
							},
						},
					},
				},
			},
		},
	}
}

// ValidateConfig rejects a misconfiguration at validate and plan time.
// Values not known yet (an endpoint from another resource) are left alone.
func (p *optimizeProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateCamundaBlock(cfg.Camunda, &resp.Diagnostics)
	if cfg.Elasticsearch == nil {
		return
	}
	es := cfg.Elasticsearch
	var set []string
	for name, v := range map[string]types.String{"username": es.Username, "api_key": es.APIKey, "bearer_token": es.BearerToken} {
		if !v.IsNull() {
			set = append(set, name)
		}
	}
	if len(set) > 1 {
		sort.Strings(set)
		resp.Diagnostics.AddAttributeError(path.Root("elasticsearch"), "Conflicting Elasticsearch authentication",
			fmt.Sprintf("The elasticsearch block sets %s: configure exactly one authentication method (username and password, api_key, or bearer_token).", strings.Join(set, " and ")))
	}
	if !es.CAFile.IsNull() && !es.CAData.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("elasticsearch").AtName("ca_data"), "Conflicting CA certificates",
			"Set either ca_file or ca_data, not both.")
	}
	if !es.CAFile.IsNull() && !es.CAFile.IsUnknown() {
		if _, err := os.ReadFile(es.CAFile.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("elasticsearch").AtName("ca_file"), "Unreadable CA file",
				fmt.Sprintf("The CA file %q cannot be read: %v.", es.CAFile.ValueString(), err))
		}
	}
}

func (p *optimizeProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{
		stop:         p.stop,
		repository:   stringOr(cfg.RepositoryName, os.Getenv(EnvRepository)),
		indexPrefix:  stringOr(cfg.IndexPrefix, optimize.DefaultIndexPrefix),
		version:      cfg.OptimizeVersion.ValueString(),
		camundaBlock: cfg.Camunda != nil,
	}
	resp.DataSourceData, resp.ResourceData, resp.ListResourceData = data, data, data
	resp.DataSourceData, resp.ResourceData = data, data
	resp.ActionData = data
	if !req.Config.Raw.IsFullyKnown() {
		// Known at apply; nothing can be checked or read before.
		return
	}
	data.known = true
	camundaCfg, diags := camundaConfig(ctx, cfg.Camunda, p.version)
	resp.Diagnostics.Append(diags...)
	data.camunda = camundaCfg
	esCfg, diags := clientConfig(ctx, cfg.Elasticsearch, p.version)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, err := p.cluster(esCfg, awsKeyOf(cfg.Elasticsearch))
	if err != nil {
		resp.Diagnostics.AddError("Invalid Elasticsearch configuration", err.Error())
		return
	}
	data.service = &optimize.Service{Cluster: client}
	data.cluster = client
}

// clientConfig merges the elasticsearch block with the environment.
func clientConfig(ctx context.Context, es *elasticsearchModel, version string) (searchhttp.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	if es == nil {
		es = &elasticsearchModel{}
	}
	cfg := searchhttp.Config{
		Username:    stringOr(es.Username, os.Getenv(EnvUsername)),
		Password:    stringOr(es.Password, os.Getenv(EnvPassword)),
		APIKey:      stringOr(es.APIKey, os.Getenv(EnvAPIKey)),
		BearerToken: stringOr(es.BearerToken, os.Getenv(EnvBearerToken)),
		UserAgent:   "terraform-provider-optimize/" + version,
	}
	if !es.Endpoints.IsNull() {
		diags.Append(es.Endpoints.ElementsAs(ctx, &cfg.Endpoints, false)...)
	} else if env := os.Getenv(EnvEndpoints); env != "" {
		for _, e := range strings.Split(env, ",") {
			if e = strings.TrimSpace(e); e != "" {
				cfg.Endpoints = append(cfg.Endpoints, e)
			}
		}
	}
	if !es.Insecure.IsNull() {
		cfg.Insecure = es.Insecure.ValueBool()
	} else if env, ok := os.LookupEnv(EnvInsecure); ok && env != "" {
		b, err := strconv.ParseBool(env)
		if err != nil {
			diags.AddError("Invalid "+EnvInsecure, fmt.Sprintf("%s=%q is not a boolean (true or false).", EnvInsecure, env))
		}
		cfg.Insecure = b
	}
	switch {
	case es.CAFile.ValueString() != "":
		pem, err := os.ReadFile(es.CAFile.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("elasticsearch").AtName("ca_file"), "Unreadable CA file",
				fmt.Sprintf("The CA file %q cannot be read: %v.", es.CAFile.ValueString(), err))
		}
		cfg.CACert = pem
	case es.CAData.ValueString() != "":
		cfg.CACert = []byte(es.CAData.ValueString())
	}
	if !es.Headers.IsNull() {
		diags.Append(es.Headers.ElementsAs(ctx, &cfg.Headers, false)...)
	}
	if es.AWS != nil {
		signer, err := awsauth.New(ctx, awsauth.Config{
			Region: es.AWS.Region.ValueString(), Profile: es.AWS.Profile.ValueString(), AssumeRoleARN: es.AWS.AssumeRoleARN.ValueString(),
		})
		if err != nil {
			diags.AddAttributeError(path.Root("elasticsearch").AtName("aws"), "Invalid AWS configuration", errorDetail(err))
		}
		cfg.AWS = signer
	}
	if diags.HasError() {
		return cfg, diags
	}
	if err := cfg.Validate(); err != nil {
		diags.AddAttributeError(path.Root("elasticsearch"), "Invalid Elasticsearch configuration", err.Error())
	}
	return cfg, diags
}

func (p *optimizeProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewBackupResource, NewBackupPolicyResource, NewPlatformBackupResource, NewPlatformBackupPolicyResource}
}

func (p *optimizeProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewBackupStateDataSource, NewBackupsDataSource, NewPlatformBackupDataSource}
}

func (p *optimizeProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewBackupListResource}
}

func (p *optimizeProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{NewBackupIDFunction}
}

func (p *optimizeProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{NewBackupRestoreAction, NewBackupVerifyAction, NewBackupCreateAction}
}

// providerDataFrom is what Configure of a resource or data source gets from
// the provider: nil before the provider is configured, an error if it is of
// another type (a bug of the provider, never of the configuration).
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the optimize provider: please report it.", v))
		return nil
	}
	return data
}

func stringOr(v types.String, fallback string) string {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return fallback
	}
	return v.ValueString()
}

var (
	_ provider.Provider                   = (*optimizeProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*optimizeProvider)(nil)
	_ provider.ProviderWithListResources  = (*optimizeProvider)(nil)
	_ provider.ProviderWithActions        = (*optimizeProvider)(nil)
	_ provider.ProviderWithFunctions      = (*optimizeProvider)(nil)
)
