package online_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/service"
)

// The applicant's online hall (/my): accounts, profile, uploads, drafts,
// submission, pre-review correction, withdrawal, rating, agents and joint
// applications, each on SQLite and, when configured, PostgreSQL.

const applicantPassword = "chuangkou2026"

// Files as the tests upload them: a minimal PDF, and PNG bytes.
var (
	pdfBytes = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
)

// withFiles gives the hall a folder for uploaded files.
func (h *hall) withFiles(t *testing.T) {
	t.Helper()
	dir, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h.svc.Use(dir, nil)
}

var sentCode = regexp.MustCompile(`验证码为 (\d{6})`)

// lastCode returns the verification code last sent to phone.
func (h *hall) lastCode(t *testing.T, phone string) string {
	t.Helper()
	m, ok := h.svc.Sender().(*notify.Log).Last(phone)
	if !ok {
		t.Fatalf("no message sent to %s", phone)
	}
	code := sentCode.FindStringSubmatch(m.Body)
	if code == nil {
		t.Fatalf("no code in %q", m.Body)
	}
	return code[1]
}

// register makes an online hall account through the pages and returns the
// browser it is signed in on.
func (h *hall) register(t *testing.T, phone string) *browser {
	t.Helper()
	b := h.browser(t)
	b.post("/my/code", url.Values{"phone": {phone}, "purpose": {"register"}}).want(t, http.StatusOK, "验证码已发送至 "+phone[:3]+"****"+phone[7:])
	p := b.post("/my/register", url.Values{"phone": {phone}, "code": {h.lastCode(t, phone)},
		"password": {applicantPassword}, "password2": {applicantPassword}})
	if p.status != http.StatusSeeOther || p.location != "/my/profile" {
		t.Fatalf("register %s: %d → %q\n%s", phone, p.status, p.location, p.body)
	}
	b.username = phone
	return b
}

