/**
 * Module walls (dependency-cruiser). The layers, lowest first, each importing only from those
 * below it: src/lib → src/db → src/server/platform (what every route is built on: schemas,
 * request context, access checks, the error formatter) → src/modules/* (one per capability,
 * reached only through its index.ts) → src/server (config, the app that registers modules, jobs,
 * main) → src/demo. src/cli works over HTTP and imports only src/lib. Tests and benches set
 * state up from inside modules and may reach past an index.ts; the portal (web/) imports no
 * server code.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle makes two files one: neither can change or be tested alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-is-a-leaf',
      severity: 'error',
      comment: 'src/lib holds small pure helpers; it imports nothing else of the platform.',
      from: { path: '^src/lib/' },
      to: { path: '^src/(?!lib/)' },
    },
    {
      name: 'db-imports-only-lib',
      severity: 'error',
      comment: 'src/db (pool, migrations, the embedded server) sits below every module.',
      from: { path: '^src/db/' },
      to: { path: '^src/(?!lib/|db/)' },
    },
    {
      name: 'platform-sits-below-modules',
      severity: 'error',
      comment: 'The platform layer is what modules are built on; it imports no module and no app.',
      from: { path: '^src/server/platform/' },
      to: { path: '^src/(modules|demo|cli)/|^src/server/(?!platform/)' },
    },
    {
      name: 'modules-sit-below-the-server',
      severity: 'error',
      comment: 'Modules are registered by the server; they never import it (bar its platform layer), the demo or the CLI.',
      from: { path: '^src/modules/' },
      to: { path: '^src/(server/(?!platform/)|demo/|cli/)' },
    },
    {
      name: 'module-through-its-index',
      severity: 'error',
      comment: "Other code reaches a module only through its index.ts, the module's public surface.",
      from: { path: '^src/(?!modules/([^/]+)/)', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'module-to-module-through-index',
      severity: 'error',
      comment: "A module reaches another only through the other's index.ts.",
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'cli-over-http-only',
      severity: 'error',
      comment: 'The gongshu command works over the HTTP API, never the database or the modules.',
      from: { path: '^src/cli/' },
      to: { path: '^src/(?!cli/|lib/)' },
    },
    {
      name: 'portal-never-imports-server-code',
      severity: 'error',
      comment: 'The portal talks to the server over HTTP only.',
      from: { path: '^web/' },
      to: { path: '^(src|test|bench|scripts)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.check.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
