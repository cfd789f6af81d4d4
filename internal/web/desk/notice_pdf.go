package desk

import (
	"fmt"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/pdf"
	"github.com/onewindow/onewindow/internal/web/page"
)

// correctionNoticePDF writes the correction notice of p as a PDF with the
// words of its printed form (print/correction_notice.html), ID numbers
// masked as there, and a link to that printed form at printURL.
func correctionNoticePDF(p *printPage, printURL string) ([]byte, error) {
	d, ok := p.Data.(*casework.CorrectionData)
	if !ok {
		return nil, apperr.New(apperr.NotFound, "这份文书没有 PDF 版本")
	}
	you := "你"
	if d.Applicant.Kind == casework.Entity {
		you = "你单位"
	}
	doc := pdf.New(p.Doc.Title + " " + d.Number)
	doc.Center(p.Department)
	doc.Heading(p.Doc.Title)
	doc.Center("办件编号：" + d.Number)
	if p.Doc.Number != "" {
		doc.Center("文书编号：" + p.Doc.Number)
	}
	doc.Gap()
	doc.Text(d.Applicant.Name + "：")
	doc.Text(fmt.Sprintf("　　%s（%s：%s）申请办理的「%s」，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知%s需要补齐、补正的全部内容：",
		you, d.Applicant.IDType.Label(), d.Applicant.IDNumber, d.Item, you))
	doc.Gap()
	doc.Text("补正理由：")
	doc.Text(d.Reasons)
	doc.Gap()
	doc.Text("需补齐补正的材料：")
	if len(d.ToCorrect) == 0 {
		doc.Text("见补正理由")
	}
	for i, m := range d.ToCorrect {
		paper := "否"
		if m.Paper {
			paper = "是"
		}
		line := fmt.Sprintf("%d. %s（原件 %d 份，复印件 %d 份，纸质：%s）", i+1, m.Name, m.Originals, m.Copies, paper)
		if m.Reason != "" {
			line += "：" + m.Reason
		}
		doc.Text(line)
	}
	if len(d.Deadlines) > 0 {
		doc.Gap()
		doc.Text("期限及逾期后果：")
		for _, dl := range d.Deadlines {
			doc.Text(fmt.Sprintf("%s：%s 前；%s", dl.Label, page.FmtTime(dl.At, "2006年1月2日 15:04"), dl.Consequence))
		}
	}
	doc.Gap()
	if d.Notice != "" {
		doc.Text(d.Notice)
	}
	if d.Terms != "" {
		doc.Text(d.Terms)
	}
	where := "补正材料提交地点：" + p.Hall.Name + "综合受理窗口"
	if p.Hall.Address != "" {
		where += "（" + p.Hall.Address + "）"
	}
	doc.Text(where + "。")
	doc.Gap()
	doc.Text("审查人：" + p.Name(d.ReturnedBy))
	doc.Text("退回时间：" + page.FmtTime(d.ReturnedAt, "2006年1月2日 15:04"))
	doc.Gap()
	doc.Right(p.Department + "（盖章）")
	doc.Right(page.FmtTime(d.ReturnedAt, "2006年1月2日"))
	doc.Gap()
	doc.Link("网页打印版："+printURL, printURL)
	return doc.Bytes(), nil
}