// applicantAs registers phone and completes its profile.
func (h *hall) applicantAs(t *testing.T, phone, kind, name, idType, id string) *browser {
	t.Helper()
	b := h.register(t, phone)
	p := b.post("/my/profile", url.Values{"kind": {kind}, "name": {name}, "id_type": {idType}, "id_number": {id}, "address": {"江川区江川大道1号"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("profile of %s: %d\n%s", phone, p.status, p.body)
	}
	return b
}

// company is an online hall account of a restaurant company.
func (h *hall) company(t *testing.T, phone string) *browser {
	return h.applicantAs(t, phone, "entity", companyName, "credit_code", companyCode)
}

// creditCode returns a valid unified social credit code (GB 32100 check
// character) numbered n: an account binds its ID number, so every account
// of a test needs its own.
func creditCode(n int) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	body := fmt.Sprintf("91320120MA1XK%04d", n%10000)
	sum, w := 0, 1
	for i := range body {
		sum += strings.IndexByte(chars, body[i]) * w
		w = w * 3 % 31
	}
	return body + string(chars[(31-sum%31)%31])
}

// otherCompany is an online hall account of another company.
func (h *hall) otherCompany(t *testing.T, phone string, n int) *browser {
	return h.applicantAs(t, phone, "entity", fmt.Sprintf("江川区第%d餐饮有限公司", n), "credit_code", creditCode(n))
}

// part is one field or file of a multipart form.
type part struct {
	name, filename string
	content        []byte
}

func field(name, value string) part { return part{name: name, content: []byte(value)} }

func file(name, filename string, content []byte) part {
	return part{name: name, filename: filename, content: content}
}

// upload posts a multipart form, its parts in order, file names as given
// (paths included, as a hostile client may send them).
func (b *browser) upload(path string, parts ...part) reply {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, p := range parts {
		hd := textproto.MIMEHeader{}
		if p.filename == "" {
			hd.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q`, p.name))
		} else {
			hd.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.filename))
			hd.Set("Content-Type", "application/octet-stream")
		}
		pw, err := w.CreatePart(hd)
		if err != nil {
			b.t.Fatal(err)
		}
		pw.Write(p.content)
	}
	w.Close()
	req, _ := http.NewRequest("POST", b.h.url+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

var draftLocation = regexp.MustCompile(`^/my/drafts/(\d+)#m-(\w+)$`)

// uploadTo uploads one good PDF for material of item to draft ("new" the
// first time) and returns the draft's id.
func (b *browser) uploadTo(t *testing.T, draft, item, material string) string {
	t.Helper()
	p := b.upload("/my/drafts/"+draft+"/files", field("item", item), field("material", material),
		file("file", material+" 申请书.pdf", append(append([]byte{}, pdfBytes...), material...)))
	m := draftLocation.FindStringSubmatch(p.location)
	if p.status != http.StatusSeeOther || m == nil || m[2] != material {
		t.Fatalf("upload %s to draft %s: %d → %q\n%s", material, draft, p.status, p.location, p.body)
	}
	return m[1]
}

var caseLink = regexp.MustCompile(`^/my/cases/(\d{14})$`)

// apply applies for item online with one PDF for each of materials, the
// result picked up at the hall, and returns the case number.
func (b *browser) apply(t *testing.T, item string, materials ...string) string {
	t.Helper()
	draft := "new"
	for _, m := range materials {
		draft = b.uploadTo(t, draft, item, m)
	}
	p := b.post("/my/drafts/"+draft+"/submit", url.Values{"item": {item}, "delivery.method": {"pickup"}})
	m := caseLink.FindStringSubmatch(p.location)
	if p.status != http.StatusSeeOther || m == nil {
		t.Fatalf("submit %s: %d → %q\n%s", item, p.status, p.location, p.body)
	}
	return m[1]
}

// fieldMessage returns the field-error paragraph with id, or "".
func (p reply) fieldMessage(id string) string {
	i := strings.Index(p.body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(p.body[i:], "</p>")
	return p.body[i : i+j]
}

// section returns the page from the element with id to the next element
// of the same kind of list: where a material's files and messages are.
func (p reply) section(t *testing.T, id, end string) string {
	t.Helper()
	i := strings.Index(p.body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("page has no #%s\n%s", id, p.body)
	}
	j := strings.Index(p.body[i+1:], end)
	if j < 0 {
		return p.body[i:]
	}
	return p.body[i : i+1+j]
}

func TestOnlineAccount(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withFiles(t)
		const phone = "13800000011"
		anon := h.browser(t)
		if p := anon.get("/my"); p.status != http.StatusSeeOther || p.location != "/my/login" {
			t.Fatalf("/my without a session: %d → %q", p.status, p.location)
		}
		if p := anon.get("/my/drafts"); p.status != http.StatusSeeOther || p.location != "/my/login?next=%2Fmy%2Fdrafts" {
			t.Errorf("/my/drafts without a session: %d → %q", p.status, p.location)
		}
		anon.get("/my/register").want(t, http.StatusOK, "获取验证码", `formaction="/my/code"`)

		// A wrong code: refused by the field, no account.
		anon.post("/my/code", url.Values{"phone": {phone}, "purpose": {"register"}}).want(t, http.StatusOK, "验证码已发送", `value="`+phone+`"`)
		code := h.lastCode(t, phone)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		p := anon.post("/my/register", url.Values{"phone": {phone}, "code": {wrong}, "password": {applicantPassword}, "password2": {applicantPassword}})
		p.want(t, http.StatusUnprocessableEntity)
		if m := p.fieldMessage("msg-code"); !strings.Contains(m, "验证码不正确") {
			t.Errorf("wrong code: no message by the code field: %q", m)
		}
		if p := anon.post("/my/login", url.Values{"phone": {phone}, "password": {applicantPassword}}); p.status != http.StatusUnauthorized {
			t.Errorf("sign-in before registering: %d, want 401", p.status)
		}
		// Two different passwords: refused before the code is used.
		p = anon.post("/my/register", url.Values{"phone": {phone}, "code": {code}, "password": {applicantPassword}, "password2": {"other2026x"}})
		p.want(t, http.StatusUnprocessableEntity)
		if m := p.fieldMessage("msg-password2"); !strings.Contains(m, "两次输入的密码不一致") {
			t.Errorf("passwords differ: %q", m)
		}
		p = anon.post("/my/register", url.Values{"phone": {phone}, "code": {code}, "password": {applicantPassword}, "password2": {applicantPassword}})
		if p.status != http.StatusSeeOther || p.location != "/my/profile" {
			t.Fatalf("register: %d → %q\n%s", p.status, p.location, p.body)
		}
		home := anon.get("/my")
		home.want(t, http.StatusOK, "我的办件", `id="profile-banner"`, "尚未完善", "退出登录")
		// Applying is refused with the service's word until the profile is complete.
		draft := anon.uploadTo(t, "new", "CGJ-XK-003", "M01")
		anon.post("/my/drafts/"+draft+"/submit", url.Values{"delivery.method": {"pickup"}}).want(t, http.StatusConflict, "请先完善个人（单位）信息")

		// Out and in again.
		if p := anon.post("/my/logout", nil); p.status != http.StatusSeeOther || p.location != "/my/login" {
			t.Fatalf("logout: %d → %q", p.status, p.location)
		}
		if p := anon.get("/my"); p.location != "/my/login" {
			t.Fatalf("/my after logout: %d → %q", p.status, p.location)
		}
		anon.post("/my/login", url.Values{"phone": {phone}, "password": {"wrong-pass1"}}).want(t, http.StatusUnauthorized, "手机号或密码错误")
		p = anon.post("/my/login", url.Values{"phone": {phone}, "password": {applicantPassword}, "next": {"/my/drafts"}})
		if p.status != http.StatusSeeOther || p.location != "/my/drafts" {
			t.Fatalf("sign in: %d → %q\n%s", p.status, p.location, p.body)
		}
		anon.get("/my/drafts").want(t, http.StatusOK, "临时占用城市道路审批", "继续填写")
		if p := anon.post("/my/login", url.Values{"phone": {phone}, "password": {applicantPassword}, "next": {"https://evil.example/"}}); p.location != "/my" {
			t.Errorf("a foreign next: → %q", p.location)
		}

		// Password reset with a code, then the new password signs in.
		other := h.browser(t)
		other.post("/my/code", url.Values{"phone": {phone}, "purpose": {"reset"}}).want(t, http.StatusOK, "验证码已发送")
		p = other.post("/my/reset", url.Values{"phone": {phone}, "code": {h.lastCode(t, phone)}, "password": {"xinmima2026"}, "password2": {"xinmima2026"}})
		if p.status != http.StatusSeeOther || p.location != "/my/login" {
			t.Fatalf("reset: %d → %q\n%s", p.status, p.location, p.body)
		}
		if p := anon.get("/my"); p.status != http.StatusSeeOther {
			t.Errorf("the old session outlived the reset: %d", p.status)
		}
		if p := other.post("/my/login", url.Values{"phone": {phone}, "password": {"xinmima2026"}}); p.status != http.StatusSeeOther {
			t.Errorf("sign in with the new password: %d\n%s", p.status, p.body)
		}

		// A staff member's session is not an applicant's.
		clerk := h.signIn(t, "shouli")
		if p := clerk.get("/my"); p.status != http.StatusSeeOther || p.location != "/my/login" {
			t.Fatalf("/my as a clerk: %d → %q", p.status, p.location)
		}
		clerk.get("/my/login").want(t, http.StatusOK, "网上办事大厅登录", "工作人员账号（张晓梅）")
		if p := clerk.post("/my/login", url.Values{"phone": {phone}, "password": {"xinmima2026"}}); p.status != http.StatusSeeOther {
			t.Fatalf("applicant sign-in on a clerk's browser: %d", p.status)
		}
		if p := clerk.get("/intake"); p.status != http.StatusSeeOther || p.location != "/login" {
			t.Errorf("the clerk is still signed in after the applicant signed in: %d → %q", p.status, p.location)
		}
		clerk.get("/my").want(t, http.StatusOK, "我的办件")
	})
}

func TestOnlineProfile(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		b := h.register(t, "13800000012")
		bad := validID(12)
		bad = bad[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", bad[17])+1)%11])
		p := b.post("/my/profile", url.Values{"kind": {"person"}, "name": {"王小明"}, "id_type": {"resident_id"}, "id_number": {bad}})
		p.want(t, http.StatusUnprocessableEntity)
		if m := p.fieldMessage("msg-id_number"); !strings.Contains(m, "身份证号码校验位不正确") {
			t.Errorf("bad ID: no message by the field: %q\n%s", m, p.body)
		}
		good := validID(12)
		p = b.post("/my/profile", url.Values{"kind": {"person"}, "name": {"王小明"}, "id_type": {"resident_id"}, "id_number": {good}, "email": {"wxm@example.cn"}})
		if p.status != http.StatusSeeOther || p.location != "/my" {
			t.Fatalf("profile: %d → %q\n%s", p.status, p.location, p.body)
		}
		p = b.get("/my/profile")
		p.want(t, http.StatusOK, identity.Mask(good), "王小明", "证件号码已绑定")
		p.wantNot(t, good, `name="id_number"`)
		b.get("/my").wantNot(t, `id="profile-banner"`)

		// The ID stays bound whatever the form says.
		p = b.post("/my/profile", url.Values{"name": {"王晓明"}, "id_number": {validID(13)}, "kind": {"entity"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("rename: %d\n%s", p.status, p.body)
		}
		b.get("/my/profile").want(t, http.StatusOK, "王晓明", identity.Mask(good), "居民身份证")
		// A bad e-mail is refused by its field.
		p = b.post("/my/profile", url.Values{"name": {"王晓明"}, "email": {"not-mail"}})
		p.want(t, http.StatusUnprocessableEntity)
		if m := p.fieldMessage("msg-email"); !strings.Contains(m, "电子邮箱") {
			t.Errorf("bad e-mail: %q", m)
		}
	})
}

func TestOnlineUploadsAndSubmission(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withFiles(t)
		b := h.applicantAs(t, "13800000013", "person", "王小明", "resident_id", validID(21))
		list := b.get("/my/apply")
		list.want(t, http.StatusOK, "临时占用城市道路审批", "食品经营许可（新办）", "全程网办", "网上预审", `href="/my/apply/CGJ-XK-003"`)
		list.wantNot(t, "个体工商户设立登记") // an instant item: at the window only
		list.has(t, "the list", "该事项仅限法人或其他组织申请")
		b.get("/my/apply?q=占用").want(t, http.StatusOK, "临时占用城市道路审批")

		form := b.get("/my/apply/CGJ-XK-003")
		form.want(t, http.StatusOK, "临时占用城市道路审批", "占用道路位置图及占用方案", "必交", "视情形提交", "可上传电子版",
			`action="/my/drafts/new/files"`, `enctype="multipart/form-data"`, "保存草稿", "提交申报", "窗口领取", "邮寄送达")
		b.get("/my/apply/SCJG-XK-002").want(t, http.StatusOK, "预审通过后携带纸质材料到大厅") // 原《食品经营许可证》正副本

		// Refused files: each by its material, and no draft made.
		refused := []struct {
			name, file string
			content    []byte
			msg        string
		}{
			{"a PNG named .pdf", "位置图.pdf", pngBytes, "扩展名与内容不符"},
			{"a path in the name", "../../etc/位置图.pdf", pdfBytes, "文件名不能包含路径"},
			{"a Windows path", `C:\Users\wang\位置图.pdf`, pdfBytes, "文件名不能包含路径"},
			{"not a PDF, JPG or PNG", "位置图.pdf", []byte("GIF89a....."), "内容不是允许的类型"},
		}
		for _, r := range refused {
			p := b.upload("/my/drafts/new/files", field("item", "CGJ-XK-003"), field("material", "M03"), file("file", r.file, r.content))
			p.want(t, http.StatusUnprocessableEntity)
			if m := p.fieldMessage("msg-file-M03"); !strings.Contains(m, r.msg) {
				t.Errorf("%s: no %q by the material: %q", r.name, r.msg, m)
			}
		}
		b.get("/my/drafts").want(t, http.StatusOK, "没有草稿")

		// Over the size limit (20 MB): refused, nothing kept.
		big := make([]byte, 20<<20+1)
		copy(big, pdfBytes)
		p := b.upload("/my/drafts/new/files", field("item", "CGJ-XK-003"), field("material", "M01"), file("file", "大文件.pdf", big))
		p.want(t, http.StatusUnprocessableEntity)
		if m := p.fieldMessage("msg-file-M01"); !strings.Contains(m, "超过 20 MB 的上限") {
			t.Errorf("oversized: %q", m)
		}
		b.get("/my/drafts").want(t, http.StatusOK, "没有草稿")

		// The first good file makes the draft.
		draft := b.uploadTo(t, "new", "CGJ-XK-003", "M01")
		page := b.get("/my/drafts/" + draft)
		page.want(t, http.StatusOK, "已上传「M01 申请书.pdf」", "M01 申请书.pdf", "PDF", "字节", "删除")
		m01 := page.section(t, "m-M01", `class="material`)
		if !strings.Contains(m01, "/my/files/drafts/"+draft+"/") {
			t.Fatalf("no download link by M01:\n%s", m01)
		}
		// A refused file on the draft leaves its files as they are.
		p = b.upload("/my/drafts/"+draft+"/files", field("material", "M01"), file("file", "dir/x.pdf", pdfBytes))
		p.want(t, http.StatusUnprocessableEntity, "文件名不能包含路径")
		if n := strings.Count(p.section(t, "m-M01", `class="material`), "/files/delete"); n != 1 {
			t.Errorf("the draft has %d files of M01 after a refusal, want 1", n)
		}
		// No material outside the handbook.
		b.upload("/my/drafts/"+draft+"/files", field("material", "M99"), file("file", "x.pdf", pdfBytes)).want(t, http.StatusUnprocessableEntity, "办事指南未列明该材料")

		// Download: its own type, an attachment under its name, not sniffed.
		href := regexp.MustCompile(`href="(/my/files/drafts/` + draft + `/[0-9a-f]{64})"`).FindStringSubmatch(page.body)
		if href == nil {
			t.Fatalf("no file link\n%s", page.body)
		}
		dl := b.get(href[1])
		if dl.status != http.StatusOK || dl.body != string(pdfBytes)+"M01" {
			t.Fatalf("download: %d %q", dl.status, dl.body)
		}
		for k, want := range map[string]string{
			"Content-Type":           "application/pdf",
			"X-Content-Type-Options": "nosniff",
			"Content-Disposition":    `attachment; filename="M01 ___.pdf"; filename*=UTF-8''M01%20%E7%94%B3%E8%AF%B7%E4%B9%A6.pdf`,
		} {
			if got := dl.header.Get(k); got != want {
				t.Errorf("download %s: %q, want %q", k, got, want)
			}
		}

		// Delete a file, upload it again.
		sha := href[1][strings.LastIndex(href[1], "/")+1:]
		p = b.post("/my/drafts/"+draft+"/files/delete", url.Values{"material": {"M01"}, "sha": {sha}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("delete file: %d\n%s", p.status, p.body)
		}
		if m01 := b.get("/my/drafts/"+draft).section(t, "m-M01", `class="material`); strings.Contains(m01, "M01 申请书.pdf") {
			t.Errorf("the file is still listed after deleting it:\n%s", m01)
		}
		for _, m := range []string{"M01", "M02", "M03", "M04"} {
			b.uploadTo(t, draft, "CGJ-XK-003", m)
		}

		// Mail without an address: the draft keeps the choice, the
		// submission is refused by the field.
		p = b.post("/my/drafts/"+draft+"/submit", url.Values{"delivery.method": {"mail"}, "delivery.address": {""}})
		p.want(t, http.StatusUnprocessableEntity)
		if m := p.fieldMessage("msg-delivery-address"); !strings.Contains(m, "邮寄送达须填写详细地址") {
			t.Errorf("mail without address: %q", m)
		}
		b.get("/my/drafts").want(t, http.StatusOK, "4 个文件", "邮寄")
		p = b.post("/my/drafts/"+draft+"/submit", url.Values{"delivery.method": {"mail"}, "delivery.address": {"江川区滨河路66号3单元"}})
		m := caseLink.FindStringSubmatch(p.location)
		if p.status != http.StatusSeeOther || m == nil {
			t.Fatalf("submit: %d → %q\n%s", p.status, p.location, p.body)
		}
		number := m[1]
		cp := b.get("/my/cases/" + number)
		cp.want(t, http.StatusOK, "已提交网上申报", "待预审", "临时占用城市道路审批", "江川区滨河路66号3单元", identity.Mask(validID(21)),
			"部门预审的最晚时间", "M01 申请书.pdf", "撤回申请", `class="tl-deadline`)
		cp.wantNot(t, validID(21))
		b.get("/my/drafts").want(t, http.StatusOK, "没有草稿")
		row := b.get("/my").row(number)
		for _, s := range []string{"待预审", "临时占用城市道路审批", "预审期限", "剩余"} {
			if !strings.Contains(row, s) {
				t.Errorf("/my: the case's row does not show %q:\n%s", s, row)
			}
		}
		caseFile := regexp.MustCompile(`href="(/my/files/cases/` + number + `/[0-9a-f]{64})"`).FindStringSubmatch(cp.body)
		if caseFile == nil {
			t.Fatalf("no case file link\n%s", cp.body)
		}
		if dl := b.get(caseFile[1]); dl.status != http.StatusOK || dl.header.Get("Content-Type") != "application/pdf" {
			t.Errorf("case file: %d %q", dl.status, dl.header.Get("Content-Type"))
		}

		// Another applicant sees none of it.
		other := h.applicantAs(t, "13800000014", "person", "李四", "resident_id", validID(22))
		for _, path := range []string{"/my/cases/" + number, caseFile[1], href[1]} {
			if p := other.get(path); p.status != http.StatusForbidden && p.status != http.StatusNotFound {
				t.Errorf("another applicant opens %s: %d", path, p.status)
			}
		}
		if row := other.get("/my").row(number); row != "" {
			t.Errorf("another applicant's list shows the case:\n%s", row)
		}
		// Nor does a clerk through the applicant's pages.
		if p := h.signIn(t, "shouli").get("/my/cases/" + number); p.status != http.StatusSeeOther {
			t.Errorf("a clerk on /my/cases: %d", p.status)
		}

		// Withdraw: a reason is needed.
		p = b.post("/my/cases/"+number+"/withdraw", url.Values{"reason": {""}})
		p.want(t, http.StatusUnprocessableEntity)
		if m := p.fieldMessage("msg-reason"); !strings.Contains(m, "请填写原因") {
			t.Errorf("withdraw without reason: %q", m)
		}
		if p := b.post("/my/cases/"+number+"/withdraw", url.Values{"reason": {"施工计划取消"}}); p.status != http.StatusSeeOther {
			t.Fatalf("withdraw: %d\n%s", p.status, p.body)
		}
		b.get("/my/cases/"+number).want(t, http.StatusOK, "已撤回", "施工计划取消")
	})
}

func TestOnlinePreReviewCorrection(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withFiles(t)
		b := h.company(t, "13800000015")
		number := b.apply(t, "SCJG-XK-001", "M01", "M02", "M03", "M04", "M05")
		open(t, b, "/my/cases/"+number).want(t, http.StatusOK, "待预审", "食品经营许可（新办）", identity.Mask(companyCode))

		_, err := h.svc.Act(h.as["shenpi"], number, casework.ActFailPreReview, casework.Input{
			Reason: "经营场所平面布局图不清晰", CorrectionReasons: map[string]string{"M03": "请上传标明尺寸的平面布局图"}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		p := open(t, b, "/my/cases/"+number)
		p.want(t, http.StatusOK, "预审未通过", "经营场所平面布局图不清晰", "请上传标明尺寸的平面布局图",
			`action="/my/cases/`+number+`/resubmit"`, `name="file.M03"`, "重新提交")
		if row := b.get("/my").row(number); !strings.Contains(row, "预审未通过") {
			t.Errorf("/my: %s", row)
		}

		// A refused file stops the resubmission.
		p = b.upload("/my/cases/"+number+"/resubmit", field("version", "0"), file("file.M03", "布局图.pdf", pngBytes))
		p.want(t, http.StatusUnprocessableEntity, "补正材料未提交")
		if m := p.fieldMessage("msg-file-M03"); !strings.Contains(m, "扩展名与内容不符") {
			t.Errorf("refused correction: %q", m)
		}
		// Nothing chosen: the service's word.
		b.upload("/my/cases/"+number+"/resubmit", field("version", "0")).want(t, http.StatusUnprocessableEntity, "请上传补正后的材料")
		open(t, b, "/my/cases/"+number).want(t, http.StatusOK, "预审未通过")

		p = b.upload("/my/cases/"+number+"/resubmit", field("version", "0"), file("file.M03", "布局图（新）.png", pngBytes))
		if p.status != http.StatusSeeOther || p.location != "/my/cases/"+number {
			t.Fatalf("resubmit: %d → %q\n%s", p.status, p.location, p.body)
		}
		p = open(t, b, "/my/cases/"+number)
		p.want(t, http.StatusOK, "补正材料已重新提交", "待预审", "布局图（新）.png", "PNG")
		p.wantNot(t, `name="file.M03"`)

		// Pre-review passed: the paper to bring.
		h.act(t, "shenpi", number, casework.ActPassPreReview, casework.Input{})
		p = open(t, b, "/my/cases/"+number)
		p.want(t, http.StatusOK, "预审结果：通过", "请携带以下纸质材料")
		// A passed pre-review no longer reads as waiting for pre-review:
		// the state, its words and the next step all say so.
		p.want(t, http.StatusOK, `id="case-state">预审通过，待收件<`, "已通过网上预审", "办理收件")
		p.wantNot(t, `id="case-state">待预审<`, "等待预审", "告知网上预审结果")
	})
}

func TestOnlineDeliveryAndRating(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withFiles(t)
		b := h.company(t, "13800000016")
		draft := "new"
		for _, m := range []string{"M01", "M02", "M03", "M04"} {
			draft = b.uploadTo(t, draft, "SCJG-DJ-001", m)
		}
		p := b.post("/my/drafts/"+draft+"/submit", url.Values{"delivery.method": {"mail"}, "delivery.address": {"江川区滨河路18号"}, "delivery.recipient": {"陈经理"}})
		m := caseLink.FindStringSubmatch(p.location)
		if m == nil {
			t.Fatalf("submit: %d → %q\n%s", p.status, p.location, p.body)
		}
		number := m[1]
		for _, s := range []struct {
			who string
			a   casework.Action
			in  casework.Input
		}{
			{"shenpi", casework.ActAccept, casework.Input{}},
			{"shenpi", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "营业执照（变更）"}},
			{"shenpi", casework.ActSubmitResult, casework.Input{}},
			{"chujian", casework.ActAcceptResult, casework.Input{}},
			{"chujian", casework.ActMail, casework.Input{Carrier: "中国邮政EMS", Tracking: "1151234567890"}},
		} {
			h.act(t, s.who, number, s.a, s.in)
		}
		p = open(t, b, "/my/cases/"+number)
		p.want(t, http.StatusOK, `id="tracking"`, "中国邮政EMS", "1151234567890", "陈经理")
		p.wantNot(t, `action="/my/cases/`+number+`/rate"`, "撤回申请")

		h.act(t, "chujian", number, casework.ActConfirmDelivery, casework.Input{})
		p = open(t, b, "/my/cases/"+number)
		p.want(t, http.StatusOK, "已送达", "评价本次服务", "非常满意", "满意", "基本满意", "不满意", "非常不满意")
		p = b.post("/my/cases/"+number+"/rate", url.Values{"level": {"9"}})
		p.want(t, http.StatusUnprocessableEntity)
		if m := p.fieldMessage("msg-level"); !strings.Contains(m, "评价等级须为 1 至 5") {
			t.Errorf("bad level: %q", m)
		}
		if p := b.post("/my/cases/"+number+"/rate", url.Values{"level": {"5"}, "tags": {"一次办好"}, "real_name": {"1"}}); p.status != http.StatusSeeOther {
			t.Fatalf("rate: %d\n%s", p.status, p.body)
		}
		p = open(t, b, "/my/cases/"+number)
		p.want(t, http.StatusOK, "感谢您的评价：非常满意", "您评价了本次服务：非常满意", "您已评价")
		p.wantNot(t, `action="/my/cases/`+number+`/rate"`)
		if p := b.post("/my/cases/"+number+"/rate", url.Values{"level": {"4"}}); p.status != http.StatusConflict {
			t.Errorf("rating twice: %d, want 409", p.status)
		}
	})
}

