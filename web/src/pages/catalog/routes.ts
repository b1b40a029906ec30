/**
 * The catalog and registration pages' routes (their menu lines are in components/menu.tsx, which
 * also guards them).
 */
import type { ComponentType } from 'react';
import { CatalogPage } from './CatalogPage';
import { DedupePage } from './DedupePage';
import { ResourceFormPage } from './ResourceFormPage';
import { ResourcePage } from './ResourcePage';
import { ReviewPage } from './ReviewPage';
import { DatasetsPage, FunctionsPage, SystemPage, SystemsPage } from '../registry/RegistryPages';

export const CATALOG_ROUTES: [string, ComponentType][] = [
  ['catalog', CatalogPage],
  ['catalog/new', ResourceFormPage],
  ['catalog/review', ReviewPage],
  ['catalog/dedupe', DedupePage],
  ['catalog/:id', ResourcePage],
  ['catalog/:id/edit', ResourceFormPage],
  ['registry/systems', SystemsPage],
  ['registry/systems/:id', SystemPage],
  ['registry/datasets', DatasetsPage],
  ['registry/functions', FunctionsPage],
];
