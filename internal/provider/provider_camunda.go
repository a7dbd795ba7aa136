// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/camunda"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Environment variables of the camunda block. Where Camunda's own SDKs
// (JavaScript, Python, C#, Go) read a variable with the same meaning, the
// provider reads that one: CAMUNDA_REST_ADDRESS, the credentials, the OAuth
// settings and the custom root certificate. The others are the provider's.
const (
	EnvCamundaVersion            = "CAMUNDA_VERSION"
	EnvCamundaRESTEndpoint       = "CAMUNDA_REST_ADDRESS"
	EnvCamundaManagementEndpoint = "CAMUNDA_MANAGEMENT_ENDPOINT"
	EnvCamundaOperateEndpoint    = "CAMUNDA_OPERATE_MANAGEMENT_ENDPOINT"
	EnvCamundaTasklistEndpoint   = "CAMUNDA_TASKLIST_MANAGEMENT_ENDPOINT"
	EnvCamundaZeebeEndpoint      = "CAMUNDA_ZEEBE_MANAGEMENT_ENDPOINT"
	EnvCamundaUsername           = "CAMUNDA_BASIC_AUTH_USERNAME"
	EnvCamundaPassword           = "CAMUNDA_BASIC_AUTH_PASSWORD" //nolint:gosec // the name of an environment variable, not a credential
	EnvCamundaTokenURL           = "CAMUNDA_OAUTH_URL"           //nolint:gosec // the name of an environment variable, not a credential
	EnvCamundaClientID           = "CAMUNDA_CLIENT_ID"
	EnvCamundaClientSecret       = "CAMUNDA_CLIENT_SECRET" //nolint:gosec // the name of an environment variable, not a credential
	EnvCamundaAudience           = "CAMUNDA_TOKEN_AUDIENCE"
	EnvCamundaScopes             = "CAMUNDA_TOKEN_SCOPE"
	EnvCamundaCAFile             = "CAMUNDA_CUSTOM_ROOT_CERT_PATH"
	EnvCamundaCAData             = "CAMUNDA_CUSTOM_ROOT_CERT_STRING"
	EnvCamundaInsecure           = "CAMUNDA_INSECURE"
)

// camundaModel is the provider's camunda block.
type camundaModel struct {
	Version            types.String       `tfsdk:"version"`
	RESTEndpoint       types.String       `tfsdk:"rest_endpoint"`
	ManagementEndpoint types.String       `tfsdk:"management_endpoint"`
	OperateEndpoint    types.String       `tfsdk:"operate_management_endpoint"`
	TasklistEndpoint   types.String       `tfsdk:"tasklist_management_endpoint"`
	ZeebeEndpoint      types.String       `tfsdk:"zeebe_management_endpoint"`
	Username           types.String       `tfsdk:"username"`
	Password           types.String       `tfsdk:"password"`
	CAFile             types.String       `tfsdk:"ca_file"`
	CAData             types.String       `tfsdk:"ca_data"`
	Insecure           types.Bool         `tfsdk:"insecure"`
	OAuth              *camundaOAuthModel `tfsdk:"oauth"`
}

// camundaOAuthModel is camunda.oauth.
type camundaOAuthModel struct {
	TokenURL     types.String `tfsdk:"token_url"`
	ClientID     types.String `tfsdk:"client_id"`
	ClientSecret types.String `tfsdk:"client_secret"`
	Audience     types.String `tfsdk:"audience"`
	Scopes       types.List   `tfsdk:"scopes"`
}

