DROP TABLE leader_reports;
