// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// engineClient is the twin's client of the search engine: the web apps
// talk to it over HTTP, as Camunda does.
type engineClient struct {
	base, user, password string
	client               *http.Client

	once       sync.Once
	openSearch bool
}

// errEngine is a failure to reach the engine: Camunda's
// BackupRepositoryConnectionException (→ 502).
type errEngine struct{ err error }

func (e errEngine) Error() string { return e.err.Error() }

func (c *engineClient) do(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.user != "" {
		req.SetBasicAuth(c.user, c.password)
	}
	client := c.client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, errEngine{err}
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, errEngine{err}
	}
	return resp.StatusCode, b, nil
}

// isOpenSearch tells the engine from GET / (version.distribution): the
// OpenSearch repository sends no feature_states.
func (c *engineClient) isOpenSearch(ctx context.Context) bool {
	c.once.Do(func() {
		status, b, err := c.do(ctx, http.MethodGet, "/", nil)
		if err != nil || status != http.StatusOK {
			return
		}
		var info struct {
			Version struct {
				Distribution string `json:"distribution"`
			} `json:"version"`
		}
		_ = json.Unmarshal(b, &info)
		c.openSearch = info.Version.Distribution == "opensearch"
	})
	return c.openSearch
}

// engineSnapshot is what the twin reads of a snapshot.
type engineSnapshot struct {
	Snapshot  string         `json:"snapshot"`
	State     string         `json:"state"`
	Metadata  map[string]any `json:"metadata"`
	StartTime int64          `json:"start_time_in_millis"`
	EndTime   int64          `json:"end_time_in_millis"`
	Failures  []struct {
		Reason string `json:"reason"`
	} `json:"failures"`
}

func (s engineSnapshot) metaInt(k string) (int64, bool) {
	switch v := s.Metadata[k].(type) {
	case float64:
		return int64(v), true
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	}
	return 0, false
}

func (s engineSnapshot) metaString(k string) string {
	v, _ := s.Metadata[k].(string)
	return v
}

// repositoryExists is GET /_snapshot/<repo>: false on 404.
func (c *engineClient) repositoryExists(ctx context.Context, repo string) (bool, error) {
	status, b, err := c.do(ctx, http.MethodGet, "/_snapshot/"+url.PathEscape(repo), nil)
	if err != nil {
		return false, err
	}
	switch status {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, fmt.Errorf("GET /_snapshot/%s: %d %s", repo, status, b)
}

// snapshots is GET /_snapshot/<repo>/<pattern>: none on a 404
// (snapshot_missing_exception).
func (c *engineClient) snapshots(ctx context.Context, repo, pattern string) ([]engineSnapshot, error) {
	status, b, err := c.do(ctx, http.MethodGet, "/_snapshot/"+url.PathEscape(repo)+"/"+pattern, nil)
	if err != nil {
		return nil, err
	}
	if status == http.StatusNotFound {
		if strings.Contains(string(b), "repository_missing_exception") {
			// MissingRepositoryException (→ 404).
			return nil, &webError{errMissingRepo, fmt.Sprintf("No repository with name [%s] could be found.", repo)}
		}
		return nil, nil
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET /_snapshot/%s/%s: %d %s", repo, pattern, status, b)
	}
	var out struct {
		Snapshots []engineSnapshot `json:"snapshots"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out.Snapshots, nil
}

// indices is GET /_cat/indices?format=json&h=index.
func (c *engineClient) indices(ctx context.Context) (map[string]bool, error) {
	status, b, err := c.do(ctx, http.MethodGet, "/_cat/indices?format=json&h=index", nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET /_cat/indices: %d %s", status, b)
	}
	var rows []struct {
		Index string `json:"index"`
	}
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rows {
		out[r.Index] = true
	}
	return out, nil
}

// createSnapshot takes one part and waits for it to end:
// ElasticsearchBackupRepository.executeSnapshotting (webapps-backup):
// PUT _snapshot/<repo>/<name>?wait_for_completion=true with the part's
// indices, ignore_unavailable false, the metadata and feature_states
// ["none"] (Elasticsearch only). include_global_state is false (GAP §9.6:
// Camunda's default not read). It returns the state the snapshot ended in.
func (c *engineClient) createSnapshot(ctx context.Context, repo, name string, indices []string, metadata map[string]any) (string, error) {
	body := map[string]any{"indices": indices, "ignore_unavailable": false,
		"include_global_state": false, "metadata": metadata}
	if !c.isOpenSearch(ctx) {
		body["feature_states"] = []string{"none"}
	}
	status, b, err := c.do(ctx, http.MethodPut, "/_snapshot/"+url.PathEscape(repo)+"/"+url.PathEscape(name)+"?wait_for_completion=true", body)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("PUT /_snapshot/%s/%s: %d %s", repo, name, status, b)
	}
	var out struct {
		Snapshot engineSnapshot `json:"snapshot"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return "", err
	}
	return out.Snapshot.State, nil
}

// deleteSnapshot is DELETE /_snapshot/<repo>/<name>; a missing one is no
// error (Camunda only logs it).
func (c *engineClient) deleteSnapshot(ctx context.Context, repo, name string) error {
	status, b, err := c.do(ctx, http.MethodDelete, "/_snapshot/"+url.PathEscape(repo)+"/"+url.PathEscape(name), nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK && status != http.StatusNotFound {
		return fmt.Errorf("DELETE /_snapshot/%s/%s: %d %s", repo, name, status, b)
	}
	return nil
}

// failSnapshot asks the engine emulator to end this snapshot FAILED (its
// control POST /_emulator/faults/snapshot): how FailNextWebapps makes a
// web apps backup fail for real.
func (c *engineClient) failSnapshot(ctx context.Context, name, reason string) error {
	status, b, err := c.do(ctx, http.MethodPost, "/_emulator/faults/snapshot",
		map[string]any{"snapshot": name, "state": "FAILED", "reason": reason})
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("POST /_emulator/faults/snapshot: %d %s", status, b)
	}
	return nil
}
