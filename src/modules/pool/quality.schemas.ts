import { Type } from 'typebox';

const Score = Type.Number({ minimum: 0, maximum: 1 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);
const Scores = Type.Object({
  completeness: Score,
  accuracy: Score,
  consistency: Score,
  timeliness: Score,
  overall: Score,
});
export const ResourceQuality = Type.Object({
  resourceId: Type.String({ format: 'uuid' }),
  current: Nullable(Scores),
  lastLoadedAt: Nullable(Type.String({ format: 'date-time' })),
  overdue: Type.Boolean(),
  series: Type.Array(
    Type.Object({
      batchId: Type.String({ format: 'uuid' }),
      at: Type.String({ format: 'date-time' }),
      rows: Type.Integer(),
      completeness: Score,
      accuracy: Score,
      consistency: Score,
      timeliness: Score,
      overall: Score,
    }),
  ),
  rules: Type.Array(
    Type.Object({ field: Type.String(), rule: Type.String(), violations: Type.Integer() }),
  ),
});
const Overdue = Type.Object({
  resourceId: Type.String({ format: 'uuid' }),
  code: Nullable(Type.String()),
  name: Type.String(),
  providerOrgId: Type.String({ format: 'uuid' }),
  providerName: Type.String(),
  updateFrequency: Type.String(),
  lastLoadedAt: Nullable(Type.String({ format: 'date-time' })),
  dueAt: Type.String({ format: 'date-time' }),
  daysOverdue: Type.Integer(),
});
export const OverdueList = Type.Object({ items: Type.Array(Overdue) });
