// Package sealed holds the data keys that protect personal data at rest
// (ID numbers, phone numbers and the records that carry them): sealing with
// AES-256-GCM under the current key, opening with any key of the ring, and
// a keyed hash (HMAC-SHA256) that lets the store search for an exact value
// without keeping it. It knows nothing of SQL or HTTP.
//
// A sealed value is text: "enc1:" + the key's id + ":" + base64url(nonce ‖
// ciphertext ‖ tag). The key id travels with every value, so a ring that
// holds the new key and the old ones reads values sealed under either while
// a rotation rewrites them.
//
// The index (HMAC) key is separate from the data keys: derived once from the
// first data key and kept, sealed, in the database by the store. It never
// changes on rotation, so the hashes the database searches and its unique
// indexes rest on stay valid while keys come and go.
package sealed

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Prefix starts every sealed value; the version says how the rest reads.
const Prefix = "enc1:"

// KeySize is the length of a data key and of the index key, in bytes.
const KeySize = 32

// ErrNoKey says that personal data were to be sealed, opened or hashed
// without a data key configured.
var ErrNoKey = errors.New("no data key is configured: set --data-key or ONEWINDOW_DATA_KEY (generate one with `onewindow datakey generate`)")

// ErrNoIndexKey says that the ring was asked for a hash before the store
// gave it the index key.
var ErrNoIndexKey = errors.New("the index key of personal data is not loaded")

// Key is one data key with its short id.
type Key struct {
	id   string
	raw  []byte
	aead cipher.AEAD
}

// ID returns the key's short id: the first 8 hex digits of a hash of the
// key, the same on every node that holds it, telling nothing of the key.
func (k *Key) ID() string { return k.id }

// ParseKey reads a 32-byte key written as base64 (standard or URL alphabet,
// padded or not) or as 64 hex digits.
func ParseKey(text string) (*Key, error) {
	text = strings.TrimSpace(text)
	var raw []byte
	if len(text) == 2*KeySize {
		raw, _ = hex.DecodeString(text)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw != nil {
			break
		}
		if b, err := enc.DecodeString(text); err == nil {
			raw = b
		}
	}
	if len(raw) != KeySize {
		return nil, fmt.Errorf("a data key is %d bytes written in base64 or hex (generate one with `onewindow datakey generate`)", KeySize)
	}
	return newKey(raw)
}

func newKey(raw []byte) (*Key, error) {
	sum := sha256.Sum256(append([]byte("onewindow data key id\n"), raw...))
	enc, err := hkdf.Key(sha256.New, raw, nil, "onewindow/sealed/aes-256-gcm", KeySize)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Key{id: hex.EncodeToString(sum[:4]), raw: raw, aead: aead}, nil
}

// GenerateKey returns a fresh random data key as base64 text.
func GenerateKey() string {
	return base64.StdEncoding.EncodeToString(random(KeySize))
}

// random returns n bytes from the system's random source, which never fails
// on the systems Go supports (crypto/rand.Read crashes the program rather
// than return an error).
func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// Keyring seals with its current key and opens with any of its keys. It is
// safe for concurrent use once the index key is set.
type Keyring struct {
	current *Key
	keys    map[string]*Key
	index   []byte // the HMAC key; nil until SetIndexKey
}

// NewKeyring returns a ring sealing under current and opening under current
// and previous (the keys being rotated away from).
func NewKeyring(current *Key, previous ...*Key) *Keyring {
	r := &Keyring{current: current, keys: map[string]*Key{current.id: current}}
	for _, k := range previous {
		if _, ok := r.keys[k.id]; !ok {
			r.keys[k.id] = k
		}
	}
	return r
}

// ParseKeyring reads the current key and the previous ones (separated by
// commas or white space) as ParseKey does.
func ParseKeyring(current, previous string) (*Keyring, error) {
	k, err := ParseKey(current)
	if err != nil {
		return nil, fmt.Errorf("data key: %w", err)
	}
	var old []*Key
	for _, f := range strings.FieldsFunc(previous, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
		o, err := ParseKey(f)
		if err != nil {
			return nil, fmt.Errorf("previous data key: %w", err)
		}
		old = append(old, o)
	}
	return NewKeyring(k, old...), nil
}

// CurrentID returns the id of the key new values are sealed under.
func (r *Keyring) CurrentID() string {
	if r == nil {
		return ""
	}
	return r.current.id
}

// Holds reports whether the ring has the key with id.
func (r *Keyring) Holds(id string) bool {
	if r == nil {
		return false
	}
	_, ok := r.keys[id]
	return ok
}

