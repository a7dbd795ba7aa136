// Package acctest holds what the acceptance tests share: an emulator per
// test, the provider factories, the Terraform binary and configuration text.
package acctest

import (
	"context"
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

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
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
	"optimize": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// EmulatorOption adjusts the emulator a test starts.
type EmulatorOption func(*esemulator.Config)

// WithSnapshotDuration keeps each snapshot IN_PROGRESS for d.
func WithSnapshotDuration(d time.Duration) EmulatorOption {
	return func(c *esemulator.Config) { c.SnapshotDuration = d }
}

// WithBasicAuth makes the emulator require these credentials.
func WithBasicAuth(user, password string) EmulatorOption {
	return func(c *esemulator.Config) { c.Username, c.Password = user, password }
}

// StartEmulator starts an emulator on a free loopback port for the test,
// seeded with an Optimize 3.9.0 installation (prefix "optimize") and the fs
// repository "backups". It is closed when the test ends.
func StartEmulator(t testing.TB, opts ...EmulatorOption) *esemulator.Server {
	t.Helper()
	cfg := esemulator.Config{SnapshotDuration: 50 * time.Millisecond}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := esemulator.Start(cfg)
	if err != nil {
		t.Fatalf("starting the Elasticsearch emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if err := srv.SeedOptimize(OptimizeVersion, IndexPrefix); err != nil {
		t.Fatalf("seeding Optimize: %v", err)
	}
	srv.RegisterRepository(Repository, "fs", map[string]any{"location": filepath.Join(t.TempDir(), "backups")})
	return srv
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
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPut, srv.URL+"/_snapshot/"+Repository+"/"+name+"?wait_for_completion=true", strings.NewReader(bodies[i]))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusInternalServerError {
			t.Fatalf("taking snapshot %s: %d %s", name, res.StatusCode, body)
		}
	}
	return names
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

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
	buildOnce.Do(func() {
		// Shared by every test of the binary, so not a test's TempDir.
		buildDir, buildErr = os.MkdirTemp("", "terraform-provider-optimize-acc-") //nolint:usetesting // outlives the first test
		if buildErr != nil {
			return
		}
		cmd := exec.CommandContext(context.Background(), "go", "build", "-o", filepath.Join(buildDir, "terraform-provider-optimize"), ".") //nolint:gosec // builds this module
		cmd.Dir = moduleRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the provider: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	dir := t.TempDir()
	rc := filepath.Join(dir, ".terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"optimize-tf/optimize\" = %q\n  }\n  direct {}\n}\n", buildDir)
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	main := "terraform {\n  required_providers {\n    optimize = { source = \"optimize-tf/optimize\" }\n  }\n}\n" + config
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	return &CLI{t: t, dir: dir, rc: rc, tf: os.Getenv("TF_ACC_TERRAFORM_PATH")}
}

// Run runs terraform with args (plus -no-color -input=false).
func (c *CLI) Run(args ...string) (string, int) {
	c.t.Helper()
	cmd := exec.CommandContext(context.Background(), c.tf, append(args, "-no-color", "-input=false")...) //nolint:gosec // the Terraform binary the tests use
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+c.rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
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

// Command is terraform with exactly args, in the directory and environment
// Run uses, for a test that must start it and signal it itself.
func (c *CLI) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.tf, args...) //nolint:gosec // the Terraform binary the tests use
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+c.rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	return cmd
}
