-- +goose Up
-- One clerk, two desks: the roles an account holds beside its primary role
-- (users.role, in which a sign-in starts), comma-separated in the order of
-- org.Roles, e.g. 'issuance' for an intake clerk who also issues. Empty for
-- an account of one role. Kept on the account's row so the account and
-- every role it holds load in one read on every request; which roles go
-- together is org's rule (org/roles.go), checked before every write.
ALTER TABLE users ADD COLUMN extra_roles TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN extra_roles;
