DROP TABLE day_ten_notices;
DROP TABLE onsite_records;
