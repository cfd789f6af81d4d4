package blob

import (
	"bytes"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/blob/blobtest"
)

func TestParseS3(t *testing.T) {
	tests := []struct {
		url  string
		want S3Config
	}{
		{"s3://AK:SK@minio.internal:9000/onewindow",
			S3Config{Endpoint: "minio.internal:9000", Bucket: "onewindow", AccessKey: "AK", SecretKey: "SK", UseSSL: true}},
		{"s3://AK:SK@minio.internal:9000/onewindow/hall-1/uploads?ssl=false&region=cn-east-1",
			S3Config{Endpoint: "minio.internal:9000", Bucket: "onewindow", Prefix: "hall-1/uploads", AccessKey: "AK", SecretKey: "SK", Region: "cn-east-1"}},
		{"s3://AK:a%2Fb%2Bc%40d%3Ae@oss-cn-hangzhou.aliyuncs.com/bucket/?ssl=true",
			S3Config{Endpoint: "oss-cn-hangzhou.aliyuncs.com", Bucket: "bucket", AccessKey: "AK", SecretKey: "a/b+c@d:e", UseSSL: true}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseS3(u)
			if err != nil {
				t.Fatalf("parseS3: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	t.Run("a path is a folder", func(t *testing.T) {
		root := filepath.Join(dir, "files")
		s, err := Open(root)
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := s.(*Dir); !ok || d.Root() != root {
			t.Errorf("Open(%q) = %#v, want a Dir there", root, s)
		}
	})
	t.Run("a file URL is a folder", func(t *testing.T) {
		root := filepath.ToSlash(filepath.Join(dir, "by-url"))
		s, err := Open("file://" + root)
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := s.(*Dir); !ok || filepath.ToSlash(d.Root()) != root {
			t.Errorf("got %#v, want a Dir at %s", s, root)
		}
	})
	t.Run("empty is the default folder", func(t *testing.T) {
		t.Chdir(dir)
		s, err := Open("")
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := s.(*Dir); !ok || d.Root() != DefaultDir {
			t.Errorf("Open(\"\") = %#v, want a Dir at %s", s, DefaultDir)
		}
	})
	t.Run("an s3 URL is a bucket", func(t *testing.T) {
		fake := blobtest.NewS3(t, "onewindow", "AKOPEN")
		s, err := Open("s3://AKOPEN:se%2Fcret@" + fake.Endpoint() + "/onewindow/hall-1?ssl=false&region=cn-north-1")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.(*S3); !ok {
			t.Fatalf("got %#v, want an S3", s)
		}
		key := "2026/11/25/" + sum64
		if err := s.Put(t.Context(), key, bytes.NewReader(pdfBytes), int64(len(pdfBytes)), PDF); err != nil {
			t.Fatal(err)
		}
		if _, _, ok := fake.Object("hall-1/" + key); !ok {
			t.Error("the object is not under the URL's prefix")
		}
		if got := get(t, s, key); !bytes.Equal(got, pdfBytes) {
			t.Errorf("Get = %q", got)
		}
	})

	refused := []string{
		"s3://minio.internal/onewindow",                        // no keys
		"s3://AK@minio.internal/onewindow",                     // no secret
		"s3://AK:hunter2pw@/onewindow",                         // no host
		"s3://AK:hunter2pw@minio.internal",                     // no bucket
		"s3://AK:hunter2pw@minio.internal/",                    // no bucket
		"s3://AK:hunter2pw@minio.internal/Bad_Bucket",          // not a bucket name
		"s3://AK:hunter2pw@minio.internal/b/../x",              // bad prefix
		"s3://AK:hunter2pw@minio.internal/b?ssl=maybe",         // bad ssl
		"s3://AK:hunter2pw@minio.internal/b?sll=false",         // a typo
		"s3://AK:hunter/2pw@minio.internal/b",                  // an unescaped "/" in the secret
		"http://minio.internal/bucket",                         // not a scheme we know
		"file://otherhost/var/files",                           // not this machine
		"gs://AK:hunter2pw@storage.googleapis.com/onewindow/x", // not a scheme we know
	}
	for _, loc := range refused {
		t.Run(loc, func(t *testing.T) {
			s, err := Open(loc)
			if err == nil {
				t.Fatalf("Open(%q) = %#v, want an error", loc, s)
			}
			for _, secret := range []string{"hunter2pw", "hunter/2pw", "2pw"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error repeats the secret key: %v", err)
				}
			}
		})
	}
}

func TestParseS3PlainSecret(t *testing.T) {
	// Characters a URL's user info may hold as they are.
	u, err := url.Parse("s3://AK:a+b@c:d=e@minio.internal/b")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := parseS3(u)
	if err != nil || cfg.SecretKey != "a+b@c:d=e" || cfg.Endpoint != "minio.internal" {
		t.Errorf("got %+v, %v", cfg, err)
	}
}
