package service

import "context"

// listPeople are the usernames a work list's row names: who received the
// case, the agent who applied for it, who pre-reviewed it.
func listPeople(v *CaseView) []string {
	out := []string{v.Case.ReceivedBy}
	if v.Case.AgentUser != "" {
		out = append(out, v.Case.AgentUser)
	}
	if v.Case.PreReview != nil {
		out = append(out, v.Case.PreReview.By)
	}
	return out
}

// nameReceivers fills, for a work list, the real names of the people its
// rows name (listPeople: CaseView.ReceivedByName, and Name for the agent
// and the pre-reviewer), in one lookup: a list names people as the case
// page does, never by username.
func (s *Casework) nameReceivers(ctx context.Context, views []*CaseView) error {
	users := make([]string, 0, len(views))
	for _, v := range views {
		users = append(users, listPeople(v)...)
	}
	names, err := s.store.UserNames(ctx, users)
	if err != nil {
		return err
	}
	for _, v := range views {
		v.ReceivedByName = names[v.Case.ReceivedBy]
		if v.names == nil {
			v.names = names
		}
	}
	return nil
}
