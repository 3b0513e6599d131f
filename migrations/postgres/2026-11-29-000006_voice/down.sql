DROP TABLE follow_up_steps;
DROP TABLE follow_ups;
DROP TABLE ratings;
DROP TABLE eval_rounds;
DROP TABLE resident_links;
