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

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// TestExamplesValidate runs `terraform validate` on every example under
// examples/, against the provider built from this tree.
func TestExamplesValidate(t *testing.T) {
	acctest.PreCheck(t) // skips without TF_ACC; installs Terraform or fails
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	rc := acctest.CLIConfig(t)
	dirs := map[string]bool{}
	err := filepath.WalkDir("examples", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tf") {
			dirs[filepath.Dir(path)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 5 {
		t.Fatalf("found only %d example directories", len(dirs))
	}
	for dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			work := t.TempDir()
			files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
			hasTerraformBlock := false
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				hasTerraformBlock = hasTerraformBlock || strings.Contains(string(data), "required_providers")
				writeFile(t, filepath.Join(work, filepath.Base(f)), string(data))
			}
			if !hasTerraformBlock {
				// Registry examples leave out the terraform block; add it.
				writeFile(t, filepath.Join(work, "zz_providers.tf"), acctest.RequiredProviders)
			}
			cmd := exec.CommandContext(context.Background(), terraform, "validate", "-no-color") //nolint:gosec // the Terraform binary the tests use
			cmd.Dir = work
			cmd.Env = acctest.CLIEnv(rc)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "The configuration is valid") {
				t.Fatalf("terraform validate %s: %v\n%s", dir, err, out)
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
