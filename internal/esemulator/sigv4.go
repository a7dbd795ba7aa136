// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// AWSAuth makes the emulator an Amazon OpenSearch Service domain with IAM
// access: every request must carry a valid AWS Signature Version 4 of these
// credentials for the region and service "es", as the service checks it
// before the engine sees the request (the AWS Signature Version 4 signing
// process: the canonical request with each path segment URI-encoded again,
// the query sorted, the signed headers, the payload hash; the scope's date,
// region and service; the request time within 5 minutes).
type AWSAuth struct {
	AccessKeyID, SecretAccessKey, SessionToken, Region string
}

// awsMaxSkew is how far the request time may be from the service's clock.
const awsMaxSkew = 5 * time.Minute

// sigv4Error is AWS's answer to a request it refuses: 403 and a message.
type sigv4Error struct {
	key     string // "message", or "Message" for an anonymous request
	message string
}

// checkSigV4 checks r's signature; the body is read and put back.
func (a *AWSAuth) checkSigV4(r *http.Request, now time.Time) *sigv4Error {
	refuse := func(format string, args ...any) *sigv4Error {
		return &sigv4Error{key: "message", message: fmt.Sprintf(format, args...)}
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		action := map[string]string{http.MethodGet: "ESHttpGet", http.MethodHead: "ESHttpHead", http.MethodPut: "ESHttpPut",
			http.MethodPost: "ESHttpPost", http.MethodDelete: "ESHttpDelete", http.MethodPatch: "ESHttpPatch"}[r.Method]
		return &sigv4Error{key: "Message", message: fmt.Sprintf("User: anonymous is not authorized to perform: es:%s because no resource-based policy allows the es:%s action", action, action)}
	}
	algorithm, rest, _ := strings.Cut(auth, " ")
	if algorithm != "AWS4-HMAC-SHA256" {
		return refuse("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=%s", auth)
	}
	params := map[string]string{}
	for _, p := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		params[k] = v
	}
	credential, signedHeaders, signature := params["Credential"], params["SignedHeaders"], params["Signature"]
	scope := strings.Split(credential, "/")
	if credential == "" || signedHeaders == "" || signature == "" || len(scope) != 5 || scope[4] != "aws4_request" {
		return refuse("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=%s", auth)
	}
	if scope[0] != a.AccessKeyID || r.Header.Get("X-Amz-Security-Token") != a.SessionToken {
		return refuse("The security token included in the request is invalid.")
	}
	amzDate := r.Header.Get("X-Amz-Date")
	at, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil {
		return refuse("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if at.Before(now.Add(-awsMaxSkew)) {
		return refuse("Signature expired: %s is now earlier than %s (%s - 5 min.)", amzDate, now.Add(-awsMaxSkew).UTC().Format("20060102T150405Z"), now.UTC().Format("20060102T150405Z"))
	}
	if at.After(now.Add(awsMaxSkew)) {
		return refuse("Signature not yet current: %s is still later than %s (%s + 5 min.)", amzDate, now.Add(awsMaxSkew).UTC().Format("20060102T150405Z"), now.UTC().Format("20060102T150405Z"))
	}
	if scope[1] != amzDate[:8] || scope[2] != a.Region || scope[3] != "es" {
		return refuse("Credential should be scoped to a valid region, not '%s'. Credential should be scoped to correct service: 'es'. ", scope[2])
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	payload := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(payload[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && h != payloadHash {
		return refuse("The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	canonical := strings.Join([]string{
		r.Method,
		canonicalURI(r),
		canonicalQuery(r.URL.RawQuery),
		canonicalHeaders(r, signedHeaders),
		signedHeaders,
		payloadHash,
	}, "\n")
	digest := sha256.Sum256([]byte(canonical))
	toSign := strings.Join([]string{"AWS4-HMAC-SHA256", amzDate, strings.Join(scope[1:], "/"), hex.EncodeToString(digest[:])}, "\n")
	key := hmacSHA256([]byte("AWS4"+a.SecretAccessKey), scope[1])
	for _, part := range scope[2:] {
		key = hmacSHA256(key, part)
	}
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return refuse("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return nil
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// canonicalURI is the path as sent, each segment URI-encoded again (every
// service but S3).
func canonicalURI(r *http.Request) string {
	path := r.URL.EscapedPath()
	if path == "" {
		return "/"
	}
	segments := strings.Split(path, "/")
	for i, s := range segments {
		segments[i] = awsURIEncode(s)
	}
	return strings.Join(segments, "/")
}

// canonicalQuery is the canonical query string of the AWS Signature Version
// 4 signing process ("Create a canonical request", AWS General Reference /
// IAM User Guide): each name and value URI-encoded, the parameters sorted
// by encoded name ("the sorting occurs after encoding") and parameters of
// the same name by value, joined name=value with "&". Not a sort of the
// "name=value" strings: "=" (0x3D) sorts after "-" (0x2D) and "." (0x2E), so
// a=1 comes before a-b=2 by name but after it as a string. aws-sdk-go-v2's
// signer (aws/signer/v4/v4.go, httpSigner.Build: sort.Strings on each key's
// values, then url.Values.Encode, which orders by key) signs it so.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type param struct{ k, v string }
	var params []param
	for _, p := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(p, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			dk, dv = k, v
		}
		params = append(params, param{awsURIEncode(dk), awsURIEncode(dv)})
	}
	sort.Slice(params, func(i, j int) bool {
		if params[i].k != params[j].k {
			return params[i].k < params[j].k
		}
		return params[i].v < params[j].v
	})
	pairs := make([]string, len(params))
	for i, p := range params {
		pairs[i] = p.k + "=" + p.v
	}
	return strings.Join(pairs, "&")
}

// canonicalHeaders are the signed headers, "name:value\n" each, the value
// trimmed and its inner runs of spaces made one.
func canonicalHeaders(r *http.Request, signed string) string {
	var b strings.Builder
	for _, name := range strings.Split(signed, ";") {
		var values []string
		switch name {
		case "host":
			values = []string{r.Host}
		case "content-length":
			values = []string{fmt.Sprint(r.ContentLength)}
		default:
			values = r.Header.Values(name)
		}
		for i, v := range values {
			values[i] = strings.Join(strings.Fields(v), " ")
		}
		b.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}
	return b.String()
}

// awsURIEncode encodes every byte but the unreserved ones (RFC 3986).
func awsURIEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
