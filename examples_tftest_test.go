// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// TestExamplesTerraformTest runs `terraform test` in every example that
// ships tests for module authors (examples/**/tests/*.tftest.hcl), offline:
// mock_provider "optimize" still reads the provider's schema, which the
// development override of acctest.CLIConfig serves from the provider built
// from this tree, with no terraform init. mock_provider needs Terraform 1.7
// (OpenTofu 1.8, older than any OpenTofu the suite runs).
func TestExamplesTerraformTest(t *testing.T) {
	acctest.PreCheck(t)
	if got := acctest.CLIVersion(t); got.LessThan(goversion.Must(goversion.NewVersion("1.7.0"))) {
		t.Skipf("mock_provider needs Terraform 1.7 or later; the CLI under test is %s", got)
	}
	modules := map[string][]string{} // a module's directory: its tests
	err := filepath.WalkDir("examples", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tftest.hcl") && filepath.Base(filepath.Dir(path)) == "tests" {
			dir := filepath.Dir(filepath.Dir(path))
			modules[dir] = append(modules[dir], path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(modules) < 2 {
		t.Fatalf("found tests in only %d examples: %v", len(modules), modules)
	}
	rc := acctest.CLIConfig(t)
	for dir, files := range modules {
		t.Run(dir, func(t *testing.T) {
			// A copy: the test leaves nothing in examples/.
			work := t.TempDir()
			configs, err := filepath.Glob(filepath.Join(dir, "*.tf"))
			if err != nil || len(configs) == 0 {
				t.Fatalf("no configuration in %s: %v", dir, err)
			}
			for _, f := range append(configs, files...) {
				data, err := os.ReadFile(f) //nolint:gosec // this tree's examples
				if err != nil {
					t.Fatal(err)
				}
				rel, _ := filepath.Rel(dir, f)
				if err := os.MkdirAll(filepath.Join(work, filepath.Dir(rel)), 0o700); err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(work, rel), string(data))
			}
			cmd := exec.CommandContext(context.Background(), os.Getenv("TF_ACC_TERRAFORM_PATH"), "test", "-no-color") //nolint:gosec // the Terraform binary the tests use
			cmd.Dir = work
			cmd.Env = acctest.CLIEnv(rc)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "Success!") || strings.Contains(string(out), " 0 passed") {
				t.Fatalf("terraform test in %s: %v\n%s", dir, err, out)
			}
			t.Logf("%s", out)
		})
	}
}
