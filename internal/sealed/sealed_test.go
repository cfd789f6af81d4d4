package sealed

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func mustKey(t *testing.T, text string) *Key {
	t.Helper()
	k, err := ParseKey(text)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ringWithIndex(t *testing.T, current *Key, previous ...*Key) *Keyring {
	t.Helper()
	r := NewKeyring(current, previous...)
	ik, err := r.DeriveIndexKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetIndexKey(ik); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParseKeyForms(t *testing.T) {
	raw := make([]byte, KeySize)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	forms := []string{
		base64.StdEncoding.EncodeToString(raw),
		base64.RawStdEncoding.EncodeToString(raw),
		base64.URLEncoding.EncodeToString(raw),
		base64.RawURLEncoding.EncodeToString(raw),
		hex.EncodeToString(raw),
		"  " + strings.ToUpper(hex.EncodeToString(raw)) + "\n",
	}
	want := mustKey(t, forms[0]).ID()
	for _, f := range forms {
		k, err := ParseKey(f)
		if err != nil {
			t.Fatalf("ParseKey(%q): %v", f, err)
		}
		if k.ID() != want {
			t.Errorf("ParseKey(%q) id %s, want %s", f, k.ID(), want)
		}
	}
	if len(want) != 8 {
		t.Errorf("key id %q: want 8 hex digits", want)
	}
	for _, bad := range []string{"", "short", base64.StdEncoding.EncodeToString(raw[:16]), hex.EncodeToString(raw)[:62], strings.Repeat("z", 64)} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) accepted a key that is not 32 bytes", bad)
		}
	}
	if a, b := mustKey(t, GenerateKey()), mustKey(t, GenerateKey()); a.ID() == b.ID() {
		t.Error("two generated keys have the same id")
	}
}

func TestSealOpen(t *testing.T) {
	r := ringWithIndex(t, mustKey(t, GenerateKey()))
	const id = "11010519491231002X"
	a, err := r.SealString("tickets.id_number", id)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r.SealString("tickets.id_number", id)
	if a == b {
		t.Error("sealing the same value twice gave the same text: the nonce is not fresh")
	}
	if !strings.HasPrefix(a, Prefix+r.CurrentID()+":") || KeyIDOf(a) != r.CurrentID() {
		t.Errorf("sealed value %q does not carry the key id %s", a, r.CurrentID())
	}
	if strings.Contains(a, id) || strings.Contains(a, base64.RawURLEncoding.EncodeToString([]byte(id))) {
		t.Errorf("sealed value %q shows the ID number", a)
	}
	got, err := r.OpenString("tickets.id_number", a)
	if err != nil || got != id {
		t.Fatalf("OpenString = %q, %v; want %q", got, err, id)
	}
	if _, err := r.OpenString("appointments.id_number", a); err == nil {
		t.Error("a value sealed for one purpose opened for another")
	}
	tampered := a[:len(a)-2] + map[bool]string{true: "AA", false: "BB"}[!strings.HasSuffix(a, "AA")]
	if _, err := r.OpenString("tickets.id_number", tampered); err == nil {
		t.Error("an altered sealed value opened")
	}
	if s, err := r.SealString("x", ""); err != nil || s != "" {
		t.Errorf("SealString of empty = %q, %v; want empty", s, err)
	}
	if s, err := r.OpenString("x", ""); err != nil || s != "" {
		t.Errorf("OpenString of empty = %q, %v; want empty", s, err)
	}
	if _, err := r.OpenString("x", "13800138000"); err == nil {
		t.Error("a clear value opened as if sealed")
	}
}

func TestRotationRing(t *testing.T) {
	oldKey, newKey := mustKey(t, GenerateKey()), mustKey(t, GenerateKey())
	before := ringWithIndex(t, oldKey)
	sealedOld, _ := before.SealString("p", "13800138000")

	during := NewKeyring(newKey, oldKey)
	if got, err := during.OpenString("p", sealedOld); err != nil || got != "13800138000" {
		t.Fatalf("the rotation ring does not open a value under the old key: %q, %v", got, err)
	}
	sealedNew, _ := during.SealString("p", "13800138000")
	if KeyIDOf(sealedNew) != newKey.ID() {
		t.Errorf("the rotation ring seals under %s, want the new key %s", KeyIDOf(sealedNew), newKey.ID())
	}
	if !during.Holds(oldKey.ID()) || !during.Holds(newKey.ID()) {
		t.Error("the rotation ring does not hold both keys")
	}

	after := NewKeyring(newKey)
	if _, err := after.OpenString("p", sealedOld); err == nil || !strings.Contains(err.Error(), oldKey.ID()) {
		t.Errorf("a ring without the old key: err %v, want one naming key %s", err, oldKey.ID())
	}
	// The index key is kept, not re-derived: hashes stay the same across
	// a rotation when the store hands the ring the stored index key.
	ik, _ := before.DeriveIndexKey()
	if err := after.SetIndexKey(ik); err != nil {
		t.Fatal(err)
	}
	h1, _ := before.Index("phone", "13800138000")
	h2, _ := after.Index("phone", "13800138000")
	if h1 != h2 {
		t.Error("the same index key gave different hashes")
	}
}

func TestIndex(t *testing.T) {
	r := ringWithIndex(t, mustKey(t, GenerateKey()))
	h, err := r.Index("id", "11010519491231002X")
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 64 || strings.Contains(h, "11010519491231002X") {
		t.Errorf("Index = %q: want 64 hex digits", h)
	}
	if again, _ := r.Index("id", "11010519491231002X"); again != h {
		t.Error("Index is not deterministic")
	}
	if other, _ := r.Index("phone", "11010519491231002X"); other == h {
		t.Error("Index does not separate kinds")
	}
	if empty, _ := r.Index("id", ""); empty != "" {
		t.Errorf("Index of empty = %q, want empty", empty)
	}
	// Another database's index key gives other hashes: a hash is no use
	// without the key.
	other := ringWithIndex(t, mustKey(t, GenerateKey()))
	if h2, _ := other.Index("id", "11010519491231002X"); h2 == h {
		t.Error("two index keys gave the same hash")
	}
	if _, err := NewKeyring(mustKey(t, GenerateKey())).Index("id", "x"); !errors.Is(err, ErrNoIndexKey) {
		t.Errorf("Index without the index key: %v, want ErrNoIndexKey", err)
	}
}

func TestNilRing(t *testing.T) {
	var r *Keyring
	if _, err := r.SealString("p", "x"); !errors.Is(err, ErrNoKey) {
		t.Errorf("Seal without a ring: %v", err)
	}
	if _, err := r.OpenString("p", Prefix+"00000000:AAAA"); !errors.Is(err, ErrNoKey) {
		t.Errorf("Open without a ring: %v", err)
	}
	if _, err := r.Index("id", "x"); !errors.Is(err, ErrNoKey) {
		t.Errorf("Index without a ring: %v", err)
	}
}

func BenchmarkSealOpen(b *testing.B) {
	k, _ := ParseKey(GenerateKey())
	r := NewKeyring(k)
	plain := []byte(strings.Repeat("办件数据", 300))
	for b.Loop() {
		s, _ := r.Seal("cases.data", plain)
		if _, err := r.Open("cases.data", s); err != nil {
			b.Fatal(err)
		}
	}
}
