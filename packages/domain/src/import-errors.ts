import type { Labelled } from './labels.js';

/**
 * What the client import's error codes mean, for people: the console's error table and the error sheet the server
 * writes. Codes without an entry show the server's message.
 */
export const IMPORT_ERROR_LABELS: Labelled[] = [
  { value: 'required', zh: '必填项为空', en: 'Required value missing' },
  { value: 'checksum', zh: '身份证号码校验位不正确', en: 'The check digit of the ID number is wrong' },
  {
    value: 'format',
    zh: '身份证号码格式不正确（应为 18 位，末位可为 X）',
    en: 'The ID number is malformed (18 characters, the last may be X)',
  },
  { value: 'region', zh: '身份证号码的地区码无效', en: 'The region code of the ID number is invalid' },
  { value: 'birth_date', zh: '身份证号码中的出生日期无效', en: 'The birth date in the ID number is invalid' },
  { value: 'mismatch', zh: '与身份证号码不一致', en: 'Does not match the ID number' },
  { value: 'masked_value', zh: '这是脱敏后的号码（来自导出），无法导入', en: 'A masked number (from an export) cannot be imported' },
  { value: 'unknown_sex', zh: '性别应为“男”或“女”', en: 'Sex must be 男 or 女' },
  { value: 'invalid_date', zh: '不是有效日期（使用 Excel 日期或 YYYY-MM-DD）', en: 'Not a date (use an Excel date or YYYY-MM-DD)' },
  { value: 'unknown_category', zh: '未知的对象类别', en: 'Unknown category' },
  { value: 'retired_category', zh: '该对象类别已停用', en: 'This category is retired' },
  { value: 'unknown_risk_level', zh: '风险等级应为 高风险、重点 或 一般', en: 'Risk level must be 高风险, 重点 or 一般' },
  { value: 'unknown_community', zh: '找不到这个社区', en: 'Community not found' },
  {
    value: 'ambiguous_community',
    zh: '社区名称不唯一，请填写 12 位区划代码',
    en: 'Several communities have this name; use the 12-digit code',
  },
  { value: 'unknown_unit', zh: '找不到这个单位', en: 'Unit not found' },
  { value: 'ambiguous_unit', zh: '单位名称不唯一', en: 'Several units have this name' },
  { value: 'outside_unit', zh: '社区不在该单位的服务范围内', en: 'The community is outside the unit’s area' },
  {
    value: 'owned_elsewhere',
    zh: '此人已由网络中的其他单位登记，请联系对方转移',
    en: 'Registered by another part of the network; ask them to transfer the client',
  },
  { value: 'duplicate_in_file', zh: '文件中重复出现同一人', en: 'The same person appears more than once in the file' },
  {
    value: 'ambiguous_match',
    zh: '台账中有多位同名且无身份证号的对象，请补充身份证号或出生日期',
    en: 'Several clients without ID have this name here; add the ID number or birth date',
  },
  { value: 'cell_error', zh: '单元格是 Excel 错误值（#N/A 等）', en: 'The cell holds an Excel error (#N/A…)' },
  {
    value: 'formula_without_value',
    zh: '单元格是没有计算结果的公式，请粘贴为数值',
    en: 'A formula without a stored value; paste it as values',
  },
  { value: 'missing_header', zh: '找不到表头行：前几行中须有列名', en: 'No header row: one of the first rows must name the columns' },
  { value: 'not_xlsx', zh: '文件不是 xlsx 工作簿', en: 'Not an xlsx workbook' },
  { value: 'not_xlsx_or_csv', zh: '文件既不是 xlsx 也不是 CSV', en: 'Neither an xlsx workbook nor a CSV file' },
  { value: 'xls_not_supported', zh: '不支持旧版 .xls，请另存为 .xlsx 或 CSV', en: 'Old .xls is not supported; save as .xlsx or CSV' },
  { value: 'corrupt_xlsx', zh: '工作簿已损坏或不完整', en: 'The workbook is damaged or incomplete' },
  { value: 'no_rows', zh: '表中只有表头，没有数据行', en: 'The sheet has a header but no data rows' },
  { value: 'too_many_rows', zh: '超过 10 万行，请拆分文件', en: 'More than 100,000 rows; split the file' },
  { value: 'merged_header', zh: '有列没有自己的表头（合并单元格？）', en: 'A column has no header of its own (merged cells?)' },
  { value: 'duplicate_column', zh: '两个列表示同一字段', en: 'Two columns mean the same field' },
  { value: 'empty', zh: '文件是空的', en: 'The file is empty' },
  {
    value: 'interrupted',
    zh: '服务器在导入过程中停止，台账未写入任何数据，请重新开始',
    en: 'The server stopped during the import; nothing was written — start again',
  },
  { value: 'import_failed', zh: '导入意外失败，台账未写入任何数据', en: 'The import failed unexpectedly; nothing was written' },
];
