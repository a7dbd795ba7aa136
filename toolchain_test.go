// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// scripts/terraform.sh builds Terraform 1.9+ from its module source with the
// nested remote-state backends removed. The patch applies to the real
// v1.14.9 and v1.16.4 sources (the gate's newest), and stops loudly, naming
// what it missed, on a source it no longer fits.
func TestTerraformSourcePatch(t *testing.T) {
	for _, v := range []string{"1.14.9", "1.16.4"} {
		t.Run("v"+v, func(t *testing.T) { testTerraformSourcePatch(t, v) })
	}
}

func testTerraformSourcePatch(t *testing.T, version string) {
	out, err := exec.CommandContext(context.Background(), "go", "mod", "download", "-json", "github.com/hashicorp/terraform@v"+version).Output()
	if err != nil {
		t.Fatalf("go mod download: %v", err)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download gave no directory: %v %s", err, out)
	}
	tree := func(t *testing.T) string {
		dir := t.TempDir()
		for _, f := range []string{"go.mod", "internal/backend/init/init.go"} {
			data, err := os.ReadFile(filepath.Join(mod.Dir, f)) //nolint:gosec // the module cache
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f), data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	patch := func(dir string) (string, error) {
		out, err := exec.CommandContext(context.Background(), "scripts/terraform.sh", "--patch", dir).CombinedOutput()
		return string(out), err
	}

	t.Run("source", func(t *testing.T) {
		dir := tree(t)
		if out, err := patch(dir); err != nil {
			t.Fatalf("the patch does not apply to v%s: %v\n%s", version, err, out)
		}
		gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))                         //nolint:gosec // the test's own copy
		initGo, _ := os.ReadFile(filepath.Join(dir, "internal/backend/init/init.go")) //nolint:gosec // the test's own copy
		for _, b := range []string{"azure", "consul", "cos", "gcs", "kubernetes", "oci", "oss", "pg", "s3"} {
			if strings.Contains(string(gomod), "remote-state/"+b+" ") || strings.Contains(string(initGo), "remote-state/"+b+`"`) {
				t.Errorf("remote-state/%s is still in go.mod or init.go", b)
			}
		}
		if strings.Contains(string(gomod), "=> ./internal/") || strings.Contains(string(gomod), "internal/legacy ") {
			t.Error("go.mod still points at nested modules")
		}
		for _, kept := range []string{"backendLocal.New()", "backendHTTP.New()", "backendInmem.New()"} {
			if !strings.Contains(string(initGo), kept) {
				t.Errorf("the patch removed %s", kept)
			}
		}
	})

	t.Run("a source it no longer fits", func(t *testing.T) {
		dir := tree(t)
		initGo := filepath.Join(dir, "internal/backend/init/init.go")
		data, _ := os.ReadFile(initGo) //nolint:gosec // the test's own copy
		data = []byte(strings.ReplaceAll(string(data), `"github.com/hashicorp/terraform/internal/backend/remote-state/oss"`, `"example.com/oss"`))
		if err := os.WriteFile(initGo, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := patch(dir)
		if err == nil || !strings.Contains(out, "patch no longer applies: no import of remote-state/oss") {
			t.Fatalf("want a loud failure naming remote-state/oss, got %v:\n%s", err, out)
		}
	})
}
