// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/optimize-tf/terraform-provider-optimize/internal/metrics"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// What a plan of optimize_platform_backup_policy decides: the refresh
// lists the policy's ids and decides; the plan takes that decision from
// the private state (made again for a changed configuration from what the
// refresh saw), so the plan and the apply's plan agree.

const (
	platformPolicyDecisionKey = "platform_policy_decision"
	// platformPolicyZeebeKey: Zeebe's final states of the policy's ids,
	// which later listings need not read again.
	platformPolicyZeebeKey = "platform_policy_zeebe"
)

type platformPolicyDecision struct {
	Config   platformPolicyConfig    `json:"config"`
	Due      bool                    `json:"due"`
	Expiring []int64                 `json:"expiring"`
	Why      map[int64]string        `json:"why"`
	Alerts   []platformPolicyAlert   `json:"alerts"`
	Now      time.Time               `json:"now"`
	Backups  []platform.PolicyBackup `json:"backups"`
}

type platformPolicyAlert struct {
	Summary string `json:"summary"`
	Detail  string `json:"detail"`
}

// decidePlatformPolicy is the domain's decision with the alerts it raises.
func decidePlatformPolicy(cfg platformPolicyConfig, backups []platform.PolicyBackup, now time.Time, creating bool) platformPolicyDecision {
	p := cfg.policy()
	dd := platform.DecidePolicy(p, backups, now, creating)
	return platformPolicyDecision{Config: cfg, Due: dd.Due, Expiring: dd.Expiring, Why: dd.Why,
		Alerts: platformPolicyAlerts(p, dd.Status), Now: now, Backups: backups}
}

// platformPolicyAlerts: the newest id incomplete, naming each component
// and family that is not COMPLETED; the ids stuck IN_PROGRESS.
func platformPolicyAlerts(p platform.Policy, st platform.PolicyStatus) []platformPolicyAlert {
	var out []platformPolicyAlert
	for _, b := range st.Stuck {
		out = append(out, platformPolicyAlert{
			Summary: fmt.Sprintf("backup %d IN_PROGRESS since %s", b.ID, formatTime(b.Start)),
			Detail: fmt.Sprintf("Platform backup %d of policy %q has been running since %s, longer than stale_after (%s): %s. "+
				"Check the component named. The policy never deletes an id while any component of it runs, and takes the next backup when one is due.",
				b.ID, p.Name, formatTime(b.Start), p.StaleAfter, strings.Join(b.Incomplete, "; ")),
		})
	}
	if b := st.NewestIncomplete; b != nil {
		kept := "none of the policy's ids is complete everywhere"
		if st.NewestComplete != nil {
			kept = fmt.Sprintf("the newest id complete everywhere, %d, is kept as the restore point", st.NewestComplete.ID)
		}
		out = append(out, platformPolicyAlert{
			Summary: fmt.Sprintf("newest backup %d is %s: %s", b.ID, b.State, strings.Join(b.Incomplete, "; ")),
			Detail: fmt.Sprintf("The newest platform backup of policy %q, %d, is %s and restores nothing: %s. %s; "+
				"this one is deleted by retention once a newer id is complete everywhere. Look at the component and family named before the next backup is due.",
				p.Name, b.ID, b.State, strings.Join(b.Incomplete, "; "), capitalize(kept)),
		})
	}
	return out
}

func (d platformPolicyDecision) json() []byte {
	b, _ := json.Marshal(d)
	return b
}

// platformPolicyDecisionFrom is the decision the last refresh made, made
// again from what it saw when the configuration differs.
func platformPolicyDecisionFrom(ctx context.Context, private privateState, cfg platformPolicyConfig) (platformPolicyDecision, bool) {
	if private == nil {
		return platformPolicyDecision{}, false
	}
	raw, diags := private.GetKey(ctx, platformPolicyDecisionKey)
	var d platformPolicyDecision
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &d) != nil || d.Now.IsZero() || d.Config.Name != cfg.Name ||
		d.Config.CamundaVersion != cfg.CamundaVersion || d.Config.Repository != cfg.Repository || d.Config.WebappsRepository != cfg.WebappsRepository {
		return platformPolicyDecision{}, false
	}
	if d.Config != cfg {
		d = decidePlatformPolicy(cfg, d.Backups, d.Now, false)
	}
	return d, true
}

