package network

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
)

// Cargo is what a batch carries. Paper goes from the hall that took a case
// in to the district hall; results go from the district hall to a street
// or community pickup hall, and the signed delivery receipts back, each on
// batches of their own.
type Cargo string

// The cargoes.
const (
	Paper   Cargo = "paper"   // 申请材料
	Result  Cargo = "result"  // 办理结果
	Receipt Cargo = "receipt" // 送达回执
)

// Cargoes lists every cargo.
var Cargoes = []Cargo{Paper, Result, Receipt}

// Valid reports whether c is a cargo.
func (c Cargo) Valid() bool { return slices.Contains(Cargoes, c) }

// Label names the cargo.
func (c Cargo) Label() string {
	switch c {
	case Result:
		return "办理结果"
	case Receipt:
		return "送达回执"
	}
	return "纸质申请材料"
}

// SheetTitle is the title of the cargo's printed batch sheet.
func (c Cargo) SheetTitle() string {
	switch c {
	case Result:
		return "办理结果交接单"
	case Receipt:
		return "送达回执交接单"
	}
	return "纸质材料交接单"
}

// ArrivalWords says what the signature on arrival starts, for the sheet
// and the pages.
func (c Cargo) ArrivalWords() string {
	switch c {
	case Result:
		return "领取大厅签收后，其综合出件窗口方可核验接收结果、通知申请人领取；缺失或损毁的结果退回区政务服务中心重新交接。"
	case Receipt:
		return "区政务服务中心签收后，部门自签收时起 1 个工作日内归档（R12）；缺失或损毁的回执退回领取大厅重新交接。"
	}
	return "区政务服务中心签收后，部门自签收时起计算材料交接时限；申请人的受理等期限从收件时起算，不因交接延长。"
}

// The codes of the one "material" a result or receipt entry carries, so
// that sheets, counts and problems treat every cargo alike.
const (
	ResultCode  = "result"
	ReceiptCode = "receipt"
)

// BatchState is where a batch (交接批次) stands.
type BatchState string

// The batch states, in order.
const (
	Prepared  BatchState = "prepared"   // 已组批: the sheet is printed, the batch has not left
	InTransit BatchState = "in_transit" // 在途: signed out at the sending hall
	Arrived   BatchState = "arrived"    // 已签收: signed in at the receiving hall
)

// Label names the state.
func (s BatchState) Label() string {
	switch s {
	case Prepared:
		return "已组批，待签出"
	case InTransit:
		return "在途"
	case Arrived:
		return "已签收"
	}
	return string(s)
}

// Entry is one case's cargo in a batch: for paper, the paper materials
// with their counts; for a result, one line (ResultCode) naming the result
// document; for a receipt, one line (ReceiptCode).
type Entry struct {
	Case       string                  `json:"case" doc:"办件编号"`
	Trip       int                     `json:"trip" doc:"该办件的第几次交接（退回后重新交接时加 1）"`
	Item       string                  `json:"item" doc:"事项名称"`
	Department string                  `json:"department" doc:"实施部门编码"`
	Applicant  string                  `json:"applicant" doc:"申请人（已脱敏）"`
	ReceivedAt time.Time               `json:"received_at" doc:"收件时间"`
	Materials  []casework.MaterialLine `json:"materials" doc:"随批纸质材料及份数"`
	// SentBack is set on sign-in when paper of the entry was missing or
	// damaged: the case's paper goes back to the sending hall.
	SentBack bool `json:"sent_back,omitempty" doc:"因材料缺失或损毁退回发出大厅"`
}

// ProblemKind is what was wrong with a material on arrival.
type ProblemKind string

// The problems.
const (
	Missing ProblemKind = "missing" // 缺失
	Damaged ProblemKind = "damaged" // 损毁
)

// Label names the problem.
func (k ProblemKind) Label() string {
	if k == Damaged {
		return "损毁"
	}
	return "缺失"
}

// Problem is a material missing or damaged on arrival, recorded against
// the batch; the case's paper is sent back.
type Problem struct {
	Case     string      `json:"case" doc:"办件编号"`
	Material string      `json:"material" doc:"材料编码"`
	Kind     ProblemKind `json:"kind" enum:"missing,damaged" doc:"missing 缺失；damaged 损毁"`
	Note     string      `json:"note,omitempty" doc:"情况说明"`
}

