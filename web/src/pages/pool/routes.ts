/**
 * The pool and quality pages' routes (their menu lines are in components/menu.tsx, which also
 * guards them).
 */
import type { ComponentType } from 'react';
import { BatchPage, PoolListPage, PoolResourcePage } from './PoolPages';
import { OverduePage, QualityPage } from '../quality/QualityPages';

export const POOL_ROUTES: [string, ComponentType][] = [
  ['pool', PoolListPage],
  ['pool/batches/:id', BatchPage],
  ['pool/:id', PoolResourcePage],
  ['quality/overdue', OverduePage],
  ['quality/:id', QualityPage],
];
