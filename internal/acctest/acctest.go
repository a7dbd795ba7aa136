// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package acctest holds what the acceptance tests share: an emulator per
// test, the provider factories, the Terraform binary and configuration text.
package acctest

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/provider"
)

// Defaults of the emulated installation.
const (
	Repository      = "backups"
	OptimizeVersion = "3.9.0"
	IndexPrefix     = "optimize"
)

// ProtoV6ProviderFactories serves the provider in-process to the Terraform CLI.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"optimize": provider.NewServer("test"),
}

// EmulatorOption adjusts the emulator a test starts.
type EmulatorOption func(*esemulator.Config)

// WithEngine makes the emulator answer as this engine (default: the
// ACC_ENGINE environment variable, else Elasticsearch 7.17).
func WithEngine(e esemulator.Engine) EmulatorOption {
	return func(c *esemulator.Config) { c.Engine = e }
}

// DefaultEngine is the engine of an emulator started without WithEngine:
// ACC_ENGINE (elasticsearch-7.17, elasticsearch-8 or opensearch-2), so that
// the whole suite can run against one engine, else Elasticsearch 7.17.
func DefaultEngine(t testing.TB) esemulator.Engine {
	t.Helper()
	e, err := esemulator.ParseEngine(os.Getenv("ACC_ENGINE"))
	if err != nil {
		t.Fatalf("ACC_ENGINE: %v", err)
	}
	return e
}

// Engines are the engines of the engine table (ForEachEngine): ACC_ENGINES,
// a comma-separated list, else all three.
func Engines(t testing.TB) []esemulator.Engine {
	t.Helper()
	env := strings.TrimSpace(os.Getenv("ACC_ENGINES"))
	if env == "" {
		return esemulator.Engines()
	}
	var out []esemulator.Engine
	for _, s := range strings.Split(env, ",") {
		e, err := esemulator.ParseEngine(strings.TrimSpace(s))
		if err != nil {
			t.Fatalf("ACC_ENGINES: %v", err)
		}
		out = append(out, e)
	}
	return out
}

// ForEachEngine runs test as one subtest per engine of Engines, each
// with the option that starts its emulator as that engine.
func ForEachEngine(t *testing.T, test func(t *testing.T, engine EmulatorOption)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(string(e), func(t *testing.T) { test(t, WithEngine(e)) })
	}
}

// WithSnapshotDuration keeps each snapshot IN_PROGRESS for d.
func WithSnapshotDuration(d time.Duration) EmulatorOption {
	return func(c *esemulator.Config) { c.SnapshotDuration = d }
}

// WithBasicAuth makes the emulator require these credentials.
func WithBasicAuth(user, password string) EmulatorOption {
	return func(c *esemulator.Config) { c.Username, c.Password = user, password }
}

// WithAPIKey makes the emulator accept this API key (base64 of id:key).
func WithAPIKey(key string) EmulatorOption {
	return func(c *esemulator.Config) { c.APIKey = key }
}

// WithBearerToken makes the emulator accept this bearer token.
func WithBearerToken(token string) EmulatorOption {
	return func(c *esemulator.Config) { c.BearerToken = token }
}

// WithTLS makes the emulator answer HTTPS only, with this configuration
// (see NewTLS).
func WithTLS(cfg *tls.Config) EmulatorOption {
	return func(c *esemulator.Config) { c.TLS = cfg }
}

// NewTLS generates a CA named commonName and a certificate it signs for
// 127.0.0.1: the emulator's TLS configuration (WithTLS) and the CA in PEM,
// for ca_file or ca_data.
func NewTLS(t testing.TB, commonName string) (*tls.Config, []byte) {
	t.Helper()
	cfg, caPEM, err := esemulator.GenerateTLS(commonName, "127.0.0.1")
	if err != nil {
		t.Fatalf("generating a test certificate: %v", err)
	}
	return cfg, caPEM
}

// StartEmulator starts an emulator on a free loopback port for the test,
// seeded with an Optimize 3.9.0 installation (prefix "optimize") and the fs
// repository "backups". It is closed when the test ends.
func StartEmulator(t testing.TB, opts ...EmulatorOption) *esemulator.Server {
	t.Helper()
	return StartEmulatorForOptimize(t, OptimizeVersion, opts...)
}

