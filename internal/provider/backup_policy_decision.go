// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// What a plan of optimize_backup_policy decides, and the warnings and
// errors it gives: the decision a refresh makes and the plan takes from the
// private state, the alerts, and the refusals before any write.

// addNameTaken refuses to create a policy whose name already marks backups
// of the repository (another workspace's policy, or this one's before a
// state rm): its retention would delete them as its own.
func addNameTaken(diags *diag.Diagnostics, repository string, p optimize.Policy, backups []optimize.Backup) {
	ids := make([]string, len(backups))
	for i, b := range backups {
		ids[i] = string(b.ID)
	}
	diags.AddAttributeError(path.Root("name"), fmt.Sprintf("Backup policy %q already has backups", p.Name),
		fmt.Sprintf("Repository %q holds %d backup(s) whose snapshots carry the policy name %q: %s. "+
			"Another policy of that name (another workspace, or this one before its state was removed) took them, and a new policy of the same name "+
			"would take them for its own: its retention would delete them. Nothing was written. "+
			"To manage that policy here, import it: terraform import <address> %s/%s (or an import block with id = %q); "+
			"otherwise give this policy another name.",
			repository, len(backups), p.Name, strings.Join(ids, ", "), repository, p.Name, repository+"/"+p.Name))
}

// checkNextID refuses at plan time a due backup whose id cannot be made
// (Optimize 3.10 to 3.13 take Java Integer ids), naming the backup that
// forces it, rather than a plan whose apply fails.
func (r *backupPolicyResource) checkNextID(ctx context.Context, repository string, p optimize.Policy, diags *diag.Diagnostics) {
	version, err := r.data.installationVersion(ctx)
	if err != nil || version == "" {
		return // the apply reads it and says so
	}
	release, err := optimize.ReleaseFor(version)
	if err != nil {
		return
	}
	all, ok := r.data.cachedListing(repository)
	if !ok {
		return
	}
	ids := make([]optimize.BackupID, len(all))
	for i, b := range all {
		ids[i] = b.ID
	}
	now, err := r.data.clusterNow(ctx, &diag.Diagnostics{})
	if err != nil {
		return
	}
	_, err = optimize.NextPolicyBackupID(release, p.Name, ids, now)
	var exhausted *optimize.PolicyIDExhaustedError
	if errors.As(err, &exhausted) {
		diags.AddAttributeError(path.Root("name"), fmt.Sprintf("Backup policy %q cannot take its next backup", p.Name), errorDetail(err))
	}
}

// vanishedAlert says that backups the state recorded as the policy's have
// gone, deleted by something other than the policy.
func vanishedAlert(p optimize.Policy, repository string, ids []string) policyAlert {
	return policyAlert{
		Summary: fmt.Sprintf("backup(s) %s deleted outside the policy", strings.Join(ids, ", ")),
		Detail: fmt.Sprintf("Backup(s) %s of policy %q, recorded in the state at the last apply, are no longer in repository %q: "+
			"something other than the policy deleted them (a person, another tool, the repository's storage). "+
			"If that was not meant, find out what deletes snapshots of %q; the policy takes the next backup when one is due by every. "+
			"Applying acknowledges this: the state then records the backups as they are.",
			strings.Join(ids, ", "), p.Name, repository, repository),
	}
}

// policyDecisionKey is the private-state key of the decision a refresh made.
const policyDecisionKey = "policy_decision"

// policyDecision is what a plan of the policy says: whether a backup is due,
// what retention deletes (once the due backup has COMPLETED), what needs an
// operator; and the policy it was made for. It also holds what the refresh
// saw (the policy's backups, the cluster's time, the backups that vanished):
// a changed configuration (keep_last, say) is decided from the same view at
// plan time and again when Terraform plans during the apply, so the two
// plans agree whatever the repository or the clock do in between.
type policyDecision struct {
	Policy   optimize.Policy     `json:"policy"`
	Due      bool                `json:"due"`
	Expiring []optimize.BackupID `json:"expiring"`
	// Why says why retention deletes each of Expiring.
	Why    map[optimize.BackupID]string `json:"why"`
	Alerts []policyAlert                `json:"alerts"`
	// Latest is the policy's newest COMPLETED backup; empty when none.
	Latest optimize.BackupID `json:"latest_completed,omitempty"`
	// RetainedBy says which rules keep each kept backup.
	RetainedBy map[optimize.BackupID][]string `json:"retained_by,omitempty"`

	Now      time.Time         `json:"now"`
	Backups  []optimize.Backup `json:"backups"`
	Vanished []string          `json:"vanished"`
}

// decide is the domain's decision (optimize.Decide) at now over the
// repository's backups, with the alerts it raises.
func decide(p optimize.Policy, all []optimize.Backup, now time.Time, creating bool) policyDecision {
	dd := optimize.Decide(p, all, now, creating)
	st := dd.Status
	d := policyDecision{Policy: p, Due: dd.Due, Expiring: dd.Expiring, Why: dd.Why, Alerts: policyAlerts(p, st), Now: now}
	if st.LatestCompleted != nil {
		d.Latest = st.LatestCompleted.ID
	}
	d.RetainedBy = dd.RetainedBy
	// What a decision for another configuration needs: the policy's own
	// backups, without their index lists.
	for _, b := range st.Backups {
		b.Snapshots = slices.Clone(b.Snapshots)
		for i := range b.Snapshots {
			b.Snapshots[i].Indices = nil
		}
		d.Backups = append(d.Backups, b)
	}
	return d
}

