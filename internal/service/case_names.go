package service

import "context"

// nameReceivers fills, for a work list, the real name of the intake clerk
// who received each case (CaseView.ReceivedByName), in one lookup: a list
// names people as the case page does, never by username.
func (s *Casework) nameReceivers(ctx context.Context, views []*CaseView) error {
	users := make([]string, 0, len(views))
	for _, v := range views {
		users = append(users, v.Case.ReceivedBy)
	}
	names, err := s.store.UserNames(ctx, users)
	if err != nil {
		return err
	}
	for _, v := range views {
		v.ReceivedByName = names[v.Case.ReceivedBy]
	}
	return nil
}
