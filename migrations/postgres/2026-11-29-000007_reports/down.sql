DROP TABLE report_versions;
DROP TABLE reports;
