// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"sort"
	"strings"
)

// GET _cluster/settings, as RestClusterGetSettingsAction
// (server/.../rest/action/admin/cluster/RestClusterGetSettingsAction.java;
// ES 7.17, ES 8.x, OS 2.x) answers it: persistent and transient settings
// (the emulator has none: it takes no PUT _cluster/settings) and, with
// include_defaults, the defaults. Of the engine's hundreds of defaults the
// emulator has the disk-based allocation ones
// (cluster.routing.allocation.disk.*), with each engine's default values.

// diskDefaults717 are DiskThresholdSettings of 7.17 (and DiskThresholdDecider's
// enable_for_single_data_node, false, deprecated in 7.14): the frozen
// flood stage since 7.13; include_relocations still there, deprecated.
var diskDefaults717 = map[string]string{
	"cluster.routing.allocation.disk.threshold_enabled":                         "true",
	"cluster.routing.allocation.disk.watermark.low":                             "85%",
	"cluster.routing.allocation.disk.watermark.high":                            "90%",
	"cluster.routing.allocation.disk.watermark.flood_stage":                     "95%",
	"cluster.routing.allocation.disk.watermark.flood_stage.frozen":              "95%",
	"cluster.routing.allocation.disk.watermark.flood_stage.frozen.max_headroom": "20GB",
	"cluster.routing.allocation.disk.watermark.enable_for_single_data_node":     "false",
	"cluster.routing.allocation.disk.include_relocations":                       "true",
	"cluster.routing.allocation.disk.reroute_interval":                          "60s",
}

// diskDefaults8 are DiskThresholdSettings of ES 8.x: the max headrooms
// (8.5; "200GB", "150GB", "100GB" when no watermark is set, as here),
// include_relocations gone (8.0), enable_for_single_data_node true (8.0:
// false is refused).
var diskDefaults8 = map[string]string{
	"cluster.routing.allocation.disk.threshold_enabled":                         "true",
	"cluster.routing.allocation.disk.watermark.low":                             "85%",
	"cluster.routing.allocation.disk.watermark.low.max_headroom":                "200GB",
	"cluster.routing.allocation.disk.watermark.high":                            "90%",
	"cluster.routing.allocation.disk.watermark.high.max_headroom":               "150GB",
	"cluster.routing.allocation.disk.watermark.flood_stage":                     "95%",
	"cluster.routing.allocation.disk.watermark.flood_stage.max_headroom":        "100GB",
	"cluster.routing.allocation.disk.watermark.flood_stage.frozen":              "95%",
	"cluster.routing.allocation.disk.watermark.flood_stage.frozen.max_headroom": "20GB",
	"cluster.routing.allocation.disk.watermark.enable_for_single_data_node":     "true",
	"cluster.routing.allocation.disk.reroute_interval":                          "60s",
}

// diskDefaultsOpenSearch2 are DiskThresholdSettings of OS 2.x (forked from
// 7.10: no frozen tier, no max headroom) and DiskThresholdDecider's
// enable_for_single_data_node.
var diskDefaultsOpenSearch2 = map[string]string{
	"cluster.routing.allocation.disk.threshold_enabled":                     "true",
	"cluster.routing.allocation.disk.watermark.low":                         "85%",
	"cluster.routing.allocation.disk.watermark.high":                        "90%",
	"cluster.routing.allocation.disk.watermark.flood_stage":                 "95%",
	"cluster.routing.allocation.disk.watermark.enable_for_single_data_node": "false",
	"cluster.routing.allocation.disk.include_relocations":                   "true",
	"cluster.routing.allocation.disk.reroute_interval":                      "60s",
}

// clusterSettingsParams: include_defaults, local and the master-node
// timeouts are read by the handler; flat_settings and settings_filter
// are Settings.FORMAT_PARAMS, its response parameters. There is no
// "timeout", though the REST spec lists one: the engines refuse it.
func (d *dialect) clusterSettingsParams() []string {
	return params([]string{"include_defaults", "local", "flat_settings", "settings_filter"}, d.masterTimeouts)
}

// clusterGetSettings answers GET _cluster/settings: persistent, transient,
// and defaults when asked for and not empty (ClusterGetSettingsResponse
// .toXContent).
func (e *Emulator) clusterGetSettings(q queryParams) (answer, *esError) {
	var flags [3]bool
	for i, k := range []string{"include_defaults", "local", "flat_settings"} {
		b, err := javaBool(q, k)
		if err != nil {
			return answer{}, err
		}
		flags[i] = b
	}
	includeDefaults, flat := flags[0], flags[2]
	filters := splitCommas(q.Get("settings_filter"))
	out := obj{{"persistent", settingsXContent(nil, flat, filters)}, {"transient", settingsXContent(nil, flat, filters)}}
	if includeDefaults {
		if defaults := settingsXContent(e.d.diskDefaults, flat, filters); len(defaults) > 0 {
			out = out.set("defaults", defaults)
		}
	}
	return answerOK(out), nil
}

// settingsXContent is Settings.toXContent: flat keys in order with
// flat_settings, else getAsStructuredMap's nesting; SettingsFilter drops
// the keys settings_filter's patterns match.
func settingsXContent(settings map[string]string, flat bool, filters []string) map[string]any {
	keys := make([]string, 0, len(settings))
	for _, k := range sortedKeys(settings) {
		if !matchesAny(filters, k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := map[string]any{}
	for _, k := range keys {
		if flat {
			out[k] = settings[k]
		} else {
			structuredPut(out, "", k, settings[k])
		}
	}
	return out
}

func matchesAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if glob(p, s) {
			return true
		}
	}
	return false
}

// structuredPut is Settings.processSetting: a key nests on its dots,
// except where a value already holds the name, which keeps the rest of
// the key dotted beside it ("low": "85%", "low.max_headroom": "200GB").
// Keys come in order, so a value always precedes its longer keys.
func structuredPut(m map[string]any, prefix, setting, value string) {
	key, rest, nested := strings.Cut(setting, ".")
	if !nested {
		if inner, ok := m[prefix+setting].(map[string]any); ok {
			for k, v := range inner {
				m[prefix+setting+"."+k] = v
			}
		}
		m[prefix+setting] = value
		return
	}
	switch existing := m[prefix+key].(type) {
	case nil:
		inner := map[string]any{}
		structuredPut(inner, "", rest, value)
		m[prefix+key] = inner
	case map[string]any:
		structuredPut(existing, "", rest, value)
	default:
		structuredPut(m, prefix+key+".", rest, value)
	}
}
