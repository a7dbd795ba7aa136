// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
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
// Every Elasticsearch 8 and OpenSearch 2 fact below names where it comes
// from. "ES 8.x" is elastic/elasticsearch on its 8.x branches (the index of
// public sources this was checked against holds 8.x files by content, not by
// tag: the file named was read at a commit whose content belongs to 8.x),
// "OS 2.x" likewise opensearch-project/OpenSearch. The GET / values of a
// release come from what that release answers (its docker image's labels and
// GET / outputs of it), which no source file holds.
type dialect struct {
	engine Engine

	// GET / (server/.../action/main/MainResponse.java, RestMainAction.java).
	product       string // "Elasticsearch" or "OpenSearch", for messages
	distribution  string // version.distribution; empty: not written
	version       string
	versionID     int    // what snapshots write as version_id and indices as index.version.created
	buildFlavor   string // version.build_flavor; empty: not written
	buildType     string
	buildHash     string
	buildDate     string
	lucene        string
	minWire       string
	minIndex      string
	tagline       string
	productHeader bool // X-Elastic-Product: Elasticsearch on every answer
	// maxHeaderSize is http.max_header_size; 0: 8kb (Elasticsearch 7.x,
	// OpenSearch). Elasticsearch 8.4 raised the default to 16kb.
	maxHeaderSize int

	// compatibleWith lists the N of the media types
	// application/vnd.elasticsearch+json;compatible-with=N the engine takes
	// and answers with; none: the engine reads them as plain JSON and
	// answers application/json.
	compatibleWith []string
	// strictCompat is RestCompatibleVersionHelper of 8.x: the four checks of
	// Accept and Content-Type versions, reported as a
	// media_type_header_exception on [Accept, Content-Type].
	strictCompat bool
	// jsonType is the Content-Type of a plain JSON answer.
	jsonType string
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
	// tierPreference: a new index carries
	// index.routing.allocation.include._tier_preference: data_content
	// (DataTier, x-pack core, Elasticsearch 7.10+; OpenSearch, built from
	// the Apache 2.0 sources, has no x-pack and no data tiers).
	tierPreference bool
	// nameInUseType is the error type of creating a snapshot whose name is
	// taken (already exists, or already in-progress).
	nameInUseType string

	// Parameters beyond the 7.17 set; removed ones.
	getSnapshotParams    []string
	deleteSnapshotParams []string
	timeoutParams        []string
	// getSnapshotTimeouts, when set, replaces timeoutParams on get
	// snapshots (the engine's RestGetSnapshotsAction takes no timeout or
	// local).
	getSnapshotTimeouts []string

	// Disk: GET _cat/allocation and GET _cluster/settings (allocation.go,
	// clustersettings.go). masterTimeouts are the master-node timeout
	// parameters of both handlers.
	masterTimeouts []string
	// allocationTimeout: OpenSearch's RestAllocationAction also reads
	// "timeout" (statsRequest.timeout(request.param("timeout"))).
	allocationTimeout bool
	// allocationForecasts: the columns of Elasticsearch 8.14+
	// (shards.undesired, write_load.forecast, disk.indices.forecast) and
	// node.role, shown by default since 8.12.
	allocationForecasts bool
	// diskDefaults are the cluster.routing.allocation.disk.* defaults
	// GET _cluster/settings?include_defaults answers.
	diskDefaults map[string]string
}

