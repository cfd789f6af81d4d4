package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"

	"github.com/onewindow/onewindow/internal/broadcast"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/server"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
)

func (m *Main) serve(ctx context.Context, args []string) error {
	cfg, err := m.config()
	if err != nil {
		return err
	}
	fs := m.flags("serve [flags]", "Starts the hall: staff pages, the JSON API under /api/v1 (documented at /api/v1/docs)\nand /healthz. Migrates the database first. Stops gracefully on SIGINT or SIGTERM.")
	dbFlag(fs, &cfg)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (env ONEWINDOW_ADDR)")
	fs.BoolVar(&cfg.Demo, "demo", cfg.Demo, "load the demo district into an empty database and print its accounts once (env ONEWINDOW_DEMO)")
	fs.IntVar(&cfg.DemoHistory, "demo-history", cfg.DemoHistory, "cases of made-up history the demo starts with: the year before now (env ONEWINDOW_DEMO_HISTORY; 0 for none)")
	fs.StringVar(&cfg.Now, "now", cfg.Now, "start the clock at this moment, e.g. 2026-09-30T14:00:00+08:00, and run on from there:\nthe training mode (env ONEWINDOW_NOW)")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "debug, info, warn or error (env ONEWINDOW_LOG_LEVEL)")
	fs.StringVar(&cfg.CloseTime, "close-time", cfg.CloseTime, "closing time at which a deadline's last day ends, HH:MM (env ONEWINDOW_CLOSE_TIME)")
	fs.DurationVar(&cfg.TokenTTL, "token-ttl", cfg.TokenTTL, "lifetime of an API token (env ONEWINDOW_TOKEN_TTL)")
	fs.IntVar(&cfg.LockoutAttempts, "lockout-attempts", cfg.LockoutAttempts, "failed sign-ins from one client that lock that client out of a username (env ONEWINDOW_LOCKOUT_ATTEMPTS)")
	fs.DurationVar(&cfg.LockoutDuration, "lockout-duration", cfg.LockoutDuration, "how long such a lock lasts (env ONEWINDOW_LOCKOUT_DURATION)")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", cfg.SecureCookies, "mark session cookies Secure (behind HTTPS) (env ONEWINDOW_SECURE_COOKIES)")
	fs.IntVar(&cfg.RectificationDays, "rectification-days", cfg.RectificationDays, "working days to rectify a bad rating (env ONEWINDOW_RECTIFICATION_DAYS)")
	fs.IntVar(&cfg.RatingAdditionDays, "rating-addition-days", cfg.RatingAdditionDays, "days in which a rating may be added to (env ONEWINDOW_RATING_ADDITION_DAYS)")
	fs.StringVar(&cfg.Files, "files", cfg.Files, "where uploaded files are kept: a folder, or s3://ACCESS:SECRET@host:port/bucket/prefix (env ONEWINDOW_FILES)")
	fs.StringVar(&cfg.Notify, "notify", cfg.Notify, "how messages go out: log, smtp://user:pass@host:port?from=…, or text messages through an HTTP gateway,\nsms+https://APPID:SECRET@host/path?…, or straight to Tencent Cloud or Aliyun SMS with ?sign=tencent|aliyun\n(README: Text messages; env ONEWINDOW_NOTIFY)")
	fs.StringVar(&cfg.PublicURL, "public-url", cfg.PublicURL, "the hall's address as applicants reach it, e.g. https://zwfw.example.gov.cn: text messages\nlink to notices under it (/n/…); none: messages carry no link (env ONEWINDOW_PUBLIC_URL)")
	fs.DurationVar(&cfg.NoticeLinkTTL, "notice-link-ttl", cfg.NoticeLinkTTL, "how long a text message's link opens its notice (env ONEWINDOW_NOTICE_LINK_TTL)")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", cfg.MetricsAddr, "serve Prometheus metrics at /metrics on this address of their own, e.g. 127.0.0.1:9090\n(env ONEWINDOW_METRICS_ADDR)")
	fs.StringVar(&cfg.MetricsToken, "metrics-token", cfg.MetricsToken, "serve Prometheus metrics at /metrics on the main address too, to a scraper sending\nAuthorization: Bearer TOKEN (env ONEWINDOW_METRICS_TOKEN)")
	dataKeyFlags(fs, &cfg)
	limitFlags(fs, &cfg.Limits)
	fs.StringVar(&cfg.IDCardBridge, "idcard-bridge", cfg.IDCardBridge, "the ID card reader bridge on the windows' PCs, e.g. http://127.0.0.1:18090: the intake\nform's 读身份证 button reads the card through it (docs/idcard-bridge.md; env ONEWINDOW_IDCARD_BRIDGE)")
	fs.StringVar(&cfg.BoardFrameAncestors, "board-frame-ancestors", cfg.BoardFrameAncestors, "origins that may show the display board (/board/{hall}) in a frame, comma-separated,\ne.g. https://screens.example.gov.cn; every other page may never be framed (env ONEWINDOW_BOARD_FRAME_ANCESTORS)")
	fs.IntVar(&cfg.MaxDrafts, "max-drafts", cfg.MaxDrafts, "drafts one applicant account may keep, joint applications included (env ONEWINDOW_MAX_DRAFTS)")
	fs.IntVar(&cfg.MaxDraftFiles, "max-draft-files", cfg.MaxDraftFiles, "files one draft may hold (env ONEWINDOW_MAX_DRAFT_FILES)")
	fs.StringVar(&cfg.WebhookAllow, "webhook-allow", cfg.WebhookAllow, "private networks webhooks may reach anyway, comma-separated CIDR, e.g. 10.8.0.0/16;\nloopback, link-local and private addresses are refused otherwise (env ONEWINDOW_WEBHOOK_ALLOW)")
	fs.DurationVar(&cfg.WebhookRetryBase, "webhook-retry-base", cfg.WebhookRetryBase, "wait after a webhook's first failed attempt, doubling (with jitter, at most 1h) for 3 days,\nafter which the subscription is paused (env ONEWINDOW_WEBHOOK_RETRY_BASE)")
	fs.DurationVar(&cfg.UploadGrace, "upload-grace", cfg.UploadGrace, "how long an uploaded file no case or draft references is kept before it is deleted,\nat least 1h (env ONEWINDOW_UPLOAD_GRACE)")
	fs.StringVar(&cfg.PprofAddr, "pprof-addr", cfg.PprofAddr, "answer Go's profiling endpoints (/debug/pprof/) on this address, e.g. 127.0.0.1:6060;\nkeep it off public interfaces (env ONEWINDOW_PPROF_ADDR; none by default)")
	fs.BoolVar(&cfg.GroupCommit, "group-commit", cfg.GroupCommit, "SQLite: commit the writes that queue while a commit is in flight in one transaction, each in a\nsavepoint of its own and answered after that commit's fsync; false commits every write alone\n(env ONEWINDOW_GROUP_COMMIT; PostgreSQL ignores it)")
	fs.IntVar(&cfg.MemoryLimitMiB, "memory-limit-mib", cfg.MemoryLimitMiB, "soft limit on the Go runtime's memory in MiB: the garbage collector works harder near it\n(the live heap of a district is ~15 MB; argon2id sign-ins churn 19 MiB each); 0 for none;\nGOMEMLIMIT, when set, wins (env ONEWINDOW_MEMORY_LIMIT_MIB)")
	fs.IntVar(&cfg.GCPercent, "gc-percent", cfg.GCPercent, "the Go garbage collector's target: a collection when the heap grew by this percentage of\nthe live heap (the memory limit still caps it; under load, 200 collects half as often as Go's 100\nfor ~10% less CPU per request); GOGC, when set, wins (env ONEWINDOW_GC_PERCENT)")
	if done, err := parse(fs, args); done {
		return err
	}
	if cfg.GCPercent <= 0 {
		return fmt.Errorf("--gc-percent %d: use 1 or more", cfg.GCPercent)
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		before := debug.SetGCPercent(cfg.GCPercent)
		defer debug.SetGCPercent(before)
	}
	if cfg.MemoryLimitMiB < 0 {
		return fmt.Errorf("--memory-limit-mib %d: use 0 (no limit) or more", cfg.MemoryLimitMiB)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && cfg.MemoryLimitMiB > 0 { // the runtime reads GOMEMLIMIT itself
		before := debug.SetMemoryLimit(int64(cfg.MemoryLimitMiB) << 20)
		defer debug.SetMemoryLimit(before)
	}
	boardAncestors, err := server.ParseFrameAncestors(cfg.BoardFrameAncestors)
	if err != nil {
		return err
	}
	node := server.NodeName(cfg.Addr)
	bridge, err := server.ParseBridge(cfg.IDCardBridge)
	if err != nil {
		return err
	}
	srvCfg := server.Config{Addr: cfg.Addr, Version: Version, Node: node, BoardFrameAncestors: boardAncestors, IDCardBridge: bridge}
	if err := cfg.Limits.serverClient(&srvCfg); err != nil {
		return err
	}
	log, err := m.logger(cfg.LogLevel)
	if err != nil {
		return err
	}
	var clk clock.Clock = clock.System{}
	if cfg.Now != "" {
		start, err := time.Parse(time.RFC3339, cfg.Now)
		if err != nil {
			return fmt.Errorf("--now %q: use a time like 2026-09-30T14:00:00+08:00", cfg.Now)
		}
		clk = clock.StartingAt(start)
		log.Warn("training mode: the clock starts at a chosen moment", "now", clk.Now().Format(time.RFC3339))
	}
	svc, err := m.open(ctx, cfg, clk, log)
	if err != nil {
		return err
	}
	m.store.GroupCommit(cfg.GroupCommit)
	writeErr := svc.CheckWrite(ctx, node, Version)
	if writeErr != nil {
		m.warnUnwritable(log, svc, writeErr)
	}
	if err := m.serveKeys(ctx, cfg, log, writeErr == nil); err != nil {
		return err
	}
	if writeErr == nil {
		// The case ledger's rows of cases written before it existed.
		n, err := m.store.FillCaseLedger(ctx)
		if err != nil {
			return fmt.Errorf("case ledger: %w", err)
		}
		if n > 0 {
			log.Info("case ledger filled in for earlier cases", "cases", n)
		}
		// The search columns (phone, receiving clerk) of cases written
		// before they existed.
		if n, err = m.store.IndexCaseSearch(ctx); err != nil {
			return fmt.Errorf("case search: %w", err)
		}
		if n > 0 {
			log.Info("case search filled in for earlier cases", "cases", n)
		}
	}
	if cfg.Demo {
		if err := m.loadDemo(ctx, svc, cfg.DemoHistory); err != nil {
			if writeErr != nil {
				return fmt.Errorf("demo district: the database takes no write (%s): %w", svc.ExplainWriteError(writeErr).Detail, err)
			}
			return fmt.Errorf("demo district: %w", err)
		}
	}

	// The display boards' hub: in process on SQLite, LISTEN/NOTIFY across
	// the nodes on PostgreSQL.
	hub, err := broadcast.New(ctx, broadcast.Config{DB: m.store.DB(), Postgres: m.store.Dialect() == store.Postgres, DSN: cfg.DB, Log: log})
	if err != nil {
		return err
	}
	svc.SetBoard(hub)

	var sessionStore scs.Store
	if m.store.Dialect() == store.Postgres {
		sessionStore = postgresstore.NewWithCleanupInterval(m.store.DB(), 10*time.Minute)
	} else {
		sessionStore = sqlite3store.NewWithCleanupInterval(m.store.DB(), 10*time.Minute)
	}
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" || cfg.MetricsToken != "" {
		srvCfg.Metrics, srvCfg.MetricsToken = m.newMetrics(svc, log), cfg.MetricsToken
		if cfg.MetricsAddr != "" {
			if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
				return fmt.Errorf("metrics address: %w", err)
			}
			defer metricsLn.Close()
		}
	}
	// A session may hold a form being filled in, phone numbers and all.
	srv, err := server.New(srvCfg, svc, server.NewSessions(m.store.SealSessions(sessionStore), cfg.SecureCookies), log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	if cfg.PprofAddr != "" {
		stopProfiles, err := serveProfiles(cfg.PprofAddr, log)
		if err != nil {
			ln.Close()
			return err
		}
		defer stopProfiles()
	}
	log.Info("serving", "addr", ln.Addr().String(), "database", m.store.Dialect(), "version", Version, "group_commit", m.store.GroupCommitting())
	fmt.Fprintf(m.Stdout, "一窗通已启动：http://%s/  （接口文档 http://%s/api/v1/docs）\n", ln.Addr(), ln.Addr())
	if m.Ready != nil {
		m.Ready <- ln.Addr().String()
	}
	// Background work (lapsed deferrals, notifications, the collection of
	// unreferenced uploads) stops with the server.
	jobsCtx, stopJobs := context.WithCancel(service.WithRequest(ctx, service.Request{ID: "jobs", Channel: "system"}))
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		svc.RunJobs(jobsCtx, time.Minute)
	}()
	hooksDone := make(chan struct{})
	go func() {
		defer close(hooksDone)
		svc.RunWebhooks(jobsCtx)
	}()
	defer func() {
		stopJobs()
		<-hooksDone
	}()
	defer func() {
		stopJobs()
		<-jobsDone
	}()
	// The supervision figures of a database that held cases before their
	// rollups: rebuilt once, in the background (figures read meanwhile are
	// incomplete, as during "stats rebuild").
	if writeErr == nil {
		catchUpDone := make(chan struct{})
		go func() {
			defer close(catchUpDone)
			m.catchUpRollups(jobsCtx, svc, log)
		}()
		defer func() {
			stopJobs()
			<-catchUpDone
		}()
	}
	hubDone := make(chan struct{})
	go func() {
		defer close(hubDone)
		if err := hub.Run(jobsCtx); err != nil {
			log.Error("board hub stopped", "err", err)
		}
	}()
	defer func() {
		stopJobs()
		<-hubDone
	}()
	if metricsLn != nil {
		log.Info("serving metrics", "addr", metricsLn.Addr().String())
		metricsDone := make(chan struct{})
		go func() {
			defer close(metricsDone)
			serveMetrics(jobsCtx, metricsLn, srvCfg.Metrics, log)
		}()
		defer func() {
			stopJobs()
			<-metricsDone
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if gc := m.store.GroupCommitStats(); gc.Commits > 0 {
		log.Info("group commit", "commits", gc.Commits, "writes", gc.Writes, "writes_per_commit", float64(gc.Writes)/float64(gc.Commits))
	}
	// Board streams never go idle: end them first, or Shutdown waits for
	// them until its deadline.
	hub.Close()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return <-errc
}

// catchUpRollups rebuilds the supervision rollups when cases exist that
// they do not count, and logs what it did.
func (m *Main) catchUpRollups(ctx context.Context, svc *service.Service, log *slog.Logger) {
	start := time.Now()
	missing, rep, err := svc.Supervision().CatchUpRollups(service.AsSystem(ctx))
	switch {
	case err != nil && ctx.Err() != nil:
		log.Warn("supervision figures: rebuild stopped by shutdown; it runs again at the next start", "err", err)
	case err != nil:
		log.Error("supervision figures: rebuild failed; run onewindow stats rebuild", "err", err)
	case missing > 0:
		log.Info("supervision figures rebuilt for cases the rollups did not count", "missing", missing, "cases", rep.Cases,
			"events", rep.Events, "duration_ms", time.Since(start).Milliseconds())
	}
}

// warnUnwritable says, in the log and in the start output, that the
// database takes no write and why: the hall serves what it can read, but
// saves nothing, and /readyz answers 503 until it is fixed.
func (m *Main) warnUnwritable(log *slog.Logger, svc *service.Service, err error) {
	f := svc.ExplainWriteError(err)
	log.Warn("the database takes no write: nothing can be saved", "kind", f.Kind, "detail", f.Detail, "err", err)
	words := map[string]string{"read-only": "只读", "disk full": "磁盘已满", "cannot open": "无法打开"}[f.Kind]
	if words == "" {
		words = "无法写入"
	}
	fmt.Fprintf(m.Stdout, "警告：数据库%s（%s）：%s。\n      在修复之前无法保存任何数据，/readyz 报告未就绪（503）。\n", words, f.Kind, f.Detail)
}

// loadDemo loads the demo district into an empty database and prints its
// accounts' passwords: once, since afterwards the database is not empty.
// Then it gives the district a year of history, cases of it (0: none), so
// that the figures and ledgers have something to show.
func (m *Main) loadDemo(ctx context.Context, svc *service.Service, history int) error {
	creds, err := svc.LoadDemo(service.AsSystem(ctx), demo.Load())
	if err == nil {
		// The demo hall's queue categories, once (a no-op when they exist).
		err = svc.LoadDemoQueue(service.AsSystem(ctx))
	}
	if err != nil || creds == nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已载入演示数据：%s。以下账号密码只显示这一次，请记下：\n", demo.DistrictName)
	for _, c := range creds {
		if c.Role == "applicant" {
			fmt.Fprintf(m.Stdout, "  %-8s %-10s  手机号 %-10s 密码 %s（网上办事大厅 /my）\n", c.Role.Label(), c.Name, c.Username, c.Password)
			continue
		}
		label := c.Role.Label()
		if len(c.Roles) > 1 {
			label = org.RoleLabels(c.Roles) // one clerk, two desks
		}
		fmt.Fprintf(m.Stdout, "  %-8s %-10s  用户名 %-10s 密码 %s\n", label, c.Name, c.Username, c.Password)
	}
	if history > 0 {
		now := svc.Now()
		rep, err := svc.GenerateHistory(service.AsSystem(ctx), service.HistoryOptions{Cases: history, From: now.AddDate(-1, 0, 0), To: now, Seed: 1})
		if err != nil {
			return fmt.Errorf("demo history: %w", err)
		}
		fmt.Fprintf(m.Stdout, "已生成近一年的演示办件 %d 件（%d 条办理记录，%d 条评价），用时 %s。\n",
			rep.Cases, rep.Events, rep.Ratings, rep.Took.Round(time.Millisecond))
	}
	// The community station's intake through its agent (issue 15 item 5),
	// after the history so that today's numbers follow its cases.
	return svc.LoadDemoAgentIntakes(service.AsSystem(ctx), demo.AgentIntakes())
}