// camundaBlock is the camunda block's schema.
func camundaBlock() schema.Block {
	endpoint := func(description, env string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: description + " Falls back to `" + env + "`.",
			Optional:            true,
			Validators:          []validator.String{camundaEndpointValidator()},
		}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "How to reach Camunda 8's management APIs, for the whole Camunda 8 backup (Camunda 8.6 and later). Which endpoints are used follows Camunda's version: " +
			"8.10 and later, `rest_endpoint` (the Orchestration Cluster REST API, with `username` and `password` or `oauth`), or `management_endpoint` as the alternative without credentials; " +
			"8.8 and 8.9, `management_endpoint`; 8.6 and 8.7, `zeebe_management_endpoint`, `operate_management_endpoint` and `tasklist_management_endpoint`. " +
			"Each attribute falls back to an environment variable, those Camunda's SDKs read where they have one, and a value in the configuration wins over the environment; " +
			"an empty `camunda {}` takes everything from the environment. Without this block, nothing of the provider talks to Camunda.",
		Attributes: map[string]schema.Attribute{
			"version": schema.StringAttribute{
				MarkdownDescription: "Camunda's version, `X.Y` or `X.Y.Z` (8.6 and later), such as `8.8` or `8.10.1`. It decides which endpoints are used and the order of a whole backup. Falls back to `" + EnvCamundaVersion + "`. When unset, the resources that talk to Camunda detect it.",
				Optional:            true,
				Validators:          []validator.String{camundaVersionValidator()},
			},
			"rest_endpoint": endpoint("Camunda 8.10 and later: the Orchestration Cluster REST API, such as `https://camunda:8080` (`/v2` is added; an endpoint ending in `/v2` is taken as it is). Credentials (`username` and `password`, or `oauth`) are sent to it only.", EnvCamundaRESTEndpoint),
			"management_endpoint": endpoint("Camunda 8.8 and 8.9: the Orchestration Cluster's management port, such as `http://camunda:9600` (`/actuator/backupHistory`, `/actuator/backupRuntime`, `/actuator/exporting`). "+
				"Camunda 8.10 and later use it, without credentials, when `rest_endpoint` is not set.", EnvCamundaManagementEndpoint),
			"operate_management_endpoint":  endpoint("Camunda 8.6 and 8.7: Operate's management port, such as `http://operate:9600` (`/actuator/backups`).", EnvCamundaOperateEndpoint),
			"tasklist_management_endpoint": endpoint("Camunda 8.6 and 8.7: Tasklist's management port, such as `http://tasklist:9600` (`/actuator/backups`).", EnvCamundaTasklistEndpoint),
			"zeebe_management_endpoint":    endpoint("Camunda 8.6 and 8.7: the Zeebe gateway's management port, such as `http://zeebe-gateway:9600` (`/actuator/backups`, `/actuator/exporting`). Required for these versions.", EnvCamundaZeebeEndpoint),
			"username": schema.StringAttribute{
				MarkdownDescription: "User for basic authentication to `rest_endpoint`. Falls back to `" + EnvCamundaUsername + "`. Exclusive with `oauth`. The management ports take no credentials.",
				Optional:            true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password for basic authentication to `rest_endpoint`; needs `username`. Falls back to `" + EnvCamundaPassword + "`. Never logged.",
				Optional:            true,
				Sensitive:           true,
			},
			"ca_file": schema.StringAttribute{
				MarkdownDescription: "Path to a PEM file of the certificate authorities that sign Camunda's certificates (the only ones trusted when set). Falls back to `" + EnvCamundaCAFile + "`.",
				Optional:            true,
			},
			"ca_data": schema.StringAttribute{
				MarkdownDescription: "PEM-encoded certificate authorities, as an alternative to `ca_file`. Falls back to `" + EnvCamundaCAData + "`.",
				Optional:            true,
			},
			"insecure": schema.BoolAttribute{
				MarkdownDescription: "Skip the verification of Camunda's TLS certificates. Falls back to `" + EnvCamundaInsecure + "`. Only for tests.",
				Optional:            true,
			},
		},
		Blocks: map[string]schema.Block{"oauth": camundaOAuthBlock()},
	}
}

