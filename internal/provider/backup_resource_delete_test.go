// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// snapshotsOnly is a cluster that holds snapshots and takes no request
// that would change them; any other call panics (the embedded nil).
type snapshotsOnly struct {
	optimize.Cluster
	snaps   []optimize.Snapshot
	deletes int
}

func (c *snapshotsOnly) Snapshots(context.Context, string, string) ([]optimize.Snapshot, error) {
	return c.snaps, nil
}

func (c *snapshotsOnly) DeleteSnapshots(context.Context, string, []string) error {
	c.deletes++
	return nil
}

// A backup whose snapshots no request can name (even alone, a DELETE's line
// is over 4096 bytes) is not deleted: destroy fails with the way out (the
// requests to send by hand and terraform state rm), and the requests end the
// message as they are to be copied, without a full stop after them.
func TestBackupDeleteThatCannotFitSaysHowToGetOut(t *testing.T) {
	ctx := context.Background()
	id := optimize.BackupID(strings.Repeat("é", 700))
	cluster := &snapshotsOnly{}
	for _, n := range optimize.SnapshotNames(id, "3.9.0") {
		cluster.snaps = append(cluster.snaps, optimize.Snapshot{Name: n, State: optimize.SnapshotSuccess})
	}
	r := &backupResource{data: &providerData{service: &optimize.Service{Cluster: cluster}, known: true, repository: "backups", indexPrefix: "optimize"}}
	s := backupSchema(ctx)
	m := backupResourceModel{BackupID: types.StringValue(string(id)), RepositoryName: types.StringValue("backups"), OptimizeVersion: types.StringValue("3.9.0")}
	m.Timeouts.Object = types.ObjectNull(s.Attributes["timeouts"].GetType().(attr.TypeWithAttributeTypes).AttributeTypes())
	state := tfsdk.State{Schema: s}
	if diags := state.Set(ctx, &m); diags.HasError() {
		t.Fatal(diags)
	}
	resp := &resource.DeleteResponse{State: tfsdk.State{Schema: s, Raw: state.Raw.Copy()}}
	r.Delete(ctx, resource.DeleteRequest{State: state}, resp)
	if cluster.deletes != 0 {
		t.Fatalf("%d DELETE requests were sent", cluster.deletes)
	}
	if len(resp.Diagnostics) != 1 || !resp.Diagnostics.HasError() {
		t.Fatalf("diagnostics %v, want one error", resp.Diagnostics)
	}
	d := resp.Diagnostics[0]
	lastPart := optimize.PathEscape(optimize.SnapshotName(id, "3.9.0", 2))
	if !strings.HasSuffix(d.Summary(), ": no request can name its snapshots") ||
		!strings.HasPrefix(d.Detail(), "Backup ") ||
		!strings.Contains(d.Detail(), "terraform state rm <address of this optimize_backup resource>") ||
		!strings.Contains(d.Detail(), "\n\n  DELETE /_snapshot/backups/camunda_optimize_") ||
		!strings.HasSuffix(d.Detail(), "\n\n  DELETE /_snapshot/backups/"+lastPart) {
		t.Fatalf("%s:\n%.600s\n...\n%s", d.Summary(), d.Detail(), d.Detail()[len(d.Detail())-200:])
	}
}