var dialects = map[Engine]*dialect{
	// Elasticsearch 7.17: the 7.17 branch, as the rest of the emulator (not
	// re-checked here).
	Elasticsearch717: {
		engine: Elasticsearch717, product: "Elasticsearch",
		version: "7.17.18", versionID: 7171899, buildFlavor: "default", buildType: "docker",
		buildHash: "8682172c2130b9a411b1bd5ff37c9792367de6b0", buildDate: "2024-02-02T12:04:59.691750271Z",
		lucene: "8.11.1", minWire: "6.8.0", minIndex: "6.0.0-beta1", tagline: "You Know, for Search",
		productHeader: true, compatibleWith: []string{"7"}, jsonType: "application/json; charset=UTF-8", docType: true,
		snapshotRepository: true, snapshotFeatureStates: true, snapshotIndexDetails: true, getSnapshotsTotals: true, repositoryUUID: true,
		getSnapshotParams: []string{"ignore_unavailable", "verbose", "index_details", "include_repository", "sort", "size", "order",
			"from_sort_value", "after", "offset", "slm_policy_filter"},
		timeoutParams: []string{"master_timeout", "timeout", "local"},
		nameInUseType: "invalid_snapshot_name_exception", tierPreference: true,
		masterTimeouts: []string{"master_timeout"},
		diskDefaults:   diskDefaults717,
	},
	Elasticsearch8: {
		engine: Elasticsearch8, product: "Elasticsearch",
		// GET / of 8.17.0 (docker): number, build_type, build_hash
		// (org.label-schema.vcs-ref of the docker.elastic.co image 8.17.0),
		// build_date (org.opencontainers.image.created), lucene, minimum
		// wire and index versions, as 8.17.0 answers them.
		version: "8.17.0", buildFlavor: "default", buildType: "docker",
		buildHash: "2b6a7fed44faa321997703718f07ee0420804b41", buildDate: "2024-12-11T12:08:05.663969764Z",
		lucene: "9.12.0", minWire: "7.17.0", minIndex: "7.0.0", tagline: "You Know, for Search",
		// Since 8.11 a snapshot's version_id and an index's
		// index.version.created are the IndexVersion id, no longer the
		// release id (8170099): 8.17.0 is IndexVersion 8521000
		// (server/src/main/resources/org/elasticsearch/index/IndexVersions.csv,
		// "8.17.0,8521000"); SnapshotInfo.toXContentExternal writes
		// version_id = version.id() and version = version.toReleaseVersion(),
		// "8.17.0" (as 8.19 answers "version_id": 8536000, "version":
		// "8.19.0-8.19.2").
		versionID: 8521000,
		// RestController: X-Elastic-Product: Elasticsearch on every answer.
		productHeader: true,
		// HttpTransportSettings.SETTING_HTTP_MAX_HEADER_SIZE: 16kb since 8.4.
		maxHeaderSize: maxHeaderSize16K,
		// RestCompatibleVersionHelper (8.x, RestApiVersion): current 8,
		// minimum supported 7.
		compatibleWith: []string{"7", "8"}, strictCompat: true,
		// XContentType.JSON of 8.x answers "content-type: application/json"
		// (no charset, unlike 7.x); a compatible request is answered
		// "application/vnd.elasticsearch+json;compatible-with=N".
		jsonType: "application/json",
		// RestGetAction / RestIndexAction: "_type" only under
		// RestApiVersion.V_7.
		docTypeInV7:        true,
		snapshotRepository: true, snapshotFeatureStates: true, snapshotIndexDetails: true, getSnapshotsTotals: true, repositoryUUID: true,
		// RestGetSnapshotsAction (8.x): ignore_unavailable, verbose, sort,
		// size, offset, after, from_sort_value, slm_policy_filter, order,
		// index_names, master_timeout; response params index_details,
		// include_repository, index_names. rest-api-spec
		// api/snapshot.get.json (8.19) lists the same. "state" came in
		// 9.1 (elasticsearch#128635), not 8.x.
		getSnapshotParams: []string{"ignore_unavailable", "verbose", "index_details", "index_names", "include_repository", "sort", "size",
			"order", "from_sort_value", "after", "offset", "slm_policy_filter"},
		getSnapshotTimeouts: []string{"master_timeout"},
		// api/snapshot.delete.json (8.19): master_timeout,
		// wait_for_completion (default true); test/snapshot.delete/
		// 10_basic.yml: "wait_for_completion parameter was introduced in
		// 8.15".
		deleteSnapshotParams: []string{"wait_for_completion"},
		timeoutParams:        []string{"master_timeout", "timeout", "local"},
		// SnapshotsService (8.x) throws SnapshotNameAlreadyInUseException
		// (a subclass of InvalidSnapshotNameException, same 400 and reason,
		// registered as ElasticsearchException id 165, before 8.17) for
		// "snapshot with the same name already exists" and "... is already
		// in-progress": the REST type is its own.
		nameInUseType:  "snapshot_name_already_in_use_exception",
		tierPreference: true,
		masterTimeouts: []string{"master_timeout"}, allocationForecasts: true,
		diskDefaults: diskDefaults8,
	},
	OpenSearch2: {
		engine: OpenSearch2, product: "OpenSearch",
		// GET / of 2.19.1: MainResponse writes version.distribution
		// "opensearch" and no build_flavor; build_hash is the 2.19.1
		// release's; build_date differs between the 2.19.1 artifacts
		// (01:16:47.726162386Z and 01:22:24.665339607Z are both
		// answered); lucene 9.12.1, wire 7.10.0, index 7.0.0; tagline "The
		// OpenSearch Project: https://opensearch.org/".
		distribution: "opensearch", version: "2.19.1", buildType: "tar",
		buildHash: "2e4741fb45d1b150aaeeadf66d41445b23ff5982", buildDate: "2025-02-27T01:16:47.726162386Z",
		lucene: "9.12.1", minWire: "7.10.0", minIndex: "7.0.0", tagline: "The OpenSearch Project: https://opensearch.org/",
		// Version.java: an OpenSearch id is the release id XOR
		// MASK (0x08000000): 2.19.1 is 2190199 ^ 134217728 = 136407927;
		// SnapshotInfo writes version_id = version.id.
		versionID: 136407927,
		// No product header, no compatible-with media types (OpenSearch
		// never had the X-Elastic-Product header nor vendor media types).
		jsonType: "application/json; charset=UTF-8",
		// The security plugin's 401: text "Unauthorized", realm
		// "OpenSearch Security".
		securityText: true,
		// SnapshotInfo.toXContent (OS 2.x): snapshot, uuid, version_id,
		// version, remote_store_index_shallow_copy (when not null: every
		// snapshot taken by 2.9+), pinned_timestamp (only when not 0),
		// indices, data_streams, include_global_state, metadata, state, ...,
		// failures, shards; no repository, feature_states or index_details.
		// GetSnapshotsResponse: "snapshots" only.
		remoteStoreShallow: true,
		// RestGetSnapshotsAction (OS 2.x) and api/snapshot.get.json:
		// ignore_unavailable, verbose, master_timeout (deprecated),
		// cluster_manager_timeout.
		getSnapshotParams:   []string{"ignore_unavailable", "verbose"},
		getSnapshotTimeouts: []string{"master_timeout", "cluster_manager_timeout"},
		// api/snapshot.delete.json (OS 2.x): master_timeout,
		// cluster_manager_timeout; no wait_for_completion.
		timeoutParams: []string{"master_timeout", "cluster_manager_timeout", "timeout", "local"},
		// SnapshotsService (OS 2.x): InvalidSnapshotNameException.
		nameInUseType: "invalid_snapshot_name_exception",
		// RestAllocationAction and RestClusterGetSettingsAction (OS 2.x):
		// cluster_manager_timeout, and master_timeout (deprecated).
		masterTimeouts: []string{"master_timeout", "cluster_manager_timeout"}, allocationTimeout: true,
		diskDefaults: diskDefaultsOpenSearch2,
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

// mediaType is a header value as Elasticsearch parses it
// (org.elasticsearch.xcontent.ParsedMediaType, libs/x-content, ES 8.x; the
// 7.17 class has the same rules): type and subtype, lower case, and the
// parameters, names and values lower case.
type mediaType struct {
	raw      string
	typ, sub string
	params   map[string]string
}

// String is ParsedMediaType.toString, the header value as sent; a header
// that parsed to nothing (none, or a media range) is Java's null, which
// LoggerMessageFormat writes as "null"
// (server/.../common/logging/LoggerMessageFormat.java, deeplyAppendParameter).
func (m *mediaType) String() string {
	if m == nil {
		return "null"
	}
	return m.raw
}

// parseMediaType is ParsedMediaType.parseMediaType (ES 8.x): a value with a
// comma is a media range and, like "*/*", parses to nil: "treated as not
// provided" (isMediaRange is headerValue.contains(","); ParsedMediaTypeTests
// .testIgnoredMediaTypes: "text/html, image/gif, image/jpeg, *; q=.2, */*;
// q=.2" and a browser's Accept are null). Otherwise one type/subtype of
// RFC 7230 tchars and parameters name=value, with no space around the "=";
// anything else is an IllegalArgumentException, whose message it returns.
func parseMediaType(v string) (*mediaType, string) {
	if strings.Contains(v, ",") || v == "*/*" {
		return nil, ""
	}
	elements := javaSplit(strings.ToLower(v), ";")
	var split []string
	if len(elements) > 0 {
		split = javaSplit(elements[0], "/")
	}
	if len(split) != 2 || !isTchars(javaTrim(split[0])) || !isTchars(javaTrim(split[1])) {
		return nil, "invalid media-type [" + v + "]"
	}
	m := &mediaType{raw: v, typ: javaTrim(split[0]), sub: javaTrim(split[1]), params: map[string]string{}}
	for _, e := range elements[1:] {
		p := javaTrim(e)
		if p == "" {
			continue
		}
		// "spaces are allowed between parameters, but not between '=' sign"
		kv := javaSplit(p, "=")
		if len(kv) != 2 || kv[0] == "" || isJavaSpace(kv[0][len(kv[0])-1]) || kv[1] == "" || isJavaSpace(kv[1][0]) {
			return nil, "invalid parameters for header [" + v + "]"
		}
		m.params[javaTrim(kv[0])] = javaTrim(kv[1])
	}
	return m, ""
}

// javaSplit is Java's String.split with a literal one-character separator:
// trailing empty strings are dropped.
func javaSplit(s, sep string) []string {
	parts := strings.Split(s, sep)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// javaTrim is String.trim: every char up to ' ' off both ends.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// isJavaSpace is Character.isWhitespace for ASCII.
func isJavaSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c >= 0x1c && c <= 0x1f
}

// isTchars matches ParsedMediaType's TCHAR_PATTERN
// [a-zA-Z0-9!#$%&'*+\-.\^_`|~]+ (RFC 7230 section 3.2.6).
func isTchars(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return true
}

func isTchar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// headerMediaType is RestRequest.parseHeaderWithMediaType (ES 8.x): no
// header is nil; more than one, or one without text, is refused (the
// IllegalArgumentException's message); else parseMediaType.
func headerMediaType(r *http.Request, name string) (*mediaType, string) {
	values := r.Header.Values(name)
	switch {
	case len(values) == 0:
		return nil, ""
	case len(values) > 1:
		return nil, "Incorrect header [" + name + "]. Only one value should be provided"
	case javaTrim(values[0]) == "":
		return nil, "Header [" + name + "] cannot be empty."
	}
	return parseMediaType(values[0])
}

// compatibleWith is RestCompatibleVersionHelper.parseVersion: the
// compatible-with parameter, read by Byte.parseByte ("" when none). A value
// that is no byte stays as sent.
func (m *mediaType) compatibleWith() string {
	if m == nil {
		return ""
	}
	v, ok := m.params["compatible-with"]
	if !ok {
		return ""
	}
	if n, err := strconv.ParseInt(v, 10, 8); err == nil {
		return strconv.Itoa(int(n))
	}
	return v
}

// negotiate checks a request's Accept and Content-Type as the engine does,
// and returns the compatible-with version to answer with ("" for plain
// JSON).
func (d *dialect) negotiate(r *http.Request, hasBody bool) (string, *esError) {
	if len(d.compatibleWith) == 0 {
		// OpenSearch's RestRequest (server/.../org/opensearch/rest/
		// RestRequest.java, OS 2.x) parses Content-Type only; Accept is
		// not read.
		return "", nil
	}
	// RestRequest's constructor (ES 8.x; 7.17 likewise): Accept, then
	// Content-Type, through parseHeaderWithMediaType; an
	// IllegalArgumentException becomes MediaTypeHeaderException(e, header):
	// 400, "Invalid media-type value on headers [<header>]", caused by the
	// illegal_argument_exception.
	accept, illegal := headerMediaType(r, "Accept")
	if illegal != "" {
		return "", d.mediaTypeError("Invalid media-type value on headers [Accept]", "illegal_argument_exception", illegal)
	}
	ctype, illegal := headerMediaType(r, "Content-Type")
	if illegal != "" {
		return "", d.mediaTypeError("Invalid media-type value on headers [Content-Type]", "illegal_argument_exception", illegal)
	}
	if !d.strictCompat {
		// 7.17 reads a version only off its vendor media types.
		acceptH, ctypeH := r.Header.Get("Accept"), r.Header.Get("Content-Type")
		av, cv := accept.vendorVersion(), ctype.vendorVersion()
		for _, h := range []struct{ name, v string }{{"Accept", av}, {"Content-Type", cv}} {
			if h.v != "" && !contains(d.compatibleWith, h.v) {
				return "", d.mediaTypeError("Invalid media-type value on headers ["+h.name+"]", "status_exception", "A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept="+acceptH+", Content-Type="+ctypeH)
			}
		}
		return av, nil
	}
	// RestCompatibleVersionHelper.getCompatibleVersion (8.x): a header
	// without a version (none, or a media range) counts as the current
	// major (8); the Accept version is checked always, the Content-Type one
	// only with a body; then they must match, and be both versioned or both
	// not. The headers are written as ParsedMediaType.toString: as sent, or
	// "null". RestRequest wraps the failure in
	// MediaTypeHeaderException(e, "Accept", "Content-Type"): "Invalid
	// media-type value on headers " + Set.of(...) (a Set.of, whose order
	// varies from one JVM to the next; this is one of its two).
	current, minimum := d.compatibleWith[len(d.compatibleWith)-1], d.compatibleWith[0]
	aVersion, cVersion := accept.compatibleWith(), ctype.compatibleWith()
	av, cv := aVersion, cVersion
	if av == "" {
		av = current
	}
	if cv == "" {
		cv = current
	}
	fail := func(reason string) *esError {
		return d.mediaTypeError("Invalid media-type value on headers [Accept, Content-Type]", "status_exception", reason)
	}
	if !contains(d.compatibleWith, av) {
		return "", fail("Accept version must be either version " + current + " or " + minimum + ", but found " + av + ". Accept=" + accept.String())
	}
	if hasBody {
		if !contains(d.compatibleWith, cv) {
			return "", fail("Content-Type version must be either version " + current + " or " + minimum + ", but found " + cv + ". Content-Type=" + ctype.String())
		}
		if av != cv {
			return "", fail("A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=" + accept.String() + ", Content-Type=" + ctype.String())
		}
		if (aVersion == "") != (cVersion == "") {
			return "", fail("A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version. Accept=" + accept.String() + ", Content-Type=" + ctype.String())
		}
	}
	return aVersion, nil
}

// vendorVersion is the compatible-with of a vendor media type
// (application/vnd.elasticsearch+...); "" for any other.
func (m *mediaType) vendorVersion() string {
	if m == nil || !strings.HasPrefix(m.typ+"/"+m.sub, "application/vnd.elasticsearch+") {
		return ""
	}
	return m.params["compatible-with"]
}

// mediaTypeError is RestRequest.MediaTypeHeaderException as
// RestController.dispatchBadRequest answers it: its root cause is itself
// (ElasticsearchException.guessRootCauses of an exception that is not
// Elasticsearch's), written without the cause; the cause follows as
// caused_by.
func (d *dialect) mediaTypeError(reason, causeType, cause string) *esError {
	return newError(http.StatusBadRequest, "media_type_header_exception", reason,
		kv{"caused_by", obj{{"type", causeType}, {"reason", cause}}})
}

// contentType is the Content-Type of a JSON answer.
func (d *dialect) contentType(compat string) string {
	if compat != "" && d.engine != Elasticsearch717 {
		return vndJSON + ";compatible-with=" + compat
	}
	return d.jsonType
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
