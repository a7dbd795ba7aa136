// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"fmt"
	"net/http"
	"strings"
)

// The management ports' actuators.

// OperateHandler is 8.6/8.7 Operate's management port: /actuator/backups.
func (t *Twin) OperateHandler() http.Handler {
	mux := http.NewServeMux()
	t.webappsActuator(mux, "/actuator/backups", operate, t.webapps["operate"])
	return springRouting(mux)
}

// TasklistHandler is 8.6/8.7 Tasklist's management port: /actuator/backups.
func (t *Twin) TasklistHandler() http.Handler {
	mux := http.NewServeMux()
	t.webappsActuator(mux, "/actuator/backups", tasklist, t.webapps["tasklist"])
	return springRouting(mux)
}

// ZeebeHandler is 8.6/8.7 Zeebe's gateway management port:
// /actuator/backups and /actuator/exporting.
func (t *Twin) ZeebeHandler() http.Handler {
	mux := http.NewServeMux()
	t.zeebeActuator(mux, "/actuator/backups")
	t.exportingActuator(mux)
	return springRouting(mux)
}

// ManagementHandler is the 8.8+ management port: /actuator/backupHistory,
// /actuator/backupRuntime, /actuator/exporting; 8.10 also serves /v2 (and
// the token endpoint) on it.
func (t *Twin) ManagementHandler() http.Handler {
	mux := http.NewServeMux()
	t.webappsActuator(mux, "/actuator/backupHistory", webapps, t.webapps["webapps"])
	t.zeebeActuator(mux, "/actuator/backupRuntime")
	t.exportingActuator(mux)
	if t.minor >= 10 {
		t.v2(mux)
	}
	return springRouting(mux)
}

// webappsError answers a backup service exception as each controller does:
//   - 8.8+ backupHistory (dist/.../webapps/controllers/BackupController.mapErrorResponse):
//     {"message": …}; InvalidRequestException 400, ResourceNotFoundException
//     and MissingRepositoryException 404, BackupRepositoryConnectionException
//     502, else 500.
//   - 8.6/8.7 Operate (BackupController extends api.v1 ErrorController):
//     {"type","instance","status","message"} as application/problem+json,
//     with the documented statuses (GAP §9.3: the catch-all handler may
//     answer 400 where the docs say 404/502; type here is the exception's
//     class name, unverified).
//   - 8.6/8.7 Tasklist (ManagementAPIErrorController): {"status","message",
//     "instance"} as application/problem+json.
func webappsError(w http.ResponseWriter, r *http.Request, k appKind, err error) {
	we := asWebError(err)
	status, class := http.StatusInternalServerError, "OperateRuntimeException"
	switch we.kind {
	case errInvalid, errDuplicate:
		status, class = http.StatusBadRequest, "InvalidRequestException"
	case errNotFound, errMissingRepo:
		status, class = http.StatusNotFound, "NotFoundException"
	case errConnection:
		status, class = http.StatusBadGateway, "OperateElasticsearchConnectionException"
	}
	switch k {
	case operate:
		writeJSON(w, "application/problem+json", status, struct {
			Type     string `json:"type"`
			Instance string `json:"instance"`
			Status   int    `json:"status"`
			Message  string `json:"message"`
		}{class, uuid(), status, we.msg})
	case tasklist:
		writeJSON(w, "application/problem+json", status, struct {
			Status   int    `json:"status"`
			Message  string `json:"message"`
			Instance string `json:"instance"`
		}{status, we.msg, uuid()})
	default:
		actuatorMessage(w, r, status, we.msg)
	}
}

