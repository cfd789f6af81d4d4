package service

import (
	"context"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
)

// checkIntakeAgent checks the agent an intake names as bringing the case
// in (casework.Intake.AgentUser): an active agent of the district's
// network, who then follows the case on their work list.
func (s *Casework) checkIntakeAgent(ctx context.Context, in *casework.Intake) error {
	in.AgentUser = strings.TrimSpace(in.AgentUser)
	if in.AgentUser == "" {
		return nil
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Username == in.AgentUser && u.Role == org.RoleAgent && u.Active {
			return nil
		}
	}
	return apperr.Field("agent_user", "代办员 "+in.AgentUser+" 不存在或已停用")
}
