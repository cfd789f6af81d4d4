package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
)

// The content types an upload may have.
const (
	PDF  = "application/pdf"
	JPEG = "image/jpeg"
	PNG  = "image/png"
)

// MaxNameLen is the longest file name, in characters, an upload may have.
const MaxNameLen = 120

// Limits says which uploads are kept.
type Limits struct {
	// MaxBytes is the largest upload, in bytes.
	MaxBytes int64
	// Types lists the allowed content types, among PDF, JPEG and PNG: the
	// only types Check can recognise by their bytes.
	Types []string
}

// DefaultLimits allows PDF, JPEG and PNG files up to 20 MiB.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 20 << 20, Types: []string{PDF, JPEG, PNG}}
}

// File is an upload that passed Check.
type File struct {
	Name   string // the name it was uploaded with, trimmed
	Type   string // the content type detected from its bytes
	Size   int64  // in bytes
	SHA256 string // hex of the SHA-256 sum of its bytes, for Key
}

// kind is a content type Check recognises: its magic bytes and the file name
// extensions it may carry.
type kind struct {
	mime  string
	label string // in "允许的类型（PDF、JPG、PNG）"
	noun  string // in "内容为 PNG 图片"
	magic []byte
	exts  []string // the first is the one to suggest
}

var kinds = []kind{
	{PDF, "PDF", "PDF 文件", []byte("%PDF-"), []string{".pdf"}},
	{JPEG, "JPG", "JPG 图片", []byte("\xFF\xD8\xFF"), []string{".jpg", ".jpeg"}},
	{PNG, "PNG", "PNG 图片", []byte("\x89PNG\r\n\x1a\n"), []string{".png"}},
}

// kindOf returns the kind of a content type, if Check recognises it.
func kindOf(contentType string) (kind, bool) {
	for _, k := range kinds {
		if k.mime == contentType {
			return k, true
		}
	}
	return kind{}, false
}

// Detect returns the content type of content judged by its bytes alone:
// PDF, JPEG or PNG when both net/http's sniffer and the format's magic bytes
// agree, otherwise what the sniffer says (such as "text/plain" or
// "application/octet-stream"), without parameters.
func Detect(content []byte) string {
	sniffed := http.DetectContentType(content)
	if t, _, err := mime.ParseMediaType(sniffed); err == nil {
		sniffed = t
	}
	if k, ok := kindOf(sniffed); ok && !bytes.HasPrefix(content, k.magic) {
		// The sniffer's rules may widen in a later Go; the magic bytes are
		// what the viewers rely on.
		return "application/octet-stream"
	}
	return sniffed
}

// Check decides whether an upload may be kept, from its name and bytes.
// declared is the Content-Type the browser sent: it is never trusted and
// never refused, because browsers guess it from the name; the type detected
// from the bytes is the one returned. The name must be a bare file name
// whose extension matches the detected type, so that the file opens as what
// it is when it is downloaded again.
//
// Every refusal is an apperr Invalid error on the field "file" whose message
// names the file and the problem.
func Check(name string, content []byte, declared string, lim Limits) (File, error) {
	name, err := CheckName(name)
	if err != nil {
		return File{}, err
	}
	size := int64(len(content))
	if size == 0 {
		return File{}, errEmpty(name)
	}
	if size > lim.MaxBytes {
		return File{}, errTooBig(name, lim.MaxBytes)
	}
	detected, err := checkContent(name, content, lim)
	if err != nil {
		return File{}, err
	}
	sum := sha256.Sum256(content)
	return File{Name: name, Type: detected, Size: size, SHA256: hex.EncodeToString(sum[:])}, nil
}

// sniffLen is how many of an upload's first bytes decide its type: all
// that http.DetectContentType looks at, and more than any magic number.
const sniffLen = 512

// checkContent decides from an upload's first bytes (at least sniffLen of
// them, or all if it is shorter) whether its type is allowed and its
// name's extension matches that type, and returns the type. Check and
// Receive share it, so that a file kept whole and a file streamed are
// judged alike.
func checkContent(name string, head []byte, lim Limits) (string, error) {
	detected := Detect(head[:min(len(head), sniffLen)])
	k, ok := kindOf(detected)
	if !ok || !allowed(lim, detected) {
		return "", apperr.Field("file", fmt.Sprintf("文件「%s」的内容不是允许的类型（%s）", name, labels(lim)))
	}
	if err := k.checkExt(name); err != nil {
		return "", err
	}
	return detected, nil
}

// CheckNameFor checks the name of a file already kept whose content type
// is contentType (as Check detected it): the name must pass CheckName and
// its extension match the type, as Check requires of an upload. It
// returns the name trimmed.
func CheckNameFor(name, contentType string) (string, error) {
	name, err := CheckName(name)
	if err != nil {
		return "", err
	}
	k, ok := kindOf(contentType)
	if !ok {
		return "", apperr.Field("file", fmt.Sprintf("文件「%s」的类型不是允许的类型", name))
	}
	return name, k.checkExt(name)
}

