package notify

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// fakeSMTP is just enough of a mail server for the SMTP sender: it offers
// AUTH PLAIN (no STARTTLS) and records what it was told.
type fakeSMTP struct {
	ln net.Listener

	mu    sync.Mutex
	conns int
	auth  []string // AUTH PLAIN responses, decoded
	from  []string // MAIL lines as received
	rcpt  []string // RCPT lines as received
	data  []string // messages as received, dot-unstuffed, CRLFs kept
}

func startFakeSMTP(t *testing.T) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			f.mu.Lock()
			f.conns++
			f.mu.Unlock()
			wg.Go(func() { f.serve(t, conn) })
		}
	})
	return f
}

func (f *fakeSMTP) port() int { return f.ln.Addr().(*net.TCPAddr).Port }

func (f *fakeSMTP) serve(t *testing.T, conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	reply := func(s string) { io.WriteString(conn, s+"\r\n") }
	reply("220 fake.example.gov.cn ESMTP ready")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			reply("250-fake.example.gov.cn greets " + arg)
			reply("250 AUTH PLAIN")
		case "HELO", "NOOP", "RSET":
			reply("250 OK")
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			raw, err := base64.StdEncoding.DecodeString(resp)
			if mech != "PLAIN" || err != nil {
				reply("501 bad AUTH")
				continue
			}
			f.mu.Lock()
			f.auth = append(f.auth, string(raw))
			f.mu.Unlock()
			reply("235 2.7.0 Authentication successful")
		case "MAIL":
			f.mu.Lock()
			f.from = append(f.from, line)
			f.mu.Unlock()
			reply("250 OK")
		case "RCPT":
			if strings.Contains(line, "nobody@") {
				reply("550 5.1.1 No such user")
				continue
			}
			f.mu.Lock()
			f.rcpt = append(f.rcpt, line)
			f.mu.Unlock()
			reply("250 OK")
		case "DATA":
			reply("354 End data with <CR><LF>.<CR><LF>")
			var msg strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					t.Errorf("fake SMTP: DATA ended early: %v", err)
					return
				}
				if l == ".\r\n" {
					break
				}
				msg.WriteString(strings.TrimPrefix(l, "."))
			}
			f.mu.Lock()
			f.data = append(f.data, msg.String())
			f.mu.Unlock()
			reply("250 OK queued")
		case "QUIT":
			reply("221 Bye")
			return
		default:
			reply("502 Command not implemented")
		}
	}
}

func (f *fakeSMTP) snapshot() fakeSMTP {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fakeSMTP{conns: f.conns, auth: f.auth, from: f.from, rcpt: f.rcpt, data: f.data}
}

