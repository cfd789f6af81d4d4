-- +goose Up
-- sv_steps' index by the day a step was taken holds the steps taken only
-- (every reader bounds done_day, which no open step has): opening a step,
-- the write of most case changes, no longer adds to it. The other three
-- each serve readers no other index serves as well: sv_steps_due every
-- range of deadline days over all departments (drill-downs, the cards'
-- red cases, the bulletin's late steps), sv_steps_department_due the same
-- for one department (a department's drill-downs read a year of their
-- steps without the other departments'), sv_steps_open the open steps
-- (the figures' open and overdue counts, the sweep).
DROP INDEX sv_steps_done;
CREATE INDEX sv_steps_done ON sv_steps (kind, done_day) WHERE done_day IS NOT NULL;

-- +goose Down
DROP INDEX sv_steps_done;
CREATE INDEX sv_steps_done ON sv_steps (kind, done_day);
