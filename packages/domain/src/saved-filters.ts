/** List pages whose filters a user may save under a name ("我的筛选"); the server refuses any other page. */
export const SAVED_FILTER_PAGES = ['clients', 'needs', 'nominations', 'overdue', 'households', 'duplicates'] as const;
export type SavedFilterPage = (typeof SAVED_FILTER_PAGES)[number];

export const SAVED_FILTER_LIMITS = {
  /** Characters of a filter's name. */
  nameMax: 40,
  /** Characters of the stored query string. */
  queryMax: 2000,
  /** Saved filters per user and page. */
  perPage: 50,
} as const;