// webappsActuator serves the web apps' backups under base: POST (take),
// GET (list), GET /{id}, DELETE /{id}.
func (t *Twin) webappsActuator(mux *http.ServeMux, base string, k appKind, app *webappsApp) {
	// Operate's and Tasklist's @RestControllerEndpoint answers JSON as
	// Spring MVC does; backupHistory is a @WebEndpoint.
	answer := func(w http.ResponseWriter, r *http.Request, status int, v any) {
		if k == webapps {
			actuatorJSON(w, r, status, v)
			return
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, "application/json", status, v)
	}
	mux.HandleFunc("POST "+base, func(w http.ResponseWriter, r *http.Request) {
		if !isJSON(r) {
			springError(w, r, http.StatusUnsupportedMediaType)
			return
		}
		id, present, ok := backupIDBody(r)
		if !ok {
			springError(w, r, http.StatusBadRequest)
			return
		}
		if msg := webappsIDError(k, id, present); msg != "" {
			webappsError(w, r, k, &webError{errInvalid, msg})
			return
		}
		names, err := t.takeWebapps(r.Context(), k, app, id)
		if err != nil {
			webappsError(w, r, k, err)
			return
		}
		// 200 {"scheduledSnapshots": […]} (TakeBackupHistoryResponse; the
		// code's default status, though the actuator spec says 202).
		answer(w, r, http.StatusOK, map[string][]string{"scheduledSnapshots": names})
	})
	mux.HandleFunc("GET "+base, func(w http.ResponseWriter, r *http.Request) {
		list, err := t.webappsList(r.Context(), k)
		if err != nil {
			webappsError(w, r, k, err)
			return
		}
		if k == webapps && t.minor >= 10 {
			answer(w, r, http.StatusOK, withTenants(list))
			return
		}
		answer(w, r, http.StatusOK, list)
	})
	mux.HandleFunc("GET "+base+"/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r.PathValue("id"))
		if !ok {
			springError(w, r, http.StatusBadRequest)
			return
		}
		b, err := t.webappsBackup(r.Context(), k, id)
		if err != nil {
			webappsError(w, r, k, err)
			return
		}
		if k == webapps && t.minor >= 10 {
			answer(w, r, http.StatusOK, withTenants([]HistoryBackup{b})[0])
			return
		}
		answer(w, r, http.StatusOK, b)
	})
	mux.HandleFunc("DELETE "+base+"/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r.PathValue("id"))
		if !ok {
			springError(w, r, http.StatusBadRequest)
			return
		}
		if err := t.deleteWebapps(r.Context(), k, id); err != nil {
			webappsError(w, r, k, err)
			return
		}
		answer(w, r, http.StatusNoContent, nil)
	})
}

// webappsIDError is the controllers' validation of backupId: Operate
// "BackupId must be a non-negative Integer" (< 0), Tasklist "…Long"
// (< 0), 8.8+ backupHistory "…Integer" (<= 0); a missing id "BackupId
// must be provided".
func webappsIDError(k appKind, id int64, present bool) string {
	if !present {
		return "BackupId must be provided"
	}
	switch {
	case k == tasklist && id < 0:
		return fmt.Sprintf("BackupId must be a non-negative Long. Received value: %d", id)
	case k == operate && id < 0, k == webapps && id <= 0:
		return fmt.Sprintf("BackupId must be a non-negative Integer. Received value: %d", id)
	}
	return ""
}

// tenantBackup is 8.10's backupHistory answer: the aggregate plus
// physicalTenants (HistoryBackupTenantInfo); the twin has one tenant,
// "default".
type tenantBackup struct {
	HistoryBackup
	PhysicalTenants []tenantInfo `json:"physicalTenants"`
}

type tenantInfo struct {
	PhysicalTenantID string          `json:"physicalTenantId"`
	State            string          `json:"state"`
	Details          []HistoryDetail `json:"details"`
	FailureReason    *string         `json:"failureReason,omitempty"`
}

func withTenants(list []HistoryBackup) []tenantBackup {
	out := make([]tenantBackup, len(list))
	for i, b := range list {
		out[i] = tenantBackup{b, []tenantInfo{{"default", b.State, b.Details, b.FailureReason}}}
	}
	return out
}