// zeebeKnown are Zeebe's final states the private state keeps.
func zeebeKnown(ctx context.Context, private privateState) map[int64]platform.State {
	known := map[int64]platform.State{}
	if private != nil {
		if raw, diags := private.GetKey(ctx, platformPolicyZeebeKey); !diags.HasError() && len(raw) > 0 {
			_ = json.Unmarshal(raw, &known)
		}
	}
	return known
}

func zeebeKnownJSON(known map[int64]platform.State) []byte {
	b, _ := json.Marshal(known)
	return b
}

// setStatus records what the listing says of the policy's ids.
func (m *platformPolicyModel) setStatus(ctx context.Context, cfg platformPolicyConfig, st platform.PolicyStatus) diag.Diagnostics {
	ids := make([]string, len(st.Backups))
	for i, b := range st.Backups {
		ids[i] = strconv.FormatInt(b.ID, 10)
	}
	m.BackupIDs = stringList(ids)
	m.LatestBackupID, m.LatestCompleteID = types.StringValue(""), types.StringValue("")
	if n := len(ids); n > 0 {
		m.LatestBackupID = types.StringValue(ids[n-1])
	}
	if st.NewestComplete != nil {
		m.LatestCompleteID = types.StringValue(strconv.FormatInt(st.NewestComplete.ID, 10))
	}
	retained := map[string][]string{}
	for id, rules := range st.RetainedBy {
		retained[strconv.FormatInt(id, 10)] = rules
	}
	var diags diag.Diagnostics
	m.RetainedBy, diags = types.MapValueFrom(ctx, types.ListType{ElemType: types.StringType}, retained)
	text, err := platformPolicyMetrics(cfg, st)
	if err != nil {
		diags.AddWarning(fmt.Sprintf("Platform backup policy %q: prometheus_metrics not written", cfg.Name), capitalize(err.Error())+". This is a bug of the provider: please report it.")
	}
	m.PrometheusMetrics = types.StringValue(text)
	return diags
}

// platformPolicyMetrics renders the health of the policy's ids, one source
// per component: each family of the version, and Zeebe.
func platformPolicyMetrics(cfg platformPolicyConfig, st platform.PolicyStatus) (string, error) {
	order, err := platform.Order(cfg.CamundaVersion)
	if err != nil {
		return "", err
	}
	req := platform.Request{Repository: cfg.Repository, WebappsRepository: cfg.WebappsRepository}
	var sources []metrics.Source
	for _, c := range append(order.Families(), platform.Zeebe) {
		src := metrics.Source{Policy: cfg.Name, Component: string(c)}
		if c != platform.Zeebe {
			src.Repository = req.RepositoryOf(c)
		}
		for _, b := range st.Backups {
			if cs, ok := b.Components[c]; ok {
				src.Backups = append(src.Backups, metrics.Backup{ID: strconv.FormatInt(b.ID, 10), State: string(cs.State), Start: cs.Start, End: cs.End})
			}
		}
		for _, b := range st.Stuck {
			if b.Components[c].State == optimize.StateInProgress {
				src.Stuck++
			}
		}
		sources = append(sources, src)
	}
	return metrics.Render(time.Time{}, sources...)
}

// settle is the state a refresh reads: nothing due, expiring or alerting;
// the plan decides them afresh.
func (m *platformPolicyModel) settle() {
	m.BackupDue = types.BoolValue(false)
	m.ExpiringBackupIDs = stringList(nil)
	m.ExpiringReasons = types.MapValueMust(types.StringType, nil)
	m.Alerts = stringList(nil)
}

// settleUnknown gives what a plan left unknown the values of a refresh.
func (m *platformPolicyModel) settleUnknown(due bool) {
	if m.BackupDue.IsUnknown() {
		m.BackupDue = types.BoolValue(due)
	}
	if m.ExpiringBackupIDs.IsUnknown() {
		m.ExpiringBackupIDs = stringList(nil)
	}
	if m.ExpiringReasons.IsUnknown() {
		m.ExpiringReasons = types.MapValueMust(types.StringType, nil)
	}
	if m.Alerts.IsUnknown() {
		m.Alerts = stringList(nil)
	}
}

