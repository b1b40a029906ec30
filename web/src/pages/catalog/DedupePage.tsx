/** 查重: existing entries overlapping data a body wants to exchange or buy [000 §12]. */
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Form, Input, Progress, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorText } from '../../components/serverErrors';
import { StatusTag } from './tags';
import type { Status } from './api';

interface Match {
  id: string;
  code: string;
  name: string;
  providerName: string;
  status: Status;
  score: number;
  nameScore: number;
  matchedFields: string[];
}

export function DedupePage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Match[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const check = async (v: { name?: string; fields?: string }) => {
    setError(null);
    setLoading(true);
    try {
      setItems(
        (
          await api<{ items: Match[] }>('/catalog/dedupe', {
            query: { name: v.name, fields: v.fields },
          })
        ).items,
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <div className="gs-page-head">
        <h1>{t('catalog.dedupe.title')}</h1>
      </div>
      <Alert type="info" showIcon message={t('catalog.dedupe.hint')} style={{ marginBottom: 12 }} />
      <Card size="small">
        <Form layout="vertical" onFinish={check}>
          <Form.Item name="name" label={t('catalog.dedupe.name')}>
            <Input data-testid="dedupe-name" />
          </Form.Item>
          <Form.Item name="fields" label={t('catalog.dedupe.fields')}>
            <Input.TextArea rows={2} data-testid="dedupe-fields" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={loading}>
            {t('catalog.dedupe.check')}
          </Button>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
      {items && !items.length && (
        <Alert
          type="success"
          showIcon
          message={t('catalog.dedupe.none')}
          style={{ marginTop: 12 }}
        />
      )}
      {items && items.length > 0 && (
        <Table<Match>
          rowKey="id"
          style={{ marginTop: 12 }}
          dataSource={items}
          pagination={false}
          data-testid="dedupe-results"
          columns={[
            {
              title: t('catalog.col.name'),
              key: 'n',
              render: (_, r) => <Link to={`/catalog/${r.id}`}>{r.name}</Link>,
            },
            { title: t('catalog.col.provider'), dataIndex: 'providerName', width: 180 },
            {
              title: t('catalog.dedupe.score'),
              dataIndex: 'score',
              width: 160,
              render: (s: number) => <Progress percent={Math.round(s * 100)} size="small" />,
            },
            {
              title: t('catalog.dedupe.matched'),
              dataIndex: 'matchedFields',
              render: (f: string[]) => f.map((x) => <Tag key={x}>{x}</Tag>),
            },
            {
              title: t('catalog.col.status'),
              dataIndex: 'status',
              width: 90,
              render: (s) => <StatusTag status={s} />,
            },
          ]}
        />
      )}
    </>
  );
}
