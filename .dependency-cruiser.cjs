/**
 * The layer rules of ARCHITECTURE.md, checked by `npm test` (npm run lint:deps).
 * The engine core is everything in src/engine/ except the dispatcher (chat-service.ts).
 */
const ENGINE_CORE = '^src/engine/(?!chat-service\\.ts$)';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import circles hide the order things are built in.', from: {}, to: { circular: true } },
    {
      name: 'language-is-a-library',
      severity: 'error',
      comment: 'language/ imports nothing of the project but its own files.',
      from: { path: '^src/language/' },
      to: { path: '^src/', pathNot: '^src/language/' },
    },
    {
      name: 'engine-core-is-pure',
      severity: 'error',
      comment: 'The engine core knows no database, no action implementations, no adapters.',
      from: { path: ENGINE_CORE },
      to: { path: '^src/(db|actions|channels/(?!types\\.ts$)|outbox|admin|jobs|http)/' },
    },
    {
      name: 'embedded-db-knows-no-product',
      severity: 'error',
      comment: 'The embedded server is a MongoDB-compatible database, nothing more (shared/ holds product-free primitives).',
      from: { path: '^src/db/embedded/' },
      to: { path: '^src/', pathNot: ['^src/db/embedded/', '^src/shared/', '^src/logger\\.ts$'] },
    },
    {
      name: 'adapters-only-translate',
      severity: 'error',
      comment: 'Channel adapters hand messages to the dispatcher; they hold no flow logic or business rules.',
      from: { path: '^src/channels/(twilio|sms-gateway|baileys|simulator)/' },
      to: { path: '^src/(engine|actions|domain|outbox)/' },
    },
    {
      name: 'domain-below-actions',
      severity: 'error',
      comment: 'Business rules do not call flow actions or the engine.',
      from: { path: '^src/domain/' },
      to: { path: '^src/(actions|engine|channels/(?!types\\.ts$)|outbox|admin)/' },
    },
    { name: 'no-orphans', severity: 'error', comment: 'A file nothing imports is dead code (entry points excepted).', from: { orphan: true, path: '^src/', pathNot: ['^src/main\\.ts$', '^src/db/embedded-worker-entry\\.ts$', '^src/demo/parse-cli\\.ts$', '\\.d\\.ts$', '^src/admin/dashboard/public/'] }, to: {} },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