func TestOnlineAgents(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		b := h.company(t, "13800000017")
		page := b.get("/my/agents")
		page.want(t, http.StatusOK, "尚未授权任何代办员", "孙磊", `value="daiban"`, "全部事项", "食品经营许可（新办）")

		until := start.AddDate(0, 3, 0).Format("2006-01-02")
		p := b.post("/my/agents", url.Values{"agent": {"daiban"}, "scope": {"items"}, "until": {until}})
		p.want(t, http.StatusUnprocessableEntity)
		if m := p.fieldMessage("msg-items"); !strings.Contains(m, "请选择授权的事项") {
			t.Errorf("no items: %q", m)
		}
		p = b.post("/my/agents", url.Values{"agent": {"daiban"}, "scope": {"all"}, "until": {start.AddDate(0, 0, -1).Format("2006-01-02")}})
		p.want(t, http.StatusUnprocessableEntity)
		if m := p.fieldMessage("msg-until"); !strings.Contains(m, "不能早于今天") {
			t.Errorf("until yesterday: %q", m)
		}
		p = b.follow(t, "/my/agents", url.Values{"agent": {"daiban"}, "scope": {"items"}, "items": {"SCJG-XK-001"}, "until": {until}})
		p.want(t, http.StatusOK, "已授权代办员 孙磊", "食品经营许可（新办）", until, "有效", "撤销")
		mandates, err := h.svc.Authorisations(h.as["daiban"])
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		for _, m := range mandates {
			if m.Applicant == companyName && m.RevokedAt.IsZero() {
				id = m.ID
			}
		}
		if id == 0 {
			t.Fatalf("daiban does not see the mandate: %+v", mandates)
		}
		p = b.follow(t, fmt.Sprintf("/my/agents/%d/revoke", id), nil)
		p.want(t, http.StatusOK, "授权已撤销", "已撤销")
		if strings.Contains(p.section(t, fmt.Sprintf("mandate-%d", id), "</tr>"), "/revoke") {
			t.Errorf("a revoked mandate still offers 撤销")
		}
		mandates, _ = h.svc.Authorisations(h.as["daiban"])
		for _, m := range mandates {
			if m.ID == id && m.Active(h.svc.Now().Add(time.Second)) {
				t.Errorf("the mandate is still active after revoking")
			}
		}
		// Another applicant cannot revoke someone else's mandate.
		other := h.otherCompany(t, "13800000018", 18)
		if p := other.post(fmt.Sprintf("/my/agents/%d/revoke", id), nil); p.status == http.StatusSeeOther {
			t.Errorf("another applicant revoked the mandate")
		}
	})
}

