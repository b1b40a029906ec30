/** English catalog; typed against zh-CN so a missing or extra key fails the type check. */
import type { Catalog } from './zh-CN';
import { sharingEn } from './en-US.sharing';
import { poolEn, qualityEn } from './en-US.pool';
import { catalogEn } from './en-US.catalog';

const enUS: Catalog = {
  app: { name: 'gongshu', tagline: 'Public Data Management and Sharing Platform', skip: 'Skip to main content' },
  common: {
    save: 'Save', cancel: 'Cancel', create: 'New', edit: 'Edit', search: 'Search', reset: 'Reset', close: 'Close', confirm: 'OK',
    actions: 'Actions', yes: 'Yes', no: 'No', loading: 'Loading…', none: 'None', all: 'All', details: 'Details', back: 'Back', copy: 'Copy',
    copied: 'Copied', total: '{{total}} in total', totalOver: 'more than {{total}}', saved: 'Saved', optional: 'optional', refresh: 'Refresh',
  },
  error: {
    network: 'Cannot reach the server. Check the network and try again.', http: 'Request failed (HTTP {{status}})', load: 'Could not load',
    notFoundTitle: 'Not found', notFound: 'What you are looking for does not exist or is outside your permissions.',
    forbiddenTitle: 'No access', forbidden: 'Your roles do not allow this page.', home: 'Back to the workbench',
  },
  lang: { label: 'Interface language', zh: '中文', en: 'English' },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', usernameRequired: 'Enter your username', passwordRequired: 'Enter your password',
    invalid: 'Wrong username or password.', attemptsLeft: 'The account will be locked after {{n}} more failed attempts.',
    locked: 'This account is locked. Try again after {{time}} or ask an administrator to unlock it.',
    lockedNoTime: 'This account is locked. Try again later or ask an administrator.', disabled: 'This account is disabled. Ask an administrator.',
    rateLimited: 'Too many attempts. Please wait a moment.', expired: 'Your session has ended or you are not signed in. Sign in to continue.',
  },
  layout: { user: 'Signed in as', organisation: 'Organisation', signOut: 'Sign out', menu: 'Main menu', signedOut: 'Signed out' },
  menu: { home: 'Workbench', audit: 'Audit', admin: 'Administration', orgs: 'Organisations', users: 'Users', clients: 'API clients' },
  role: {
    platform_admin: 'Platform admin', reviewer: 'Reviewer', officer: 'Data officer', cdo: 'Chief data officer', consumer: 'Data consumer', auditor: 'Auditor', operator: 'Operator',
  },
  orgType: { authority: 'Authority', department: 'Department', public_enterprise: 'Public enterprise', operator: 'Authorised operator', external: 'External body' },
  home: {
    greeting: 'Hello, {{name}}', tasks: 'Waiting for me', noTasks: 'Nothing is waiting for you', activity: 'Activity, last {{days}} days', activityOrg: 'my organisation',
    activityAll: 'whole platform', noActivity: 'No activity yet', outcome: { success: 'Success', failure: 'Failure', denied: 'Denied', error: 'Error' },
    chartLabel: 'Audit entries per day',
  },
  org: {
    title: 'Organisations', create: 'New organisation', createChild: 'Add child', edit: 'Edit organisation', name: 'Name', code: 'Unified social credit code', type: 'Type',
    parent: 'Parent', level: 'Level', shortCode: 'Short code', createdAt: 'Created', noParent: '(none, top level)',
    nameRequired: 'Enter the name', codeRequired: 'Enter the unified social credit code', typeRequired: 'Choose a type',
    codeShape: '18 characters: digits or capital letters (no I, O, S, V, Z)', codeCheck: 'Check character mismatch: by GB 32100 the 18th character should be {{expected}}',
    codeOrgCheck: 'The embedded organisation code is wrong: the 17th character should be {{expected}}', shortCodeHint: 'starts with a lower-case letter, 2–16 lower-case letters or digits',
    codeRefused: 'Refused by the server: not a valid unified social credit code (GB 32100 check character)', created: 'Organisation created', updated: 'Organisation updated',
  },
  user: {
    title: 'Users', create: 'New user', edit: 'Edit user', username: 'Username', displayName: 'Name', org: 'Organisation', roles: 'Roles', email: 'Email',
    phone: 'Mobile', password: 'Initial password', enabled: 'Enabled', status: 'Status', locked: 'Locked', active: 'Active', disabled: 'Disabled',
    lastLoginAt: 'Last sign-in', createdAt: 'Created', searchPlaceholder: 'Username or name', resetPassword: 'Reset password',
    resetConfirm: 'Generate a new password for {{name}}? The old one stops working at once.', newPasswordTitle: 'New password',
    newPasswordNote: 'Hand this password to the user securely. It is shown only this once and cannot be viewed again.',
    usernameRule: 'starts with a lower-case letter or digit; 2–63 of a-z 0-9 . _ -', passwordRule: 'at least 8 characters with both letters and digits',
    rolesRequired: 'Choose at least one role', orgRequired: 'Choose the organisation', displayNameRequired: 'Enter the name', created: 'User created', updated: 'User updated',
    enableLabel: 'Account {{name}} enabled', detailTitle: 'User details',
  },
  client: {
    title: 'API clients', create: 'New client', name: 'Name', org: 'Organisation', roles: 'Roles', keyPrefix: 'Key prefix', status: 'Status', createdAt: 'Created',
    expiresAt: 'Expires', lastUsedAt: 'Last used', revoke: 'Revoke', revokeConfirm: 'Revoke client {{name}}? Systems using its key lose access at once.', revoked: 'Revoked',
    statusActive: 'Active', statusRevoked: 'Revoked', statusExpired: 'Expired', nameRequired: 'Enter a name', keyTitle: 'API key',
    keyNote: 'Copy this key now and keep it safe. It is shown only this once; the platform keeps only its digest.', never: 'Never',
  },
  audit: {
    title: 'Audit log', actor: 'Actor', actorPlaceholder: 'username or id', org: 'Organisation', action: 'Action', actionPlaceholder: 'e.g. auth.login or users.*',
    time: 'Time range', at: 'Time', target: 'Target', outcome: 'Outcome', ip: 'Client IP', requestId: 'Request id', seq: 'Seq', hash: 'Hash',
    verify: 'Verify hash chain', verifyOk: 'The hash chain is intact: all {{entries}} entries verified.',
    verifyBad: 'The hash chain is broken: entry {{seq}} fails verification ({{reason}}).', verifyBadAt: 'That entry is from {{at}}, action {{action}}.', verifyTitle: 'Verification result',
  },
  sharing: sharingEn,
  pool: poolEn, quality: qualityEn,
  catalog: catalogEn,
};

export default enUS;