func camundaOAuthBlock() schema.Block {
	return schema.SingleNestedBlock{
		MarkdownDescription: "OAuth 2.0 client credentials for `rest_endpoint` (Keycloak, Microsoft Entra ID, any identity provider): a token is fetched from `token_url` with `client_id` and `client_secret` as form fields, cached while valid, and sent as a Bearer token. " +
			"Exclusive with `username` and `password`. Without this block, the OAuth settings are taken from the environment when `" + EnvCamundaClientID + "` or `" + EnvCamundaClientSecret + "` is set and no basic credentials are configured.",
		Attributes: map[string]schema.Attribute{
			"token_url": schema.StringAttribute{
				MarkdownDescription: "The identity provider's token endpoint, such as `https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token`. Falls back to `" + EnvCamundaTokenURL + "`. Required.",
				Optional:            true,
				Validators:          []validator.String{camundaEndpointValidator()},
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "The OAuth client's id. Falls back to `" + EnvCamundaClientID + "`. Required.",
				Optional:            true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "The OAuth client's secret. Falls back to `" + EnvCamundaClientSecret + "`. Required. Never logged.",
				Optional:            true,
				Sensitive:           true,
			},
			"audience": schema.StringAttribute{
				MarkdownDescription: "The token's audience, sent as `audience` when set, such as `orchestration-api`. Falls back to `" + EnvCamundaAudience + "`.",
				Optional:            true,
			},
			"scopes": schema.ListAttribute{
				MarkdownDescription: "Scopes to request. Falls back to `" + EnvCamundaScopes + "` (separated by spaces or commas).",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.List{listvalidator.ValueStringsAre(nonEmptyScopeValidator())},
			},
		},
	}
}

func camundaEndpointValidator() validator.String {
	return stringCheck{
		summary:     "Invalid Camunda endpoint",
		description: "an http:// or https:// URL",
		check:       searchhttp.ValidateEndpoint,
	}
}

func camundaVersionValidator() validator.String {
	return stringCheck{
		summary:     "Invalid Camunda version",
		description: "Camunda's version, X.Y or X.Y.Z, 8.6 or later",
		check:       checkCamundaVersion,
	}
}

func nonEmptyScopeValidator() validator.String {
	return stringCheck{
		summary:     "Invalid OAuth scope",
		description: "a scope without whitespace",
		check: func(s string) error {
			if s == "" || strings.ContainsAny(s, " \t\n") {
				return fmt.Errorf("scope %q is empty or holds whitespace: give each scope as its own element", s)
			}
			return nil
		},
	}
}

// checkCamundaVersion accepts a version the whole backup covers.
func checkCamundaVersion(v string) error {
	if _, err := platform.Order(v); err != nil {
		return fmt.Errorf("%w; set the version of your Camunda installation, such as 8.8 or 8.10.1", err)
	}
	return nil
}

// validateCamundaBlock rejects, at validate and plan time, what the camunda
// block's values alone make impossible (values not known yet are left to
// Configure).
func validateCamundaBlock(m *camundaModel, diags *diag.Diagnostics) {
	if m == nil {
		return
	}
	at := path.Root("camunda")
	camundaAuthConflict(m, diags)
	if !m.CAFile.IsNull() && !m.CAData.IsNull() {
		diags.AddAttributeError(at.AtName("ca_data"), "Conflicting Camunda CA certificates", "The camunda block sets both ca_file and ca_data: set one of them.")
	}
	if !m.CAFile.IsNull() && !m.CAFile.IsUnknown() {
		if _, err := os.ReadFile(m.CAFile.ValueString()); err != nil {
			diags.AddAttributeError(at.AtName("ca_file"), "Unreadable Camunda CA file",
				fmt.Sprintf("The CA file %q (ca_file) cannot be read: %v.", m.CAFile.ValueString(), err))
		}
	}
	if !m.Password.IsNull() && m.Username.IsNull() && os.Getenv(EnvCamundaUsername) == "" {
		diags.AddAttributeError(at.AtName("password"), "Camunda password without a username",
			"The camunda block sets password but no username: set username (or "+EnvCamundaUsername+") for basic authentication, or remove password.")
	}
}

// camundaAuthConflict refuses a camunda block with both basic
// authentication and an oauth block.
func camundaAuthConflict(m *camundaModel, diags *diag.Diagnostics) bool {
	if m.OAuth == nil || (m.Username.IsNull() && m.Password.IsNull()) {
		return false
	}
	diags.AddAttributeError(path.Root("camunda"), "Conflicting Camunda authentication",
		"The camunda block sets both username/password and an oauth block: configure one authentication method for rest_endpoint, basic (username and password) or OAuth client credentials (oauth).")
	return true
}

// camundaSetting is one string attribute of the block with its variable.
type camundaSetting struct {
	attr     path.Path
	env      string
	value    types.String
	target   *string
	endpoint bool
}