// StartEmulatorForOptimize is StartEmulator with an Optimize installation of
// this version (its index set as that version creates it).
func StartEmulatorForOptimize(t testing.TB, version string, opts ...EmulatorOption) *esemulator.Server {
	t.Helper()
	cfg := esemulator.Config{Engine: DefaultEngine(t), SnapshotDuration: 50 * time.Millisecond}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := esemulator.Start(cfg)
	if err != nil {
		t.Fatalf("starting the Elasticsearch emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if err := srv.SeedOptimize(version, IndexPrefix); err != nil {
		t.Fatalf("seeding Optimize: %v", err)
	}
	srv.RegisterRepository(Repository, "fs", map[string]any{"location": filepath.Join(t.TempDir(), "backups")})
	return srv
}

// Setup is the opening of an acceptance test: it runs PreCheck, starts an
// emulator (StartEmulator with opts) and returns it with a test case that
// serves the provider and whose CheckDestroy asserts that no snapshot of a
// backup in the state before destroy is left (CheckBackupsGone). The caller
// adds Steps, and may replace or compose CheckDestroy.
func Setup(t *testing.T, opts ...EmulatorOption) (*esemulator.Server, resource.TestCase) {
	t.Helper()
	PreCheck(t)
	srv := StartEmulator(t, opts...)
	return srv, resource.TestCase{
		ProtoV6ProviderFactories: ProtoV6ProviderFactories,
		CheckDestroy:             CheckBackupsGone(srv),
	}
}

// CheckBackupGone is a CheckDestroy: none of these snapshots is left.
func CheckBackupGone(srv *esemulator.Server, names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		states := SnapshotStates(srv)
		for _, n := range names {
			if _, ok := states[n]; ok {
				return fmt.Errorf("snapshot %s still exists after destroy", n)
			}
		}
		return nil
	}
}

// CheckBackupsGone is a CheckDestroy: no snapshot of an optimize_backup of
// the state before destroy is left (their names follow from each backup's
// backup_id and optimize_version).
func CheckBackupsGone(srv *esemulator.Server) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if s == nil {
			return nil
		}
		var names []string
		for _, m := range s.Modules {
			for _, r := range m.Resources {
				if r.Type != "optimize_backup" || r.Primary == nil {
					continue
				}
				id, version := r.Primary.Attributes["backup_id"], r.Primary.Attributes["optimize_version"]
				if id == "" {
					return fmt.Errorf("backup %s in the state has no backup_id", r.Primary.ID)
				}
				normalized, err := optimize.NormalizeVersion(version)
				if err != nil {
					return fmt.Errorf("backup %s in the state has no usable optimize_version: %w", r.Primary.ID, err)
				}
				names = append(names, optimize.SnapshotNames(optimize.BackupID(id), normalized)...)
			}
		}
		return CheckBackupGone(srv, names...)(s)
	}
}

// ProviderConfig is a provider block for the emulator at url, plus extra
// lines inside the provider block.
func ProviderConfig(url string, extra ...string) string {
	return fmt.Sprintf(`
provider "optimize" {
  repository_name = %q
  %s
  elasticsearch {
    endpoints = [%q]
  }
}
`, Repository, strings.Join(extra, "\n  "), url)
}

// PreCheck skips acceptance tests unless TF_ACC is set, and finds Terraform.
func PreCheck(t testing.TB) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1 (make test or make testacc)")
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		out, err := exec.CommandContext(context.Background(), filepath.Join(moduleRoot(t), "scripts", "terraform.sh")).Output() //nolint:gosec // the project's own script
		if err != nil {
			t.Fatalf("finding Terraform: %v", err)
		}
		t.Setenv("TF_ACC_TERRAFORM_PATH", strings.TrimSpace(string(out)))
	}
	t.Setenv("CHECKPOINT_DISABLE", "1")
}

// moduleRoot is the directory of go.mod above the working directory.
func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// SnapshotStates returns name -> state of every snapshot in the repository.
func SnapshotStates(srv *esemulator.Server) map[string]string {
	out := map[string]string{}
	for _, s := range srv.Snapshots(Repository) {
		out[s.Name] = s.State
	}
	return out
}

