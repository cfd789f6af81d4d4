// Package rating holds 好差评 (GB/T 39734/39735-2020): the five-level rating
// of a visit or a case, its later addition (追加评价), and the
// rectification (差评整改) every bad rating opens, with its transition
// table, its deadline and its appeal path. It knows nothing of SQL or HTTP.
package rating

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Level is one of the five levels of GB/T 39735.
type Level int

// The levels, best first.
const (
	VerySatisfied    Level = 5 // 非常满意
	Satisfied        Level = 4 // 满意
	FairlySatisfied  Level = 3 // 基本满意
	Dissatisfied     Level = 2 // 不满意
	VeryDissatisfied Level = 1 // 非常不满意
)

// Levels lists the levels, best first.
var Levels = []Level{VerySatisfied, Satisfied, FairlySatisfied, Dissatisfied, VeryDissatisfied}

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { return l >= VeryDissatisfied && l <= VerySatisfied }

// Bad reports whether l is a bad rating (差评): 不满意 or 非常不满意.
func (l Level) Bad() bool { return l == Dissatisfied || l == VeryDissatisfied }

// Label returns the level's Chinese name.
func (l Level) Label() string {
	switch l {
	case VerySatisfied:
		return "非常满意"
	case Satisfied:
		return "满意"
	case FairlySatisfied:
		return "基本满意"
	case Dissatisfied:
		return "不满意"
	case VeryDissatisfied:
		return "非常不满意"
	}
	return ""
}

// Channel is how a rating arrived (GB/T 39734's rating channels).
type Channel string

// The channels.
const (
	PC       Channel = "pc"       // 政务服务网 on a computer
	Mobile   Channel = "mobile"   // 移动端
	QR       Channel = "qr"       // 二维码
	Pad      Channel = "pad"      // 窗口评价器（平板）
	Terminal Channel = "terminal" // 大厅其他自助终端
	Phone    Channel = "phone"    // 电话
	SMS      Channel = "sms"      // 短信
)

// Channels lists every channel.
var Channels = []Channel{PC, Mobile, QR, Pad, Terminal, Phone, SMS}

// VisitChannels are the channels of an on-site rating of a visit: the pad
// facing the applicant, a hall terminal, or the QR code on the ticket.
var VisitChannels = []Channel{Pad, Terminal, QR, Mobile}

// CaseChannels are the channels of an online rating of a case.
var CaseChannels = []Channel{PC, Mobile, QR, Terminal, Phone, SMS}

// Label returns the channel's Chinese name.
func (c Channel) Label() string {
	switch c {
	case PC:
		return "电脑端"
	case Mobile:
		return "移动端"
	case QR:
		return "二维码"
	case Pad:
		return "窗口评价器"
	case Terminal:
		return "大厅自助终端"
	case Phone:
		return "电话"
	case SMS:
		return "短信"
	}
	return ""
}

// Tag is one of the fixed reasons a rater may tick.
type Tag string

// GoodTags are the reasons offered with a good rating, BadTags those
// offered with a bad one; either may be ticked with any level.
var (
	GoodTags = []Tag{"办事效率高", "服务热情", "一次办好", "指引清晰", "材料精简", "环境舒适"}
	BadTags  = []Tag{"材料要求不清", "等候时间长", "态度不好", "多次跑动", "办理超时", "解答不专业", "系统故障"}
)

// Tags lists every tag, good first.
func Tags() []Tag { return append(slices.Clone(GoodTags), BadTags...) }

// Valid reports whether t is one of the fixed tags.
func (t Tag) Valid() bool { return slices.Contains(GoodTags, t) || slices.Contains(BadTags, t) }

// Limits of what a rater may write.
const (
	MaxText = 500 // characters of free text
	MaxTags = 8
)

// validTags checks tags: known, none twice, at most MaxTags.
func validTags(c *apperr.Collector, field string, tags []Tag) {
	if len(tags) > MaxTags {
		c.Add(field, "标签最多选 8 个")
		return
	}
	for i, t := range tags {
		if !t.Valid() {
			c.Add(field, "未知的评价标签："+string(t))
			return
		}
		if slices.Contains(tags[:i], t) {
			c.Add(field, "评价标签重复："+string(t))
			return
		}
	}
}

func validText(c *apperr.Collector, field, text string) {
	c.Check(utf8.ValidString(text) && utf8.RuneCountInString(text) <= MaxText, field, "评价内容不超过 500 个字")
}

var phonePattern = regexp.MustCompile(`^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$`)

// Input is what a rater gives: nothing here is filled in by staff.
type Input struct {
	Level    Level   `json:"level" minimum:"1" maximum:"5" doc:"5 非常满意，4 满意，3 基本满意，2 不满意，1 非常不满意"`
	Tags     []Tag   `json:"tags,omitempty" maxItems:"8" doc:"评价标签，取自固定清单"`
	Text     string  `json:"text,omitempty" maxLength:"500" doc:"评价内容，不超过 500 字"`
	Channel  Channel `json:"channel" enum:"pc,mobile,qr,pad,terminal,phone,sms" doc:"评价渠道：现场评价 pad, terminal, qr, mobile；办件网上评价 pc, mobile, qr, terminal, phone, sms"`
	RealName bool    `json:"real_name,omitempty" doc:"实名评价；实名时须填姓名和电话，以便回访"`
	Name     string  `json:"name,omitempty" maxLength:"50" doc:"评价人姓名（实名评价）"`
	Phone    string  `json:"phone,omitempty" maxLength:"20" doc:"评价人电话（实名评价）"`
}

