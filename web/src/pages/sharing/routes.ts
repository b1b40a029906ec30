/**
 * The sharing pages' routes (their menu lines are in components/menu.tsx, which also guards them).
 */
import type { ComponentType } from 'react';
import { ChannelDetailPage } from './ChannelDetailPage';
import { ChannelsPage } from './ChannelsPage';
import { OverScopePage } from './OverScopePage';
import { RequestDetailPage } from './RequestDetailPage';
import { RequestFormPage } from './RequestFormPage';
import { MyRequestsPage, ReviewQueuePage } from './RequestsPage';

export const SHARING_ROUTES: [string, ComponentType][] = [
  ['sharing/new', RequestFormPage],
  ['sharing/requests', MyRequestsPage],
  ['sharing/requests/:id', RequestDetailPage],
  ['sharing/review', ReviewQueuePage],
  ['sharing/review/:id', RequestDetailPage],
  ['sharing/channels', ChannelsPage],
  ['sharing/channels/:id', ChannelDetailPage],
  ['sharing/over-scope', OverScopePage],
];
