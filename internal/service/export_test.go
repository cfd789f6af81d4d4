package service

import "context"

// PasswordWork tells a test the argon2id work svc has done: checks,
// hashes, and the parameters of the last check.
func PasswordWork(svc *Service) (checks, hashes int64, params string) {
	p, _ := svc.work.lastParams.Load().(string)
	return svc.work.checks.Load(), svc.work.hashes.Load(), p
}

// HoldHashing takes every hashing place of svc until release is called,
// as a flood of sign-ins would.
func HoldHashing(svc *Service) (release func()) {
	var leaves []func()
	for range svc.guard.hashing.Size() {
		leave, _ := svc.guard.hashing.Enter(context.Background(), 0)
		leaves = append(leaves, leave)
	}
	return func() {
		for _, l := range leaves {
			l()
		}
	}
}