// actuatorPartition is PartitionBackupInfo of the actuator: fields only
// when present (BackupEndpoint; the docs' example omits brokerId).
type actuatorPartition struct {
	PartitionID        int    `json:"partitionId"`
	State              string `json:"state"`
	FailureReason      string `json:"failureReason,omitempty"`
	CreatedAt          string `json:"createdAt,omitempty"`
	LastUpdatedAt      string `json:"lastUpdatedAt,omitempty"`
	SnapshotID         string `json:"snapshotId,omitempty"`
	CheckpointPosition *int64 `json:"checkpointPosition,omitempty"`
	BrokerID           *int   `json:"brokerId,omitempty"`
	BrokerVersion      string `json:"brokerVersion,omitempty"`
}

type actuatorBackup struct {
	BackupID      int64               `json:"backupId"`
	State         string              `json:"state"`
	FailureReason string              `json:"failureReason,omitempty"`
	Details       []actuatorPartition `json:"details"`
}

// actuatorBackupInfo renders a Zeebe backup; list entries carry only
// partitionId, state, failureReason, createdAt and brokerVersion.
func actuatorBackupInfo(b ZeebeBackup, listEntry bool) actuatorBackup {
	out := actuatorBackup{BackupID: b.BackupID, State: b.State, FailureReason: b.FailureReason, Details: []actuatorPartition{}}
	for _, p := range b.Partitions {
		ap := actuatorPartition{PartitionID: p.PartitionID, State: p.State, BrokerVersion: p.BrokerVersion}
		if p.State == StateFailed {
			ap.FailureReason = p.FailureReason
		}
		if p.State != StateDoesNotExist {
			ap.CreatedAt = zeebeTime(p.CreatedAt)
			if !listEntry {
				pos, broker := p.CheckpointPosition, p.BrokerID
				ap.LastUpdatedAt, ap.SnapshotID, ap.CheckpointPosition, ap.BrokerID = zeebeTime(p.LastUpdatedAt), p.SnapshotID, &pos, &broker
			}
		}
		out.Details = append(out.Details, ap)
	}
	return out
}

