// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"time"
	_ "time/tzdata" // time_zone works on machines without a time zone database

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// The calendar tiers of a policy's retention (optimize.Retain), the same
// attributes on every policy; unit names what a policy keeps ("a
// `COMPLETED` backup", "an id complete everywhere").
func retentionTierAttributes(unit string) map[string]schema.Attribute {
	tier := func(period, periods string) schema.Attribute {
		return schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("For each of the last this many %s (in `time_zone`) that have %s of the policy, the newest one of that %s is kept; %s without one do not count. "+
				"Once any tier or `keep_last` is set, what no rule keeps expires. Unset: no such tier.", periods, unit, period, periods),
			Optional:   true,
			Validators: []validator.Int64{int64validator.AtLeast(1)},
		}
	}
	return map[string]schema.Attribute{
		"keep_daily":   tier("day", "days"),
		"keep_weekly":  tier("ISO week (Monday to Sunday; a year's week 53 is its own)", "ISO weeks"),
		"keep_monthly": tier("month", "calendar months"),
		"keep_yearly":  tier("year", "calendar years"),
		"time_zone": schema.StringAttribute{
			MarkdownDescription: "The time zone (a tz database name: `Europe/Berlin`) in which the calendar tiers count days, weeks, months and years: a backup at 00:30 local time belongs to that local day, across daylight saving changes. Default `UTC`.",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString("UTC"),
			Validators:          []validator.String{timeZoneValidator()},
		},
		"retained_by": schema.MapAttribute{
			MarkdownDescription: fmt.Sprintf("For each of the policy's %s retention keeps, the rules keeping it: `keep_last`, `keep_daily`, `keep_weekly`, `keep_monthly`, `keep_yearly`, `min_count` (when above 1), `newest_completed`, or `max_age` (younger than it, when no tier or `keep_last` is set). Unknown in a plan that takes a backup or deletes one.", plural(unit)),
			ElementType:         types.ListType{ElemType: types.StringType},
			Computed:            true,
		},
		"expiring_reasons": schema.MapAttribute{
			MarkdownDescription: "In a plan (and the state its apply records): for each of `expiring_backup_ids`, why no rule keeps it. A refresh empties it.",
			ElementType:         types.StringType,
			Computed:            true,
		},
	}
}

func plural(unit string) string {
	switch unit {
	case "a `COMPLETED` backup":
		return "`COMPLETED` backups"
	case "an id complete everywhere":
		return "ids complete everywhere"
	}
	return unit
}

// timeZoneValidator accepts a tz database name (and UTC).
func timeZoneValidator() validator.String {
	return stringCheck{summary: "Invalid time zone", description: "a tz database time zone name", check: func(s string) error {
		if s == "" || s == "Local" {
			return fmt.Errorf("time zone %q: name a tz database zone (UTC, Europe/Berlin, America/New_York): the tiers must not depend on the machine that runs Terraform", s)
		}
		if _, err := time.LoadLocation(s); err != nil {
			return fmt.Errorf("time zone %q is not in the tz database (UTC, Europe/Berlin, America/New_York): %w", s, err)
		}
		return nil
	}}
}

// location is a validated time zone's location (time_zone); UTC when
// unset.
func location(tz string) *time.Location {
	if loc, err := time.LoadLocation(tz); err == nil {
		return loc
	}
	return time.UTC
}

// retainedByMap is optimize's RetainedBy as a Terraform map, without the
// stand-in of a backup an apply is yet to take.
func retainedByMap(retained map[optimize.BackupID][]string) types.Map {
	elems := map[string]attr.Value{}
	for id, rules := range retained {
		if id == optimize.PlannedBackupID {
			continue
		}
		elems[string(id)] = stringList(rules)
	}
	return types.MapValueMust(types.ListType{ElemType: types.StringType}, elems)
}

// reasonsMap is the why of each expiring backup.
func reasonsMap(expiring []optimize.BackupID, why map[optimize.BackupID]string) types.Map {
	elems := map[string]attr.Value{}
	for _, id := range expiring {
		elems[string(id)] = types.StringValue(why[id])
	}
	return types.MapValueMust(types.StringType, elems)
}
