-- A user of role `staff` is one person of dim_staff: they read their own figures only
-- (server/src/scope/scope.ts). Empty for every other role.
ALTER TABLE app.users ADD COLUMN staff_id VARCHAR;
