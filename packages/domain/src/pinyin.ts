import { pinyin } from 'pinyin-pro';

/** Full pinyin without tones or spaces ("qixinggangjiedao"), for prefix search. */
export function fullPinyin(text: string): string {
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Pinyin initials ("qxgjd" for 七星岗街道), what workers type in search boxes. */
export function pinyinInitials(text: string): string {
  return pinyin(text, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