// setDecision records in the plan what the apply does.
func (m *platformPolicyModel) setDecision(d platformPolicyDecision) {
	m.BackupDue = types.BoolValue(d.Due)
	ids := make([]string, len(d.Expiring))
	reasons := map[string]string{}
	for i, id := range d.Expiring {
		ids[i] = strconv.FormatInt(id, 10)
		reasons[ids[i]] = d.Why[id]
	}
	m.ExpiringBackupIDs = stringList(ids)
	m.ExpiringReasons, _ = types.MapValueFrom(context.Background(), types.StringType, reasons)
	summaries := make([]string, len(d.Alerts))
	for i, a := range d.Alerts {
		summaries[i] = a.Summary
	}
	m.Alerts = stringList(summaries)
}

// fillIn plans what the configuration leaves to the provider: the
// repositories and Camunda's version. It reports false when the plan
// cannot go on (an error added).
func (r *platformPolicyResource) fillIn(ctx context.Context, m *platformPolicyModel, diags *diag.Diagnostics) bool {
	if !r.data.planRepository(ctx, &m.RepositoryName, fmt.Sprintf("Platform backup policy %q cannot be planned", m.Name.ValueString()), diags) {
		return false
	}
	if m.WebappsRepositoryName.IsUnknown() && !m.RepositoryName.IsUnknown() {
		m.WebappsRepositoryName = m.RepositoryName
	}
	if (m.CamundaVersion.IsUnknown() || m.CamundaVersion.ValueString() == "" && !m.CamundaVersion.IsNull()) && r.data.service != nil {
		model := platformBackupResourceModel{CamundaVersion: types.StringNull(), RecordsIndexPattern: types.StringNull()}
		version, err := (&platformBackupResource{data: r.data}).camundaVersion(ctx, model)
		if err != nil {
			diags.AddAttributeError(path.Root("camunda_version"), fmt.Sprintf("Platform backup policy %q cannot be planned", m.Name.ValueString()), capitalize(err.Error())+".")
			return false
		}
		m.CamundaVersion = types.StringValue(version)
	}
	if !m.CamundaVersion.IsUnknown() && !checkPlatformVersion(m.CamundaVersion.ValueString(), "of policy "+m.Name.ValueString(), diags) {
		return false
	}
	return true
}

// list reads the policy's ids on the cluster's clock.
func (r *platformPolicyResource) list(ctx context.Context, cfg platformPolicyConfig, known map[int64]platform.State, diags *diag.Diagnostics) (platform.PolicyListing, time.Time, *platform.Service, error) {
	svc, err := (&platformBackupResource{data: r.data}).service(cfg.CamundaVersion)
	if err != nil {
		return platform.PolicyListing{}, time.Time{}, nil, err
	}
	now, err := r.data.clusterNow(ctx, diags)
	if err != nil {
		return platform.PolicyListing{}, now, svc, err
	}
	l, err := svc.ListPolicy(ctx, cfg.request(r.data, 0), cfg.Name, known)
	tflog.Debug(ctx, "platform backup policy listed", map[string]any{"policy": cfg.Name, "ids": len(l.Backups), "requests": l.Requests})
	return l, now, svc, err
}

func (r *platformPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state platformPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	if state.CamundaVersion.ValueString() == "" {
		// Imported: Camunda's version as a plan finds it.
		state.CamundaVersion = types.StringUnknown()
		if !r.fillIn(ctx, &state, &resp.Diagnostics) {
			return
		}
	}
	cfg, ok := state.config()
	if !ok {
		return
	}
	l, now, _, err := r.list(ctx, cfg, zeebeKnown(ctx, req.Private), &resp.Diagnostics)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read platform backup policy %q", cfg.Name), platformDetail(err))
		return
	}
	st := platform.EvaluatePolicy(cfg.policy(), l.Backups, now)
	resp.Diagnostics.Append(state.setStatus(ctx, cfg, st)...)
	state.settle()
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setPolicyIdentity(ctx, resp.Identity, cfg.Repository, cfg.Name)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, platformPolicyDecisionKey, decidePlatformPolicy(cfg, l.Backups, now, false).json())...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, platformPolicyZeebeKey, zeebeKnownJSON(l.ZeebeFinal))...)
}

