package casework

import "time"

// MissingMaterial is one line of a one-time notice: a handbook material the
// applicant did not bring, copied from the item version so that the notice
// reads the same however the handbook changes later.
type MissingMaterial struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Required   bool   `json:"required"`
	Originals  int    `json:"originals"`
	Copies     int    `json:"copies"`
	Paper      bool   `json:"paper"`
	Electronic bool   `json:"electronic"`
	Deferrable bool   `json:"deferrable"`
	Notes      string `json:"notes,omitempty"`
}

// IntakeAttempt is an application the intake desk could not take in, with
// everything the applicant was told in one go (一次性告知, 行政许可法
// art. 32). The store keeps the applicant's ID number in full; the service
// masks it for every screen.
type IntakeAttempt struct {
	ID          int64
	ItemCode    string
	ItemVersion int
	ItemName    string // read from the item version; not written
	Applicant   Party  // kind, name, ID type and number only
	Missing     []MissingMaterial
	Note        string
	Clerk       string // username
	ClerkName   string
	HallCode    string
	CreatedAt   time.Time
}
