// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

var sigv4Auth = &esemulator.AWSAuth{AccessKeyID: "AKIAEMULATOR0000TEST", SecretAccessKey: "emulator/secret+key", SessionToken: "emulator-session-token", Region: "eu-west-1"}

// signedGet sends GET pathAndQuery signed by aws-sdk-go-v2's SigV4 signer
// (the one opensearch-go's awsv2 signer wraps) as of at; it returns the
// status and the body.
func signedGet(t *testing.T, srv *esemulator.Server, pathAndQuery string, at time.Time) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+pathAndQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	empty := sha256.Sum256(nil)
	creds := aws.Credentials{AccessKeyID: sigv4Auth.AccessKeyID, SecretAccessKey: sigv4Auth.SecretAccessKey, SessionToken: sigv4Auth.SessionToken}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(empty[:]), "es", sigv4Auth.Region, at); err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func startSigV4(t *testing.T) *esemulator.Server {
	t.Helper()
	srv, err := esemulator.Start(esemulator.Config{Engine: esemulator.OpenSearch2, AWS: sigv4Auth})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// The canonical query string sorts by parameter name, then value: with
// names "a" and "a-b" that differs from sorting the "name=value" strings
// ("a-b=2" < "a=1", '-' before '='), and a request the SDK signed must pass.
func TestSigV4_CanonicalQuerySortsByNameThenValue(t *testing.T) {
	srv := startSigV4(t)
	for _, q := range []string{"?a-b=2&a=1", "?a=1&a-b=2", "?a.b=x&a=y&a=x", "?a_b=1&a=2"} {
		status, body := signedGet(t, srv, "/"+q, time.Now())
		if status == http.StatusForbidden {
			t.Errorf("GET /%s refused: %s", q, body)
		}
	}
	// Still checked: a query changed after signing is refused.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/?a=1", nil)
	empty := sha256.Sum256(nil)
	_ = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: sigv4Auth.AccessKeyID, SecretAccessKey: sigv4Auth.SecretAccessKey, SessionToken: sigv4Auth.SessionToken},
		req, hex.EncodeToString(empty[:]), "es", sigv4Auth.Region, time.Now())
	req.URL.RawQuery = "a=2"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a query changed after signing: %d, want 403", res.StatusCode)
	}
}

// The request time must be within 5 minutes of the service's clock (wall
// time, whatever the emulator's clock offset): 4 minutes either way
// passes, 6 minutes is refused with the service's 403 and message (AWS's
// "Signature expired: <X-Amz-Date> is now earlier than <now - 5 min>
// (<now> - 5 min.)" and "Signature not yet current: <X-Amz-Date> is still
// later than <now + 5 min> (<now> + 5 min.)").
func TestSigV4_RequestTimeWindow(t *testing.T) {
	srv := startSigV4(t)
	const stamp = `(\d{8}T\d{6}Z)`
	for _, c := range []struct {
		name   string
		offset time.Duration
		want   *regexp.Regexp // nil: accepted
		sign   time.Duration  // the skew the message states (minus for expired)
	}{
		{"4 minutes ago", -4 * time.Minute, nil, 0},
		{"4 minutes ahead", 4 * time.Minute, nil, 0},
		{"6 minutes ago", -6 * time.Minute, regexp.MustCompile(`^Signature expired: ` + stamp + ` is now earlier than ` + stamp + ` \(` + stamp + ` - 5 min\.\)$`), -5 * time.Minute},
		{"6 minutes ahead", 6 * time.Minute, regexp.MustCompile(`^Signature not yet current: ` + stamp + ` is still later than ` + stamp + ` \(` + stamp + ` \+ 5 min\.\)$`), 5 * time.Minute},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The clock offset moves stamped times only, never this window.
			srv.SetClockOffset(-time.Hour)
			defer srv.SetClockOffset(0)
			at := time.Now().Add(c.offset).UTC().Truncate(time.Second)
			status, body := signedGet(t, srv, "/", at)
			if c.want == nil {
				if status != http.StatusOK {
					t.Fatalf("%d, want 200: %s", status, body)
				}
				return
			}
			if status != http.StatusForbidden {
				t.Fatalf("%d, want 403: %s", status, body)
			}
			var answer map[string]string
			if err := json.Unmarshal([]byte(body), &answer); err != nil || len(answer) != 1 {
				t.Fatalf("answer %s, want {\"message\": ...}", body)
			}
			m := c.want.FindStringSubmatch(answer["message"])
			if m == nil {
				t.Fatalf("message %q, want %s", answer["message"], c.want)
			}
			parse := func(s string) time.Time { v, _ := time.Parse("20060102T150405Z", s); return v }
			if got := parse(m[1]); !got.Equal(at) {
				t.Errorf("request time %s, want %s", m[1], at.Format("20060102T150405Z"))
			}
			now := parse(m[3])
			if d := time.Since(now); d < -2*time.Second || d > time.Minute {
				t.Errorf("the service's now %s is not the wall clock's", m[3])
			}
			if !parse(m[2]).Equal(now.Add(c.sign)) {
				t.Errorf("limit %s, want %s %v", m[2], m[3], c.sign)
			}
		})
	}
}
