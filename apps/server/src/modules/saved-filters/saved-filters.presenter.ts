import type { SavedFilterRow } from './saved-filters.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();

export function presentSavedFilter(f: SavedFilterRow) {
  return { id: f.id, page: f.page, name: f.name, query: f.query, createdAt: iso(f.createdAt), updatedAt: iso(f.updatedAt) };
}
