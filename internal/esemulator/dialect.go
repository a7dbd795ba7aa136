// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Engine names a search engine the emulator can answer as.
type Engine string

// The engines Optimize runs on.
const (
	Elasticsearch717 Engine = "elasticsearch-7.17"
	Elasticsearch8   Engine = "elasticsearch-8"
	OpenSearch2      Engine = "opensearch-2"
)

// Engines lists every engine, the default first.
func Engines() []Engine { return []Engine{Elasticsearch717, Elasticsearch8, OpenSearch2} }

// ParseEngine reads an engine name; "" is Elasticsearch 7.17.
func ParseEngine(s string) (Engine, error) {
	if s == "" {
		return Elasticsearch717, nil
	}
	if _, ok := dialects[Engine(s)]; ok {
		return Engine(s), nil
	}
	names := make([]string, 0, len(dialects))
	for _, e := range Engines() {
		names = append(names, string(e))
	}
	return "", fmt.Errorf("unknown engine %q: one of %s", s, strings.Join(names, ", "))
}

// dialect is everything in which the engines differ on the APIs the
// emulator has. Handlers read these fields; nothing else in the emulator
// asks which engine it is.
//
// Sources (each engine's own, at the version named):
//   - Elasticsearch 7.17: the 7.17 branch, as the rest of the emulator.
//   - Elasticsearch 8.17: MainResponse, SnapshotInfo, RestGetAction (no
//     _type outside REST compatibility), RestDeleteSnapshotAction
//     (wait_for_completion since 8.15), RestCompatibleVersionHelper and
//     MediaTypeRegistry (compatible-with media types), the YAML REST tests
//     under rest-api-spec/src/yamlRestTest/resources/rest-api-spec/test/.
//   - OpenSearch 2.19: MainResponse (version.distribution, no product
//     header: OpenSearch never sends X-Elastic-Product), SnapshotInfo
//     (remote_store_index_shallow_copy since 2.9; no repository,
//     feature_states or index_details), GetSnapshotsResponse (snapshots
//     only, no total/remaining), RestGetSnapshotsAction (ignore_unavailable,
//     verbose, master_timeout, cluster_manager_timeout), the security
//     plugin's 401 (text "Unauthorized", realm "OpenSearch Security"), and
//     rest-api-spec/src/main/resources/rest-api-spec/test/.
type dialect struct {
	engine Engine

	// GET /
	product       string // "Elasticsearch" or "OpenSearch", for messages
	distribution  string // version.distribution; empty: not written
	version       string
	versionID     int
	buildFlavor   string // version.build_flavor; empty: not written
	buildType     string
	buildHash     string
	buildDate     string
	lucene        string
	minWire       string
	minIndex      string
	tagline       string
	productHeader bool // X-Elastic-Product: Elasticsearch on every answer

	// compatibleWith lists the N of the media types
	// application/vnd.elasticsearch+json;compatible-with=N the engine takes
	// and answers with; none: the engine reads them as plain JSON and
	// answers application/json.
	compatibleWith []string
	// docType writes "_type": "_doc" in document answers (7.x always; 8.x
	// only to a compatible-with=7 request).
	docType      bool
	docTypeInV7  bool
	securityText bool // the 401 of OpenSearch's security plugin: plain text

	// Snapshot info.
	snapshotRepository    bool // "repository" (include_repository)
	snapshotFeatureStates bool // "feature_states"
	snapshotIndexDetails  bool // index_details=true
	remoteStoreShallow    bool // "remote_store_index_shallow_copy": false
	getSnapshotsTotals    bool // "total" and "remaining" beside "snapshots"
	repositoryUUID        bool // "uuid" in get repository (Elasticsearch 7.12+)

	// Parameters beyond the 7.17 set; removed ones.
	getSnapshotParams    []string
	deleteSnapshotParams []string
	timeoutParams        []string
}

