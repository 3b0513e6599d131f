DROP INDEX items_resident_phone;
DROP TABLE personal_data_masks;