// Seal encrypts plain under the current key. purpose (the table and column,
// say) is authenticated with it: a value opens only for the purpose it was
// sealed for.
func (r *Keyring) Seal(purpose string, plain []byte) (string, error) {
	if r == nil {
		return "", ErrNoKey
	}
	k := r.current
	// One buffer for the nonce and the ciphertext, and the text written
	// once: a case's JSON is sealed on every change of it.
	ns := k.aead.NonceSize()
	out := make([]byte, ns, ns+len(plain)+k.aead.Overhead())
	rand.Read(out)
	out = k.aead.Seal(out, out[:ns], plain, []byte(purpose))
	var b strings.Builder
	b.Grow(len(Prefix) + len(k.id) + 1 + base64.RawURLEncoding.EncodedLen(len(out)))
	b.WriteString(Prefix)
	b.WriteString(k.id)
	b.WriteByte(':')
	enc := base64.NewEncoder(base64.RawURLEncoding, &b)
	enc.Write(out) // a strings.Builder takes every write
	enc.Close()
	return b.String(), nil
}

// SealString seals s; the empty string stays empty (nothing to protect, and
// an optional field keeps reading as absent).
func (r *Keyring) SealString(purpose, s string) (string, error) {
	if s == "" {
		return "", nil
	}
	return r.Seal(purpose, []byte(s))
}

// IsSealed reports whether s is a sealed value.
func IsSealed(s string) bool { return strings.HasPrefix(s, Prefix) }

// KeyIDOf returns the id of the key a sealed value was sealed under, or ""
// for a value that is not sealed.
func KeyIDOf(s string) string {
	if !IsSealed(s) {
		return ""
	}
	id, _, ok := strings.Cut(s[len(Prefix):], ":")
	if !ok {
		return ""
	}
	return id
}

// Open decrypts a sealed value with the key its id names.
func (r *Keyring) Open(purpose, s string) ([]byte, error) {
	if r == nil {
		return nil, ErrNoKey
	}
	if !IsSealed(s) {
		return nil, fmt.Errorf("%s: not a sealed value", purpose)
	}
	id, body, ok := strings.Cut(s[len(Prefix):], ":")
	if !ok {
		return nil, fmt.Errorf("%s: malformed sealed value", purpose)
	}
	k, ok := r.keys[id]
	if !ok {
		return nil, fmt.Errorf("%s: sealed under data key %s, which is not configured (add it to --data-key-old)", purpose, id)
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) < k.aead.NonceSize()+k.aead.Overhead() {
		return nil, fmt.Errorf("%s: malformed sealed value", purpose)
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil {
		return nil, fmt.Errorf("%s: sealed value does not open under key %s: altered, or sealed for another purpose", purpose, id)
	}
	return plain, nil
}

// OpenString opens a value SealString sealed; the empty string stays empty.
func (r *Keyring) OpenString(purpose, s string) (string, error) {
	if s == "" {
		return "", nil
	}
	b, err := r.Open(purpose, s)
	return string(b), err
}

// DeriveIndexKey returns the index key a new database starts with, derived
// from the current data key. It is derived rather than random so that nodes
// starting together on an empty database with the same key agree on it.
func (r *Keyring) DeriveIndexKey() ([]byte, error) {
	if r == nil {
		return nil, ErrNoKey
	}
	return hkdf.Key(sha256.New, r.current.raw, nil, "onewindow/sealed/index/hmac-sha256", KeySize)
}

// SetIndexKey gives the ring the database's index key. Call it once, before
// the ring is shared.
func (r *Keyring) SetIndexKey(k []byte) error {
	if r == nil {
		return ErrNoKey
	}
	if len(k) != KeySize {
		return fmt.Errorf("the index key is %d bytes, not %d", len(k), KeySize)
	}
	r.index = append([]byte(nil), k...)
	return nil
}

// SealIndexKey seals the ring's index key under the current data key, for
// the store to keep: a rotation seals it anew, never changes it.
func (r *Keyring) SealIndexKey(purpose string) (string, error) {
	if r == nil {
		return "", ErrNoKey
	}
	if r.index == nil {
		return "", ErrNoIndexKey
	}
	return r.Seal(purpose, r.index)
}

// Index returns the keyed hash of value as kind ("id", "phone" …): 64 hex
// digits that find the value again without revealing it. Without the key
// the hash cannot be recomputed, so it cannot be reversed by trying every
// ID number or phone number. The empty value hashes to "" so that optional
// fields stay empty.
func (r *Keyring) Index(kind, value string) (string, error) {
	if value == "" {
		return "", nil
	}
	if r == nil {
		return "", ErrNoKey
	}
	if r.index == nil {
		return "", ErrNoIndexKey
	}
	m := hmac.New(sha256.New, r.index)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)), nil
}
