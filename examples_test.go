// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// TestExamplesValidate runs `terraform validate` on every example under
// examples/, against the provider built from this tree.
func TestExamplesValidate(t *testing.T) {
	acctest.PreCheck(t) // skips without TF_ACC; installs Terraform or fails
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	rc := acctest.CLIConfig(t)
	// Each directory is validated as one configuration; an import example
	// (import-by-*.tf) is validated on its own, and a .tfquery.hcl file with
	// -query, each only by the Terraform version that has the feature.
	type unit struct {
		name, dir  string
		files      []string
		minVersion string
		query      bool
	}
	units := map[string]*unit{}
	err := filepath.WalkDir("examples", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		dir, base := filepath.Dir(path), filepath.Base(path)
		switch {
		case strings.HasPrefix(base, "import-by-") && strings.HasSuffix(base, ".tf"):
			u := &unit{name: path, dir: dir, files: []string{path}}
			if strings.Contains(base, "identity") {
				u.minVersion = "1.12.0"
			}
			units[path] = u
		case strings.HasSuffix(base, ".tfquery.hcl"):
			units[path] = &unit{name: path, dir: dir, files: []string{path}, minVersion: "1.14.0", query: true}
		case strings.HasSuffix(base, ".tf"):
			if units[dir] == nil {
				units[dir] = &unit{name: dir, dir: dir}
			}
			units[dir].files = append(units[dir].files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(units) < 8 {
		t.Fatalf("found only %d examples", len(units))
	}
	cliVersion := acctest.CLIVersion(t)
	requiredVersion := regexp.MustCompile(`required_version\s*=\s*">=\s*([0-9.]+)"`)
	actionBlock := regexp.MustCompile(`(?m)^action\s+"`)
	for _, u := range units {
		for _, f := range u.files {
			data, _ := os.ReadFile(f)
			if m := requiredVersion.FindSubmatch(data); m != nil {
				u.minVersion = string(m[1])
			}
			if actionBlock.Match(data) && u.minVersion == "" {
				u.minVersion = "1.14.0" // actions
			}
		}
		t.Run(u.name, func(t *testing.T) {
			if u.minVersion != "" && cliVersion.LessThan(goversion.Must(goversion.NewVersion(u.minVersion))) {
				t.Skipf("needs Terraform %s or later; the CLI under test is %s", u.minVersion, cliVersion)
			}
			work := t.TempDir()
			hasTerraformBlock := false
			for _, f := range u.files {
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
			args := []string{"validate", "-no-color"}
			if u.query {
				args = append(args, "-query")
			}
			cmd := exec.CommandContext(context.Background(), terraform, args...) //nolint:gosec // the Terraform binary the tests use
			cmd.Dir = work
			cmd.Env = acctest.CLIEnv(rc)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "The configuration is valid") {
				t.Fatalf("terraform validate %s: %v\n%s", u.name, err, out)
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
