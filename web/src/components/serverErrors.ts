import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

/**
 * Puts a server validation error on the form field it names (details.field), so the user sees it
 * where they type (`byRule` words known rules better than a generic message); returns false when
 * the error names no field of this form.
 */
export function showOnField(
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  byRule: Record<string, string> = {},
): boolean {
  if (!(error instanceof ApiError)) return false;
  const raw = error.details.field;
  const field =
    typeof raw === 'string' ? raw.replace(/^\/?body\/?/, '').split(/[/.]/)[0] : undefined;
  if (!field || !fields.includes(field)) return false;
  const rule = typeof error.details.rule === 'string' ? error.details.rule : '';
  form.setFields([{ name: field, errors: [byRule[rule] ?? error.message] }]);
  return true;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