func newTestSMTP(f *fakeSMTP) *SMTP {
	s := NewSMTP(SMTPConfig{
		Host:     "127.0.0.1",
		Port:     f.port(),
		Username: "notify-user",
		Password: "s3cret pass",
		From:     "一网通办 <noreply@example.gov.cn>",
		StartTLS: true, // the fake does not offer it, so the sender goes on without
		Timeout:  5 * time.Second,
	})
	s.now = func() time.Time { return time.Date(2026, 9, 30, 14, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
	return s
}

func TestSMTPSend(t *testing.T) {
	f := startFakeSMTP(t)
	s := newTestSMTP(f)
	subject := "【一网通办】您的办件已受理，请留意后续短信与邮件通知，办件编号 2026093000012345"
	body := "张三您好：\n\n您于 2026 年 9 月 30 日提交的“个体工商户设立登记”申请已受理，" +
		"承诺办结时限为 5 个工作日。\n.这一行以句点开头。\n验证码：246810"
	m := Message{To: "张三 <zhangsan@example.cn>", Subject: subject, Body: body}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}

	got := f.snapshot()
	if want := []string{"\x00notify-user\x00s3cret pass"}; !equal(got.auth, want) {
		t.Errorf("AUTH PLAIN = %q, want %q", got.auth, want)
	}
	if want := []string{"MAIL FROM:<noreply@example.gov.cn>"}; !equal(got.from, want) {
		t.Errorf("MAIL = %q, want %q", got.from, want)
	}
	if want := []string{"RCPT TO:<zhangsan@example.cn>"}; !equal(got.rcpt, want) {
		t.Errorf("RCPT = %q, want %q", got.rcpt, want)
	}
	if len(got.data) != 1 {
		t.Fatalf("received %d messages, want 1", len(got.data))
	}
	raw := got.data[0]

	for i, line := range strings.SplitAfter(raw, "\r\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\r\n") || strings.ContainsAny(strings.TrimSuffix(line, "\r\n"), "\r\n") {
			t.Errorf("line %d not ended by a lone CRLF: %q", i, line)
		}
		if n := len(line) - 2; n > 998 {
			t.Errorf("line %d is %d octets long", i, n)
		}
	}

	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	var dec mime.WordDecoder
	if got, err := dec.DecodeHeader(h.Get("Subject")); err != nil || got != subject {
		t.Errorf("Subject decodes to %q, %v; want %q", got, err, subject)
	}
	if from, err := h.AddressList("From"); err != nil || len(from) != 1 ||
		from[0].Name != "一网通办" || from[0].Address != "noreply@example.gov.cn" {
		t.Errorf("From = %q (%+v, %v)", h.Get("From"), from, err)
	}
	if to, err := h.AddressList("To"); err != nil || len(to) != 1 ||
		to[0].Name != "张三" || to[0].Address != "zhangsan@example.cn" {
		t.Errorf("To = %q (%+v, %v)", h.Get("To"), to, err)
	}
	if date, err := h.Date(); err != nil || !date.Equal(s.now()) {
		t.Errorf("Date = %q (%v, %v), want %v", h.Get("Date"), date, err, s.now())
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.gov.cn>") || len(id) < 20 {
		t.Errorf("Message-ID = %q", id)
	}
	for name, want := range map[string]string{
		"MIME-Version":              "1.0",
		"Content-Type":              "text/plain; charset=UTF-8",
		"Content-Transfer-Encoding": "base64",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	encoded, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(encoded), "\r\n"), "\r\n")
	if len(lines) < 2 {
		t.Errorf("body is %d base64 line(s); this body should need several", len(lines))
	}
	for i, l := range lines {
		if len(l) > 76 {
			t.Errorf("base64 line %d is %d characters long, over 76", i, len(l))
		}
	}
	decoded, err := base64.StdEncoding.DecodeString(strings.Join(lines, ""))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(body, "\n", "\r\n"); string(decoded) != want {
		t.Errorf("body decodes to\n%q\nwant\n%q", decoded, want)
	}
}

func TestSMTPRefusesBeforeConnecting(t *testing.T) {
	f := startFakeSMTP(t)
	s := newTestSMTP(f)
	tests := []struct {
		name  string
		m     Message
		field string
	}{
		{"phone number", Message{To: "13812345678", Subject: "验证码", Body: "246810"}, "to"},
		{"no recipient", Message{To: "", Subject: "验证码", Body: "246810"}, "to"},
		{"two recipients", Message{To: "a@example.cn, b@example.cn", Body: "x"}, "to"},
		{"header in recipient", Message{To: "a@example.cn\r\nBcc: evil@example.com", Body: "x"}, "to"},
		{"header in subject", Message{To: "a@example.cn", Subject: "通知\r\nBcc: evil@example.com", Body: "x"}, "subject"},
		{"bare LF in subject", Message{To: "a@example.cn", Subject: "通知\nBcc: evil@example.com", Body: "x"}, "subject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Send(context.Background(), tt.m)
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("Send = %v, want invalid", err)
			}
			fields := apperr.FieldsOf(err)
			if len(fields) != 1 || fields[0].Field != tt.field {
				t.Errorf("fields = %+v, want %s", fields, tt.field)
			}
		})
	}
	// Connections are accepted in order: once this one is counted, any made
	// by the refused sends above would have been counted too.
	if err := s.Send(context.Background(), Message{To: "a@example.cn", Subject: "通知", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	if got := f.snapshot(); got.conns != 1 || len(got.data) != 1 {
		t.Errorf("server saw %d connection(s) and %d message(s), want 1 and 1", got.conns, len(got.data))
	}
}

func TestSMTPServerRefusal(t *testing.T) {
	f := startFakeSMTP(t)
	err := newTestSMTP(f).Send(context.Background(), Message{To: "nobody@example.cn", Body: "x"})
	if !apperr.Is(err, apperr.Internal) {
		t.Fatalf("Send = %v, want internal", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error shows the password: %v", err)
	}
	if got := f.snapshot(); len(got.data) != 0 {
		t.Errorf("server received %d message(s)", len(got.data))
	}
}

func TestSMTPContextCancels(t *testing.T) {
	// A server that accepts and then says nothing.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		io.Copy(io.Discard, conn) // until the sender hangs up
	})

	s := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, From: "noreply@example.gov.cn"})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, Message{To: "a@example.cn", Body: "x"})
	if !apperr.Is(err, apperr.Internal) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send = %v, want internal wrapping the deadline", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v after its context ended", d)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
