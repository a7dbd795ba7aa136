// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/engine"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// BenchmarkBackupRead is the provider's own part of a refresh: the
// resource's Read of a completed backup, one Elasticsearch request to an
// emulator in this process (go test -bench BackupRead -benchmem).
func BenchmarkBackupRead(b *testing.B) {
	ctx := context.Background()
	emu := esemulator.New(esemulator.Config{})
	if err := emu.SeedOptimize("3.13.0", "optimize"); err != nil {
		b.Fatal(err)
	}
	emu.RegisterRepository("backups", "fs", map[string]any{"location": b.TempDir()})
	srv := httptest.NewServer(emu)
	b.Cleanup(srv.Close)
	cluster, err := engine.NewCluster(searchhttp.Config{Endpoints: []string{srv.URL}})
	if err != nil {
		b.Fatal(err)
	}
	service := &optimize.Service{Cluster: cluster}
	taken, err := service.Create(ctx, optimize.CreateRequest{ID: "1", Repository: "backups", Version: "3.13.0", IndexPrefix: "optimize", WaitForCompletion: true})
	if err != nil {
		b.Fatal(err)
	}
	r := &backupResource{data: &providerData{service: service, known: true, repository: "backups", indexPrefix: "optimize"}}

	s := backupSchema(ctx)
	m := backupResourceModel{BackupID: types.StringValue("1"), OptimizeVersion: types.StringValue("3.13.0")}
	m.Timeouts.Object = types.ObjectNull(s.Attributes["timeouts"].GetType().(attr.TypeWithAttributeTypes).AttributeTypes())
	m.setBackup(taken)
	state := tfsdk.State{Schema: s}
	if diags := state.Set(ctx, &m); diags.HasError() {
		b.Fatal(diags)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp := &resource.ReadResponse{State: tfsdk.State{Schema: s, Raw: state.Raw.Copy()}}
		r.Read(ctx, resource.ReadRequest{State: state}, resp)
		if resp.Diagnostics.HasError() {
			b.Fatal(resp.Diagnostics)
		}
		if !resp.State.Raw.Equal(state.Raw) {
			b.Fatalf("read changed the state:\n%v\nwant\n%v", resp.State.Raw, state.Raw)
		}
	}
}
