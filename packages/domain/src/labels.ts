/** A value with its Simplified Chinese and English labels, shared by server (exports) and console. */
export interface Labelled<T extends string = string> {
  value: T;
  zh: string;
  en: string;
}

export function labelOf<T extends string>(list: readonly Labelled<T>[], value: T, lang: 'zh' | 'en' = 'zh'): string {
  return list.find((x) => x.value === value)?.[lang] ?? value;
}
