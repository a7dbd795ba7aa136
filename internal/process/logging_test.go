// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package process_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/process"
)

func TestQuietLogs(t *testing.T) {
	for _, tc := range []struct {
		environ []string
		quiet   bool
	}{
		{environ: nil, quiet: true},
		{environ: []string{"HOME=/root", "TF_LOG_PATH=/tmp/x", "TF_LOG_CORE=TRACE", "TF_LOGS=1"}, quiet: true},
		{environ: []string{"TF_LOG="}, quiet: true}, // empty is unset
		{environ: []string{"TF_LOG=TRACE"}},
		{environ: []string{"TF_LOG=off"}},
		{environ: []string{"TF_LOG_PROVIDER=INFO"}},
		{environ: []string{"TF_LOG_PROVIDER_OPTIMIZE=DEBUG"}},
		{environ: []string{"TF_LOG_PROVIDER_OPTIMIZE_ELASTICSEARCH=DEBUG"}},
		{environ: []string{"TF_LOG_SDK=TRACE"}},
		{environ: []string{"TF_LOG_SDK_PROTO=TRACE"}},
		{environ: []string{"TF_LOG_SDK_FRAMEWORK=DEBUG"}},
	} {
		set := map[string]string{}
		quiet, err := process.QuietLogs(tc.environ, func(k, v string) error { set[k] = v; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if quiet != tc.quiet {
			t.Errorf("%v: quiet = %v, want %v", tc.environ, quiet, tc.quiet)
		}
		want := map[string]string{}
		if tc.quiet {
			want = map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_PROVIDER_OPTIMIZE": "OFF"}
		}
		if fmt.Sprint(set) != fmt.Sprint(want) {
			t.Errorf("%v: set %v, want %v", tc.environ, set, want)
		}
	}
}

// The provider binary, run by the real CLI, writes nothing to its stderr
// when no TF_LOG* variable is set (Terraform would parse and discard it),
// and logs as the SDK always has once one is set.
func TestAccLogs_offUnlessAsked(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	stderr := filepath.Join(t.TempDir(), "provider-stderr.log")
	// The development override points at a wrapper that keeps the
	// provider's stderr, which Terraform never shows.
	wrapper := t.TempDir()
	script := fmt.Sprintf("#!/bin/sh\nexec %q \"$@\" 2>>%q\n",
		filepath.Join(acctest.ProviderBinary(t), "terraform-provider-optimize"), stderr)
	if err := os.WriteFile(filepath.Join(wrapper, "terraform-provider-optimize"), []byte(script), 0o700); err != nil { //nolint:gosec // an executable script
		t.Fatal(err)
	}
	rc := filepath.Join(t.TempDir(), ".terraformrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"optimize-tf/optimize\" = %q\n  }\n  direct {}\n}\n", wrapper)), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	config := acctest.RequiredProviders + acctest.ProviderConfig(srv.URL) + "resource \"optimize_backup\" \"b\" {\n  backup_id = \"1\"\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	// run returns what the provider wrote to stderr during one command.
	run := func(extra []string, args ...string) string {
		t.Helper()
		if err := os.Truncate(stderr, 0); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		var env []string
		for _, kv := range acctest.CLIEnv(rc) {
			if !strings.HasPrefix(kv, "TF_LOG") && !strings.HasPrefix(kv, "TF_ACC_LOG") {
				env = append(env, kv)
			}
		}
		cmd := exec.CommandContext(context.Background(), os.Getenv("TF_ACC_TERRAFORM_PATH"), append(args, "-no-color", "-input=false")...) //nolint:gosec // the Terraform binary the tests use
		cmd.Dir = dir
		env = append(env, extra...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %v with %v: %v\n%s", args, extra, err, out)
		}
		raw, err := os.ReadFile(stderr) //nolint:gosec // the test's own file
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	run(nil, "apply", "-auto-approve")
	t.Cleanup(func() { run(nil, "destroy", "-auto-approve") })

	// go-plugin's own two lines per start (mTLS, the plugin's address) are
	// all that is left: no line of the SDK's loggers or the provider's.
	got := run(nil, "plan", "-refresh-only")
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		if strings.Contains(line, `"@module"`) || (line != "" && !strings.Contains(line, "mTLS") && !strings.Contains(line, "plugin address")) {
			t.Errorf("with no TF_LOG* variable the provider logged %s", line)
		}
	}
	if len(got) > 2000 {
		t.Errorf("with no TF_LOG* variable the provider wrote %d bytes to stderr, want a few lines of go-plugin's:\n%.2000s", len(got), got)
	}
	for _, tc := range []struct {
		env  string
		want []string
	}{
		// As before this provider turned anything off: the SDK's own
		// loggers at TRACE (no TF_LOG_SDK), the provider's at the level set.
		{env: "TF_LOG=WARN", want: []string{`"@module":"sdk.proto"`, `"@message":"Received request"`, `"@module":"sdk.framework"`}},
		{env: "TF_LOG_PROVIDER=DEBUG", want: []string{`"@module":"sdk.proto"`, `"@module":"optimize.elasticsearch"`, `"@message":"Elasticsearch request"`}},
		{env: "TF_LOG_SDK=TRACE", want: []string{`"@module":"sdk.proto"`, `"@module":"optimize.elasticsearch"`}},
		{env: "TF_LOG_SDK_PROTO=TRACE", want: []string{`"@module":"sdk.proto"`}},
	} {
		got := run([]string{tc.env}, "plan", "-refresh-only")
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("with %s the provider's stderr (%d bytes) has no %s:\n%.2000s", tc.env, len(got), w, got)
			}
		}
	}
}