var dialects = map[Engine]*dialect{
	Elasticsearch717: {
		engine: Elasticsearch717, product: "Elasticsearch",
		version: "7.17.18", versionID: 7171899, buildFlavor: "default", buildType: "docker",
		buildHash: "8682172c2130b9a411b1bd5ff37c9792367de6b0", buildDate: "2024-02-02T12:04:59.691750271Z",
		lucene: "8.11.1", minWire: "6.8.0", minIndex: "6.0.0-beta1", tagline: "You Know, for Search",
		productHeader: true, compatibleWith: []string{"7"}, docType: true,
		snapshotRepository: true, snapshotFeatureStates: true, snapshotIndexDetails: true, getSnapshotsTotals: true, repositoryUUID: true,
		getSnapshotParams: []string{"ignore_unavailable", "verbose", "index_details", "include_repository", "sort", "size", "order",
			"from_sort_value", "after", "offset", "slm_policy_filter"},
		timeoutParams: []string{"master_timeout", "timeout", "local"},
	},
	Elasticsearch8: {
		engine: Elasticsearch8, product: "Elasticsearch",
		version: "8.17.0", versionID: 8170099, buildFlavor: "default", buildType: "docker",
		buildHash: "2b6a7fed44faa321997703718f07ee0420804b41", buildDate: "2024-12-11T12:08:05.663969764Z",
		lucene: "9.12.0", minWire: "7.17.0", minIndex: "7.0.0", tagline: "You Know, for Search",
		productHeader: true, compatibleWith: []string{"7", "8"}, docTypeInV7: true,
		snapshotRepository: true, snapshotFeatureStates: true, snapshotIndexDetails: true, getSnapshotsTotals: true, repositoryUUID: true,
		getSnapshotParams: []string{"ignore_unavailable", "verbose", "index_details", "index_names", "include_repository", "sort", "size",
			"order", "from_sort_value", "after", "offset", "slm_policy_filter", "state"},
		deleteSnapshotParams: []string{"wait_for_completion"},
		timeoutParams:        []string{"master_timeout", "timeout", "local"},
	},
	OpenSearch2: {
		engine: OpenSearch2, product: "OpenSearch", distribution: "opensearch",
		version: "2.19.1", versionID: 136407927, buildType: "tar",
		buildHash: "2e4741fb45d1b150aaeeadf66d41445b23ff5982", buildDate: "2025-02-27T01:16:47.726162386Z",
		lucene: "9.12.1", minWire: "7.10.0", minIndex: "7.0.0", tagline: "The OpenSearch Project: https://opensearch.org/",
		securityText: true, remoteStoreShallow: true,
		getSnapshotParams: []string{"ignore_unavailable", "verbose"},
		timeoutParams:     []string{"master_timeout", "cluster_manager_timeout", "timeout", "local"},
	},
}

// info is GET / as the engine answers it.
func (d *dialect) info(clusterUUID string) obj {
	v := obj{}
	if d.distribution != "" {
		v = v.set("distribution", d.distribution)
	}
	v = v.set("number", d.version)
	if d.buildFlavor != "" {
		v = v.set("build_flavor", d.buildFlavor)
	}
	v = v.set("build_type", d.buildType).set("build_hash", d.buildHash).set("build_date", d.buildDate).
		set("build_snapshot", false).set("lucene_version", d.lucene).
		set("minimum_wire_compatibility_version", d.minWire).set("minimum_index_compatibility_version", d.minIndex)
	return obj{{"name", nodeName}, {"cluster_name", clusterName}, {"cluster_uuid", clusterUUID}, {"version", v}, {"tagline", d.tagline}}
}

// compatible-with media types: application/vnd.elasticsearch+json;compatible-with=N.
const vndJSON = "application/vnd.elasticsearch+json"

// mediaVersion reads the compatible-with of a header value; "" when none.
func mediaVersion(v string) string {
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "application/vnd.elasticsearch+") {
		return ""
	}
	for _, p := range strings.Split(v, ";") {
		k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "compatible-with") {
			return strings.TrimSpace(val)
		}
	}
	return ""
}

// negotiate checks a request's Accept and Content-Type as the engine does,
// and returns the compatible-with version to answer with ("" for plain
// JSON). Elasticsearch 8 (RestCompatibleVersionHelper) refuses a version it
// does not know and an Accept and Content-Type that ask for different ones.
func (d *dialect) negotiate(r *http.Request, hasBody bool) (string, *esError) {
	if len(d.compatibleWith) == 0 {
		return "", nil
	}
	accept, ctype := mediaVersion(r.Header.Get("Accept")), mediaVersion(r.Header.Get("Content-Type"))
	for _, h := range []struct{ name, v string }{{"Accept", accept}, {"Content-Type", ctype}} {
		if h.v != "" && !contains(d.compatibleWith, h.v) {
			return "", d.mediaTypeError(r, h.name)
		}
	}
	if d.engine != Elasticsearch717 && hasBody && (accept != "") != (ctype != "") && r.Header.Get("Accept") != "" {
		return "", d.mediaTypeError(r, "Accept")
	}
	return accept, nil
}

func (d *dialect) mediaTypeError(r *http.Request, header string) *esError {
	return newError(http.StatusBadRequest, "media_type_header_exception", "Invalid media-type value on headers ["+header+"]",
		kv{"caused_by", obj{{"type", "status_exception"}, {"reason", "A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=" +
			r.Header.Get("Accept") + ", Content-Type=" + r.Header.Get("Content-Type")}}})
}

// contentType is the Content-Type of a JSON answer.
func (d *dialect) contentType(compat string) string {
	if compat != "" && d.engine != Elasticsearch717 {
		return vndJSON + ";compatible-with=" + compat
	}
	return "application/json; charset=UTF-8"
}

// withDocType says whether document answers carry "_type".
func (d *dialect) withDocType(compat string) bool {
	return d.docType || (d.docTypeInV7 && compat == "7")
}

// params joins parameter lists.
func params(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	sort.Strings(out)
	return out
}

// infoOptions limits what a request asked of snapshot info to what the
// engine writes.
func (d *dialect) infoOptions(o infoOptions) infoOptions {
	o.includeRepo = o.includeRepo && d.snapshotRepository
	o.indexDetails = o.indexDetails && d.snapshotIndexDetails
	o.featureStates = d.snapshotFeatureStates
	o.remoteStoreShallow = d.remoteStoreShallow
	return o
}