// Validate checks the input against the channels allowed for where it was
// given (VisitChannels or CaseChannels).
func (in *Input) Validate(channels []Channel) error {
	in.Text, in.Name, in.Phone = strings.TrimSpace(in.Text), strings.TrimSpace(in.Name), strings.TrimSpace(in.Phone)
	var c apperr.Collector
	c.Check(in.Level.Valid(), "level", "评价等级须为 1 至 5")
	validTags(&c, "tags", in.Tags)
	validText(&c, "text", in.Text)
	c.Check(slices.Contains(channels, in.Channel), "channel", "此处不能使用该评价渠道："+string(in.Channel))
	if in.RealName {
		c.Check(in.Name != "" && utf8.RuneCountInString(in.Name) <= 50, "name", "实名评价须填写姓名（不超过 50 个字）")
		c.Check(phonePattern.MatchString(in.Phone), "phone", "实名评价须填写有效的手机号或固定电话")
	} else {
		c.Check(in.Name == "" && in.Phone == "", "real_name", "匿名评价不留姓名和电话；如需回访，请选择实名评价")
	}
	return c.Err("评价内容有误")
}

// Rating is one rating, as given: never changed afterwards. An addition is
// recorded beside it.
type Rating struct {
	ID         int64     `json:"id"`
	Level      Level     `json:"level"`
	Tags       []Tag     `json:"tags"`
	Text       string    `json:"text"`
	Channel    Channel   `json:"channel"`
	TicketID   string    `json:"ticket_id,omitempty"`   // the visit rated, for an on-site rating
	CaseNumber string    `json:"case_number,omitempty"` // the case rated, for an online rating
	HallCode   string    `json:"hall,omitempty"`
	Window     string    `json:"window,omitempty"` // the window's number in its hall
	Clerk      string    `json:"clerk,omitempty"`  // the staff member's username
	Department string    `json:"department,omitempty"`
	RealName   bool      `json:"real_name"`
	Name       string    `json:"name,omitempty"`  // the rater's, real-name ratings only
	Phone      string    `json:"phone,omitempty"` // the rater's, real-name ratings only
	CreatedAt  time.Time `json:"created_at"`
	Addition   *Addition `json:"addition,omitempty"`
	// KeyHash is the hash of the key the rater was given to add to the
	// rating later; the key itself is never stored.
	KeyHash string `json:"-"`
}

// New makes the rating of in, given at now.
func New(in Input, now time.Time) *Rating {
	r := &Rating{Level: in.Level, Tags: slices.Clone(in.Tags), Text: in.Text, Channel: in.Channel, RealName: in.RealName, CreatedAt: now}
	if r.Tags == nil {
		r.Tags = []Tag{}
	}
	if in.RealName {
		r.Name, r.Phone = in.Name, in.Phone
	}
	return r
}

// Masked returns the rating with the rater's name and phone masked, as every
// list and screen shows it.
func (r Rating) Masked() Rating {
	r.Name, r.Phone = MaskName(r.Name), MaskPhone(r.Phone)
	return r
}

// MaskName keeps a name's first character: 张**.
func MaskName(s string) string {
	rs := []rune(s)
	for i := 1; i < len(rs); i++ {
		rs[i] = '*'
	}
	return string(rs)
}

// MaskPhone keeps a phone number's first 3 and last 4 characters.
func MaskPhone(s string) string {
	rs := []rune(s)
	if len(rs) <= 7 {
		return strings.Repeat("*", len(rs))
	}
	for i := 3; i < len(rs)-4; i++ {
		rs[i] = '*'
	}
	return string(rs)
}

// Addition is what a rater adds to a rating later (追加评价): tags and text,
// never a new level.
type Addition struct {
	Tags      []Tag     `json:"tags"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// AdditionInput is what a rater gives to add to a rating.
type AdditionInput struct {
	Tags []Tag  `json:"tags,omitempty" maxItems:"8" doc:"追加的评价标签"`
	Text string `json:"text,omitempty" maxLength:"500" doc:"追加的评价内容，不超过 500 字"`
}

// Settings are the rating rules that vary by locality.
type Settings struct {
	AdditionDays      int           // calendar days after the rating in which it may be added to
	RectificationDays int           // working days to rectify a bad rating
	VisitTokenTTL     time.Duration // how long a visit's rating token may be used
}

// DefaultSettings returns DESIGN.md's defaults: additions within 7 days,
// rectification within 5 working days; a visit may be rated for a day.
func DefaultSettings() Settings {
	return Settings{AdditionDays: 7, RectificationDays: 5, VisitTokenTTL: 24 * time.Hour}
}

// Add checks an addition to r at now and returns it: within the period, at
// most once, with something to add.
func (r *Rating) Add(in AdditionInput, s Settings, now time.Time) (*Addition, error) {
	in.Text = strings.TrimSpace(in.Text)
	if r.Addition != nil {
		return nil, apperr.New(apperr.Conflict, "该评价已追加过，不能再次追加")
	}
	if now.After(r.CreatedAt.AddDate(0, 0, s.AdditionDays)) {
		return nil, apperr.New(apperr.Conflict, "追加评价须在评价后 %d 日内进行，已过期", s.AdditionDays)
	}
	var c apperr.Collector
	c.Check(len(in.Tags) > 0 || in.Text != "", "text", "请填写追加的评价内容或选择标签")
	validTags(&c, "tags", in.Tags)
	validText(&c, "text", in.Text)
	if err := c.Err("追加评价有误"); err != nil {
		return nil, err
	}
	tags := slices.Clone(in.Tags)
	if tags == nil {
		tags = []Tag{}
	}
	return &Addition{Tags: tags, Text: in.Text, CreatedAt: now}, nil
}