// resolve sets the attribute's value, else the variable's, and checks an
// endpoint, naming where it came from.
func (s camundaSetting) resolve(diags *diag.Diagnostics) {
	from := s.attr.String()
	if s.value.IsNull() || s.value.IsUnknown() || s.value.ValueString() == "" {
		*s.target = strings.TrimSpace(os.Getenv(s.env))
		from = s.env
	} else {
		*s.target = s.value.ValueString()
	}
	if s.endpoint && *s.target != "" {
		if err := searchhttp.ValidateEndpoint(*s.target); err != nil {
			diags.AddAttributeError(s.attr, "Invalid Camunda endpoint", fmt.Sprintf("%s (%s).", sentence(err), from))
		}
	}
}

// camundaConfig merges the camunda block with the environment: nil when the
// block is absent. Errors say which attribute or variable to change.
func camundaConfig(ctx context.Context, m *camundaModel, providerVersion string) (*camunda.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	if m == nil {
		return nil, diags
	}
	at := path.Root("camunda")
	cfg := &camunda.Config{UserAgent: "terraform-provider-optimize/" + providerVersion}
	for _, s := range []camundaSetting{
		{at.AtName("version"), EnvCamundaVersion, m.Version, &cfg.Version, false},
		{at.AtName("rest_endpoint"), EnvCamundaRESTEndpoint, m.RESTEndpoint, &cfg.RESTEndpoint, true},
		{at.AtName("management_endpoint"), EnvCamundaManagementEndpoint, m.ManagementEndpoint, &cfg.ManagementEndpoint, true},
		{at.AtName("operate_management_endpoint"), EnvCamundaOperateEndpoint, m.OperateEndpoint, &cfg.OperateEndpoint, true},
		{at.AtName("tasklist_management_endpoint"), EnvCamundaTasklistEndpoint, m.TasklistEndpoint, &cfg.TasklistEndpoint, true},
		{at.AtName("zeebe_management_endpoint"), EnvCamundaZeebeEndpoint, m.ZeebeEndpoint, &cfg.ZeebeEndpoint, true},
	} {
		s.resolve(&diags)
	}
	if cfg.Version != "" && m.Version.IsNull() {
		if err := checkCamundaVersion(cfg.Version); err != nil {
			diags.AddAttributeError(at.AtName("version"), "Invalid Camunda version", fmt.Sprintf("%s=%q: %s.", EnvCamundaVersion, cfg.Version, sentence(err)))
		}
	}
	camundaTLS(m, cfg, &diags)
	camundaAuth(ctx, m, cfg, &diags)
	if diags.HasError() {
		return cfg, diags
	}
	if cfg.RESTEndpoint == "" && cfg.ManagementEndpoint == "" && cfg.OperateEndpoint == "" && cfg.TasklistEndpoint == "" && cfg.ZeebeEndpoint == "" {
		diags.AddAttributeError(at, "No Camunda endpoint", "The camunda block configures no endpoint: "+camundaEndpointAdvice("")+".")
		return cfg, diags
	}
	if cfg.Version != "" {
		if err := cfg.Validate(); err != nil {
			diags.AddAttributeError(at, "Invalid Camunda configuration", errorDetail(&camundaInvalidError{Version: cfg.Version, Err: err}))
		}
	}
	return cfg, diags
}

// camundaTLS sets the CA certificates and insecure.
func camundaTLS(m *camundaModel, cfg *camunda.Config, diags *diag.Diagnostics) {
	at := path.Root("camunda")
	switch {
	case m.CAFile.ValueString() != "" || (m.CAData.IsNull() && os.Getenv(EnvCamundaCAFile) != ""):
		file, from := stringOr(m.CAFile, os.Getenv(EnvCamundaCAFile)), "ca_file"
		if m.CAFile.IsNull() {
			from = EnvCamundaCAFile
		}
		pem, err := os.ReadFile(file) //nolint:gosec // the CA file the user configured, read as the elasticsearch block reads its own
		if err != nil {
			diags.AddAttributeError(at.AtName("ca_file"), "Unreadable Camunda CA file",
				fmt.Sprintf("The CA file %q (%s) cannot be read: %v.", file, from, err))
		}
		cfg.CACert = pem
	default:
		if data := stringOr(m.CAData, os.Getenv(EnvCamundaCAData)); data != "" {
			cfg.CACert = []byte(data)
		}
	}
	if !m.Insecure.IsNull() {
		cfg.Insecure = m.Insecure.ValueBool()
	} else if env := strings.TrimSpace(os.Getenv(EnvCamundaInsecure)); env != "" {
		b, err := strconv.ParseBool(env)
		if err != nil {
			diags.AddAttributeError(at.AtName("insecure"), "Invalid "+EnvCamundaInsecure, fmt.Sprintf("%s=%q is not a boolean (true or false).", EnvCamundaInsecure, env))
		}
		cfg.Insecure = b
	}
}

