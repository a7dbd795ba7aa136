// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"reflect"
	"strings"
	"testing"
)

// Part 1 of each release, written out from Optimize's sources (camunda/camunda),
// never from the table:
//   - 3.x (org.camunda.optimize): BackupWriter.triggerSnapshotCreation takes
//     getIndexAliasesWithImportIndexFlag(true) into part 1, the classes whose
//     isImportIndex() is true: ImportIndexIndex ("import-index"),
//     TimestampBasedImportIndex and PositionBasedImportIndex.
//   - 8.6 to 8.9 (io.camunda.optimize, optimize/backend/...): the same flag;
//     Upgrade313To86PlanFactory deletes import-index (Camunda 7's).
//   - 8.10 and later: camunda/camunda#61168 splits by BackupPriority;
//     PRIORITY1 is "the job-registry index (and the other import-progress
//     indices)", BackupWriterTest's PRIORITY1 example {"job-registry"}.
//   - A version newer than the last verified release is classified by it.
func TestReleasePart1(t *testing.T) {
	c7 := []string{"import-index", "timestamp-based-import-index", "position-based-import-index"}
	c8 := []string{"timestamp-based-import-index", "position-based-import-index"}
	c810 := []string{"timestamp-based-import-index", "position-based-import-index", "job-registry"}
	for version, want := range map[string][]string{
		"3.9.0": c7, "3.10.1": c7, "3.11.0": c7, "3.12.0": c7, "3.13.2": c7, "3.14.0": c7, "3.15.0": c7,
		"8.6.0": c8, "8.7.3": c8, "8.8.2": c8, "8.9.1": c8,
		"8.10.0": c810, "8.10.4": c810, "8.11.0": c810,
	} {
		r, err := ReleaseFor(version)
		if err != nil {
			t.Fatalf("%s: %v", version, err)
		}
		if got := r.ImportIndexNames(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: part 1 classes %v, want %v", version, got, want)
		}
		for _, name := range want {
			if !r.IsPart1Index(name) || !r.IsImportIndex(name) || !r.IsIndexClass(name) {
				t.Errorf("%s: %s is not a part 1 class", version, name)
			}
		}
		for _, name := range []string{"metadata", "dashboard", "process-instance-invoice", "business-value-target"} {
			if r.IsPart1Index(name) {
				t.Errorf("%s: %s is in part 1", version, name)
			}
		}
	}
}

// An 8.10 installation's job registry goes into part 1 with the
// import-progress indices; 8.9 has no job-registry class, so an index of
// that name is backed up in part 2 and named.
func TestSelectIndicesFor_jobRegistryInPart1From810(t *testing.T) {
	indices := []string{
		"optimize-metadata_v3", "optimize-timestamp-based-import-index_v5", "optimize-position-based-import-index_v3",
		"optimize-job-registry_v1", "optimize-dashboard_v8", "optimize-business-value-target_v1",
	}
	r810, _ := ReleaseFor("8.10.0")
	got, err := SelectIndicesFor(r810, "optimize", indices)
	if err != nil {
		t.Fatal(err)
	}
	want1 := []string{"optimize-job-registry_v1", "optimize-position-based-import-index_v3", "optimize-timestamp-based-import-index_v5"}
	want2 := []string{"optimize-business-value-target_v1", "optimize-dashboard_v8", "optimize-metadata_v3"}
	if !reflect.DeepEqual(got.Part1, want1) || !reflect.DeepEqual(got.Part2, want2) || len(got.Unclassified) != 0 {
		t.Errorf("8.10: part 1 %v, part 2 %v, unclassified %v\nwant %v, %v, none", got.Part1, got.Part2, got.Unclassified, want1, want2)
	}
	r89, _ := ReleaseFor("8.9.0")
	got, err = SelectIndicesFor(r89, "optimize", indices)
	if err != nil {
		t.Fatal(err)
	}
	want1 = []string{"optimize-position-based-import-index_v3", "optimize-timestamp-based-import-index_v5"}
	if !reflect.DeepEqual(got.Part1, want1) || !reflect.DeepEqual(got.Unclassified, []string{"optimize-business-value-target_v1", "optimize-job-registry_v1"}) {
		t.Errorf("8.9: part 1 %v, unclassified %v", got.Part1, got.Unclassified)
	}
}

// Optimize 3.14 runs for Camunda 7 only, where Optimize has no backup API
// (org.camunda.optimize.rest.actuator.BackupRestService is
// @Conditional(CamundaCloudCondition.class);
// BackupRestServiceIT.backupApiNotAvailableWhenNotInCCSM): the table names
// no Optimize request for it and says why; every release shipped with
// Camunda 8 has its request.
func TestRelease314HasNoOwnBackupAPI(t *testing.T) {
	r, err := ReleaseFor("3.14.0")
	if err != nil {
		t.Fatal(err)
	}
	if r.CreateAPI != "" || r.Camunda != "" || !strings.Contains(r.NoOwnAPI, "Camunda 7 only") || !strings.Contains(r.NoOwnAPI, "CamundaCloudCondition") {
		t.Errorf("3.14: CreateAPI %q, Camunda %q, NoOwnAPI %q", r.CreateAPI, r.Camunda, r.NoOwnAPI)
	}
	for version, api := range map[string]string{
		"3.9.0":  `POST /actuator/backup {"backupId": "<string>"}`,
		"3.13.0": `POST /actuator/backups {"backupId": <Integer>}`,
		"8.6.0":  `POST /actuator/backups {"backupId": <Long>}`,
		"8.10.0": `POST /actuator/backups {"backupId": <Long>}`,
	} {
		r, _ := ReleaseFor(version)
		if r.CreateAPI != api || r.NoOwnAPI != "" {
			t.Errorf("%s: CreateAPI %q, NoOwnAPI %q; want %q", version, r.CreateAPI, r.NoOwnAPI, api)
		}
	}
	if g := VersionsGuide(); !strings.Contains(g, "**Optimize 3.14 has no backup API of its own.**") {
		t.Error("the versions guide does not say that Optimize 3.14 has no backup API of its own")
	}
}