var fileInput = regexp.MustCompile(`name="(file\.[A-Z0-9-]+\.[A-Z0-9]+)"`)

func TestOnlineBundle(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withFiles(t)
		b := h.company(t, "13800000019")
		list := b.get("/my/bundles")
		list.want(t, http.StatusOK, "开办餐饮店“一件事”", "企业经营范围变更登记", "前置：企业经营范围变更登记", "并联办理", `href="/my/bundles/YJS-CY/apply"`)
		form := b.get("/my/bundles/YJS-CY/apply")
		form.want(t, http.StatusOK, "门店名称", "经营场所地址", "食品经营许可（新办）", "公共场所卫生许可（新办）", "设置大型户外广告审批")
		inputs := fileInput.FindAllStringSubmatch(form.body, -1)
		if len(inputs) < 10 {
			t.Fatalf("only %d file inputs\n%s", len(inputs), form.body)
		}

		// Upload one file to each material in one go, and a refused one:
		// the good ones are kept, the bad one named by its material.
		parts := []part{field("form.shop_name", "味香小馆"), field("do", "upload")}
		for _, in := range inputs {
			parts = append(parts, file(in[1], "材料.pdf", append(append([]byte{}, pdfBytes...), in[1]...)))
		}
		parts = append(parts, file("file.SCJG-XK-001.M03", "布局图.pdf", pngBytes))
		p := b.upload("/my/bundles/YJS-CY/apply", parts...)
		p.want(t, http.StatusUnprocessableEntity, "扩展名与内容不符", fmt.Sprintf("已上传 %d 个文件", len(inputs)), `value="味香小馆"`)

		// The form and files wait in the draft; a missing field stops the submission.
		p = b.upload("/my/bundles/YJS-CY/apply", field("form.shop_name", "味香小馆"), field("do", "submit"))
		p.want(t, http.StatusUnprocessableEntity, "请填写经营场所地址", "材料.pdf")
		p = b.upload("/my/bundles/YJS-CY/apply", field("form.shop_name", "味香小馆"), field("form.shop_address", "江川区滨河路18号"),
			field("form.area", "120"), field("form.contact", "陈经理"), field("delivery.method", "pickup"), field("do", "submit"))
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/my/bundles/view/") {
			t.Fatalf("submit the bundle: %d → %q\n%s", p.status, p.location, p.body)
		}
		view := open(t, b, p.location)
		view.want(t, http.StatusOK, "一件事编号", "办理中", "办结期限", "味香小馆", "企业经营范围变更登记", "待预审（等待前置事项）", "前置：企业经营范围变更登记")
		number := strings.TrimPrefix(p.location, "/my/bundles/view/")
		b.get("/my").want(t, http.StatusOK, number, "开办餐饮店")
		// The form is empty again.
		b.get("/my/bundles/YJS-CY/apply").wantNot(t, "味香小馆", "材料.pdf")
		// Another applicant cannot open it, nor tell it from a bundle that
		// does not exist (issue 10, defect 12).
		other := h.otherCompany(t, "13800000020", 20)
		other.get("/my")
		unknown := number[:len(number)-4] + "9999"
		sameAnswer(t, "another applicant's bundle", other.get(p.location), other.get("/my/bundles/view/"+unknown), number, unknown)
	})
}

