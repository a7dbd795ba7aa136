// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package awsauth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/awsauth"
)

const keyID, secret, token = "AKIAAWSAUTH0000TEST1", "awsauth/secret+key0", "awsauth-session-token-0"

// The values to mask are the secret access key and the session token of the
// credentials that signed, nothing else (the access key id is what the
// messages name); none is known before the first signature.
func TestSecretsAreTheSecretKeyAndTheSessionToken(t *testing.T) {
	acctest.AWSEnv(t, keyID, secret, token)
	s, err := awsauth.New(context.Background(), awsauth.Config{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Secrets(); len(got) != 0 {
		t.Fatalf("before any signature Secrets() = %q, want none", got)
	}
	if got := s.Describe(); !strings.Contains(got, "(not retrieved yet)") {
		t.Fatalf("before any signature Describe() = %q", got)
	}
	req := httptest.NewRequest(http.MethodGet, "https://search-optimize.eu-west-1.es.amazonaws.com/_snapshot/backups", nil)
	if err := s.SignRequest(req); err != nil {
		t.Fatal(err)
	}
	got := s.Secrets()
	slices.Sort(got)
	want := []string{secret, token}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("Secrets() = %q, want the secret key and the session token %q", got, want)
	}
	if slices.Contains(got, keyID) {
		t.Fatalf("Secrets() holds the access key id: %q", got)
	}
	describe := s.Describe()
	if want := "AWS Signature Version 4 (service es) with access key id " + keyID + " in region eu-west-1"; describe != want {
		t.Fatalf("Describe() = %q, want %q", describe, want)
	}
	// What was signed with them: the session token is sent, the secret never.
	if got := req.Header.Get("X-Amz-Security-Token"); got != token {
		t.Fatalf("X-Amz-Security-Token = %q, want the session token", got)
	}
	auth := req.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+keyID+"/") || !strings.Contains(auth, "/eu-west-1/es/aws4_request") {
		t.Fatalf("Authorization = %q", auth)
	}
	for name, values := range req.Header {
		for _, v := range values {
			if strings.Contains(v, secret) {
				t.Fatalf("header %s carries the secret key", name)
			}
		}
	}
}

// Without a session token (long-term keys), the secret key alone is masked.
func TestSecretsWithoutSessionToken(t *testing.T) {
	acctest.AWSEnv(t, keyID, secret, "")
	s, err := awsauth.New(context.Background(), awsauth.Config{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SignRequest(httptest.NewRequest(http.MethodGet, "https://domain.example/", nil)); err != nil {
		t.Fatal(err)
	}
	if got := s.Secrets(); !slices.Equal(got, []string{secret}) {
		t.Fatalf("Secrets() = %q, want only the secret key", got)
	}
}

// Transport signs a copy of each request: the caller's stays unsigned.
func TestTransportSignsEveryRequest(t *testing.T) {
	acctest.AWSEnv(t, keyID, secret, token)
	s, err := awsauth.New(context.Background(), awsauth.Config{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	var seen http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { seen = r.Header.Clone() }))
	defer srv.Close()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/", nil)
	res, err := (&http.Client{Transport: s.Transport(http.DefaultTransport)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if !strings.HasPrefix(seen.Get("Authorization"), "AWS4-HMAC-SHA256 ") || seen.Get("X-Amz-Security-Token") != token || seen.Get("X-Amz-Date") == "" {
		t.Fatalf("the server got %v", seen)
	}
	if req.Header.Get("Authorization") != "" {
		t.Fatal("the caller's request was signed in place")
	}
}

// No region, no credentials: each error says what to set.
func TestNoRegionNoCredentials(t *testing.T) {
	acctest.AWSEnv(t, "", "", "")
	if _, err := awsauth.New(context.Background(), awsauth.Config{}); err == nil || !strings.Contains(err.Error(), "set elasticsearch.aws.region") {
		t.Fatalf("no region: %v", err)
	}
	s, err := awsauth.New(context.Background(), awsauth.Config{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	err = s.SignRequest(httptest.NewRequest(http.MethodGet, "https://domain.example/", nil))
	if err == nil || !strings.Contains(err.Error(), "no AWS credentials for signing (region eu-west-1)") || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
		t.Fatalf("no credentials: %v", err)
	}
}
