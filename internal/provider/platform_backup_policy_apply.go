// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

func (r *platformPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan platformPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultPlatformCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	known := r.apply(ctx, &plan, nil, true, true, &resp.Diagnostics)
	if plan.ID.IsUnknown() {
		return // nothing could be read, or the name is taken: no state
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setPolicyIdentity(ctx, resp.Identity, plan.RepositoryName.ValueString(), plan.Name.ValueString())...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, platformPolicyDecisionKey, nil)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, platformPolicyZeebeKey, zeebeKnownJSON(known))...)
}

func (r *platformPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan platformPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultPlatformCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	known := r.apply(ctx, &plan, zeebeKnown(ctx, req.Private), false, plan.BackupDue.ValueBool(), &resp.Diagnostics)
	if plan.ID.IsUnknown() {
		var state platformPolicyModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		plan = state
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setPolicyIdentity(ctx, resp.Identity, plan.RepositoryName.ValueString(), plan.Name.ValueString())...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, platformPolicyDecisionKey, nil)...)
	if known != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, platformPolicyZeebeKey, zeebeKnownJSON(known))...)
	}
}

// apply takes the planned backup (when takeBackup), then deletes what the
// plan named and retention still expires, and records the policy's ids.
// It returns Zeebe's final states read (nil when nothing could be read).
func (r *platformPolicyResource) apply(ctx context.Context, plan *platformPolicyModel, known map[int64]platform.State, creating, takeBackup bool, diags *diag.Diagnostics) map[int64]platform.State {
	if !r.fillIn(ctx, plan, diags) {
		plan.ID = types.StringUnknown()
		return nil
	}
	cfg, _ := plan.config()
	l, now, svc, err := r.list(ctx, cfg, known, diags)
	if err != nil {
		diags.AddError(fmt.Sprintf("Platform backup policy %q: cannot read its backups", cfg.Name), platformDetail(err))
		plan.ID = types.StringUnknown()
		return nil
	}
	if creating && (len(l.Backups) > 0 || len(l.OptimizePolicyIDs) > 0) {
		addPlatformNameTaken(diags, cfg, l)
		plan.ID = types.StringUnknown()
		return nil
	}
	plan.ID = types.StringValue(cfg.Repository + "/" + cfg.Name)
	var planned []string
	if !plan.ExpiringBackupIDs.IsUnknown() {
		diags.Append(plan.ExpiringBackupIDs.ElementsAs(ctx, &planned, false)...)
	}
	plan.settleUnknown(takeBackup)
	p := cfg.policy()
	if takeBackup {
		started := time.Now()
		failed := r.takeBackup(ctx, svc, cfg, l, now, diags)
		now = now.Add(time.Since(started))
		if l2, err := svc.ListPolicy(ctx, cfg.request(r.data, 0), cfg.Name, l.ZeebeFinal); err == nil {
			l = l2
		}
		if failed {
			if len(planned) > 0 {
				diags.AddWarning(fmt.Sprintf("Platform backup policy %q deleted nothing", cfg.Name),
					fmt.Sprintf("The new backup failed, so retention deleted none of %s: a policy never deletes a backup while its newest one is not good.", strings.Join(planned, ", ")))
			}
			diags.Append(plan.setStatus(ctx, cfg, platform.EvaluatePolicy(p, l.Backups, now))...)
			return l.ZeebeFinal
		}
	}
	st := platform.EvaluatePolicy(p, l.Backups, now)
	deleted := r.deleteExpiring(ctx, svc, cfg, l.Backups, st, planned, diags)
	if len(deleted) > 0 {
		l.Backups = slices.DeleteFunc(l.Backups, func(b platform.PolicyBackup) bool { return slices.Contains(deleted, b.ID) })
		st = platform.EvaluatePolicy(p, l.Backups, now)
		for _, id := range deleted {
			delete(l.ZeebeFinal, id)
		}
	}
	diags.Append(plan.setStatus(ctx, cfg, st)...)
	return l.ZeebeFinal
}

// takeBackup takes the policy's next whole backup. It reports whether it
// failed (and says so).
func (r *platformPolicyResource) takeBackup(ctx context.Context, svc *platform.Service, cfg platformPolicyConfig, l platform.PolicyListing, now time.Time, diags *diag.Diagnostics) bool {
	id, created, err := svc.TakeForPolicy(ctx, cfg.request(r.data, 0), cfg.Name, now, l.MaxID, func(e platform.Event) {
		logPlatformProgress(ctx, "(the next of policy "+cfg.Name+")", e)
	})
	addWarnings(diags, strconv.FormatInt(id, 10), created.Optimize.Warnings)
	if err != nil {
		diags.AddError(fmt.Sprintf("Platform backup policy %q: backup %d failed", cfg.Name, id),
			platformCreateDetailForPolicy(err, created, cfg.Name, id))
		return true
	}
	return false
}

// platformCreateDetailForPolicy says what failed and what the policy does
// with the id: it keeps it (marked as its own) until a newer id is complete
// everywhere, and then deletes it from every component.
func platformCreateDetailForPolicy(err error, created platform.Created, policy string, id int64) string {
	msg := platformDetail(err)
	if created.ExportingPaused > 0 {
		var resume *platform.ResumeFailedError
		if !errors.As(err, &resume) {
			msg += fmt.Sprintf("\n\nZeebe's exporting was resumed (paused for %.1f s).", created.ExportingPaused.Seconds())
		}
	}
	if platform.Marked(created) {
		msg += fmt.Sprintf("\n\nBackup %d is policy %q's, and not a restore point: retention deletes it from every component once a newer backup is complete everywhere. "+
			"Retention deleted nothing in this apply.", id, policy)
	}
	return msg
}

// deleteExpiring deletes, each as a unit, the ids the plan named that
// retention still expires now; it goes on past an id that fails, and
// returns the ids deleted.
func (r *platformPolicyResource) deleteExpiring(ctx context.Context, svc *platform.Service, cfg platformPolicyConfig, backups []platform.PolicyBackup, st platform.PolicyStatus, planned []string, diags *diag.Diagnostics) []int64 {
	var deleted []int64
	var failures []string
	for _, id := range st.Expiring {
		if !slices.Contains(planned, strconv.FormatInt(id, 10)) {
			continue
		}
		i := slices.IndexFunc(backups, func(b platform.PolicyBackup) bool { return b.ID == id })
		if err := svc.DeletePolicyBackup(ctx, cfg.request(r.data, id), cfg.Name, backups[i]); err != nil {
			failures = append(failures, sentence(err))
			continue
		}
		deleted = append(deleted, id)
	}
	if len(failures) > 0 {
		done := "none"
		if len(deleted) > 0 {
			done = strings.Join(idsText(deleted), ", ")
		}
		diags.AddError(fmt.Sprintf("Platform backup policy %q: retention did not delete every backup it named", cfg.Name),
			fmt.Sprintf("%s.\n\nDeleted from every component: %s. An id whose deletion stopped keeps its Optimize snapshots, which mark it as the policy's: "+
				"the next apply names it again and deletes the rest. Fix the cause named above (a component unreachable, a backup still running) and apply again.",
				strings.Join(failures, ".\n"), done))
	}
	return deleted
}

func idsText(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}