// withVanished adds the alert of backups that vanished since the state
// recorded them.
func (d policyDecision) withVanished(repository string, gone []string) policyDecision {
	d.Vanished = gone
	if len(gone) > 0 {
		d.Alerts = append(d.Alerts, vanishedAlert(d.Policy, repository, gone))
	}
	return d
}

func (d policyDecision) json() []byte {
	b, _ := json.Marshal(d)
	return b
}

// decisionFrom is the decision the last refresh made, for policy p: as made
// when p is the policy it was made for, else made again for p from what
// that refresh saw.
func decisionFrom(ctx context.Context, private privateState, p optimize.Policy, repository string) (policyDecision, bool) {
	if private == nil {
		return policyDecision{}, false
	}
	raw, diags := private.GetKey(ctx, policyDecisionKey)
	var d policyDecision
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &d) != nil || d.Policy.Name != p.Name || d.Now.IsZero() {
		return policyDecision{}, false
	}
	if d.Policy != p {
		d = decide(p, d.Backups, d.Now, false).withVanished(repository, d.Vanished)
	}
	return d, true
}

type policyAlert struct {
	Summary string `json:"summary"`
	Detail  string `json:"detail"`
}

// policyAlerts says what needs an operator: stuck backups and a failed
// newest backup, naming the snapshots and their shard counts.
func policyAlerts(p optimize.Policy, st optimize.PolicyStatus) []policyAlert {
	var out []policyAlert
	snapshots := func(b optimize.Backup) string {
		parts := make([]string, len(b.Snapshots))
		for i, s := range b.Snapshots {
			parts[i] = fmt.Sprintf("%s %s (%d of %d shards done, %d failed)", s.Name, s.State, s.ShardsSuccessful, s.ShardsTotal, s.ShardsFailed)
		}
		return strings.Join(parts, "; ")
	}
	for _, b := range st.Stuck {
		out = append(out, policyAlert{
			Summary: fmt.Sprintf("backup %s IN_PROGRESS since %s", b.ID, formatTime(b.StartTime())),
			Detail: fmt.Sprintf("Backup %q of policy %q has been IN_PROGRESS since %s, longer than stale_after (%s): %s. "+
				"Check the cluster's snapshot activity (GET _snapshot/_status). The next apply still takes a backup when one is due and never deletes this one; "+
				"if it never finishes, delete its snapshots (DELETE _snapshot/<repository>/<names>), which aborts it.",
				b.ID, p.Name, formatTime(b.StartTime()), p.StaleAfter, snapshots(b)),
		})
	}
	if b := st.NewestFailed; b != nil {
		out = append(out, policyAlert{
			Summary: fmt.Sprintf("newest backup %s is %s", b.ID, b.State),
			Detail: fmt.Sprintf("The newest backup of policy %q, %q, is %s: %s. %s "+
				"The next apply takes a backup when one is due by every; this one is deleted by retention once a newer backup is COMPLETED.",
				p.Name, b.ID, b.State, snapshots(*b), b.FailureReason),
		})
	}
	return out
}

func idList(ids []optimize.BackupID) types.List {
	return stringList(idStrings(ids))
}

// vanished are the ids recorded that are not among the policy's backups now.
func vanished(recorded []string, now []optimize.Backup) []string {
	var out []string
	for _, id := range recorded {
		if !slices.ContainsFunc(now, func(b optimize.Backup) bool { return string(b.ID) == id }) {
			out = append(out, id)
		}
	}
	return out
}

// maxClockSkew is how far the local clock may be from the cluster's before
// a policy warns: its schedule is measured on the cluster's clock anyway.
const maxClockSkew = time.Minute

// clusterNow is the time on the cluster's clock, the one that stamps the
// snapshots a policy's schedule and retention measure: the local clock,
// corrected by the skew read once per command. A skew over a minute is
// warned about.
func (d *providerData) clusterNow(ctx context.Context, diags *diag.Diagnostics) (time.Time, error) {
	d.skewMu.Lock()
	defer d.skewMu.Unlock()
	if !d.skewRead {
		_, skew, err := d.service.ClusterNow(ctx)
		if err != nil {
			return time.Time{}, err
		}
		d.skew, d.skewRead = skew, true
	}
	if d.skew > maxClockSkew || d.skew < -maxClockSkew {
		dir := "ahead of"
		if d.skew < 0 {
			dir = "behind"
		}
		diags.AddWarning("This machine's clock differs from the cluster's",
			fmt.Sprintf("This machine's clock is %s %s the cluster's clock (GET _cat/health), more than %s. "+
				"Backup policies measure every, max_age and stale_after on the cluster's clock, which stamps the snapshots, so their schedule is right; "+
				"but set this machine's clock right (NTP): the times Terraform prints are this machine's.",
				d.skew.Abs(), dir, maxClockSkew))
	}
	return time.Now().Add(-d.skew), nil
}
