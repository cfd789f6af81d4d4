// Package apiclient holds the rules of department systems that use the
// API: a system is a client of its department, not a person. It holds
// scopes, keys several at a time (a rotation leaves the old key valid until
// an overlap ends), a request rate, and it acts on a case only for a named
// reviewer of its department. The package knows nothing of SQL or HTTP.
package apiclient

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/text"
)

// Scope is one thing a client may do.
type Scope string

// The scopes a client may hold.
const (
	ScopeCasesRead  Scope = "cases:read"  // read its department's cases
	ScopeCasesAct   Scope = "cases:act"   // act on them, for a named reviewer
	ScopeEventsRead Scope = "events:read" // follow the event feed
)

// Scopes lists every scope, in the order pages show them.
var Scopes = []Scope{ScopeCasesRead, ScopeCasesAct, ScopeEventsRead}

// Label returns the scope as people read it.
func (s Scope) Label() string {
	switch s {
	case ScopeCasesRead:
		return "查看本部门办件"
	case ScopeCasesAct:
		return "代审查人员办理本部门办件"
	case ScopeEventsRead:
		return "读取事件流"
	}
	return string(s)
}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return slices.Contains(Scopes, s) }

// ParseScopes reads "cases:read,cases:act": known scopes, each once, in
// the order of Scopes; at least one.
func ParseScopes(field, s string) ([]Scope, error) {
	var out []Scope
	for part := range strings.SplitSeq(s, ",") {
		sc := Scope(strings.TrimSpace(part))
		if sc == "" {
			continue
		}
		if !sc.Valid() {
			return nil, apperr.Field(field, fmt.Sprintf("未知的权限范围 %q：可选 cases:read、cases:act、events:read", string(sc)))
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		return nil, apperr.Field(field, "至少授予一项权限范围")
	}
	slices.SortFunc(out, func(a, b Scope) int { return slices.Index(Scopes, a) - slices.Index(Scopes, b) })
	return out, nil
}

// JoinScopes writes scopes as ParseScopes reads them.
func JoinScopes(scopes []Scope) string {
	parts := make([]string, len(scopes))
	for i, s := range scopes {
		parts[i] = string(s)
	}
	return strings.Join(parts, ",")
}

// Limits of a client's settings.
const (
	// DefaultRate is the requests per minute a client may send unless set.
	DefaultRate = 120
	// MaxRate is the most a client may be allowed per minute.
	MaxRate = 6000
	// DefaultOverlap is how long the old key stays valid after a rotation,
	// so that the system can switch over without a gap.
	DefaultOverlap = 24 * time.Hour
	// MaxOverlap bounds that period.
	MaxOverlap = 30 * 24 * time.Hour
	// LastUseInterval is how stale a key's "last used" may get: it is
	// written at most once per interval, not on every request.
	LastUseInterval = time.Minute
)

// Client is a department system that uses the API with its keys.
type Client struct {
	ID             int64
	Name           string // the system's name, as records show it: 不动产登记系统
	DepartmentCode string
	DepartmentName string // filled on reading, for pages
	Scopes         []Scope
	RatePerMinute  int // requests per minute, per node
	CreatedAt      time.Time
	CreatedBy      string
	RevokedAt      time.Time // zero while the client may use the API
	RevokedBy      string
	Keys           []Key // newest first, on reading
}

// Validate checks the client's fields.
func (c *Client) Validate() error {
	var v apperr.Collector
	name := strings.TrimSpace(c.Name)
	v.Check(name != "" && utf8.RuneCountInString(name) <= 60 && text.Valid(name), "name", "系统名称不能为空且不超过 60 个字")
	if _, err := org.ParseDepartmentCode("department", c.DepartmentCode); err != nil || c.DepartmentCode == "" {
		v.Add("department", "须指明所属部门")
	}
	v.Check(len(c.Scopes) > 0, "scopes", "至少授予一项权限范围")
	for _, s := range c.Scopes {
		v.Check(s.Valid(), "scopes", "未知的权限范围："+string(s))
	}
	v.Check(c.RatePerMinute >= 1 && c.RatePerMinute <= MaxRate, "rate", fmt.Sprintf("每分钟请求数须在 1 至 %d 之间", MaxRate))
	return v.Err("接口客户端信息有误")
}

// Has reports whether the client holds scope s.
func (c *Client) Has(s Scope) bool { return slices.Contains(c.Scopes, s) }

// Revoked reports whether the client has been revoked.
func (c *Client) Revoked() bool { return !c.RevokedAt.IsZero() }

// LastUsedAt returns the latest use of any of its keys (zero if none).
func (c *Client) LastUsedAt() time.Time {
	var t time.Time
	for _, k := range c.Keys {
		if k.LastUsedAt.After(t) {
			t = k.LastUsedAt
		}
	}
	return t
}

// Key is one key of a client. Only its hash is kept; the key itself is
// shown once, when made.
type Key struct {
	ID         int64
	ClientID   int64
	Prefix     string // the first characters, to tell keys apart on pages
	Hash       string // SHA-256 of the key, hexadecimal
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: no end; set by a rotation to the overlap's end
	RevokedAt  time.Time
	LastUsedAt time.Time
}

// Valid reports whether the key opens the API at now.
func (k *Key) Valid(now time.Time) bool {
	return k.RevokedAt.IsZero() && (k.ExpiresAt.IsZero() || now.Before(k.ExpiresAt))
}

// Stale reports whether the key's last use should be written again at now.
func (k *Key) Stale(now time.Time) bool {
	return k.LastUsedAt.IsZero() || now.Sub(k.LastUsedAt) >= LastUseInterval
}

// KeyPrefix begins every key, so that a key found in a log or a repository
// is recognised (and told from a user's token) at a glance.
const KeyPrefix = "owc_"

// prefixLen is how much of a key its Prefix keeps.
const prefixLen = len(KeyPrefix) + 8

// keyEncoding writes a key's random part: lower-case base32, no padding.
var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewKey makes a key for client at now: the key to show once, and the
// record to keep (which holds only its hash). 32 random bytes need no slow
// hash: nobody can guess them, so SHA-256 is enough.
func NewKey(clientID int64, now time.Time) (plain string, k Key) {
	b := make([]byte, 32)
	rand.Read(b)
	plain = KeyPrefix + keyEncoding.EncodeToString(b)
	return plain, Key{ClientID: clientID, Prefix: plain[:prefixLen], Hash: HashKey(plain), CreatedAt: now}
}

// IsKey reports whether s looks like a client key (not a user's token).
func IsKey(s string) bool { return strings.HasPrefix(s, KeyPrefix) }

// HashKey returns the hash a key is kept and looked up under.
func HashKey(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// Matches compares a presented key with a kept hash in constant time (the
// look-up by hash already found the row; this guards the comparison itself).
func Matches(plain, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(HashKey(plain)), []byte(hash)) == 1
}

// CheckOverlap refuses an overlap period outside 0 … MaxOverlap.
func CheckOverlap(d time.Duration) error {
	if d < 0 || d > MaxOverlap {
		return apperr.Field("overlap", "旧密钥的过渡期须在 0 至 30 天之间")
	}
	return nil
}

// CheckOnBehalfOf decides whether the client may act for u: an active
// reviewer of the client's own department. The message says what is wrong,
// for the system's developers.
func CheckOnBehalfOf(c *Client, u *org.User) error {
	switch {
	case !u.Active:
		return apperr.New(apperr.Forbidden, "On-Behalf-Of 指明的账号 %s 已停用", u.Username)
	case u.Role != org.RoleReviewer:
		return apperr.New(apperr.Forbidden, "On-Behalf-Of 须指明本部门的审查人员，%s 的角色是%s", u.Username, u.Role.Label())
	case u.DepartmentCode != c.DepartmentCode:
		return apperr.New(apperr.Forbidden, "On-Behalf-Of 须指明本部门（%s）的审查人员，%s 不属于本部门", c.DepartmentCode, u.Username)
	}
	return nil
}
