import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

/**
 * Puts a server validation error on the form field it names (details.field), so the user
 * sees it where they type; returns false when the error names no field of this form.
 */
export function showOnField(form: FormInstance, error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const raw = error.details.field;
  const field = typeof raw === 'string' ? raw.replace(/^\/?body\/?/, '').split(/[/.]/)[0] : undefined;
  if (!field || !fields.includes(field)) return false;
  form.setFields([{ name: field, errors: [error.message] }]);
  return true;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