// ModifyPlan is the schedule: a backup when one is due, what retention
// deletes and why, and what needs an operator. An empty plan means nothing
// to do.
func (r *platformPolicyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil || !r.data.known {
		return
	}
	var plan platformPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.fillIn(ctx, &plan, &resp.Diagnostics) {
		return
	}
	creating := req.State.Raw.IsNull()
	cfg, ok := plan.config()
	if !ok || r.data.service == nil {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	plan.ID = types.StringValue(cfg.Repository + "/" + cfg.Name)
	d, found := platformPolicyDecision{}, false
	if !creating {
		d, found = platformPolicyDecisionFrom(ctx, req.Private, cfg)
	}
	if !found {
		l, now, _, err := r.list(ctx, cfg, zeebeKnown(ctx, req.Private), &resp.Diagnostics)
		if err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("Platform backup policy %q cannot be planned", cfg.Name), platformDetail(err)+
				"\n\nThe plan reads the policy's backups to say what the apply does: nothing was written.")
			return
		}
		if creating && (len(l.Backups) > 0 || len(l.OptimizePolicyIDs) > 0) {
			addPlatformNameTaken(&resp.Diagnostics, cfg, l)
			return
		}
		d = decidePlatformPolicy(cfg, l.Backups, now, creating)
	}
	for _, id := range d.Expiring {
		tflog.Info(ctx, "retention deletes a platform backup of the policy", map[string]any{"policy": cfg.Name, "backup_id": id, "why": d.Why[id]})
	}
	for _, a := range d.Alerts {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Platform backup policy %q needs attention", cfg.Name), a.Detail)
	}
	if !creating && !d.Due && len(d.Expiring) == 0 && len(d.Alerts) == 0 {
		plan.settleUnknown(false)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	plan.setDecision(d)
	if d.Due || len(d.Expiring) > 0 || creating {
		plan.BackupIDs = types.ListUnknown(types.StringType)
		plan.RetainedBy = types.MapUnknown(types.ListType{ElemType: types.StringType})
		plan.LatestBackupID, plan.LatestCompleteID = types.StringUnknown(), types.StringUnknown()
		plan.PrometheusMetrics = types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// addPlatformNameTaken refuses a new policy whose name already marks ids
// of the repository (its retention would delete them as its own), or marks
// an optimize_backup_policy's backups (whose retention would take this
// policy's Optimize snapshots for its own).
func addPlatformNameTaken(diags *diag.Diagnostics, cfg platformPolicyConfig, l platform.PolicyListing) {
	if len(l.Backups) == 0 {
		diags.AddAttributeError(path.Root("name"), fmt.Sprintf("Platform backup policy %q: the name is an Optimize backup policy's", cfg.Name),
			fmt.Sprintf("Repository %q holds Optimize backup(s) %s whose snapshots carry the policy name %q: an optimize_backup_policy of that name takes backups there. "+
				"Its retention would take this policy's Optimize snapshots for its own and delete them, leaving the other components' parts of those ids behind. "+
				"Nothing was written: give this policy another name.", cfg.Repository, strings.Join(l.OptimizePolicyIDs, ", "), cfg.Name))
		return
	}
	ids := make([]string, len(l.Backups))
	for i, b := range l.Backups {
		ids[i] = strconv.FormatInt(b.ID, 10)
	}
	diags.AddAttributeError(path.Root("name"), fmt.Sprintf("Platform backup policy %q already has backups", cfg.Name),
		fmt.Sprintf("Repository %q holds %d platform backup(s) whose Optimize snapshots carry the policy name %q: %s. "+
			"Another policy of that name took them, and a new policy of the same name would take them for its own: its retention would delete them. Nothing was written. "+
			"To manage that policy here, import it: terraform import <address> %s/%s; otherwise give this policy another name.",
			cfg.Repository, len(l.Backups), cfg.Name, strings.Join(ids, ", "), cfg.Repository, cfg.Name))
}
