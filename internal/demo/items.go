package demo

import "github.com/onewindow/onewindow/internal/catalog"

// Item codes read department-type-sequence: XK 许可, QR 确认, GF 给付,
// GG 公共服务. Time limits are working days. Where a law states calendar
// days ("日") the handbook records the same number as working days, as the
// district's handbooks do (行政许可法 art. 82 counts its limits in working
// days).

// matOpt adjusts a material from its default: required, one paper or
// electronic submission accepted.
type matOpt func(*catalog.Material)

var (
	optional   matOpt = func(m *catalog.Material) { m.Required = false }
	deferrable matOpt = func(m *catalog.Material) { m.Deferrable = true }
	paperOnly  matOpt = func(m *catalog.Material) { m.Electronic = false }
)

func note(s string) matOpt { return func(m *catalog.Material) { m.Notes = s } }

// shared marks a material the hall obtains itself through data sharing from
// source: the applicant need not bring it.
func shared(source string) matOpt { return func(m *catalog.Material) { m.Shared = source } }

func mat(code, name string, originals, copies int, opts ...matOpt) catalog.Material {
	m := catalog.Material{Code: code, Name: name, Required: true, Originals: originals, Copies: copies, Paper: true, Electronic: true}
	for _, o := range opts {
		o(&m)
	}
	return m
}

func kinds(k ...catalog.ApplicantKind) []catalog.ApplicantKind { return k }

const (
	noFee          = "不收费"
	siteInspection = "现场核查"
)

var (
	organisations = []catalog.ApplicantKind{catalog.Enterprise, catalog.Institution, catalog.SocialOrg, catalog.OtherOrg}
	builders      = []catalog.ApplicantKind{catalog.Enterprise, catalog.Institution, catalog.AdminOrgan, catalog.OtherOrg}
	anyone        = []catalog.ApplicantKind{catalog.NaturalPerson, catalog.Enterprise, catalog.Institution, catalog.SocialOrg, catalog.AdminOrgan, catalog.OtherOrg}
)

// clone copies a shared applicant-kind list so that no two items (and no two
// Load calls) share a backing array.
func clone(k []catalog.ApplicantKind) []catalog.ApplicantKind {
	return append([]catalog.ApplicantKind(nil), k...)
}