// zeebeActuator serves Zeebe's backups under base (BackupEndpoint:
// @WebEndpoint "backups" in 8.6/8.7, "backupRuntime" in 8.8+): POST 202,
// GET /{id} 200 or 404, GET list, DELETE /{id} 204; errors {"message": …}
// (mapErrorResponse: BackupAlreadyExistException → 409).
func (t *Twin) zeebeActuator(mux *http.ServeMux, base string) {
	mux.HandleFunc("POST "+base, func(w http.ResponseWriter, r *http.Request) {
		if !isJSON(r) && r.ContentLength != 0 {
			springError(w, r, http.StatusUnsupportedMediaType)
			return
		}
		id, present, ok := backupIDBody(r)
		if !ok {
			springError(w, r, http.StatusBadRequest)
			return
		}
		if !present || id <= 0 {
			actuatorMessage(w, r, http.StatusBadRequest, "A backupId must be provided and it must be > 0")
			return
		}
		t.mu.Lock()
		exists := t.takeZeebeLocked(id)
		t.mu.Unlock()
		if exists != nil {
			if t.minor >= 10 {
				// 8.10: TakeBackupRuntimeResponse keeps backupIds and
				// failureReason on a failure (GAP: with no tenant taken,
				// backupIds is empty here; message repeats the reason).
				actuatorJSON(w, r, http.StatusConflict, map[string]any{"backupIds": map[string]int64{}, "failureReason": exists.message(t.minor), "message": exists.message(t.minor)})
				return
			}
			actuatorMessage(w, r, http.StatusConflict, exists.message(t.minor))
			return
		}
		if t.minor >= 10 {
			actuatorJSON(w, r, http.StatusAccepted, map[string]any{"backupId": id, "backupIds": map[string]int64{"default": id}, "message": scheduledMessage(id)})
			return
		}
		actuatorJSON(w, r, http.StatusAccepted, map[string]string{"message": scheduledMessage(id)})
	})
	mux.HandleFunc("GET "+base, func(w http.ResponseWriter, r *http.Request) {
		out := []actuatorBackup{}
		for _, b := range t.ZeebeBackups() {
			out = append(out, actuatorBackupInfo(b, true))
		}
		actuatorJSON(w, r, http.StatusOK, out)
	})
	mux.HandleFunc("GET "+base+"/{arg}", func(w http.ResponseWriter, r *http.Request) {
		arg := r.PathValue("arg")
		if t.minor >= 8 && arg == "state" {
			t.mu.Lock()
			st := t.runtimeStateLocked()
			t.mu.Unlock()
			actuatorJSON(w, r, http.StatusOK, st)
			return
		}
		if t.minor >= 8 && strings.HasSuffix(arg, "*") {
			// 8.8+: GET /{prefix}* lists by prefix.
			if _, ok := pathID(strings.TrimSuffix(arg, "*")); !ok && arg != "*" {
				actuatorMessage(w, r, http.StatusBadRequest, fmt.Sprintf("Expected a backup ID or prefix ending with '*', but got '%s'.", arg))
				return
			}
			out := []actuatorBackup{}
			for _, b := range t.ZeebeBackups() {
				if strings.HasPrefix(fmt.Sprint(b.BackupID), strings.TrimSuffix(arg, "*")) {
					out = append(out, actuatorBackupInfo(b, true))
				}
			}
			actuatorJSON(w, r, http.StatusOK, out)
			return
		}
		id, ok := pathID(arg)
		if !ok {
			if t.minor >= 8 {
				actuatorMessage(w, r, http.StatusBadRequest, fmt.Sprintf("Expected a backup ID or prefix ending with '*', but got '%s'.", arg))
				return
			}
			springError(w, r, http.StatusBadRequest)
			return
		}
		t.mu.Lock()
		b, found := t.zeebeBackupLocked(id)
		t.mu.Unlock()
		if !found {
			actuatorMessage(w, r, http.StatusNotFound, fmt.Sprintf("Backup with id %d does not exist", id))
			return
		}
		actuatorJSON(w, r, http.StatusOK, actuatorBackupInfo(b, false))
	})
	mux.HandleFunc("DELETE "+base+"/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r.PathValue("id"))
		if !ok {
			springError(w, r, http.StatusBadRequest)
			return
		}
		t.mu.Lock()
		t.deleteZeebeLocked(id)
		t.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
}

// exportingActuator serves POST /actuator/exporting/{pause|resume}
// (ExportingEndpoint, a @RestControllerEndpoint: HTTP 200 with the
// WebEndpointResponse as body). Failure bodies: 8.6–8.9
// {"body":{"message":…},"status":500} (8.8 docs); 8.10 the message string
// (the 8.10-era variant); GAP §9.4/§9.5.
func (t *Twin) exportingActuator(mux *http.ServeMux) {
	mux.HandleFunc("POST /actuator/exporting/{op}", func(w http.ResponseWriter, r *http.Request) {
		soft, ok := softParam(r)
		if !ok {
			springError(w, r, http.StatusBadRequest)
			return
		}
		t.mu.Lock()
		var err error
		switch r.PathValue("op") {
		case "pause":
			t.pauseLocked(soft)
		case "resume":
			err = t.resumeLocked()
		default:
			err = fmt.Errorf("%s", "Operation "+r.PathValue("op")+" is not supported")
		}
		t.mu.Unlock()
		if err != nil {
			if t.minor >= 10 {
				envelope(w, http.StatusInternalServerError, err.Error())
				return
			}
			envelope(w, http.StatusInternalServerError, map[string]string{"message": err.Error()})
			return
		}
		envelope(w, http.StatusNoContent, nil)
	})
}
