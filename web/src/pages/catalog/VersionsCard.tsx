/** Versions of an entry and a side-by-side comparison of two of them. */
import { useEffect, useState } from 'react';
import { Card, Col, Empty, List, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/format';
import { useDiff, useVersions, type CatalogField, type Change } from './api';
import { FieldsTable } from './FieldsTable';

const show = (v: unknown) =>
  v === null || v === undefined || v === ''
    ? '—'
    : Array.isArray(v)
      ? v.join('、')
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

export function VersionsCard({ id }: { id: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const versions = useVersions(id);
  const items = versions.data?.items ?? [];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  useEffect(() => {
    if (items.length >= 2 && from === null) {
      setFrom(items[1].version);
      setTo(items[0].version);
    }
  }, [items, from]);
  const diff = useDiff(id, from, to);
  const d = diff.data;
  const highlight = (fields: CatalogField[], kind: 'added' | 'removed') =>
    Object.fromEntries([
      ...fields.map((f) => [f.name, kind] as const),
      ...(d?.fields.changed ?? []).map((c) => [c.name, 'changed'] as const),
    ]);
  const options = items.map((v) => ({
    value: v.version,
    label: `v${v.version}${v.published ? ` · ${t('catalog.detail.published')}` : ''}${v.current ? ` · ${t('catalog.detail.current')}` : ''}`,
  }));
  return (
    <Card
      title={t('catalog.detail.versions')}
      size="small"
      style={{ marginTop: 16 }}
      data-testid="versions"
    >
      <List
        size="small"
        dataSource={items}
        renderItem={(v) => (
          <List.Item>
            <Space wrap>
              <Tag color={v.current ? 'blue' : undefined}>v{v.version}</Tag>
              {v.published && <Tag color="success">{t('catalog.detail.published')}</Tag>}
              <span>{fmt.dateTime(v.createdAt)}</span>
              <span>{v.authorName}</span>
              <Typography.Text type="secondary">{v.comment}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {items.length >= 2 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('catalog.detail.diff')}
          </Typography.Title>
          <Space style={{ marginBottom: 12 }}>
            {t('catalog.detail.from')}
            <Select
              value={from}
              options={options}
              onChange={setFrom}
              style={{ width: 200 }}
              data-testid="diff-from"
            />
            {t('catalog.detail.to')}
            <Select
              value={to}
              options={options}
              onChange={setTo}
              style={{ width: 200 }}
              data-testid="diff-to"
            />
          </Space>
          {d && (
            <div data-testid="diff">
              {!d.attributes.length &&
                !d.fields.added.length &&
                !d.fields.removed.length &&
                !d.fields.changed.length && <Empty description={t('catalog.detail.noChange')} />}
              {d.attributes.length > 0 && (
                <Table<Change>
                  size="small"
                  rowKey="attribute"
                  pagination={false}
                  title={() => t('catalog.detail.attributes')}
                  dataSource={d.attributes}
                  columns={[
                    {
                      title: '',
                      dataIndex: 'attribute',
                      width: 160,
                      render: (a: string) => <code>{a}</code>,
                    },
                    {
                      title: `v${d.from}`,
                      dataIndex: 'from',
                      render: (v) => <span style={{ background: '#fff1f0' }}>{show(v)}</span>,
                    },
                    {
                      title: `v${d.to}`,
                      dataIndex: 'to',
                      render: (v) => <span style={{ background: '#f6ffed' }}>{show(v)}</span>,
                    },
                  ]}
                />
              )}
              {d.fields.changed.length > 0 && (
                <Table
                  size="small"
                  rowKey={(r) => `${r.name}.${r.attribute}`}
                  pagination={false}
                  title={() => t('catalog.detail.changed')}
                  style={{ marginTop: 12 }}
                  dataSource={d.fields.changed.flatMap((c) =>
                    c.changes.map((x) => ({ ...x, name: c.name, label: c.label })),
                  )}
                  columns={[
                    {
                      title: t('catalog.fieldCol.label'),
                      key: 'f',
                      width: 200,
                      render: (_, r) => `${r.label} (${r.name})`,
                    },
                    { title: '', dataIndex: 'attribute', width: 120 },
                    { title: `v${d.from}`, dataIndex: 'from', render: (v) => show(v) },
                    { title: `v${d.to}`, dataIndex: 'to', render: (v) => show(v) },
                  ]}
                />
              )}
              <Row gutter={12} style={{ marginTop: 12 }}>
                <Col span={12}>
                  <Typography.Text strong>v{d.from}</Typography.Text>
                  {d.fields.removed.length > 0 && (
                    <Tag color="red" style={{ marginLeft: 8 }}>
                      {t('catalog.detail.removed')}:{' '}
                      {d.fields.removed.map((f) => f.label).join('、')}
                    </Tag>
                  )}
                  <FieldsTable
                    fields={(d.left.fields as CatalogField[]) ?? []}
                    highlight={highlight(d.fields.removed, 'removed')}
                  />
                </Col>
                <Col span={12}>
                  <Typography.Text strong>v{d.to}</Typography.Text>
                  {d.fields.added.length > 0 && (
                    <Tag color="green" style={{ marginLeft: 8 }}>
                      {t('catalog.detail.added')}: {d.fields.added.map((f) => f.label).join('、')}
                    </Tag>
                  )}
                  <FieldsTable
                    fields={(d.right.fields as CatalogField[]) ?? []}
                    highlight={highlight(d.fields.added, 'added')}
                  />
                </Col>
              </Row>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
