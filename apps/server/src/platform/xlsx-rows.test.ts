import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellDate, cellText } from './xlsx.js';
import { openXlsxSheet, XlsxReadError, type XlsxRow } from './xlsx-rows.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of the given parts (deflated unless `stored`); `declare` overrides the uncompressed size put in the directory. */
function zip(parts: Record<string, string>, opts: { stored?: boolean; declare?: Record<string, number> } = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(parts)) {
    const raw = Buffer.from(text, 'utf8');
    const data = opts.stored ? raw : deflateRawSync(raw);
    const nameBytes = Buffer.from(name, 'utf8');
    const size = opts.declare?.[name] ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(opts.stored ? 0 : 8, 8);
    local.writeUInt32LE(crc32(raw), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(opts.stored ? 0 : 8, 10);
    dir.writeUInt32LE(crc32(raw), 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    central.push(dir, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal hand-written workbook: one sheet (plus optional shared strings and styles). */
function workbook(sheetXml: string, extra: { strings?: string; styles?: string; date1904?: boolean; stored?: boolean } = {}) {
  const parts: Record<string, string> = {
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL}">${
      extra.date1904 ? '<workbookPr date1904="1"/>' : ''
    }<sheets><sheet name="说明" sheetId="1" r:id="rId1"/><sheet name="数据" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
      <Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>
      <Relationship Id="rId2" Type="${REL}/worksheet" Target="/xl/worksheets/data.xml"/>
      <Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>
      <Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>说明</t></is></c></row></sheetData></worksheet>`,
    'xl/worksheets/data.xml': sheetXml,
  };
  if (extra.strings) parts['xl/sharedStrings.xml'] = `<sst xmlns="${NS}">${extra.strings}</sst>`;
  if (extra.styles) parts['xl/styles.xml'] = `<styleSheet xmlns="${NS}">${extra.styles}</styleSheet>`;
  return zip(parts, { stored: extra.stored });
}

async function readAll(buf: Buffer, skip = ['说明']): Promise<XlsxRow[]> {
  const sheet = await openXlsxSheet(buf, skip);
  if (!sheet) throw new Error('no sheet');
  const rows: XlsxRow[] = [];
  for await (const r of sheet.rows) rows.push(r);
  return rows;
}

const STYLES = `<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
  <numFmt numFmtId="165" formatCode="0.00"/><numFmt numFmtId="166" formatCode="[Red]0;&quot;day&quot;0"/></numFmts>
  <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
  <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs>`;

describe('lean xlsx sheet reader', () => {
  it('reads shared strings (rich runs joined, phonetic runs left out), inline strings, numbers, text digits, dates and gaps', async () => {
    const strings = `<si><t>姓名</t></si><si><t>身份证号码</t></si><si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r><rPh><t>ちょう</t></rPh></si>
      <si><t>500103194203151234</t></si><si><t>2024-01-31</t></si><si><t>A&amp;B &lt;C&gt;</t></si>`;
    const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <worksheet xmlns="${NS}"><sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="E1" t="inlineStr"><is><t>出生日期</t></is></c></row>
        <row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="s"><v>3</v></c><c r="D3"><v>13800001111</v></c>
          <c r="E3" s="1"><v>15415</v></c><c r="F3" s="2"><v>45322</v></c><c r="G3" s="3"><v>1.5</v></c><c r="H3" s="4"><v>7</v></c></row>
        <row r="4"><c r="A4" t="inlineStr"><is><r><t>李</t></r><r><t>四</t></r></is></c><c r="E4" t="s"><v>4</v></c>
          <c r="F4" t="s"><v>5</v></c><c r="G4" t="b"><v>1</v></c><c r="H4" t="e"><v>#N/A</v></c><c r="I4"><v>500103194203151234</v></c></row>
        <row r="5"/>
      </sheetData></worksheet>`;
    const rows = await readAll(workbook(sheet, { strings, styles: STYLES }));
    expect(rows.map((r) => r.row)).toEqual([1, 3, 4, 5]);
    expect(rows[0].values).toEqual([undefined, '姓名', '身份证号码', undefined, undefined, '出生日期']);
    const [, a3, b3, c3, d3, e3, f3, g3, h3] = rows[1].values;
    expect(a3).toBe('张三 ');
    expect(b3).toBe('500103194203151234');
    expect(c3).toBeUndefined();
    expect(1 in rows[1].values && !(3 in rows[1].values)).toBe(true);
    expect(d3).toBe(13800001111);
    expect(e3).toEqual(new Date('1942-03-15T00:00:00Z'));
    expect(cellDate(e3 ?? null)).toBe('1942-03-15');
    expect(f3).toEqual(new Date('2024-01-31T00:00:00Z'));
    expect(g3).toBe(1.5);
    expect(h3).toBe(7);
    const r4 = rows[2].values;
    expect(r4[1]).toBe('李四');
    expect(r4[5]).toBe('2024-01-31');
    expect(cellDate(r4[5] ?? null)).toBe('2024-01-31');
    expect(r4[6]).toBe('A&B <C>');
    expect(r4[7]).toBe(true);
    expect(r4[8]).toEqual({ error: '#N/A' });
    expect(r4[9]).toBe(Number('500103194203151234'));
    expect(typeof r4[9] === 'number' && r4[9] >= 1e15).toBe(true);
    expect(rows[3].values).toEqual([]);
  });

  it('gives formulas with their stored value, and reads the 1904 date system, prefixed tags, cells without references and stored parts', async () => {
    const sheet = `<x:worksheet xmlns:x="${NS}"><x:sheetData>
        <x:row><x:c t="str"><x:f>CONCAT("公式","甲")</x:f><x:v>公式甲</x:v></x:c><x:c><x:f>CMD|" /C calc"!A0</x:f></x:c>
          <x:c t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c><x:c s="1"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t><![CDATA[<b>]]></x:t></x:is></x:c></x:row>
        <x:row><x:c r="C2"><x:v>3</x:v></x:c><x:c><x:v>4</x:v></x:c></x:row>
      </x:sheetData></x:worksheet>`;
    for (const stored of [false, true]) {
      const rows = await readAll(workbook(sheet, { styles: STYLES, date1904: true, stored }));
      expect(rows.map((r) => r.row)).toEqual([1, 2]);
      const [, a, b, c, d, e] = rows[0].values;
      expect(a).toEqual({ formula: 'CONCAT("公式","甲")', result: '公式甲' });
      expect(cellText(a ?? null)).toBe('公式甲');
      expect(b).toEqual({ formula: 'CMD|" /C calc"!A0', result: undefined });
      expect(c).toEqual({ formula: '1/0', result: { error: '#DIV/0!' } });
      expect(d).toEqual(new Date('1904-01-01T00:00:00Z'));
      expect(e).toBe('<b>');
      expect(rows[1].values).toEqual([undefined, undefined, undefined, 3, 4]);
    }
  });

  it('reads what ExcelJS writes as ExcelJS reads it (shared strings, dates, formulas, rich text, gaps)', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['请勿修改']);
    const ws = wb.addWorksheet('服务对象');
    ws.addRow(['姓名', '身份证号码', '出生日期', '电话', '备注']);
    ws.addRow(['王秀英', '500103194203151234', new Date(Date.UTC(1942, 2, 15)), 13800001111, null, '多出的']);
    ws.addRow([{ richText: [{ text: '富' }, { font: { bold: true }, text: '文本' }] }, null, '1950/5/5', '023-6311 0000']);
    ws.addRow([]);
    ws.addRow([{ formula: 'A2&"乙"', result: '王秀英乙' }, 1.25, false, { formula: 'B3*2' }, '  空格  ']);
    ws.getCell('C6').value = 45000;
    ws.getCell('C6').numFmt = 'yyyy-mm-dd';
    ws.getCell('D6').value = 45000;
    ws.getCell('D6').numFmt = '#,##0';
    const buf = Buffer.from(await wb.xlsx.writeBuffer());

    const ref = new ExcelJS.Workbook();
    await ref.xlsx.load(buf as unknown as ArrayBuffer);
    const norm = (v: ExcelJS.CellValue | undefined): unknown => {
      if (v instanceof Date) return v.toISOString();
      if (v && typeof v === 'object' && 'richText' in v) return cellText(v);
      if (v && typeof v === 'object' && 'formula' in v) return { formula: v.formula, result: norm(v.result) };
      return v ?? null;
    };
    const expected: [number, unknown[]][] = [];
    ref.getWorksheet('服务对象')?.eachRow((row, n) => {
      expected.push([n, Array.from(row.values as ExcelJS.CellValue[], norm)]);
    });
    const rows = (await readAll(buf)).filter((r) => r.values.length > 0);
    expect(rows.map((r) => [r.row, Array.from(r.values, norm)])).toEqual(expected);
    expect(expected).toHaveLength(5);
  });

  it('decodes Chinese characters split across inflated chunks', async () => {
    const text = (i: number) => `渝中区七星岗街道兴隆街${i}号${'高风险独居老人'.repeat((i % 7) + 1)}`;
    const n = 6000;
    const rowsXml = Array.from(
      { length: n },
      (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>${text(i)}</t></is></c><c r="B${i + 1}"><v>${i}</v></c></row>`,
    ).join('');
    const sheet = `<worksheet xmlns="${NS}"><sheetData>${rowsXml}</sheetData></worksheet>`;
    expect(Buffer.byteLength(sheet)).toBeGreaterThan(4 * 64 * 1024);
    for (const stored of [false, true]) {
      const rows = await readAll(workbook(sheet, { stored }));
      expect(rows).toHaveLength(n);
      const bad = rows.filter((r, i) => r.values[1] !== text(i) || r.values[2] !== i);
      expect(bad.slice(0, 3)).toEqual([]);
      expect(JSON.stringify(rows.map((r) => r.values[1]))).not.toContain('\uFFFD');
    }
  });

  it('refuses a part that inflates to more than its directory entry says, and reports a workbook without a data sheet', async () => {
    const sheet = `<worksheet xmlns="${NS}"><sheetData>${'<row><c t="inlineStr"><is><t>填充</t></is></c></row>'.repeat(20000)}</sheetData></worksheet>`;
    const lying = zip(
      {
        'xl/workbook.xml': `<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`,
        'xl/_rels/workbook.xml.rels': `<Relationships xmlns="x"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
        'xl/worksheets/sheet1.xml': sheet,
      },
      { declare: { 'xl/worksheets/sheet1.xml': 1000 } },
    );
    await expect(readAll(lying, [])).rejects.toBeInstanceOf(XlsxReadError);
    expect(await openXlsxSheet(workbook('<worksheet/>'), ['说明', '数据'])).toBeUndefined();
    const broken = workbook(`<worksheet xmlns="${NS}"><sheetData><row><c><v>1</v></row></sheetData></worksheet>`);
    await expect(readAll(broken)).rejects.toThrow();
  });
});