// checkExt refuses a name whose extension is not one of k's, so that a
// file opens as what it is when it is downloaded again.
func (k kind) checkExt(name string) error {
	ext := extension(name)
	if k.hasExt(ext) {
		return nil
	}
	if ext == "" {
		return apperr.Field("file", fmt.Sprintf("文件「%s」没有扩展名（内容为 %s，请以 %s 结尾）", name, k.noun, k.exts[0]))
	}
	return apperr.Field("file", fmt.Sprintf("文件「%s」的扩展名与内容不符（内容为 %s）", name, k.noun))
}

// errEmpty refuses an upload with no bytes.
func errEmpty(name string) error {
	return apperr.Field("file", fmt.Sprintf("文件「%s」是空的，请重新选择", name))
}

// errTooBig refuses an upload over the limit.
func errTooBig(name string, max int64) error {
	return apperr.Field("file", fmt.Sprintf("文件「%s」超过 %s 的上限", name, formatMB(max)))
}

// CheckName returns the upload's name trimmed of spaces, or an Invalid
// error on "file" if it is empty, too long, not UTF-8, or contains a path
// ("/", "\", "..") or a control character (bidirectional overrides
// included). The stored key never uses the name, but the name is shown and
// offered as the download's name.
func CheckName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", apperr.Field("file", "文件名不能为空，请选择要上传的文件")
	case !utf8.ValidString(name):
		return "", apperr.Field("file", "文件名的编码无法识别，请改名后重新上传")
	case utf8.RuneCountInString(name) > MaxNameLen:
		return "", apperr.Field("file", fmt.Sprintf("文件名不能超过 %d 个字，请改名后重新上传", MaxNameLen))
	case strings.ContainsFunc(name, invisible):
		// The name is not repeated: its invisible characters would confuse.
		return "", apperr.Field("file", "文件名不能包含控制字符，请改名后重新上传")
	}
	for _, bad := range []string{"/", `\`, ".."} {
		if strings.Contains(name, bad) {
			return "", apperr.Field("file", fmt.Sprintf("文件名不能包含路径（「%s」中有“%s”），请改名后重新上传", name, bad))
		}
	}
	return name, nil
}

// invisible reports control characters and the bidirectional overrides
// that make "invoice\u202Efdp.exe" display as "invoiceexe.pdf".
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}

// extension returns name's extension in lower case, with its dot, or "".
func extension(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return strings.ToLower(name[i:])
}

func (k kind) hasExt(ext string) bool {
	for _, e := range k.exts {
		if e == ext {
			return true
		}
	}
	return false
}

func allowed(lim Limits, contentType string) bool {
	for _, t := range lim.Types {
		if t == contentType {
			return true
		}
	}
	return false
}

// labels names the allowed types for a message: "PDF、JPG、PNG".
func labels(lim Limits) string {
	var names []string
	for _, t := range lim.Types {
		if k, ok := kindOf(t); ok {
			names = append(names, k.label)
		}
	}
	return strings.Join(names, "、")
}

// formatMB writes a byte count in MiB as users read it: "20 MB", "0.5 MB".
func formatMB(n int64) string {
	mb := float64(n) / (1 << 20)
	if n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	s := strconv.FormatFloat(mb, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "0" {
		s = "0.01"
	}
	return s + " MB"
}

// ReadLimited reads all of r if it holds at most max bytes. It reads at most
// max+1 bytes, so an oversized upload is refused without being held in
// memory; the refusal is an Invalid error on "file". A body cut short (the
// browser went away) is Invalid too; any other read error is Internal.
//
// It still holds up to max bytes: uploads go through Receive, which holds
// none; this is for small bodies whose bytes are wanted whole.
func ReadLimited(r io.Reader, max int64) ([]byte, error) {
	max = min(max, (1<<63)-2) // max+1 must not overflow
	content, err := io.ReadAll(io.LimitReader(r, max+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig), err == nil && int64(len(content)) > max:
		// An http.MaxBytesReader around the request body refuses first.
		return nil, apperr.Field("file", fmt.Sprintf("上传的文件超过 %s 的上限", formatMB(max)))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, apperr.Field("file", "文件没有传完，请重新上传")
	case err != nil:
		return nil, apperr.Wrap(err, "blob: read upload")
	}
	return content, nil
}

// Key returns the key to keep an upload under: the day it arrived, in
// Asia/Shanghai, and its SHA-256 sum in hex, "2026/11/25/<sum>". The same
// bytes uploaded the same day share one file.
func Key(now time.Time, sum string) string {
	return now.In(clock.Shanghai).Format("2006/01/02") + "/" + sum
}