// camundaAuth sets the credentials for /v2. The method the block
// configures wins over the environment; from the environment alone, basic
// credentials and OAuth's client are exclusive, as in Camunda's SDKs.
func camundaAuth(ctx context.Context, m *camundaModel, cfg *camunda.Config, diags *diag.Diagnostics) {
	if camundaAuthConflict(m, diags) {
		return
	}
	envBasic := os.Getenv(EnvCamundaUsername) != "" || os.Getenv(EnvCamundaPassword) != ""
	envOAuth := os.Getenv(EnvCamundaClientID) != "" || os.Getenv(EnvCamundaClientSecret) != ""
	configBasic := !m.Username.IsNull() || !m.Password.IsNull()
	switch {
	case m.OAuth != nil:
		cfg.OAuth = camundaOAuth(ctx, m.OAuth, diags)
	case configBasic || envBasic && !envOAuth:
		cfg.Username = stringOr(m.Username, os.Getenv(EnvCamundaUsername))
		cfg.Password = stringOr(m.Password, os.Getenv(EnvCamundaPassword))
	case envBasic && envOAuth:
		diags.AddAttributeError(path.Root("camunda"), "Conflicting Camunda authentication",
			fmt.Sprintf("The environment sets both basic credentials (%s, %s) and an OAuth client (%s, %s): unset one of them, "+
				"or choose in the camunda block (username and password, or an oauth block), which wins over the environment.",
				EnvCamundaUsername, EnvCamundaPassword, EnvCamundaClientID, EnvCamundaClientSecret))
	case envOAuth:
		cfg.OAuth = camundaOAuth(ctx, &camundaOAuthModel{}, diags)
	}
	if cfg.Password != "" && cfg.Username == "" {
		diags.AddAttributeError(path.Root("camunda").AtName("password"), "Camunda password without a username",
			fmt.Sprintf("A password for Camunda is set (password or %s) but no username: set username (or %s) for basic authentication, or remove the password.", EnvCamundaPassword, EnvCamundaUsername))
	}
}

