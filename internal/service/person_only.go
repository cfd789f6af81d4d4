package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/apperr"
)

// personOnly refuses a department system (an API client) the operations
// that belong to a person: their password, their sign-in tokens and
// sessions, their devices. A client acting On-Behalf-Of a reviewer runs as
// that reviewer for casework only; it holds no password or token of theirs
// and may not change them. Everyone else passes.
func personOnly(ctx context.Context, what string) error {
	if a := ActorFrom(ctx); a != nil && a.Client != nil {
		return apperr.New(apperr.Forbidden,
			"接口客户端“%s”不能%s：这是工作人员本人的操作，On-Behalf-Of 只用于办理办件；客户端的密钥请由管理员在“接口客户端”中轮换或吊销", a.Client.Name, what)
	}
	return nil
}
