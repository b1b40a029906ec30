import { invalid } from '../../lib/errors.js';
import type { Profile } from '../profiles/index.js';
import type { CatalogField, EntryContent } from './catalog.types.js';

const NUMERIC = new Set(['integer', 'decimal']);

/** Checks one field's cross-attribute rules; `at` is its path in the request, e.g. `fields.2`. */
function checkField(f: CatalogField, at: string): void {
  if (f.enumValues?.length && f.type !== 'string')
    throw invalid(`${at}.enumValues`, 'string_type_only');
  if (f.validator && f.type !== 'string') throw invalid(`${at}.validator`, 'string_type_only');
  if (f.length != null && !['string', 'decimal'].includes(f.type))
    throw invalid(`${at}.length`, 'string_or_decimal_only');
  if ((f.min != null || f.max != null) && !NUMERIC.has(f.type))
    throw invalid(`${at}.min`, 'numeric_type_only');
  if (f.min != null && f.max != null && f.min > f.max)
    throw invalid(`${at}.min`, 'min_not_above_max');
  if (f.pattern) {
    try {
      new RegExp(f.pattern, 'u');
    } catch {
      throw invalid(`${at}.pattern`, 'regex');
    }
  }
  if (f.piiKind && f.sensitivity !== 'personal' && f.sensitivity !== 'sensitive') {
    throw invalid(`${at}.sensitivity`, 'pii_needs_personal_or_sensitive');
  }
}

/**
 * Cross-field rules of a catalog entry that a schema cannot say:
 * - field names are unique; field attributes fit the field type;
 * - the identifier field is one of the fields (and required when an identifier kind is set) `[001
 * §16]`;
 * - the share type is one of the active profile's; anything but unconditional needs a legal basis,
 *   and conditional or special sharing needs its conditions;
 * - data opened to the public holds no personal field left unmasked.
 */
export function validateContent(c: EntryContent, profile: Profile): void {
  const names = new Set<string>();
  c.fields.forEach((f, i) => {
    if (names.has(f.name)) throw invalid(`fields.${i}.name`, 'unique', { value: f.name });
    names.add(f.name);
    checkField(f, `fields.${i}`);
  });
  if (c.identifierKind !== 'none' && !c.identifierField)
    throw invalid('identifierField', 'required_for_identifier_kind');
  if (c.identifierField && !names.has(c.identifierField))
    throw invalid('identifierField', 'one_of_fields');

  const shareType = profile.shareTypes.find((t) => t.code === c.shareType);
  if (!shareType)
    throw invalid('shareType', 'profile_share_type', {
      allowed: profile.shareTypes.map((t) => t.code),
    });
  if ((shareType.kind !== 'unconditional' || shareType.needsLegalBasis) && !c.legalBasis?.trim()) {
    throw invalid('legalBasis', 'required_for_share_type', { shareType: c.shareType });
  }
  if (
    (shareType.kind === 'conditional' || shareType.kind === 'special') &&
    !c.shareConditions?.trim()
  ) {
    throw invalid('shareConditions', 'required_for_share_type', { shareType: c.shareType });
  }
  if (c.openType !== 'not_open') {
    const i = c.fields.findIndex(
      (f) => f.sensitivity === 'personal' && (!f.masking || f.masking === 'none'),
    );
    if (i >= 0)
      throw invalid('openType', 'personal_field_unmasked', { fieldName: c.fields[i].name });
  }
}
