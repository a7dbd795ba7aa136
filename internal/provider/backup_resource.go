// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Default operation timeouts.
const (
	defaultCreateTimeout = 60 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultDeleteTimeout = 30 * time.Minute
)

// NewBackupResource is the factory of optimize_backup.
func NewBackupResource() resource.Resource { return &backupResource{} }

type backupResource struct {
	data *providerData
}

type backupResourceModel struct {
	ID                types.String   `tfsdk:"id"`
	BackupID          types.String   `tfsdk:"backup_id"`
	RepositoryName    types.String   `tfsdk:"repository_name"`
	OptimizeVersion   types.String   `tfsdk:"optimize_version"`
	WaitForCompletion types.Bool     `tfsdk:"wait_for_completion"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
	backupStatusModel
}

func (r *backupResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup"
}

func (r *backupResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fills the provider's defaults into the plan, checks at plan time
// what needs them, and plans a broken backup for replacement.
func (r *backupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroy, or the provider is not configured yet
	}
	var plan backupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	creating := req.State.Raw.IsNull()
	var prior backupResourceModel
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	// A new backup is taken when there is none yet or its id changes.
	takesNew := creating || !plan.BackupID.Equal(prior.BackupID)
	// Bad input never reaches the cluster: an id that the version known
	// without a request refuses is refused before the cluster is asked.
	if takesNew && !checkID(plan, r.data.version, &resp.Diagnostics) {
		return
	}
	// Unset in the configuration, these are computed: the provider decides.
	if !r.data.planRepository(ctx, &plan.RepositoryName, fmt.Sprintf("Backup %q cannot be planned", plan.BackupID.ValueString()), &resp.Diagnostics) {
		return
	}
	if takesNew && !r.planNewBackup(ctx, &plan, &resp.Diagnostics) {
		return
	}
	// The backup in the state, kept as it is unless broken: with an id that
	// Optimize took (imported) its requests need not fit the lines a backup
	// the provider takes must fit; it is deleted one snapshot per request.
	sameBackup := !creating && plan.BackupID.Equal(prior.BackupID) && plan.RepositoryName.Equal(prior.RepositoryName) &&
		plan.OptimizeVersion.Equal(prior.OptimizeVersion) && plan.WaitForCompletion.Equal(prior.WaitForCompletion)
	lineErr := planRequestLines(plan)
	if lineErr != nil && !sameBackup {
		resp.Diagnostics.AddAttributeError(path.Root("backup_id"), "Invalid backup id", errorDetail(lineErr))
		return
	}
	if creating && !plan.WaitForCompletion.IsUnknown() && plan.WaitForCompletion.ValueBool() {
		// A create that waits either ends COMPLETED or fails: say so in the
		// plan (a replacement then shows state "FAILED" -> "COMPLETED").
		plan.State = types.StringValue(string(optimize.StateCompleted))
		plan.FailureReason = types.StringValue("")
	}
	if !creating {
		planPrior(&plan, prior, takesNew, lineErr, resp)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// checkID refuses a new backup's id that its Optimize version refuses: the
// plan's optimize_version, else providerVersion ("" when none is known
// without a request); it reports false after adding the error. Called
// before any request with the provider's version, and again once the
// version was read.
func checkID(plan backupResourceModel, providerVersion string, diags *diag.Diagnostics) bool {
	version := providerVersion
	if !plan.OptimizeVersion.IsUnknown() && !plan.OptimizeVersion.IsNull() {
		version = plan.OptimizeVersion.ValueString()
	}
	if version == "" || plan.BackupID.IsUnknown() {
		return true
	}
	if err := optimize.ValidateBackupIDFor(plan.BackupID.ValueString(), version); err != nil {
		diags.AddAttributeError(path.Root("backup_id"), "Invalid backup id", errorDetail(err))
		return false
	}
	return true
}

// planNewBackup fills in and checks what a new backup needs, at plan time:
// its id must satisfy the installation's version, known now when it is
// configured or can be read from Optimize's metadata index; and the plan
// says what the backup will hold. It reports false after adding an error.
func (r *backupResource) planNewBackup(ctx context.Context, plan *backupResourceModel, diags *diag.Diagnostics) bool {
	if plan.OptimizeVersion.IsUnknown() {
		version, err := r.data.installationVersion(ctx)
		var unsupported *optimize.UnsupportedVersionError
		switch {
		case errors.As(err, &unsupported):
			diags.AddAttributeError(path.Root("optimize_version"), "Unsupported Optimize version", errorDetail(err))
			return false
		case err != nil:
			// Not readable now (Optimize not started yet; an unreachable
			// cluster failed the plan above): the id is checked at apply,
			// before any snapshot.
			tflog.Debug(ctx, "Optimize's version is not known at plan time; the backup id is checked at apply", map[string]any{"error": err.Error()})
		case version != "":
			plan.OptimizeVersion = types.StringValue(version)
		}
	}
	if plan.OptimizeVersion.IsUnknown() {
		return true
	}
	if !checkID(*plan, "", diags) {
		return false
	}
	// What the backup will hold, said now: the plan names indices of no
	// known index class and a version newer than the provider verified.
	return r.planIndices(ctx, plan.BackupID.ValueString(), plan.OptimizeVersion.ValueString(), diags)
}

// planRequestLines is why the planned backup could not be taken: a request
// line it needs would not fit Elasticsearch's limit; nil when every one fits
// or is not known yet.
func planRequestLines(plan backupResourceModel) error {
	if plan.RepositoryName.IsUnknown() || plan.BackupID.IsUnknown() {
		return nil
	}
	version := "999.999.999" // the longest plausible, until the version is read at apply
	if !plan.OptimizeVersion.IsUnknown() {
		version, _ = optimize.NormalizeVersion(plan.OptimizeVersion.ValueString())
	}
	return optimize.ValidateSnapshotRequest(plan.RepositoryName.ValueString(), optimize.BackupID(plan.BackupID.ValueString()), version)
}

// planPrior plans the backup of the state: a broken one is replaced, with a
// warning that says why, unless its id could not be taken again (lineErr);
// an in-place update leaves it as it is.
func planPrior(plan *backupResourceModel, prior backupResourceModel, takesNew bool, lineErr error, resp *resource.ModifyPlanResponse) {
	s := optimize.State(prior.State.ValueString())
	broken := !prior.State.IsNull() && !s.Healthy()
	switch {
	case broken && lineErr != nil:
		// Replaced, it would be deleted and then refused: it stays.
		resp.Diagnostics.AddWarning(fmt.Sprintf("Backup %q is %s and cannot be taken again with this id", prior.BackupID.ValueString(), s),
			fmt.Sprintf("Refreshing backup %q in repository %q found it %s: %s\n\nIt is not replaced, as the provider would delete it and then refuse to take it again: %s. "+
				"Destroy it, or change backup_id to take a new backup.",
				prior.BackupID.ValueString(), prior.RepositoryName.ValueString(), s, prior.FailureReason.ValueString(), lineErr))
		plan.backupStatusModel = prior.backupStatusModel
	case broken:
		resp.Diagnostics.AddWarning(fmt.Sprintf("Backup %q is %s and will be replaced", prior.BackupID.ValueString(), s),
			fmt.Sprintf("Refreshing backup %q in repository %q found it %s: %s\n\nThe plan replaces it: its snapshots are deleted and the backup is taken again.",
				prior.BackupID.ValueString(), prior.RepositoryName.ValueString(), s, prior.FailureReason.ValueString()))
		plan.backupStatusModel = unknownBackupStatus()
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("state"))
	case !takesNew:
		// An in-place update (timeouts) leaves the backup as it is: the
		// plan shows only what changes.
		plan.backupStatusModel = prior.backupStatusModel
	}
}

// planIndices lists the installation's indices at plan time and warns of
// what the backup will hold beyond the index classes of its version. It
// reports false after adding an error (an index that two installations'
// names share). When the indices cannot be listed now, the same checks run
// at apply, before the first snapshot.
func (r *backupResource) planIndices(ctx context.Context, id, version string, diags *diag.Diagnostics) bool {
	if r.data.service == nil {
		return true
	}
	sel, err := r.data.service.SelectIndices(ctx, version, r.data.indexPrefix)
	var ambiguous *optimize.AmbiguousIndexError
	switch {
	case errors.As(err, &ambiguous):
		diags.AddError(fmt.Sprintf("Backup %q cannot be taken", id), errorDetail(err))
		return false
	case err != nil:
		tflog.Debug(ctx, "the installation's indices are not known at plan time; they are selected at apply", map[string]any{"error": err.Error()})
		if release, rerr := optimize.ReleaseFor(version); rerr == nil {
			addWarnings(diags, id, optimize.IndexSelection{Release: release}.Warnings())
		}
		return true
	}
	addWarnings(diags, id, sel.Warnings())
	return true
}

func (r *backupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan backupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if plan.RepositoryName.IsUnknown() {
		// The provider configuration was not known at plan time.
		plan.RepositoryName = types.StringValue(r.data.repository)
	}
	id := plan.BackupID.ValueString()
	backup, err := r.data.service.Create(ctx, optimize.CreateRequest{
		ID:                optimize.BackupID(id),
		Repository:        plan.RepositoryName.ValueString(),
		Version:           plan.OptimizeVersion.ValueString(),
		IndexPrefix:       r.data.indexPrefix,
		WaitForCompletion: plan.WaitForCompletion.ValueBool(),
		Progress:          func(p optimize.PartProgress) { logPartProgress(ctx, p) },
	})
	addWarnings(&resp.Diagnostics, id, backup.Warnings)
	if backup.Token != "" && len(backup.Snapshots) > 0 {
		// Refresh and destroy touch only the snapshots of this create.
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, createTokenKey, createTokenJSON(backup.Token))...)
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Backup %q was not taken", id), diagnosis{
			operation: "create", timeout: timeout, started: backup.SnapshotNames(),
			importNamesRepository: plan.RepositoryName.ValueString() != r.data.repository,
		}.detail(err))
		if len(backup.Snapshots) == 0 {
			return // nothing was created: no state
		}
		// Record what exists, so that the resource is tainted and the next
		// apply deletes these snapshots and takes the backup again.
		if backup.State == "" {
			backup.State, _ = optimize.AggregateState(backup.Snapshots)
			backup.FailureReason = optimize.FailureReason(backup.ID, backup.Snapshots)
		}
	}
	plan.setBackup(backup)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &plan)...)
}

func (r *backupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// No State.Get/State.Set here: see backup_values.go.
	state, err := backupModelFrom(ctx, req.State.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the state of backup", fmt.Sprintf("The state of this optimize_backup cannot be decoded: %s. This is a bug of the provider: please report it.", err))
		return
	}
	if !r.data.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if state.RepositoryName.ValueString() == "" {
		state.RepositoryName = types.StringValue(r.data.repository)
	}
	id := state.BackupID.ValueString()
	token, diags := createToken(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	backup, err := r.data.service.GetOwned(ctx, state.RepositoryName.ValueString(), optimize.BackupID(id), owner(token, state.OptimizeVersion))
	if errors.Is(err, optimize.ErrBackupNotFound) {
		// The framework wants an identity after every read without error,
		// even one that removes the resource (with Terraform before 1.12 and
		// OpenTofu, which store none, it would otherwise be null).
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &state)...)
		tflog.Warn(ctx, "Backup not found in Elasticsearch: removing it from the state, so the next plan takes it again", map[string]any{
			"backup_id": id, "repository": state.RepositoryName.ValueString(), "error": err.Error(),
		})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read backup %q", id),
			diagnosis{operation: "read", timeout: timeout, repository: state.RepositoryName.ValueString()}.detail(err))
		return
	}
	state.setBackup(backup)
	raw, err := state.terraformValue(ctx, req.State.Raw.Type())
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot record backup %q", id), fmt.Sprintf("The state of backup %q cannot be encoded: %s. This is a bug of the provider: please report it.", id, err))
		return
	}
	resp.State.Raw = raw
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &state)...)
}

// owner is what a backup of the state owns: the snapshots of its create
// token, or, imported, those of its recorded version.
func owner(token string, version types.String) optimize.Owner {
	normalized, _ := optimize.NormalizeVersion(version.ValueString())
	return optimize.Owner{Token: token, Version: normalized}
}

// Update only ever changes timeouts: every other input forces replacement.
func (r *backupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state backupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.Timeouts = plan.Timeouts
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	// The framework wants an identity after every update, also from
	// Terraform before 1.12 and OpenTofu, which store none.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &state)...)
}

func (r *backupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state backupResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.BackupID.ValueString()
	token, diags := createToken(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	err := r.data.service.DeleteOwned(ctx, state.RepositoryName.ValueString(), optimize.BackupID(id), owner(token, state.OptimizeVersion))
	switch {
	case errors.Is(err, optimize.ErrRepositoryMissing):
		// Nothing can be deleted in a repository that is gone: the backup
		// leaves the state, and the warning says what may be left behind.
		repo := state.RepositoryName.ValueString()
		left, cleanup := "its snapshots", "delete them there."
		if version, err := optimize.NormalizeVersion(state.OptimizeVersion.ValueString()); err == nil {
			// The names of the backup's snapshots, from its id and version.
			snapshots := optimize.SnapshotNames(optimize.BackupID(id), version)
			left = "its snapshots (" + strings.Join(snapshots, ", ") + ")"
			escaped := make([]string, len(snapshots))
			for i, n := range snapshots {
				escaped[i] = optimize.PathEscape(n)
			}
			cleanup = fmt.Sprintf("delete them there: DELETE _snapshot/%s/%s.", optimize.PathEscape(repo), strings.Join(escaped, ","))
		}
		resp.Diagnostics.AddWarning(fmt.Sprintf("Backup %q removed from the state only: repository %q is gone", id, repo),
			fmt.Sprintf("Snapshot repository %q is not registered in Elasticsearch, so nothing of backup %q was deleted: %s may still sit in the repository's storage. "+
				"If the repository comes back (PUT _snapshot/%s with the settings it had), %s", repo, id, left, optimize.PathEscape(repo), cleanup))
	case errors.As(err, new(*optimize.DeleteLineTooLongError)):
		// The message ends with requests to copy: no full stop after them.
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot delete backup %q: no request can name its snapshots", id), sentence(err))
	case err != nil:
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot delete backup %q", id), diagnosis{operation: "delete", timeout: timeout}.detail(err))
	}
}

// ImportState adopts a backup by its id, by "<repository>/<backup_id>", or
// (Terraform 1.12+) by its identity {repository_name, backup_id}.
func (r *backupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, repository := req.ID, ""
	if req.ID == "" && req.Identity != nil {
		var identity backupIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id, repository = identity.BackupID.ValueString(), identity.RepositoryName.ValueString()
	} else if i := strings.LastIndex(req.ID, "/"); i >= 0 {
		repository, id = req.ID[:i], req.ID[i+1:]
	}
	if err := optimize.ValidateBackupID(id); err != nil {
		resp.Diagnostics.AddError("Invalid import id",
			sentence(err)+". Import an Optimize backup by its id, or by <repository>/<backup_id>.")
		return
	}
	if repository == "" && r.data != nil {
		repository = r.data.repository
	}
	if repository == "" {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("No snapshot repository is known for backup %q: import it as <repository>/<backup_id>, set repository_name in the import identity, or set the provider's repository_name.", id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("backup_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("repository_name"), repository)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_completion"), true)...)
	if resp.Identity != nil {
		resp.Diagnostics.Append(resp.Identity.Set(ctx, backupIdentityModel{
			RepositoryName: types.StringValue(repository), BackupID: types.StringValue(id),
		})...)
	}
}

// setBackup stores a domain backup in the model.
func (m *backupResourceModel) setBackup(b optimize.Backup) {
	m.backupStatusModel = newBackupStatus(b)
	m.ID = types.StringValue(string(b.ID))
	m.BackupID = types.StringValue(string(b.ID))
	m.RepositoryName = types.StringValue(b.Repository)
	// Keep the configured spelling (8.6.0-SNAPSHOT) when it names the same version.
	if configured, err := optimize.NormalizeVersion(m.OptimizeVersion.ValueString()); err != nil || configured != b.Version {
		m.OptimizeVersion = types.StringValue(b.Version)
	}
	if m.WaitForCompletion.IsNull() || m.WaitForCompletion.IsUnknown() {
		m.WaitForCompletion = types.BoolValue(true)
	}
}

// logPartProgress logs, at INFO, when each part of a create starts and
// ends: a long create shows where it is (TF_LOG_PROVIDER=INFO).
func logPartProgress(ctx context.Context, p optimize.PartProgress) {
	fields := map[string]any{
		"backup_id": string(p.ID), "part": p.Part, "snapshot": p.Snapshot, "indices": p.Indices,
	}
	of := fmt.Sprintf("Backup %q: part %d of %d", p.ID, p.Part, optimize.PartCount)
	switch {
	case !p.Done:
		tflog.Info(ctx, fmt.Sprintf("%s started: snapshot %s of %d indices", of, p.Snapshot, p.Indices), fields)
		return
	case p.Err != nil:
		fields["error"] = p.Err.Error()
		of += " failed"
	case !p.Waited:
		of += " is running (wait_for_completion = false: not waited for)"
	default:
		of += " ended " + p.State
	}
	fields["duration_ms"] = p.Duration.Milliseconds()
	fields["state"] = p.State
	tflog.Info(ctx, fmt.Sprintf("%s after %s: snapshot %s of %d indices", of, p.Duration.Round(time.Millisecond), p.Snapshot, p.Indices), fields)
}

// createTokenKey is the private-state key of the create token: the token in
// the metadata of the snapshots this resource took. A resource without one
// (imported) owns every snapshot of its backup id.
const createTokenKey = "create_token"

func createTokenJSON(token string) []byte {
	b, _ := json.Marshal(token)
	return b
}

// privateState is what Read and Delete requests carry of private state.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

func createToken(ctx context.Context, private privateState) (string, diag.Diagnostics) {
	if private == nil {
		return "", nil
	}
	raw, diags := private.GetKey(ctx, createTokenKey)
	var token string
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &token)
	}
	return token, diags
}

var (
	_ resource.ResourceWithConfigure    = (*backupResource)(nil)
	_ resource.ResourceWithModifyPlan   = (*backupResource)(nil)
	_ resource.ResourceWithImportState  = (*backupResource)(nil)
	_ resource.ResourceWithIdentity     = (*backupResource)(nil)
	_ resource.ResourceWithUpgradeState = (*backupResource)(nil)
)
