-- The ten default client categories of the brief (configurable per deployment in 系统设置 → 对象类别).
INSERT INTO category_definitions (code, label_zh, label_en, sort_order, builtin) VALUES
  ('dibao', '低保', 'Minimum living allowance', 10, true),
  ('low_income', '低收入', 'Low income', 20, true),
  ('tekun', '特困', 'Extreme poverty support', 30, true),
  ('left_behind_elderly', '留守老人', 'Left-behind elderly', 40, true),
  ('childless_elderly', '孤寡老人', 'Childless elderly', 50, true),
  ('living_alone_elderly', '独居老人', 'Elderly living alone', 60, true),
  ('child_in_difficulty', '困境儿童', 'Child in difficulty', 70, true),
  ('left_behind_child', '留守儿童', 'Left-behind child', 80, true),
  ('de_facto_orphan', '事实无人抚养儿童', 'De-facto unsupported child', 90, true),
  ('severe_disability', '重度残疾人', 'Severely disabled', 100, true)
ON CONFLICT DO NOTHING;
