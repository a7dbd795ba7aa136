// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Configure of the resource and the data source takes the provider's data,
// waits quietly while there is none, and reports any other type as a bug.
func TestConfigureChecksTheProviderDataType(t *testing.T) {
	data := &providerData{repository: "backups"}
	for name, tc := range map[string]struct {
		in      any
		want    *providerData
		wantErr bool
	}{
		"provider data": {data, data, false},
		"not yet":       {nil, nil, false},
		"another type":  {"not provider data", nil, true},
	} {
		t.Run(name, func(t *testing.T) {
			r := &backupResource{}
			rresp := &resource.ConfigureResponse{}
			r.Configure(context.Background(), resource.ConfigureRequest{ProviderData: tc.in}, rresp)
			d := &backupStateDataSource{}
			dresp := &datasource.ConfigureResponse{}
			d.Configure(context.Background(), datasource.ConfigureRequest{ProviderData: tc.in}, dresp)
			if r.data != tc.want || d.data != tc.want {
				t.Fatalf("data: resource %v, data source %v, want %v", r.data, d.data, tc.want)
			}
			for _, diags := range []interface{ HasError() bool }{rresp.Diagnostics, dresp.Diagnostics} {
				if diags.HasError() != tc.wantErr {
					t.Fatalf("error %v, want %v: %v", diags.HasError(), tc.wantErr, diags)
				}
			}
			if tc.wantErr && !strings.Contains(rresp.Diagnostics[0].Detail(), "got string") {
				t.Fatalf("the error does not name the type: %s", rresp.Diagnostics[0].Detail())
			}
		})
	}
}

// Before a request, every resource, data source, list resource and action
// asks providerData.configured: without provider data, or with a
// configuration known only after apply, it refuses with what to do.
func TestProviderDataConfigured(t *testing.T) {
	for name, tc := range map[string]struct {
		data *providerData
		want bool
	}{
		"no provider data yet":         {nil, false},
		"configuration known at apply": {&providerData{repository: "backups"}, false},
		"configured":                   {&providerData{service: &optimize.Service{}}, true},
	} {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			if got := tc.data.configured(&diags); got != tc.want || diags.HasError() == tc.want {
				t.Fatalf("configured = %v with %v, want %v", got, diags, tc.want)
			}
			if !tc.want && !strings.Contains(diags[0].Detail(), "Apply the resources it depends on first, or use -target.") {
				t.Fatalf("the error does not say what to do: %s", diags[0].Detail())
			}
		})
	}
}
