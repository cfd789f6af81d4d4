package service

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// Credential is a demo account's sign-in, shown once at first start.
type Credential struct {
	Username string
	Password string
	Name     string
	Role     org.Role
	// Roles are every role the account holds (primary first); nil for one.
	Roles []org.Role
}

// LoadDemo loads the demo district into an empty database, in one
// transaction, and returns the accounts' generated passwords. It returns
// (nil, nil) when the database already holds data: data persists across
// restarts and is never overwritten.
func (s *Service) LoadDemo(ctx context.Context, d demo.District) ([]Credential, error) {
	if _, err := require(ctx, "加载演示数据", org.RoleAdmin); err != nil {
		return nil, err
	}
	empty, err := s.store.IsEmpty(ctx)
	if err != nil || !empty {
		return nil, err
	}
	seed := &store.Seed{Departments: d.Departments, Halls: d.Halls, Windows: d.Windows, Items: d.Items}
	var creds []Credential
	for _, a := range d.Accounts {
		u := a.User()
		if err := u.Validate(); err != nil {
			return nil, fmt.Errorf("demo account %s: %w", a.Username, err)
		}
		password := demoPassword()
		if u.PasswordHash, err = org.HashPassword(password); err != nil {
			return nil, apperr.Wrap(err, "hash password")
		}
		seed.Users = append(seed.Users, u)
		creds = append(creds, Credential{Username: u.Username, Password: password, Name: u.Name, Role: u.Role, Roles: u.Roles})
	}
	for i := range seed.Items {
		if err := seed.Items[i].Validate(); err != nil {
			return nil, fmt.Errorf("demo item %s: %w", seed.Items[i].Code, err)
		}
	}
	if err := s.store.Load(ctx, seed, "demo"); err != nil {
		// Another node starting with --demo on the same database won the
		// race: the district is there, which is all that was asked.
		if apperr.Is(err, apperr.Conflict) {
			if empty, cerr := s.store.IsEmpty(ctx); cerr == nil && !empty {
				return nil, nil
			}
		}
		return nil, err
	}
	for i := range d.Scopes {
		sc := d.Scopes[i]
		sc.PublishedBy = "demo"
		if err := s.store.PublishHallScope(ctx, &sc, 0); err != nil {
			return nil, fmt.Errorf("demo scope of %s: %w", sc.Hall, err)
		}
	}
	more, err := s.loadDemoOnline(ctx, d)
	if err != nil {
		return nil, err
	}
	creds = append(creds, more...)
	s.log.Info("demo district loaded", "departments", len(d.Departments), "items", len(d.Items), "accounts", len(creds))
	return creds, nil
}

// loadDemoOnline adds the demo's joint applications and its online
// applicants, each with a generated password and, where the demo says so,
// an authorisation of an agent for every item.
func (s *Service) loadDemoOnline(ctx context.Context, d demo.District) ([]Credential, error) {
	items := map[string]*catalog.Item{}
	for i := range d.Items {
		items[d.Items[i].Code] = &d.Items[i]
	}
	now := s.clock.Now()
	for i := range d.Bundles {
		t := &d.Bundles[i]
		if err := t.Validate(items); err != nil {
			return nil, fmt.Errorf("demo bundle %s: %w", t.Code, err)
		}
		if err := s.store.SaveBundleTemplate(ctx, t, "demo", now); err != nil {
			return nil, err
		}
	}
	var creds []Credential
	for _, x := range d.Applicants {
		password := demoPassword() + "a1"
		hash, err := org.HashPassword(password)
		if err != nil {
			return nil, apperr.Wrap(err, "hash password")
		}
		p, err := applicant.Profile{Kind: casework.PartyKind(x.Kind), Name: x.Name, IDType: identity.IDType(x.IDType), IDNumber: x.IDNumber, Address: x.Address}.Check(x.Phone)
		if err != nil {
			return nil, fmt.Errorf("demo applicant %s: %w", x.Name, err)
		}
		acc := &applicant.Account{Phone: x.Phone, PasswordHash: hash, CreatedAt: now}
		acc.Apply(p)
		if err := s.store.CreateAccount(ctx, acc); err != nil {
			return nil, err
		}
		if x.Agent != "" {
			u, err := s.store.UserByUsername(ctx, x.Agent)
			if err != nil {
				return nil, err
			}
			a := &applicant.Authorisation{AccountID: acc.ID, Applicant: acc.Name, Agent: u.Username, AgentName: u.Name,
				Until: calendar.DateOf(now).AddDays(demo.AgentDays), CreatedAt: now}
			if err := s.store.CreateAuthorisation(ctx, a); err != nil {
				return nil, err
			}
		}
		creds = append(creds, Credential{Username: x.Phone, Password: password, Name: x.Name, Role: org.RoleApplicant})
	}
	return creds, nil
}

// demoPassword returns a random password that is easy to type at a hall PC:
// letters without look-alikes, then digits.
func demoPassword() string {
	const letters, digits = "abcdefghjkmnpqrstuvwxyz", "23456789"
	pick := func(set string) byte {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		return set[n.Int64()]
	}
	b := make([]byte, 0, 10)
	for range 6 {
		b = append(b, pick(letters))
	}
	for range 4 {
		b = append(b, pick(digits))
	}
	return string(b)
}
