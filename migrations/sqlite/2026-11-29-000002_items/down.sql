DROP TABLE item_events;
DROP TABLE item_photos;
DROP TABLE items;
DROP TABLE item_counters;