// camundaOAuth merges the oauth block with the environment.
func camundaOAuth(ctx context.Context, o *camundaOAuthModel, diags *diag.Diagnostics) *camunda.OAuth {
	at := path.Root("camunda").AtName("oauth")
	out := &camunda.OAuth{}
	for _, s := range []camundaSetting{
		{at.AtName("token_url"), EnvCamundaTokenURL, o.TokenURL, &out.TokenURL, true},
		{at.AtName("client_id"), EnvCamundaClientID, o.ClientID, &out.ClientID, false},
		{at.AtName("client_secret"), EnvCamundaClientSecret, o.ClientSecret, &out.ClientSecret, false},
		{at.AtName("audience"), EnvCamundaAudience, o.Audience, &out.Audience, false},
	} {
		s.resolve(diags)
	}
	if !o.Scopes.IsNull() && !o.Scopes.IsUnknown() {
		diags.Append(o.Scopes.ElementsAs(ctx, &out.Scopes, false)...)
	} else {
		out.Scopes = strings.FieldsFunc(os.Getenv(EnvCamundaScopes), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	}
	var missing []string
	for _, f := range []struct{ attr, env, value string }{
		{"token_url", EnvCamundaTokenURL, out.TokenURL},
		{"client_id", EnvCamundaClientID, out.ClientID},
		{"client_secret", EnvCamundaClientSecret, out.ClientSecret},
	} {
		if f.value == "" {
			missing = append(missing, fmt.Sprintf("%s (or %s)", f.attr, f.env))
		}
	}
	if len(missing) > 0 {
		diags.AddAttributeError(at, "Incomplete Camunda OAuth configuration",
			fmt.Sprintf("OAuth client credentials for Camunda need a token URL, a client id and a client secret; missing: %s. "+
				"Set them in the oauth block, or use basic authentication (username and password) instead.", strings.Join(missing, ", ")))
	}
	return out
}

// camundaNotConfiguredError: something needs Camunda's management APIs, and
// the provider configuration has no camunda block.
type camundaNotConfiguredError struct {
	Version string // Camunda's version, when known: the advice names its endpoints
}

func (e *camundaNotConfiguredError) Error() string {
	return "the optimize provider's configuration has no camunda block, so Camunda's management APIs cannot be reached: " +
		"add camunda {} to the provider \"optimize\" block; " + camundaEndpointAdvice(e.Version)
}

// camundaInvalidError: the camunda block does not fit Camunda's version.
type camundaInvalidError struct {
	Version string
	Err     error
}

func (e *camundaInvalidError) Error() string {
	return fmt.Sprintf("the provider's camunda block does not fit Camunda %s: %s; %s", e.Version,
		strings.ReplaceAll(e.Err.Error(), "\n", "; "), camundaEndpointAdvice(e.Version))
}

func (e *camundaInvalidError) Unwrap() error { return e.Err }

// errCamundaNotKnown: the camunda block holds values known only after apply.
var errCamundaNotKnown = errors.New("the provider's camunda block is not known yet (it depends on values known only after apply), so Camunda cannot be reached: apply the resources it depends on first, or use -target")

// camundaEndpointAdvice says which attributes reach Camunda of a version
// (every generation's when the version is unknown).
func camundaEndpointAdvice(version string) string {
	const (
		rest       = "rest_endpoint (or " + EnvCamundaRESTEndpoint + "), the Orchestration Cluster REST API such as https://camunda:8080, with username and password or an oauth block"
		management = "management_endpoint (or " + EnvCamundaManagementEndpoint + "), the Orchestration Cluster's management port such as http://camunda:9600"
		components = "zeebe_management_endpoint (or " + EnvCamundaZeebeEndpoint + "), operate_management_endpoint (or " + EnvCamundaOperateEndpoint +
			") and tasklist_management_endpoint (or " + EnvCamundaTasklistEndpoint + "), each component's management port such as http://zeebe-gateway:9600"
	)
	plan, err := platform.Order(version)
	if version == "" || err != nil {
		return "set " + rest + " for Camunda 8.10 and later; " + management + " for 8.8 and 8.9; or " + components + " for 8.6 and 8.7"
	}
	switch plan.API {
	case platform.ComponentActuators:
		return fmt.Sprintf("Camunda %s is reached through each component's management port: set %s", plan.Version, components)
	case platform.ManagementActuators:
		return fmt.Sprintf("Camunda %s is reached through the management port: set %s", plan.Version, management)
	default:
		return fmt.Sprintf("Camunda %s is reached through its REST API: set %s; or, without credentials, %s", plan.Version, rest, management)
	}
}

// camundaClient is a client of Camunda's management APIs for a version:
// version when given, else the camunda block's. It fails when the provider
// has no camunda block (*camundaNotConfiguredError), when no version is
// known, and when the block does not fit the version.
func (d *providerData) camundaClient(version string) (*camunda.Client, error) {
	if d == nil || d.camunda == nil {
		if d != nil && d.camundaBlock {
			return nil, errCamundaNotKnown
		}
		return nil, &camundaNotConfiguredError{Version: version}
	}
	cfg := *d.camunda
	cfg.CACert = slices.Clone(cfg.CACert)
	if cfg.OAuth != nil {
		oauth := *cfg.OAuth
		oauth.Scopes = slices.Clone(oauth.Scopes)
		cfg.OAuth = &oauth
	}
	if version != "" {
		cfg.Version = version
	}
	if cfg.Version == "" {
		return nil, errors.New("camunda's version is unknown: it was not detected, and the provider's camunda block does not set version (or " + EnvCamundaVersion + "): set it to the version of your Camunda installation, such as 8.8")
	}
	if err := cfg.Validate(); err != nil {
		return nil, &camundaInvalidError{Version: cfg.Version, Err: err}
	}
	return camunda.NewClient(cfg)
}