// A draft is its account's alone: another applicant can neither open,
// add to nor delete it.
func TestOnlineDraftsAreOwn(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withFiles(t)
		a := h.company(t, "13800000021")
		draft := a.uploadTo(t, "new", "SCJG-XK-001", "M01")
		b := h.otherCompany(t, "13800000022", 22)
		for _, path := range []string{"/my/drafts/" + draft} {
			if p := b.get(path); p.status != http.StatusNotFound {
				t.Errorf("another applicant opens %s: %d", path, p.status)
			}
		}
		if p := b.upload("/my/drafts/"+draft+"/files", field("material", "M02"), file("file", "x.pdf", pdfBytes)); p.status != http.StatusNotFound {
			t.Errorf("another applicant uploads to the draft: %d", p.status)
		}
		if p := b.post("/my/drafts/"+draft+"/delete", nil); p.status == http.StatusSeeOther {
			t.Errorf("another applicant deletes the draft: %d", p.status)
		}
		a.get("/my/drafts/"+draft).want(t, http.StatusOK, "M01 申请书.pdf")
	})
}

// TestOnlineDraftLimit: an account at its drafts' limit is told so, by the
// material it uploaded to and on the joint application's form, before the
// file is kept; no draft is made.
func TestOnlineDraftLimit(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		files, err := blob.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		h.svc.Use(files, nil)
		kept := func() int {
			n := 0
			files.List(context.Background(), "", func(blob.Object) error { n++; return nil })
			return n
		}
		b := h.company(t, "13800000023")
		b.uploadTo(t, "new", "SCJG-XK-001", "M01")
		acc, err := h.svc.SignInApplicant(context.Background(), "13800000023", applicantPassword)
		if err != nil {
			t.Fatal(err)
		}
		if kept() != 1 {
			t.Fatalf("%d files kept after one upload", kept())
		}
		if err != nil {
			t.Fatal(err)
		}
		me := service.WithAccount(context.Background(), acc)
		for range h.svc.Config().MaxDrafts - 1 {
			if err := h.svc.SaveDraft(me, &service.OnlineDraft{ItemCode: "SCJG-XK-002"}); err != nil {
				t.Fatal(err)
			}
		}
		p := b.upload("/my/drafts/new/files", field("item", "SCJG-XK-001"), field("material", "M01"), file("file", "M01.pdf", pdfBytes))
		p.want(t, http.StatusUnprocessableEntity, "您已有 20 份未提交的草稿", "请先提交或删除不再需要的草稿")
		p = b.upload("/my/bundles/YJS-CY/apply", field("form.shop_name", "味香小馆"), field("do", "save"))
		p.want(t, http.StatusConflict, "您已有 20 份未提交的草稿")
		p = b.upload("/my/bundles/YJS-CY/apply", field("do", "upload"), file("file.SCJG-XK-001.M01", "材料.pdf", pdfBytes))
		p.want(t, http.StatusConflict, "您已有 20 份未提交的草稿")
		if n := kept(); n != 1 {
			t.Errorf("%d files kept; want only the first draft's", n)
		}
		if ds, _ := h.svc.Drafts(me); len(ds) != 20 {
			t.Errorf("%d drafts, want the 20 of the limit", len(ds))
		}
	})
}
