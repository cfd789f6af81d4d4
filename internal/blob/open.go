package blob

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// DefaultDir is the folder Open uses when no location is given, next to the
// default SQLite file (data/onewindow.db).
const DefaultDir = "data/files"

// Open returns the Store that location names:
//
//   - "" keeps files in DefaultDir.
//   - A path ("/var/lib/onewindow/files", "data/files", `D:\files`) or a
//     file:// URL ("file:///var/lib/onewindow/files") keeps them in that
//     folder, created if missing (see NewDir).
//   - An s3:// URL keeps them in a bucket (see NewS3).
//
// An s3:// URL reads
//
//	s3://ACCESS:SECRET@host:port/bucket/prefix?ssl=false&region=cn-east-1
//
// The first path segment is the bucket and the rest, if any, the prefix.
// HTTPS is used unless ssl=false; region is optional. A secret key holding
// "/", "?", "#" or "%" must be percent-encoded ("/" as %2F).
//
// Any other scheme is refused, so that a mistyped URL does not quietly
// become a folder of that name. Errors never repeat the secret key.
func Open(location string) (Store, error) {
	if location == "" {
		return NewDir(DefaultDir)
	}
	scheme, _, ok := strings.Cut(location, "://")
	if !ok {
		return NewDir(location)
	}
	u, err := url.Parse(location)
	if err != nil {
		// url.Error repeats the input, secret included; say only what failed.
		return nil, fmt.Errorf("blob: %s:// location is not a valid URL", scheme)
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("blob: %s: a file URL names a folder on this machine (file:///path)", u.Redacted())
		}
		return NewDir(u.Path)
	case "s3":
		cfg, err := parseS3(u)
		if err != nil {
			return nil, err
		}
		return NewS3(cfg)
	}
	return nil, fmt.Errorf("blob: %s: use a folder, file:///folder or s3://ACCESS:SECRET@host/bucket", u.Redacted())
}

// parseS3 reads an s3:// URL into a configuration.
func parseS3(u *url.URL) (S3Config, error) {
	where := u.Redacted()
	cfg := S3Config{Endpoint: u.Host, UseSSL: true}
	if u.User != nil {
		cfg.AccessKey = u.User.Username()
		cfg.SecretKey, _ = u.User.Password()
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return cfg, fmt.Errorf("blob: %s: give the keys as s3://ACCESS:SECRET@host/bucket", where)
	}
	if cfg.Endpoint == "" {
		return cfg, fmt.Errorf("blob: %s: the server's host is missing", where)
	}
	cfg.Bucket, cfg.Prefix, _ = strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if cfg.Bucket == "" {
		return cfg, fmt.Errorf("blob: %s: the bucket is missing (s3://ACCESS:SECRET@host/bucket)", where)
	}
	for name, values := range u.Query() {
		value := values[len(values)-1]
		switch name {
		case "ssl":
			ssl, err := strconv.ParseBool(value)
			if err != nil {
				return cfg, fmt.Errorf("blob: %s: ssl=%q: use true or false", where, value)
			}
			cfg.UseSSL = ssl
		case "region":
			cfg.Region = value
		default:
			return cfg, fmt.Errorf("blob: %s: unknown setting %q (use ssl and region)", where, name)
		}
	}
	return cfg, nil
}
