package admin

import (
	"net/http"

	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// Departments, halls and their windows.

var (
	levelOptions      = []option{{string(org.District), "区政务服务中心"}, {string(org.Street), "街道为民服务中心"}, {string(org.Community), "村(社区)便民服务站"}}
	windowKindOptions = []option{{string(org.IntakeWindow), "综合受理窗口"}, {string(org.IssuanceWindow), "综合出件窗口"}, {string(org.SpecialisedWindow), "专业窗口"}}
)

type hallRow struct {
	Hall       org.Hall
	LevelLabel string
	ParentName string
	Windows    []windowRow
}

type windowRow struct {
	Window         org.Window
	KindLabel      string
	DepartmentName string
}

type hallsData struct {
	adminPage
	Halls        []hallRow
	AllHalls     []org.Hall
	Departments  []org.Department
	Levels       []option
	WindowKinds  []option
	Hall, Window subform
}

func (h *Handlers) adminHalls(w http.ResponseWriter, r *http.Request) {
	h.showHalls(w, r, http.StatusOK, page.View{}, subform{}, subform{})
}

func (h *Handlers) showHalls(w http.ResponseWriter, r *http.Request, status int, v page.View, hallF, windowF subform) {
	ctx := r.Context()
	if err := h.svc.MayAdminister(ctx, service.SectionOrg); err != nil {
		h.refuse(w, r, err)
		return
	}
	halls, err := h.svc.Halls(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	windows, err := h.svc.Windows(ctx, "")
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	depts, err := h.svc.Departments(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	deptName := map[string]string{}
	for _, d := range depts {
		deptName[d.Code] = d.Name
	}
	hallName := map[string]string{}
	for _, x := range halls {
		hallName[x.Code] = x.Name
	}
	d := hallsData{adminPage: h.adminTabs(r), AllHalls: halls, Departments: depts, Levels: levelOptions, WindowKinds: windowKindOptions,
		Hall: hallF, Window: windowF}
	for _, x := range halls {
		row := hallRow{Hall: x, LevelLabel: label(levelOptions, string(x.Level)), ParentName: hallName[x.ParentCode]}
		for _, win := range windows {
			if win.HallCode == x.Code {
				row.Windows = append(row.Windows, windowRow{win, label(windowKindOptions, string(win.Kind)), deptName[win.DepartmentCode]})
			}
		}
		d.Halls = append(d.Halls, row)
	}
	if v.Title == "" {
		v.Title = "大厅和窗口"
	}
	v.Data = d
	h.Render(w, r, status, "admin_halls", v)
}

func (h *Handlers) addHall(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	hall := org.Hall{Code: p.Get("code"), Name: p.Get("name"), Level: org.HallLevel(p.Get("level")),
		ParentCode: p.Get("parent_code"), Address: p.Get("address")}
	if err := h.svc.CreateHall(r.Context(), &hall); err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.showHalls(w, r, status, v, splitErrors(&v, r), subform{})
		return
	}
	h.Redirect(w, r, "/admin/halls#hall-"+hall.Code, "已添加大厅："+hall.Name)
}

func (h *Handlers) addWindow(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	win := org.Window{HallCode: p.Get("hall_code"), Number: p.Get("number"), Name: p.Get("name"),
		Kind: org.WindowKind(p.Get("kind")), DepartmentCode: p.Get("department_code")}
	if err := h.svc.CreateWindow(r.Context(), &win); err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.showHalls(w, r, status, v, subform{}, splitErrors(&v, r))
		return
	}
	h.Redirect(w, r, "/admin/halls#hall-"+win.HallCode, "已添加窗口："+win.HallCode+" "+win.Number+" "+win.Name)
}

type departmentsData struct {
	adminPage
	Departments []org.Department
}

func (h *Handlers) adminDepartments(w http.ResponseWriter, r *http.Request) {
	h.showDepartments(w, r, http.StatusOK, page.View{})
}

func (h *Handlers) showDepartments(w http.ResponseWriter, r *http.Request, status int, v page.View) {
	ctx := r.Context()
	if err := h.svc.MayAdminister(ctx, service.SectionOrg); err != nil {
		h.refuse(w, r, err)
		return
	}
	depts, err := h.svc.Departments(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	v.Title = "部门"
	v.Data = departmentsData{h.adminTabs(r), depts}
	h.Render(w, r, status, "admin_departments", v)
}

func (h *Handlers) addDepartment(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	d := org.Department{Code: p.Get("code"), Name: p.Get("name"), CreditCode: p.Get("credit_code")}
	if err := h.svc.CreateDepartment(r.Context(), &d); err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.showDepartments(w, r, status, v)
		return
	}
	h.Redirect(w, r, "/admin/departments", "已添加部门："+d.Name)
}
