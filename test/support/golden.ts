import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';

/** test/golden/: files a reviewer reads as the user sees them. */
export const GOLDEN_DIR = resolve(import.meta.dirname, '../golden');
const update = process.env['UPDATE_GOLDEN'] === '1';

/** Compares `actual` with test/golden/<name>, or (re)writes it under UPDATE_GOLDEN=1. */
export function checkGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (update) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `${name} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
