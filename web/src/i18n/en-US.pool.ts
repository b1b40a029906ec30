/** Pool and quality texts of the en-US catalog; zh-CN.pool.ts has the same keys. */
export const poolEn = {
  menu: { root: 'Collection', resources: 'Pooled resources', overdue: 'Overdue updates' },
  title: 'Pooled resources', resource: 'Resource', code: 'Code', rows: 'Live rows', frequency: 'Update frequency', lastLoaded: 'Last loaded', quality: 'Quality', identifier: 'Identifier',
  freq: { realtime: 'Real time', daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', quarterly: 'Quarterly', yearly: 'Yearly', irregular: 'Irregular' },
  mode: { append: 'Append', upsert: 'Upsert', snapshot: 'Snapshot' },
  status: { running: 'Loading', committed: 'Committed', rejected: 'Rejected', failed: 'Failed' },
  upload: {
    title: 'Upload data', strict: 'Strict', drop: 'Click or drop a file here', hint: 'CSV, XLSX, NDJSON or JSON; a batch commits whole or not at all, rows breaking rules are listed',
    checking: 'Validating and merging…', done: 'Batch committed', format: 'Unsupported file type', network: 'The connection broke; upload again (the same file loads once)',
  },
  batch: {
    title: 'Batches', one: 'Batch', back: 'Back to the resource', open: 'Open batch', startedAt: 'Started', status: 'Status', mode: 'Mode', file: 'File', received: 'Received', accepted: 'Accepted', rejected: 'Rejected',
    by: 'By', changes: 'Changes', changeText: '{{inserted}} inserted, {{updated}} updated, {{deleted}} deleted, {{unchanged}} unchanged', duration: 'Duration', error: 'Reason',
  },
  detect: {
    title: 'Personal data detection', hint: 'Fields where sampled values look like personal data, with a proposed sensitivity and masking: accept or change each.', none: 'No personal data found in the sampled values',
    field: 'Field', kind: 'Detected as', share: 'Share', sampled: 'Rows sampled', proposed: 'Proposed', source: 'Source', status: 'Status', actions: 'Actions',
    sources: { batch: 'First batch', registration: 'Sampled at registration' }, statuses: { proposed: 'To confirm', accepted: 'Accepted', changed: 'Changed' },
    accept: 'Accept', change: 'Change', save: 'Save', saved: 'Written into draft version {{version}} of the catalog entry; it applies once submitted, approved and published', pending: 'Detected fields to decide: {{count}}', savedAlready: 'Version {{version}} of the catalog entry already says so', savedNotInCatalog: 'Recorded; the catalog entry is under review and was not changed', sensitivity: 'Sensitivity', masking: 'Masking',
  },
  rejected: { title: 'Rejected rows', download: 'Download CSV', none: 'No rejected rows', row: 'Row', field: 'Field', rule: 'Rule', value: 'Value' },
  rule: {
    required: 'Required', type: 'Wrong type', length: 'Too long', pattern: 'Pattern', enum: 'Not an allowed value', range: 'Out of range', uscc: 'USCC check digit',
    id_card: 'ID number check', mobile: 'Not a mobile number', bank_card: 'Card number check', unique: 'Identifier already pooled', unique_in_batch: 'Identifier repeated in batch',
    unknown_field: 'Unknown field', malformed_json: 'Unreadable row', not_an_object: 'Not an object',
  },
};

export const qualityEn = {
  title: 'Data quality', toPool: 'Collection and batches', overTime: 'Scores over time', rules: 'Rule checks of the latest batch', violations: 'Violations', noViolations: 'The latest batch broke no rule',
  score: { completeness: 'Completeness', accuracy: 'Accuracy', consistency: 'Consistency', timeliness: 'Timeliness', overall: 'Overall' },
  overdueNotice: 'The data is older than its declared update frequency (last loaded {{at}}); please update it.',
  overdueTitle: 'Overdue resources', noOverdue: 'No resource is overdue', provider: 'Provider', dueAt: 'Due', daysOverdue: 'Days overdue',
};
