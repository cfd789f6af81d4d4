package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"

	"github.com/onewindow/onewindow/internal/apperr"
)

// S3Config says where an S3 store keeps its files.
type S3Config struct {
	// Endpoint is the server's host and optional port, without a scheme:
	// "minio.internal:9000", "oss-cn-hangzhou.aliyuncs.com".
	Endpoint string
	// Bucket must exist already; the store never creates it.
	Bucket string
	// AccessKey and SecretKey sign every request (AWS signature v4).
	AccessKey, SecretKey string
	// UseSSL talks HTTPS. Leave it off only on a private network.
	UseSSL bool
	// Region is the bucket's region. Empty asks the server once per bucket
	// (GET ?location); set it where that request is not allowed.
	Region string
	// Prefix, if set, is put before every key ("onewindow" keeps the key
	// "2026/11/25/<sum>" as "onewindow/2026/11/25/<sum>"), so that one
	// bucket can serve several systems.
	Prefix string
	// SpoolDir is the local folder uploads wait in while they are received
	// and checked, before they go up in one request (see Receive). Empty
	// means "onewindow-uploads" in the system's temporary folder (TMPDIR).
	SpoolDir string
}

// S3 is a Store on an S3-compatible bucket. The client picks the addressing
// style per endpoint: virtual-hosted for AWS, Aliyun OSS and Google, path
// style (http://host/bucket/key) for everything else, such as MinIO.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string
	spool  string // see S3Config.SpoolDir
}

var _ Store = (*S3)(nil)

// NewS3 returns a Store on the bucket cfg names. It checks the settings but
// does not contact the server; the first Put or Get does.
func NewS3(cfg S3Config) (*S3, error) {
	return newS3(cfg, minio.BucketLookupAuto)
}

// newS3 lets the tests force path-style requests at their fake server.
func newS3(cfg S3Config, lookup minio.BucketLookupType) (*S3, error) {
	if cfg.Endpoint == "" {
		return nil, errors.New("blob: S3 endpoint is not set")
	}
	if err := s3utils.CheckValidBucketNameStrict(cfg.Bucket); err != nil {
		return nil, fmt.Errorf("blob: S3 bucket %q: %w", cfg.Bucket, err)
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("blob: S3 access key and secret key are both required")
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" && !ValidKey(prefix) {
		return nil, fmt.Errorf("blob: S3 prefix %q: use a-z, 0-9, \".\", \"_\", \"-\" and \"/\"", cfg.Prefix)
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.UseSSL,
		Region:       cfg.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: S3 endpoint %q: %w", cfg.Endpoint, err)
	}
	spool := cfg.SpoolDir
	if spool == "" {
		spool = filepath.Join(os.TempDir(), "onewindow-uploads")
	}
	return &S3{client: client, bucket: cfg.Bucket, prefix: prefix, spool: spool}, nil
}

// String names the store, without its keys: the endpoint, the bucket and
// the prefix.
func (s *S3) String() string {
	return "s3 " + s.client.EndpointURL().Host + "/" + s.bucket + "/" + s.prefix
}

// object returns the object name of a valid key.
func (s *S3) object(key string) string {
	if s.prefix == "" {
		return key
	}
	return path.Join(s.prefix, key)
}

// Put uploads the bytes in one request, streamed (the client signs it in
// 64 KiB chunks over plain HTTP) rather than in parts, whose buffers the
// client would hold in memory: a part is 16 MiB at least. S3 makes a PUT
// visible only once it is complete. Beyond 5 GiB, S3's limit for one PUT,
// the client uploads in parts.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := checkSize(key, size); err != nil {
		return err
	}
	body, err := sizedBody(r, size)
	if err != nil {
		return apperr.Wrap(err, "blob: s3 put "+key)
	}
	_, err = s.client.PutObject(ctx, s.bucket, s.object(key), body, size, minio.PutObjectOptions{
		ContentType:      contentType,
		DisableMultipart: size <= maxSinglePut,
	})
	if err != nil {
		return s3Error(err, "put", key)
	}
	return nil
}

// maxSinglePut is the largest object S3 takes in one PUT.
const maxSinglePut = 5 << 30

// sizedBody returns r if it can be measured and replayed (a bytes.Reader, a
// file), after checking that it holds size bytes, so that the S3 client can
// retry a failed request; otherwise it wraps r to fail on a wrong size.
func sizedBody(r io.Reader, size int64) (io.Reader, error) {
	rs, ok := r.(io.ReadSeeker)
	if _, at := r.(io.ReaderAt); !ok || !at {
		return newExactReader(r, size), nil
	}
	cur, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	end, err := rs.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	if _, err := rs.Seek(cur, io.SeekStart); err != nil {
		return nil, err
	}
	if n := end - cur; n != size {
		return nil, errWrongSize(size, n > size)
	}
	return r, nil
}

// Get opens the object under key. The request is made before Get returns,
// so that a missing key is reported here and not at the first Read.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	core := minio.Core{Client: s.client}
	body, _, _, err := core.GetObject(ctx, s.bucket, s.object(key), minio.GetObjectOptions{})
	if err != nil {
		return nil, s3Error(err, "get", key)
	}
	return body, nil
}

// Delete removes the object under key. S3 answers a delete of a missing key
// with success; a server that answers NoSuchKey instead is treated the same.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	err := s.client.RemoveObject(ctx, s.bucket, s.object(key), minio.RemoveObjectOptions{})
	if err != nil {
		if err := s3Error(err, "delete", key); !apperr.Is(err, apperr.NotFound) {
			return err
		}
	}
	return nil
}

// List lists the objects under the store's prefix and prefix, in key
// order, page by page (1,000 keys a request). Objects whose names are not
// keys (another system's, in a shared bucket) are skipped.
func (s *S3) List(ctx context.Context, prefix string, fn func(Object) error) error {
	if err := checkPrefix(prefix); err != nil {
		return err
	}
	full := prefix
	if s.prefix != "" {
		full = s.prefix + "/" + prefix
	}
	// When fn stops early, cancelling and draining ends the client's
	// listing goroutine, which would otherwise wait to send forever.
	lctx, cancel := context.WithCancel(ctx)
	objects := s.client.ListObjects(lctx, s.bucket, minio.ListObjectsOptions{Prefix: full, Recursive: true})
	defer func() {
		cancel()
		for range objects {
		}
	}()
	for o := range objects {
		if o.Err != nil {
			return s3Error(o.Err, "list", prefix)
		}
		key := o.Key
		if s.prefix != "" {
			key = strings.TrimPrefix(key, s.prefix+"/")
		}
		if !ValidKey(key) || !strings.HasPrefix(key, prefix) {
			continue
		}
		if err := fn(Object{Key: key, Size: o.Size, Modified: o.LastModified}); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// s3Error maps the server's NoSuchKey to NotFound; anything else (a missing
// bucket, refused credentials, an unreachable server) is our fault and is
// logged, not shown.
func s3Error(err error, op, key string) error {
	var resp minio.ErrorResponse
	if errors.As(err, &resp) && resp.Code == minio.NoSuchKey {
		return errNotFound()
	}
	return apperr.Wrap(err, "blob: s3 "+op+" "+key)
}
