-- What tasks, alerts and the board call a user: their name (a staff user's comes from staff.csv).
ALTER TABLE app.users ADD COLUMN display_name VARCHAR;
