-- A weekly round's rating now counts in the month of the day it was first given (docs/api.md, "Weeks that cross a
-- month"); earlier ones were dated on their round's Monday. Re-date them to the day they were given, city time. The
-- city is in Asia/Shanghai (UTC+8 all year, MINQING_TIMEZONE's default); created_at is UTC.
UPDATE ratings SET rated_on = date(created_at, '+8 hours') WHERE round_id IS NOT NULL;