// Batch is one transit run's cargo from one hall to another (交接批次),
// with its printable sheet and the signatures at both ends.
type Batch struct {
	ID         int64      `json:"-"`
	Number     string     `json:"number" doc:"批次号"`
	Cargo      Cargo      `json:"cargo" doc:"paper 纸质申请材料；result 办理结果；receipt 送达回执"`
	From       string     `json:"from" doc:"发出大厅编码"`
	To         string     `json:"to" doc:"接收大厅编码"`
	Run        time.Time  `json:"run" doc:"交接班次"`
	State      BatchState `json:"state" doc:"prepared 已组批；in_transit 在途；arrived 已签收"`
	Entries    []Entry    `json:"entries"`
	Problems   []Problem  `json:"problems,omitempty" doc:"签收时登记的缺失、损毁材料"`
	PreparedAt time.Time  `json:"prepared_at"`
	PreparedBy string     `json:"prepared_by"`
	OutAt      time.Time  `json:"signed_out_at,omitzero"`
	OutBy      string     `json:"signed_out_by,omitempty"`
	Courier    string     `json:"courier,omitempty" doc:"交接人（送件人）姓名"`
	InAt       time.Time  `json:"signed_in_at,omitzero"`
	InBy       string     `json:"signed_in_by,omitempty"`
	Version    int        `json:"version"`
}

// Counts are a batch's totals, printed on its sheet.
type Counts struct {
	Cases     int `json:"cases"`
	Materials int `json:"materials"`
	Originals int `json:"originals"`
	Copies    int `json:"copies"`
}

// Counts returns the batch's totals.
func (b *Batch) Counts() Counts {
	n := Counts{Cases: len(b.Entries)}
	for _, e := range b.Entries {
		n.Materials += len(e.Materials)
		for _, m := range e.Materials {
			n.Originals += m.Originals
			n.Copies += m.Copies
		}
	}
	return n
}

// NewBatch returns a prepared batch of entries from one hall to another
// on run. It refuses an empty one.
func NewBatch(cargo Cargo, from, to string, run time.Time, entries []Entry, at time.Time, by string) (*Batch, error) {
	if len(entries) == 0 {
		return nil, apperr.New(apperr.Conflict, "没有待交接的%s，无需组批", cargo.Label())
	}
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Case, b.Case) })
	return &Batch{Cargo: cargo, From: from, To: to, Run: run, State: Prepared, Entries: entries, PreparedAt: at, PreparedBy: by}, nil
}

// SignOut records the batch leaving the sending hall with courier.
func (b *Batch) SignOut(at time.Time, by, courier string) error {
	if b.State != Prepared {
		return apperr.New(apperr.Conflict, "批次 %s %s，不能签出", b.Number, b.State.Label())
	}
	courier = strings.TrimSpace(courier)
	if courier == "" || utf8.RuneCountInString(courier) > 50 {
		return apperr.Field("courier", "请填写交接人（送件人）姓名，不超过 50 个字")
	}
	b.State, b.OutAt, b.OutBy, b.Courier = InTransit, at, by, courier
	return nil
}

// SignIn records the batch's arrival at the receiving hall with the
// problems found; every entry with a problem is sent back. It returns the
// entries that arrived whole and those sent back.
func (b *Batch) SignIn(at time.Time, by string, problems []Problem) (arrived, sentBack []Entry, err error) {
	if b.State != InTransit {
		return nil, nil, apperr.New(apperr.Conflict, "批次 %s %s，不能签收", b.Number, b.State.Label())
	}
	var c apperr.Collector
	back := map[string]bool{}
	for i := range problems {
		p := &problems[i]
		p.Note = strings.TrimSpace(p.Note)
		e := b.entry(p.Case)
		switch {
		case e == nil:
			c.Add("problems", "办件 "+p.Case+" 不在本批次中")
		case !slices.ContainsFunc(e.Materials, func(m casework.MaterialLine) bool { return m.Code == p.Material }):
			c.Add("problems", "办件 "+p.Case+" 的随批材料中没有 "+p.Material)
		case p.Kind != Missing && p.Kind != Damaged:
			c.Add("problems", "材料问题须为 missing（缺失）或 damaged（损毁）")
		case utf8.RuneCountInString(p.Note) > 200:
			c.Add("problems", "情况说明不超过 200 个字")
		default:
			back[p.Case] = true
		}
	}
	if err := c.Err("签收登记有误，未签收"); err != nil {
		return nil, nil, err
	}
	b.State, b.InAt, b.InBy, b.Problems = Arrived, at, by, problems
	for i := range b.Entries {
		if back[b.Entries[i].Case] {
			b.Entries[i].SentBack = true
			sentBack = append(sentBack, b.Entries[i])
		} else {
			arrived = append(arrived, b.Entries[i])
		}
	}
	return arrived, sentBack, nil
}

func (b *Batch) entry(number string) *Entry {
	for i := range b.Entries {
		if b.Entries[i].Case == number {
			return &b.Entries[i]
		}
	}
	return nil
}