// ESRequest sends a request to the emulator (or any Elasticsearch) the way a
// user or Optimize would, bypassing the provider, and returns the status and
// the body of the answer. A body, when given, is sent as JSON.
func ESRequest(t testing.TB, method, url, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	answer, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(answer)
}

// TakeOptimizeBackup takes a backup through Elasticsearch's API the way
// Optimize's backup API does (part 1, then part 2), bypassing the provider.
// A part that a fault makes fail is not an error here; the caller asserts.
func TakeOptimizeBackup(t testing.TB, srv *esemulator.Server, id string) []string {
	t.Helper()
	names := []string{
		fmt.Sprintf("camunda_optimize_%s_%s_part_1_of_2", id, OptimizeVersion),
		fmt.Sprintf("camunda_optimize_%s_%s_part_2_of_2", id, OptimizeVersion),
	}
	bodies := []string{
		`{"indices":"optimize-import-index,optimize-timestamp-based-import-index,optimize-position-based-import-index","include_global_state":false}`,
		`{"indices":"optimize-*,-optimize-import-index*,-optimize-timestamp-based-import-index*,-optimize-position-based-import-index*","include_global_state":false}`,
	}
	for i, name := range names {
		status, body := ESRequest(t, http.MethodPut, srv.URL+"/_snapshot/"+Repository+"/"+name+"?wait_for_completion=true", bodies[i])
		if status != http.StatusOK && status != http.StatusInternalServerError {
			t.Fatalf("taking snapshot %s: %d %s", name, status, body)
		}
	}
	return names
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// ProviderBinary builds the provider from this module once per test binary
// and returns the directory that holds it (terraform-provider-optimize).
func ProviderBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		// Shared by every test of the binary, so not a test's TempDir.
		buildDir, buildErr = os.MkdirTemp("", "terraform-provider-optimize-acc-") //nolint:usetesting // outlives the first test
		if buildErr != nil {
			return
		}
		// -tags benchprofile: make bench's profiling hook (OPTIMIZE_BENCH_PROFILE_DIR,
		// internal/process/benchprofile.go), which release builds leave out.
		cmd := exec.CommandContext(context.Background(), "go", "build", "-tags", "benchprofile", "-o", filepath.Join(buildDir, "terraform-provider-optimize"), ".") //nolint:gosec // builds this module
		cmd.Dir = moduleRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the provider: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

// CLIConfig writes a Terraform CLI configuration whose development override
// makes optimize-tf/optimize the provider built by ProviderBinary, and
// returns its path (for TF_CLI_CONFIG_FILE).
func CLIConfig(t testing.TB) string {
	t.Helper()
	rc := filepath.Join(t.TempDir(), ".terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"optimize-tf/optimize\" = %q\n  }\n  direct {}\n}\n", ProviderBinary(t))
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	return rc
}

// CLIEnv is the environment for running the Terraform CLI with the CLI
// configuration rc: offline, non-interactive.
func CLIEnv(rc string) []string {
	return append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
}

// RequiredProviders is the terraform block that names the provider.
const RequiredProviders = "terraform {\n  required_providers {\n    optimize = { source = \"optimize-tf/optimize\" }\n  }\n}\n"

// CLI runs the real Terraform CLI against the provider binary built from
// this module (a development override), for what the test framework cannot
// observe: warnings, exit codes, the plan's text. It returns the combined
// output and the exit code.
type CLI struct {
	t   testing.TB
	dir string
	rc  string
	tf  string
}

// NewCLI builds the provider once per test binary and prepares a working
// directory holding config.
func NewCLI(t testing.TB, config string) *CLI {
	t.Helper()
	rc := CLIConfig(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(RequiredProviders+config), 0o600); err != nil {
		t.Fatal(err)
	}
	return &CLI{t: t, dir: dir, rc: rc, tf: os.Getenv("TF_ACC_TERRAFORM_PATH")}
}

// Run runs terraform with args (plus -no-color, and -input=false for the
// commands that take it).
func (c *CLI) Run(args ...string) (string, int) {
	c.t.Helper()
	full := append([]string{args[0], "-no-color"}, args[1:]...) // flags before a plan file
	switch args[0] {
	case "show", "output", "validate", "query": // they take no -input
	default:
		full = append(full[:2:2], append([]string{"-input=false"}, full[2:]...)...)
	}
	cmd := exec.CommandContext(context.Background(), c.tf, full...) //nolint:gosec // the Terraform binary the tests use
	cmd.Dir = c.dir
	cmd.Env = CLIEnv(c.rc)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	return "", -1
}

// WriteFile adds a file to the CLI's working directory (a .tfquery.hcl file,
// say) and returns its path.
func (c *CLI) WriteFile(name, content string) string {
	c.t.Helper()
	p := filepath.Join(c.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return p
}

// ReadFile returns a file of the CLI's working directory, such as the
// configuration that terraform query -generate-config-out wrote.
func (c *CLI) ReadFile(name string) string {
	c.t.Helper()
	data, err := os.ReadFile(filepath.Join(c.dir, name)) //nolint:gosec // the test's own directory
	if err != nil {
		c.t.Fatal(err)
	}
	return string(data)
}

// CLIVersion is the version of the CLI under test (TF_ACC_TERRAFORM_PATH),
// without a prerelease: OpenTofu reports its own the same way.
func CLIVersion(t testing.TB) *version.Version {
	t.Helper()
	out, err := exec.CommandContext(context.Background(), os.Getenv("TF_ACC_TERRAFORM_PATH"), "version", "-json").Output() //nolint:gosec // the Terraform binary the tests use
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("terraform version -json: %v: %s", err, out)
	}
	got, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatalf("terraform version -json: %v", err)
	}
	return got.Core()
}

