-- Default visit cadence (configurable per deployment by editing these rows):
-- high risk weekly, key monthly, general quarterly; 特困 and 独居老人 at least monthly.
INSERT INTO visit_cadence_rules (id, kind, key, interval_days) VALUES
  ('00000000-0000-7000-8000-000000000001', 'risk', 'high', 7),
  ('00000000-0000-7000-8000-000000000002', 'risk', 'key', 30),
  ('00000000-0000-7000-8000-000000000003', 'risk', 'general', 90),
  ('00000000-0000-7000-8000-000000000004', 'category', 'tekun', 30),
  ('00000000-0000-7000-8000-000000000005', 'category', 'living_alone_elderly', 30)
ON CONFLICT DO NOTHING;
