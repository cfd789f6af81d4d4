package notify

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

func TestOpen(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	tests := []struct {
		url     string
		wantLog bool
		want    SMTPConfig // when neither wantLog nor wantErr
		wantErr string     // a part of the message
	}{
		{url: "", wantLog: true},
		{url: "log", wantLog: true},
		{url: "  log\n", wantLog: true},
		{
			url: "smtp://user:pass@mail.example.gov.cn:2525?from=noreply@example.gov.cn&starttls=false",
			want: SMTPConfig{Host: "mail.example.gov.cn", Port: 2525, Username: "user", Password: "pass",
				From: "noreply@example.gov.cn", StartTLS: false, Timeout: DefaultSMTPTimeout},
		},
		{
			url: "smtp://mail.example.gov.cn?from=noreply@example.gov.cn",
			want: SMTPConfig{Host: "mail.example.gov.cn", Port: DefaultSMTPPort,
				From: "noreply@example.gov.cn", StartTLS: true, Timeout: DefaultSMTPTimeout},
		},
		{
			url: "smtp://u%40x.cn:p%40ss%3Aw@[::1]:25/?from=%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A%9E%20%3Cnoreply@example.gov.cn%3E&starttls=1&timeout=5s",
			want: SMTPConfig{Host: "::1", Port: 25, Username: "u@x.cn", Password: "p@ss:w",
				From: "一网通办 <noreply@example.gov.cn>", StartTLS: true, Timeout: 5 * time.Second},
		},
		{url: "ftp://mail.example.gov.cn", wantErr: "不受支持"},
		{url: "mail.example.gov.cn", wantErr: "缺少方案"},
		{url: "smtp:mail.example.gov.cn", wantErr: "主机名"},
		{url: "smtp://?from=noreply@example.gov.cn", wantErr: "主机名"},
		{url: "smtp://user:s3cret@mail.example.gov.cn", wantErr: "缺少发件地址"},
		{url: "smtp://user:s3cret@mail.example.gov.cn?from=noreply", wantErr: "from="},
		{url: "smtp://user:s3cret@mail.example.gov.cn?from=a@b.cn&from=c@d.cn", wantErr: "重复"},
		{url: "smtp://user:s3cret@mail.example.gov.cn?from=a@b.cn&starttls=maybe", wantErr: "starttls"},
		{url: "smtp://user:s3cret@mail.example.gov.cn?from=a@b.cn&tls=1", wantErr: "不认识的参数 tls"},
		{url: "smtp://user:s3cret@mail.example.gov.cn?from=a@b.cn&timeout=-1s", wantErr: "timeout"},
		{url: "smtp://user:s3cret@mail.example.gov.cn?from=a@b.cn&timeout=soon", wantErr: "timeout"},
		{url: "smtp://user:s3cret@mail.example.gov.cn:0?from=a@b.cn", wantErr: "端口"},
		{url: "smtp://user:s3cret@mail.example.gov.cn:70000?from=a@b.cn", wantErr: "端口"},
		{url: "smtp://user:s3cret@mail.example.gov.cn:abc?from=a@b.cn", wantErr: "无法解析"},
		{url: "smtp://user:s3cret%zz@mail.example.gov.cn?from=a@b.cn", wantErr: "百分号转义"},
		{url: "smtp://user:s3cret@mail.example.gov.cn/inbox?from=a@b.cn", wantErr: "路径"},
		{url: "smtp://user:s3cret@mail.example.gov.cn?from=a@b.cn#x", wantErr: "片段"},
		{url: "smtp://:s3cret@mail.example.gov.cn?from=a@b.cn", wantErr: "没有用户名"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			s, err := Open(tt.url, log)
			if tt.wantErr != "" {
				if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Open = %v, want an invalid error mentioning %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if tt.wantLog {
				if _, ok := s.(*Log); !ok {
					t.Fatalf("Open = %T, want *Log", s)
				}
				return
			}
			got, ok := s.(*SMTP)
			if !ok {
				t.Fatalf("Open = %T, want *SMTP", s)
			}
			if got.cfg != tt.want {
				t.Errorf("config = %+v\nwant     %+v", got.cfg, tt.want)
			}
		})
	}
}