// SkipBelowCLI skips a test that runs the CLI itself (NewCLI) when the CLI
// under test is older than minimum, as tfversion.SkipBelow does for the
// tests the testing framework drives.
func SkipBelowCLI(t testing.TB, minimum string) {
	t.Helper()
	if got := CLIVersion(t); got.LessThan(version.Must(version.NewVersion(minimum))) {
		t.Skipf("Terraform CLI version %s is below minimum version %s: skipped", got, minimum)
	}
}

// Command is terraform with exactly args, in the directory and environment
// Run uses, for a test that must start it and signal it itself.
func (c *CLI) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.tf, args...) //nolint:gosec // the Terraform binary the tests use
	cmd.Dir = c.dir
	cmd.Env = CLIEnv(c.rc)
	return cmd
}

// PutBackup takes backup id of an Optimize version as Optimize does,
// through Elasticsearch's API, bypassing the provider: part 1 of the
// import-progress indices (of any release), part 2 of the others. metadata
// is added to each create's body as it is (`,"metadata":{...}`, or "").
// It returns the snapshot names.
func PutBackup(t testing.TB, srv *esemulator.Server, id, version, metadata string) []string {
	t.Helper()
	var names []string
	for part, indices := range []string{"optimize-*import-index*", "optimize-*,-optimize-*import-index*"} {
		name := fmt.Sprintf("camunda_optimize_%s_%s_part_%d_of_2", id, version, part+1)
		names = append(names, name)
		body := fmt.Sprintf(`{"indices":%q,"include_global_state":false%s}`, indices, metadata)
		if status, answer := ESRequest(t, http.MethodPut, srv.URL+"/_snapshot/"+Repository+"/"+name+"?wait_for_completion=true", body); status != http.StatusOK {
			t.Fatalf("taking %s: %d %s", name, status, answer)
		}
	}
	return names
}

// AWSEnv gives the AWS SDK static credentials and nothing else: no shared
// files, no profile or region from the environment, no instance metadata
// service (tests reach only loopback).
func AWSEnv(t testing.TB, keyID, secret, token string) {
	t.Helper()
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": keyID, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token,
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty,
		"AWS_PROFILE": "", "AWS_REGION": "", "AWS_DEFAULT_REGION": "",
		// The chain's other sources, which a CI runner may set: web
		// identity (IRSA) and the container credentials endpoint.
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "", "AWS_ROLE_SESSION_NAME": "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN": "", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "",
	} {
		t.Setenv(k, v)
	}
}