func items() []catalog.Item {
	return []catalog.Item{
		// ---- 区市场监督管理局 ----
		{
			Code: "SCJG-XK-001", Version: 1, Name: "食品经营许可（新办）", Type: catalog.Licence, DepartmentCode: "SCJG",
			Kind: catalog.Promised, StatutoryDays: 10, PromisedDays: 5, DeferralDays: 3,
			LegalBasis: "《中华人民共和国食品安全法》第三十五条：国家对食品生产经营实行许可制度。从事食品销售和餐饮服务，应当依法取得许可。" +
				"《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）。",
			Conditions: "（一）具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所，保持该场所环境整洁，并与有毒、有害场所以及其他污染源保持规定的距离；" +
				"（二）具有与经营的食品品种、数量相适应的经营设备或者设施；（三）有专职或者兼职的食品安全总监、食品安全员等食品安全管理人员和保证食品安全的规章制度；" +
				"（四）具有合理的设备布局和工艺流程，防止待加工食品与直接入口食品、原料与成品交叉污染；（五）法律、法规规定的其他条件。",
			Fees: noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: siteInspection + "：需要对申请材料的实质内容进行核实的，由两名以上核查人员进行现场核查；仅从事预包装食品销售的可不进行现场核查。",
			ApplicantKinds:    clone(organisations),
			Materials: []catalog.Material{
				mat("M01", "食品经营许可申请书", 1, 0, note("法定代表人（负责人）签字并加盖公章")),
				mat("M02", "营业执照或者其他主体资格证明文件", 0, 1, shared("电子证照库")),
				mat("M03", "与食品经营相适应的主要设备设施、经营布局、操作流程等文件", 1, 0, note("含经营场所平面布局图、设备布局图")),
				mat("M04", "食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度目录清单", 1, 0, deferrable),
				mat("M05", "食品安全管理人员任命文件及培训考核证明", 0, 1, deferrable),
				mat("M06", "授权委托书及委托代理人身份证明", 1, 1, optional, note("委托他人办理时提交")),
			},
		},
		{
			Code: "SCJG-XK-002", Version: 1, Name: "食品经营许可（延续）", Type: catalog.Licence, DepartmentCode: "SCJG",
			Kind: catalog.Promised, StatutoryDays: 10, PromisedDays: 3,
			LegalBasis: "《中华人民共和国食品安全法》第三十五条；《中华人民共和国行政许可法》第五十条；《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）。",
			Conditions: "持有有效《食品经营许可证》，在许可有效期届满前按规定期限提出延续申请；经营条件持续符合食品经营许可要求。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: siteInspection + "：申请人声明经营条件未发生变化的，可不再现场核查；经营条件发生变化的，按新办程序现场核查。",
			CollectAtIssuance: []string{"原《食品经营许可证》正本", "原《食品经营许可证》副本"},
			ApplicantKinds:    clone(organisations),
			// 委托初审: taken in at a street centre, the street's reviewer
			// checks the materials first (issue 15 item 4).
			InitialReviewDays: 1,
			Materials: []catalog.Material{
				mat("M01", "食品经营许可延续申请书", 1, 0),
				mat("M02", "原《食品经营许可证》正副本", 1, 1, paperOnly, note("受理时核验原件，留存复印件；原件在领取新证时收回")),
				mat("M03", "营业执照或者其他主体资格证明文件", 0, 1, shared("电子证照库")),
				mat("M04", "经营条件未发生变化的书面声明或与延续事项有关的其他材料", 1, 0),
				mat("M05", "授权委托书及委托代理人身份证明", 1, 1, optional, note("委托他人办理时提交")),
			},
		},
		{
			Code: "SCJG-XK-003", Version: 1, Name: "个体工商户设立登记", Type: catalog.Licence, DepartmentCode: "SCJG",
			Kind: catalog.Instant, StatutoryDays: 3, Delegated: true,
			LegalBasis: "《中华人民共和国市场主体登记管理条例》第十九条：登记机关对申请材料齐全、符合法定形式的予以确认并当场登记；不能当场登记的，应当在3个工作日内予以登记。" +
				"《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例实施细则》。",
			Conditions: "有经营能力的自然人；名称（如有）符合名称登记管理规定；有固定的经营场所；经营范围不属于法律、行政法规禁止的范围，涉及前置许可的已取得许可。",
			Fees:       noFee, OnlineLevel: catalog.OnlineFull,
			ApplicantKinds: kinds(catalog.NaturalPerson),
			Materials: []catalog.Material{
				mat("M01", "个体工商户登记（备案）申请书", 1, 0, note("经营者本人签字")),
				mat("M02", "经营者身份证明", 1, 0, note("居民身份证原件，现场核验并人证比对")),
				mat("M03", "经营场所使用证明", 0, 1, note("产权证明或租赁合同；实行住所（经营场所）申报承诺制的提交承诺书")),
				mat("M04", "前置审批许可文件", 0, 1, optional, note("经营范围涉及法律、行政法规规定的前置许可时提交")),
				mat("M05", "授权委托书及委托代理人身份证明", 1, 1, optional, note("委托他人办理时提交")),
			},
		},

		{
			Code: "SCJG-DJ-001", Version: 1, Name: "企业经营范围变更登记", Type: catalog.Confirmation, DepartmentCode: "SCJG",
			Kind: catalog.Promised, StatutoryDays: 3, PromisedDays: 1,
			LegalBasis: "《中华人民共和国市场主体登记管理条例》第二十四条、第十九条：申请材料齐全、符合法定形式的予以确认并当场登记；不能当场登记的，应当在3个工作日内予以登记。",
			Conditions: "已依法登记的企业；变更后的经营范围不属于法律、行政法规禁止的范围；涉及前置许可的已取得许可。",
			Fees:       noFee, OnlineLevel: catalog.OnlineFull,
			ApplicantKinds: kinds(catalog.Enterprise),
			Materials: []catalog.Material{
				mat("M01", "企业变更登记申请书", 1, 0, note("法定代表人签署")),
				mat("M02", "股东会决议或者股东决定", 1, 0),
				mat("M03", "章程修正案", 1, 0),
				mat("M04", "营业执照正副本", 0, 1, note("换发新照时收回原照")),
			},
		},

		// ---- 区卫生健康委员会 ----
		{
			Code: "WSJK-XK-001", Version: 1, Name: "公共场所卫生许可（新办）", Type: catalog.Licence, DepartmentCode: "WSJK",
			Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 5, DeferralDays: 3,
			LegalBasis: "《公共场所卫生管理条例》（2019年修订）；《公共场所卫生管理条例实施细则》（原卫生部令第80号，2017年修正）；《中华人民共和国行政许可法》第四十二条。",
			Conditions: "经营场所的选址、设计和卫生设施符合卫生标准和规范；建立卫生管理制度并配备专（兼）职卫生管理人员；直接为顾客服务的从业人员取得有效健康合格证明；经卫生检测或评价合格。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: siteInspection + "：对经营场所卫生设施、布局进行现场审核。",
			ApplicantKinds:    clone(organisations),
			Materials: []catalog.Material{
				mat("M01", "公共场所卫生许可申请表", 1, 0),
				mat("M02", "法定代表人或者负责人身份证明", 0, 1),
				mat("M03", "公共场所地址方位示意图、平面图和卫生设施平面布局图", 1, 0),
				mat("M04", "公共场所卫生检测或者评价报告", 1, 0, note("由具备资质的检测机构出具")),
				mat("M05", "公共场所卫生管理制度", 1, 0, deferrable),
				mat("M06", "从业人员健康合格证明", 0, 1, deferrable, note("直接为顾客服务的从业人员")),
				mat("M07", "集中空调通风系统卫生检测或者评价报告", 1, 0, optional, note("使用集中空调通风系统的提交")),
			},
		},
		{
			Code: "WSJK-XK-002", Version: 1, Name: "医疗机构执业登记", Type: catalog.Licence, DepartmentCode: "WSJK",
			Kind: catalog.Promised, StatutoryDays: 45, PromisedDays: 20,
			LegalBasis: "《医疗机构管理条例》（2022年修订）：医疗机构执业，必须进行登记，领取《医疗机构执业许可证》；执业登记机关应当自受理执业登记申请之日起45日内进行审核。" +
				"《医疗机构管理条例实施细则》。",
			Conditions: "取得设置医疗机构批准书或按规定备案；符合医疗机构的基本标准；有适合的名称、组织机构和场所；有与开展的业务相适应的经费、设施、设备和专业卫生技术人员；有相应的规章制度；能够独立承担民事责任。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: siteInspection + "：执业登记机关组织对医疗机构的场所、设备、人员进行实地审核。",
			ApplicantKinds:    kinds(catalog.Enterprise, catalog.Institution, catalog.SocialOrg),
			Materials: []catalog.Material{
				mat("M01", "医疗机构申请执业登记注册书", 1, 0),
				mat("M02", "设置医疗机构批准书或者备案回执", 1, 1),
				mat("M03", "医疗机构用房产权证明或者使用证明", 0, 1),
				mat("M04", "医疗机构建筑设计平面图", 1, 0),
				mat("M05", "验资证明、资产评估报告", 1, 0),
				mat("M06", "医疗机构规章制度", 1, 0),
				mat("M07", "医疗机构法定代表人或者主要负责人以及各科室负责人名录和有关资格证书、执业证书", 0, 1),
				mat("M08", "医疗废物处置协议", 0, 1, optional),
			},
		},
		{
			Code: "WSJK-GG-001", Version: 1, Name: "生育登记", Type: catalog.PublicService, DepartmentCode: "WSJK",
			Kind: catalog.Instant, Delegated: true,
			LegalBasis: "《中华人民共和国人口与计划生育法》（2021年修正）；《国家卫生计生委关于做好生育登记服务工作的指导意见》（国卫指导发〔2016〕4号）。",
			Conditions: "夫妻双方至少一方户籍在本区，或在本区居住的流动人口；登记不设前置条件，不以登记作为生育的审批。",
			Fees:       noFee, OnlineLevel: catalog.OnlineFull,
			ApplicantKinds: kinds(catalog.NaturalPerson),
			Materials: []catalog.Material{
				mat("M01", "生育登记表", 1, 0, note("现场或网上填写，夫妻双方签字承诺")),
				mat("M02", "夫妻双方居民身份证", 1, 0),
				mat("M03", "结婚证", 1, 0),
				mat("M04", "户口簿或居住证", 1, 0, shared("公安户籍信息共享")),
			},
		},

		// ---- 区规划和自然资源局 ----
		{
			Code: "GHZY-XK-001", Version: 1, Name: "建设用地规划许可证核发", Type: catalog.Licence, DepartmentCode: "GHZY",
			Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 5,
			LegalBasis: "《中华人民共和国城乡规划法》第三十七条、第三十八条；《中华人民共和国土地管理法》。",
			Conditions: "以划拨方式提供国有土地使用权的建设项目，已取得建设项目用地预审与选址意见书和有关批准、核准、备案文件；以出让方式取得国有土地使用权的，已签订国有建设用地使用权出让合同。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			ApplicantKinds: clone(builders),
			Materials: []catalog.Material{
				mat("M01", "建设用地规划许可申请表", 1, 0),
				mat("M02", "建设单位主体资格证明", 0, 1),
				mat("M03", "建设项目批准、核准或者备案文件", 0, 1),
				mat("M04", "国有建设用地使用权出让合同或建设项目用地预审与选址意见书", 0, 1, note("出让方式提交出让合同；划拨方式提交用地预审与选址意见书")),
				mat("M05", "宗地界址图（勘测定界图）", 1, 0, note("加盖测绘单位公章，附电子数据")),
				mat("M06", "授权委托书及委托代理人身份证明", 1, 1, optional, note("委托他人办理时提交")),
			},
		},
		{
			Code: "GHZY-XK-002", Version: 1, Name: "建设工程规划许可证核发", Type: catalog.Licence, DepartmentCode: "GHZY",
			Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 10,
			LegalBasis: "《中华人民共和国城乡规划法》第四十条：在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的，建设单位或者个人应当申请办理建设工程规划许可证。",
			Conditions: "已取得建设用地规划许可及土地权属证明；建设工程设计方案符合控制性详细规划和规划条件。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: "批前公示（公示期不计入审批时限）；重大项目设计方案组织专家论证（论证时间不计入审批时限）。",
			ApplicantKinds:    clone(anyone),
			Materials: []catalog.Material{
				mat("M01", "建设工程规划许可申请表", 1, 0),
				mat("M02", "建设单位（个人）主体资格证明", 0, 1),
				mat("M03", "使用土地的有关证明文件", 0, 1, note("不动产权证书或建设用地规划许可证、出让合同")),
				mat("M04", "建设工程设计方案（总平面图、单体建筑方案图、效果图等）", 2, 0, note("附电子报批文件")),
				mat("M05", "日照分析报告", 1, 0, optional, note("涉及日照影响的居住建筑项目提交")),
				mat("M06", "授权委托书及委托代理人身份证明", 1, 1, optional, note("委托他人办理时提交")),
			},
		},
		{
			Code: "GHZY-QR-001", Version: 1, Name: "国有建设用地使用权及房屋所有权转移登记", Type: catalog.Confirmation, DepartmentCode: "GHZY",
			Kind: catalog.Promised, StatutoryDays: 30, PromisedDays: 5,
			LegalBasis: "《中华人民共和国民法典》第二百零九条、第二百一十条；《不动产登记暂行条例》第十四条、第二十条：不动产登记机构应当自受理登记申请之日起30个工作日内办结不动产登记手续；《不动产登记暂行条例实施细则》。",
			Conditions: "因买卖、互换、赠与、继承、受遗赠、法院判决等导致不动产权利转移；不动产已办理首次登记；不存在查封等限制转移的情形。",
			Fees: "不动产登记费：住宅类每件80元，非住宅类每件550元，均含第一本证书工本费，每增加一本证书加收工本费10元；" +
				"小微企业免收（依据《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》发改价格规〔2016〕2559号）。",
			OnlineLevel:       catalog.OnlinePre,
			SpecialProcedures: "实地查看（必要时）；公告（需要时，公告期不计入办理时限）。",
			ApplicantKinds:    clone(anyone),
			Materials: []catalog.Material{
				mat("M01", "不动产登记申请书", 1, 0, note("双方当事人共同申请")),
				mat("M02", "申请人身份证明", 1, 1),
				mat("M03", "不动产权属证书", 1, 0, paperOnly, note("原件收回")),
				mat("M04", "不动产权利转移的证明材料", 1, 0, note("买卖合同、赠与合同、继承材料、生效法律文书等")),
				mat("M05", "完税凭证", 0, 1, note("契税等"), shared("税务部门数据共享")),
				mat("M06", "婚姻状况证明或声明", 1, 0),
				mat("M07", "授权委托书及委托代理人身份证明", 1, 1, optional, note("委托他人办理时提交；境外形成的须经公证或认证")),
			},
		},
		{
			Code: "GHZY-GG-001", Version: 1, Name: "不动产登记资料查询", Type: catalog.PublicService, DepartmentCode: "GHZY",
			Kind: catalog.Instant, StatutoryDays: 5,
			LegalBasis: "《不动产登记暂行条例》第二十七条：权利人、利害关系人可以依法查询、复制不动产登记资料；《不动产登记资料查询暂行办法》（原国土资源部令第80号）。",
			Conditions: "权利人查询本人不动产登记结果；利害关系人凭利害关系证明查询；符合条件的当场提供查询结果。由不动产登记专窗办理。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			ApplicantKinds: clone(anyone),
			Materials: []catalog.Material{
				mat("M01", "不动产登记资料查询申请书", 1, 0),
				mat("M02", "查询人身份证明", 1, 0),
				mat("M03", "利害关系证明材料", 1, 1, optional, note("利害关系人查询时提交")),
				mat("M04", "授权委托书及委托代理人身份证明", 1, 1, optional, note("委托他人查询时提交")),
			},
		},

		// ---- 区人力资源和社会保障局 ----
		{
			Code: "RSJ-XK-001", Version: 1, Name: "劳务派遣经营许可（新办）", Type: catalog.Licence, DepartmentCode: "RSJ",
			Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 10, DeferralDays: 5,
			LegalBasis: "《中华人民共和国劳动合同法》第五十七条；《劳务派遣行政许可实施办法》（人力资源社会保障部令第19号）：许可机关应当自受理之日起20个工作日内作出是否准予行政许可的决定。",
			Conditions: "（一）注册资本不得少于人民币二百万元；（二）有与开展业务相适应的固定的经营场所和设施；（三）有符合法律、行政法规规定的劳务派遣管理制度；（四）法律、行政法规规定的其他条件。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: siteInspection + "：根据需要对经营场所和设施进行实地核查。",
			ApplicantKinds:    kinds(catalog.Enterprise),
			Materials: []catalog.Material{
				mat("M01", "劳务派遣经营许可申请书", 1, 0),
				mat("M02", "营业执照", 0, 1, shared("电子证照库")),
				mat("M03", "公司章程以及验资机构出具的验资报告或者财务审计报告", 1, 1, note("证明注册资本不少于200万元")),
				mat("M04", "经营场所的使用证明", 0, 1),
				mat("M05", "与开展业务相适应的办公设施设备、信息管理系统等清单", 1, 0, deferrable),
				mat("M06", "法定代表人的身份证明", 0, 1),
				mat("M07", "劳务派遣管理制度及拟与用工单位签订的劳务派遣协议样本", 1, 0, note("含劳动合同、劳动报酬、社会保险、工作时间、休息休假、劳动纪律等制度文本")),
			},
		},
		{
			Code: "RSJ-XK-002", Version: 1, Name: "劳务派遣经营许可（延续）", Type: catalog.Licence, DepartmentCode: "RSJ",
			Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 10,
			LegalBasis: "《中华人民共和国行政许可法》第五十条；《劳务派遣行政许可实施办法》（人力资源社会保障部令第19号）：劳务派遣单位需要延续行政许可有效期的，应当在有效期届满60日前提出书面申请。",
			Conditions: "《劳务派遣经营许可证》有效期（3年）届满60日前提出申请；许可有效期内依法经营，持续符合许可条件。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			CollectAtIssuance: []string{"原《劳务派遣经营许可证》正本", "原《劳务派遣经营许可证》副本"},
			ApplicantKinds:    kinds(catalog.Enterprise),
			Materials: []catalog.Material{
				mat("M01", "劳务派遣经营许可延续申请书", 1, 0),
				mat("M02", "原《劳务派遣经营许可证》正副本", 1, 1, paperOnly, note("受理时核验原件，领取新证时收回")),
				mat("M03", "许可有效期内的经营情况报告", 1, 0, note("含劳务派遣协议履行、劳动者社会保险缴纳情况")),
				mat("M04", "近两年年度财务审计报告", 1, 0),
				mat("M05", "营业执照", 0, 1, shared("电子证照库")),
			},
		},
		{
			Code: "RSJ-GG-001", Version: 1, Name: "社会保障卡补换", Type: catalog.PublicService, DepartmentCode: "RSJ",
			Kind: catalog.Instant, Delegated: true,
			LegalBasis: "《中华人民共和国社会保险法》第五十八条：国家建立全国统一的个人社会保障号码，个人社会保障号码为公民身份号码。",
			Conditions: "已领取社会保障卡的参保人员，卡片遗失（已挂失）、损坏或信息变更需要补领、换领。",
			Fees:       noFee, OnlineLevel: catalog.OnlineFull,
			CollectAtIssuance: []string{"原社会保障卡（换卡时）"},
			ApplicantKinds:    kinds(catalog.NaturalPerson),
			Materials: []catalog.Material{
				mat("M01", "社会保障卡补换申请表", 1, 0, note("现场填写或自助终端打印")),
				mat("M02", "居民身份证", 1, 0),
				mat("M03", "近期免冠彩色证件照", 1, 0, optional, note("可现场采集")),
				mat("M04", "原社会保障卡", 1, 0, optional, paperOnly, note("换卡时提交，现场剪角回收")),
				mat("M05", "授权委托书及代办人身份证明", 1, 0, optional, note("他人代办时提交")),
			},
		},
		{
			Code: "RSJ-GG-002", Version: 1, Name: "《就业创业证》申领", Type: catalog.PublicService, DepartmentCode: "RSJ",
			Kind: catalog.Instant, Delegated: true,
			LegalBasis: "《中华人民共和国就业促进法》；《就业服务与就业管理规定》（人力资源社会保障部令修订）；" +
				"《人力资源社会保障部关于进一步完善就业失业登记管理办法的通知》（人社部发〔2014〕97号）。",
			Conditions: "法定劳动年龄内、有劳动能力的城乡劳动者，在户籍地或常住地申领；毕业年度内高校毕业生可在学校所在地或户籍地申领。",
			Fees:       noFee, OnlineLevel: catalog.OnlineFull,
			ApplicantKinds: kinds(catalog.NaturalPerson),
			Materials: []catalog.Material{
				mat("M01", "就业创业登记表", 1, 0, note("现场或网上填写")),
				mat("M02", "居民身份证", 1, 0),
				mat("M03", "居住证", 1, 0, optional, note("非本区户籍的常住人员提交")),
				mat("M04", "毕业证书", 1, 0, optional, note("高校毕业生提交，可通过学信网核验")),
			},
		},
		{
			Code: "RSJ-GG-003", Version: 1, Name: "城乡居民基本养老保险参保登记", Type: catalog.PublicService, DepartmentCode: "RSJ",
			Kind: catalog.Instant, Delegated: true,
			LegalBasis: "《中华人民共和国社会保险法》第二十条、第二十二条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）。",
			Conditions: "年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民，在户籍地参保。",
			Fees:       noFee, OnlineLevel: catalog.OnlineFull,
			ApplicantKinds: kinds(catalog.NaturalPerson),
			Materials: []catalog.Material{
				mat("M01", "城乡居民基本养老保险参保登记表", 1, 0),
				mat("M02", "居民身份证", 1, 0),
				mat("M03", "户口簿", 1, 0, shared("公安户籍信息共享")),
				mat("M04", "授权委托书及代办人身份证明", 1, 0, optional, note("他人代办时提交")),
			},
		},

		// ---- 区住房和城乡建设局 ----
		{
			Code: "ZJJ-XK-001", Version: 1, Name: "建筑工程施工许可证核发", Type: catalog.Licence, DepartmentCode: "ZJJ",
			Kind: catalog.Promised, StatutoryDays: 7, PromisedDays: 3, DeferralDays: 3,
			LegalBasis: "《中华人民共和国建筑法》第七条、第八条：建设行政主管部门应当自收到申请之日起七日内，对符合条件的申请颁发施工许可证。" +
				"《建筑工程施工许可管理办法》（住房和城乡建设部令第18号，2021年修正）。",
			Conditions: "已办理用地批准手续（依法应当办理的）；在城市、镇规划区的已取得建设工程规划许可证；施工场地已经基本具备施工条件；已经确定施工企业；" +
				"有满足施工需要的资金安排、施工图纸及技术资料，施工图设计文件已按规定审查合格；有保证工程质量和安全的具体措施。工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程可以不申请办理施工许可证。",
			Fees: noFee, OnlineLevel: catalog.OnlinePre,
			ApplicantKinds: clone(builders),
			Materials: []catalog.Material{
				mat("M01", "建筑工程施工许可申请表", 1, 0),
				mat("M02", "建设工程规划许可证", 0, 1, shared("工程建设项目审批管理系统")),
				mat("M03", "中标通知书或直接发包批准文件及施工合同", 0, 1),
				mat("M04", "委托监理合同", 0, 1, deferrable, note("依法应当委托监理的工程提交")),
				mat("M05", "施工图设计文件审查合格书", 0, 1),
				mat("M06", "建设资金已经落实承诺书", 1, 0),
				mat("M07", "保证工程质量和安全的具体措施", 1, 0, note("含质量安全监督手续所需材料")),
			},
		},
		{
			Code: "ZJJ-XK-002", Version: 1, Name: "商品房预售许可", Type: catalog.Licence, DepartmentCode: "ZJJ",
			Kind: catalog.Promised, StatutoryDays: 10, PromisedDays: 5,
			LegalBasis: "《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》（建设部令第131号修正）：房地产管理部门应当自收到商品房预售申请之日起10日内，作出同意预售或者不同意预售的答复。",
			Conditions: "（一）已交付全部土地使用权出让金，取得土地使用权证书；（二）持有建设工程规划许可证和施工许可证；（三）按提供预售的商品房计算，投入开发建设的资金达到工程建设总投资的25%以上，并已经确定施工进度和竣工交付日期。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: "现场查勘：核查工程形象进度。",
			ApplicantKinds:    kinds(catalog.Enterprise),
			Materials: []catalog.Material{
				mat("M01", "商品房预售许可申请表", 1, 0),
				mat("M02", "开发企业营业执照和资质证书", 0, 1),
				mat("M03", "不动产权证书（土地使用权证）、建设工程规划许可证、施工许可证", 0, 1),
				mat("M04", "投入开发建设资金达到工程建设总投资25%以上的证明及施工进度说明", 1, 0),
				mat("M05", "商品房预售方案", 1, 0, note("含预售房屋分层平面图、面积测绘报告")),
				mat("M06", "商品房预售资金监管协议", 1, 0),
			},
		},

		// ---- 区水务局 ----
		{
			Code: "SWJ-XK-001", Version: 1, Name: "取水许可", Type: catalog.Licence, DepartmentCode: "SWJ",
			Kind: catalog.Promised, StatutoryDays: 45, PromisedDays: 20,
			LegalBasis:  "《中华人民共和国水法》第七条、第四十八条；《取水许可和水资源费征收管理条例》：审批机关应当自受理取水申请之日起45个工作日内决定批准或者不批准；《取水许可管理办法》。",
			Conditions:  "取水符合水资源综合规划、流域综合规划、水功能区划和用水总量控制指标；已编制建设项目水资源论证报告书（表）并经审查；不损害第三者合法权益。",
			Fees:        "不收费（取用水后依法缴纳水资源税）",
			OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: "专家评审：组织专家对建设项目水资源论证报告书（表）进行技术审查，评审时间不计入审批时限；" +
				"必要时现场核查取水口位置。",
			ApplicantKinds: clone(builders),
			Materials: []catalog.Material{
				mat("M01", "取水许可申请书", 1, 0),
				mat("M02", "建设项目水资源论证报告书（表）", 2, 0, note("由具备相应能力的单位编制")),
				mat("M03", "与第三者利害关系的相关说明", 1, 0),
				mat("M04", "建设项目批准、核准或者备案文件", 0, 1),
				mat("M05", "取水口、退水口位置图及取水工程设施说明", 1, 0),
				mat("M06", "申请人主体资格证明", 0, 1),
			},
		},
		{
			Code: "SWJ-XK-002", Version: 1, Name: "城镇污水排入排水管网许可", Type: catalog.Licence, DepartmentCode: "SWJ",
			Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 5, DeferralDays: 3,
			LegalBasis: "《城镇排水与污水处理条例》第二十一条：从事工业、建筑、餐饮、医疗等活动的企业事业单位、个体工商户向城镇排水设施排放污水的，应当申请领取污水排入排水管网许可证。" +
				"《城镇污水排入排水管网许可管理办法》（住房和城乡建设部令第21号）。",
			Conditions: "排放口的设置符合城镇排水与污水处理规划要求；按规定建设相应的预处理设施和水质、水量检测设施；排放的污水符合国家或者地方规定的排放标准；法律、法规规定的其他条件。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: siteInspection + "：对排水户的预处理设施、检测井、排放口进行现场核查。",
			ApplicantKinds:    clone(organisations),
			Materials: []catalog.Material{
				mat("M01", "污水排入排水管网许可申请表", 1, 0),
				mat("M02", "排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明材料", 1, 0),
				mat("M03", "按规定建设污水预处理设施的有关材料", 1, 0, deferrable, note("需建设预处理设施的排水户提交")),
				mat("M04", "排水隐蔽工程竣工报告", 1, 0),
				mat("M05", "排水水质符合相关标准的检测报告", 1, 0, note("由具备资质的检测机构出具")),
				mat("M06", "营业执照", 0, 1, shared("电子证照库")),
			},
		},

		// ---- 区城市管理和综合执法局 ----
		{
			Code: "CGJ-XK-001", Version: 1, Name: "城市建筑垃圾处置核准", Type: catalog.Licence, DepartmentCode: "CGJ",
			Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 5,
			LegalBasis: "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）；《城市建筑垃圾管理规定》（建设部令第139号）：城市人民政府市容环境卫生主管部门应当在接到申请后20日内作出是否核准的决定。",
			Conditions: "提交建筑垃圾处置计划和运输路线；与具备建筑垃圾运输资格的运输单位签订运输合同；有建筑垃圾分类处置方案和对废混凝土、金属、木材等回收利用的方案；已落实消纳场所。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: "现场勘查：核查施工工地出入口、车辆冲洗设施。",
			ApplicantKinds:    clone(builders),
			Materials: []catalog.Material{
				mat("M01", "城市建筑垃圾处置核准申请表", 1, 0),
				mat("M02", "营业执照或者其他主体资格证明文件", 0, 1),
				mat("M03", "建筑垃圾处置方案", 1, 0, note("含产生量、分类处置及回收利用方案、运输路线")),
				mat("M04", "与核准运输单位签订的运输合同", 0, 1),
				mat("M05", "建筑垃圾消纳场所受纳证明或协议", 0, 1),
				mat("M06", "工地出入口及车辆冲洗设施平面示意图", 1, 0),
			},
		},
		{
			Code: "CGJ-XK-002", Version: 1, Name: "设置大型户外广告审批", Type: catalog.Licence, DepartmentCode: "CGJ",
			Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 5,
			LegalBasis: "《城市市容和环境卫生管理条例》第十一条：大型户外广告的设置必须征得城市人民政府市容环境卫生行政主管部门同意后，按照有关规定办理审批手续。" +
				"《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）。",
			Conditions: "设置位置符合户外广告设施设置规划；设施结构安全并由具备资质的单位设计；取得设置场地使用权；广告内容符合《中华人民共和国广告法》。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: "现场勘查；高位、大型广告设施结构安全技术审查（审查时间不计入审批时限）。",
			ApplicantKinds:    clone(organisations),
			Materials: []catalog.Material{
				mat("M01", "户外广告设施设置申请表", 1, 0),
				mat("M02", "营业执照或者其他主体资格证明文件", 0, 1),
				mat("M03", "设置位置图、实景效果图及设计图（标明尺寸、材质、照明方式）", 1, 0),
				mat("M04", "设置场地使用权证明", 0, 1, note("产权人同意书或租赁合同")),
				mat("M05", "广告设施结构安全设计文件", 1, 0, note("由具备资质的设计单位出具")),
			},
		},
		{
			Code: "CGJ-XK-003", Version: 1, Name: "临时占用城市道路审批", Type: catalog.Licence, DepartmentCode: "CGJ",
			Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 3,
			LegalBasis: "《城市道路管理条例》第三十一条：因特殊情况需要临时占用城市道路的，须经市政工程行政主管部门和公安交通管理部门批准，方可按照规定占用。",
			Conditions: "确因施工、抢修等特殊情况需要临时占用；占用期限、面积合理；影响交通安全的已取得公安机关交通管理部门同意；有安全防护和恢复措施。",
			Fees:       noFee, OnlineLevel: catalog.OnlineFull,
			SpecialProcedures: "现场勘查。",
			ApplicantKinds:    clone(anyone),
			Materials: []catalog.Material{
				mat("M01", "临时占用城市道路申请表", 1, 0),
				mat("M02", "申请人身份证明或主体资格证明", 0, 1),
				mat("M03", "占用道路位置图及占用方案", 1, 0, note("标明占用范围、面积、期限及安全防护措施")),
				mat("M04", "占用理由证明材料", 0, 1, note("施工合同、抢修任务单等")),
				mat("M05", "公安机关交通管理部门意见", 1, 0, optional, note("影响交通安全的提交")),
			},
		},

		// ---- 区民政局 ----
		{
			Code: "MZJ-XK-001", Version: 1, Name: "社会团体成立登记", Type: catalog.Licence, DepartmentCode: "MZJ",
			Kind: catalog.Promised, StatutoryDays: 60, PromisedDays: 20,
			LegalBasis: "《社会团体登记管理条例》第三条：成立社会团体，应当经其业务主管单位审查同意，并依照本条例的规定进行登记；第十条（成立条件）。",
			Conditions: "有50个以上的个人会员或者30个以上的单位会员（个人会员、单位会员混合组成的，会员总数不少于50个）；有规范的名称和相应的组织机构；有固定的住所；" +
				"有与其业务活动相适应的专职工作人员；地方性社会团体有3万元以上活动资金；有独立承担民事责任的能力。",
			Fees: noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: "实地考察（必要时）。",
			ApplicantKinds:    kinds(catalog.NaturalPerson, catalog.Enterprise, catalog.Institution, catalog.SocialOrg),
			Materials: []catalog.Material{
				mat("M01", "社会团体成立登记申请书", 1, 0),
				mat("M02", "业务主管单位的批准文件", 1, 0),
				mat("M03", "章程（经会员大会或会员代表大会通过）", 1, 0),
				mat("M04", "住所使用权证明", 0, 1),
				mat("M05", "验资报告或活动资金证明", 1, 0),
				mat("M06", "拟任负责人基本情况和身份证明", 0, 1),
				mat("M07", "会员名册", 1, 0),
			},
		},
		{
			Code: "MZJ-GF-001", Version: 1, Name: "最低生活保障审核确认", Type: catalog.Benefit, DepartmentCode: "MZJ",
			Kind: catalog.Promised, StatutoryDays: 30, PromisedDays: 20,
			LegalBasis: "《社会救助暂行办法》第九条至第十三条；《最低生活保障审核确认办法》（民发〔2021〕57号）：审核确认工作应当自受理之日起30个工作日内完成。",
			Conditions: "共同生活的家庭成员人均收入低于本区最低生活保障标准，且家庭财产状况符合规定；由户籍所在地或经常居住地街道办事处受理。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: "家庭经济状况核对；入户调查；公示（公示期7天，不计入办理时限）。",
			ApplicantKinds:    kinds(catalog.NaturalPerson),
			Materials: []catalog.Material{
				mat("M01", "最低生活保障申请书", 1, 0),
				mat("M02", "共同生活家庭成员居民身份证和户口簿", 1, 1),
				mat("M03", "家庭经济状况核对授权书", 1, 0, paperOnly, note("共同生活家庭成员签字")),
				mat("M04", "家庭收入和财产状况申报及承诺书", 1, 0),
				mat("M05", "残疾、重病等特殊情况证明", 0, 1, optional, note("残疾证、诊断证明等")),
			},
		},

		// ---- 区文化和旅游局 ----
		{
			Code: "WLJ-XK-001", Version: 1, Name: "娱乐场所经营许可", Type: catalog.Licence, DepartmentCode: "WLJ",
			Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 10,
			LegalBasis: "《娱乐场所管理条例》第九条：娱乐场所申请从事娱乐场所经营活动，应当向所在地县级人民政府文化主管部门提出申请；《娱乐场所管理办法》。",
			Conditions: "投资人、法定代表人、主要负责人不属于《娱乐场所管理条例》第五条规定的情形；场所设置符合条例规定的选址和面积要求；包厢、包间内不得设置隔断，并安装展现室内整体环境的透明门窗。",
			Fees:       noFee, OnlineLevel: catalog.OnlinePre,
			SpecialProcedures: "实地检查；需要举行听证的，听证时间不计入审批时限。",
			ApplicantKinds:    kinds(catalog.Enterprise, catalog.OtherOrg),
			Materials: []catalog.Material{
				mat("M01", "娱乐场所经营许可申请书", 1, 0),
				mat("M02", "营业执照", 0, 1, shared("电子证照库")),
				mat("M03", "投资人、法定代表人、主要负责人的有效身份证件及无《娱乐场所管理条例》第五条规定情形的书面声明", 1, 1),
				mat("M04", "经营场所产权证明或租赁合同", 0, 1),
				mat("M05", "场所平面示意图（标明包厢、包间位置及面积）", 1, 0),
				mat("M06", "公众聚集场所投入使用、营业前消防安全检查合格证明或告知承诺文书", 0, 1, optional),
			},
		},
	}
}
