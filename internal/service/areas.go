package service

import (
	"sync/atomic"

	"github.com/onewindow/onewindow/internal/broadcast"
)

// Casework is the case area: intake at the window, the transitions, the
// department's and the issuance desk's lists, handovers, joint
// applications (一件事), the public progress page and the sweeps.
type Casework struct {
	*base
	store caseworkStore

	// searchIndex is the intake desk's search index of the catalog, rebuilt
	// when the catalog counter moves.
	searchIndex atomic.Pointer[itemIndex]
	sv          *Supervision // a case's holding time

	access *Access   // verification codes of the progress page
	hall   *Hall     // the clerk's visit a case is taken in at
	online *Online   // agents' mandates and uploaded files
	agents *AgentNet // the agents' reminders, swept with the others
}

// Hall is the hall area: the queue and its windows, appointments, the
// display boards, guidance and the big screen.
type Hall struct {
	*base
	store hallStore

	board atomic.Pointer[broadcast.Hub] // the display boards' hub, see board.go

	ratings *Ratings // a finished visit prepares the window's rating pad
}

// Online is the online hall: applicant accounts, drafts and uploads,
// online applications, agents and their mandates, the applicant's
// timeline and notifications.
type Online struct {
	*base
	store onlineStore

	access *Access   // applicants' passwords and codes
	cases  *Casework // the cases an applicant opens and acts on
}

// Ratings is the rating area: visit and case ratings, the rating pad and
// the rectification of bad ratings.
type Ratings struct {
	*base
	store ratingsStore

	cases *Casework // a case rated by its number and check code
}

// Admin is the administration area: departments, halls, windows, users,
// the catalog, the calendar and the deadline policy.
type Admin struct {
	*base
	store adminStore
}

// Messages is the applicants' text messages: the bureau admin's templates
// per notice kind, the short links to notices they carry and the
// gateway's delivery receipts.
type Messages struct {
	*base
	store messagesStore

	cases *Casework // the case view a notice link opens
}

// Access is sign-in: passwords, tokens, lockouts, verification codes and
// remembered devices.
type Access struct {
	*base
	store accessStore

	work  passwordWork // argon2id computations done: hashing.go
	cases *Casework    // whether a case exists, for a code sent about it
}

// Clients is the department systems' area: API clients, their keys, scopes
// and request rates (clients.go), and the Idempotency-Key of the API's
// POSTs (idempotency.go).
type Clients struct {
	*base
	store clientsStore

	rates clientRates // each client's requests on this node
}

// Network is the street and community network (R18, issue 15): what each
// hall takes in, decides and issues, and the batches that carry paper
// between halls on their transit runs.
type Network struct {
	*base
	store networkStore
}

// AgentNet is the agents' network (issue 15 item 5): the agents' work
// lists, their service log (代办记录), the reminders a working day before
// a deadline their applicants wait on, and the agent managers'
// hand-overs of applicants between agents.
type AgentNet struct {
	*base
	store agentNetStore

	online *Online // the cases an agent follows, as MyCases reads them
}
